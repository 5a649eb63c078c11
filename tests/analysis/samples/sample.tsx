import React from "react";

export function Badge(props: { count: number }) {
  const n = props.count;
  if (n > 99) {
    return <span className="badge">99+</span>;
  }
  return <span className="badge">{format(n)}</span>;
}
