const people = [
  { name: "Zoe", age: 25, city: "Oslo" }, { name: "adam", age: 31, city: "Bergen" },
  { name: "Émile", age: 25, city: "Paris" }, { name: "bob", age: 19, city: "Oslo" },
];
console.log(people.toSorted((a, b) => a.age - b.age || a.name.localeCompare(b.name)).map((p) => p.name));
console.log([...people].sort((a, b) => a.name.localeCompare(b.name, "en", { sensitivity: "base" })).map((p) => p.name));
console.log(people.findLast((p) => p.age === 25), people.findLastIndex((p) => p.city === "Oslo"));
console.log([10, 9, 1, 100].sort(), [10, 9, 1, 100].sort((a, b) => a - b), people.with(0, null).length);
