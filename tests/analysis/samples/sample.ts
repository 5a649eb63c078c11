import { Point } from "./geom";

interface Shape { area(): number; }

export class Circle implements Shape {
  constructor(private r: number) {}
  area(): number {
    const k: number = Math.PI;
    if (this.r > 0) {
      return k * this.r * this.r;
    }
    return 0;
  }
}

function total(shapes: Shape[], scale?: number): number {
  let sum = 0;
  for (let i = 0; i < shapes.length; i++) {
    sum += shapes[i].area();
  }
  return sum * (scale ?? 1);
}
