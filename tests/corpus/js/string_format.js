const items = [["apple", 1.5, 3], ["banana", 0.25, 12], ["cherry", 10, 1]];
console.log("%s has %d items costing %f", "cart", items.length, 12.5);
console.log("%i%% done, json %j, obj %o", 42.9, { a: [1, 2] }, [1]);
console.log("%O and %s", { deep: { er: { est: 1 } } }, { x: 1 });
for (const [name, price, qty] of items) {
  console.log(`${name.padEnd(10, ".")}${price.toFixed(2).padStart(8)} x${String(qty).padStart(3, "0")}`);
}
console.log((1234567.891).toLocaleString("en-US"), (0.1 + 0.2).toPrecision(3), (255).toString(16));
console.log("%c styled", "color: red", "extra", 5);
console.log("trailing %s");
