total = 0;
for (i = 0; i < 5; i++) total += i;
console.log(total, typeof globalThis.total);
function f() { return this === undefined ? "strict" : "sloppy"; }
console.log(f());
with ({ a: 1 }) { console.log(a); }
var o = { x: 1 }; delete o.x; console.log(o, 010);
