console.table([{ a: 1, b: "Y" }, { a: "Z", b: 2 }]);
console.table({ alice: { age: 30, role: "dev" }, bob: { age: 25 } });
console.table([[1, 2], [3, 4, 5]]);
console.table([{ name: "x", v: 1 }, { name: "y", v: 22 }], ["v"]);
console.table(new Map([["k", { v: 1 }]]));
console.table(["apples", "oranges"]);
console.table(5);
