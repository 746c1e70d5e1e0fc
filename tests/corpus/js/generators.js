function* range(start, end, step = 1) {
  for (let i = start; i < end; i += step) yield i;
}
function* take(it, n) { for (const x of it) { if (n-- <= 0) return; yield x; } }
function* naturals() { let n = 0; while (true) yield n++; }
console.log([...range(0, 10, 3)]);
console.log(Array.from(take(naturals(), 5), (x) => x * x));
const it = range(0, 2);
console.log(it.next(), it.next(), it.next());
const obj = { *[Symbol.iterator]() { yield "a"; yield "b"; } };
console.log([...obj].join("-"));
