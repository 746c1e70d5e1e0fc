const primes = [];
outer: for (let n = 2; primes.length < 15; n++) {
  for (const p of primes) { if (p * p > n) break; if (n % p === 0) continue outer; }
  primes.push(n);
}
console.log(primes);
let s = ""; let k = 0;
do { s += k; k += 2; } while (k < 10);
console.log(s, [..."hello"].map((c) => c.charCodeAt(0)), Object.entries({ a: 1, b: 2 }).flat());
switch (primes.length) { case 15: console.log("fifteen"); break; default: console.log("other"); }
