const m = new Map([["x", 1], ["y", { nested: [1, 2] }]]);
m.set({ key: "obj" }, new Set(["a"]));
console.log(m);
const a = new Set([1, 2, 3]), b = new Set([3, 4]);
console.log(new Set([...a, ...b]), new Set([...a].filter((x) => b.has(x))), a.has(2), a.size);
const wm = new WeakMap(); const key = {}; wm.set(key, 1);
console.log(wm.get(key), new Map(), new Set());
console.log([...m.keys()].length, Object.fromEntries(new Map([["a", 1]])));
