function parse(x) {
  if (typeof x !== "number") throw new TypeError(`expected number, got ${typeof x}`);
  return x;
}
console.log("before");
parse("nope");
console.log("after");
