const enc = new TextEncoder();
const bytes = enc.encode("€uro ✓");
console.log(bytes.length, Array.from(bytes.slice(0, 3)), new TextDecoder().decode(bytes));
console.log(new TextDecoder("utf-8").encoding, "ab\uD800".isWellFormed(), "ab\uD800".toWellFormed().length);
console.log(typeof structuredClone, structuredClone(new Map([[1, new Set([2])]])), structuredClone(new Date(5)).getTime());
try { structuredClone({ f() {} }); } catch (e) { console.log(e.name); }
queueMicrotask(() => console.log("microtask"));
console.log(global === globalThis, "abc".at(-1), [1, 2, 3].at(-1), new Int8Array([5, 6]).at(-1));
