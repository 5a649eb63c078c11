import fs from "fs";
import { join as pjoin, resolve } from "path";

class Store {
  load(name, opts = {}) {
    let n = 0;
    for (const line of fs.readFileSync(pjoin(this.dir, name)).split("\n")) {
      if (line.startsWith("#")) continue;
      n += 1;
    }
    return n;
  }
}

const parse = (text) => {
  switch (text) {
    case "a":
      return 1;
    default:
      text = resolve(text);
  }
  return text.length;
};

function main(args) {
  let i = 0;
  while (i < args.length) {
    i++;
  }
  try {
    new Store().load(args[i]);
  } catch (err) {
    console.error(err);
  }
  return parse(args[0]);
}
