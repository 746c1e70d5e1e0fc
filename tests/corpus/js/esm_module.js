import { square, Point } from "./lib_esm/lib.js";
export const answer = 42;
const p = new Point(3, 4);
console.log(square(7), p.length(), p, answer);
console.log(typeof module, typeof exports, import.meta.url.endsWith("esm_module.js"));
