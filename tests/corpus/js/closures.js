function counter(start = 0) {
  let n = start;
  return { inc: () => ++n, dec: () => --n, get value() { return n; } };
}
const c = counter(10);
c.inc(); c.inc(); c.dec();
console.log(c.value, c);
const memo = (fn) => { const cache = {}; return (x) => cache[x] ??= fn(x); };
const fib = memo((n) => (n < 2 ? n : fib(n - 1) + fib(n - 2)));
console.log(fib(80), [10, 20, 30].map(fib));
const adders = [];
for (let i = 0; i < 3; i++) adders.push((x) => x + i);
console.log(adders.map((f) => f(100)));
console.log(function named() {}, () => {}, async function af() {}, function* gen() {});
