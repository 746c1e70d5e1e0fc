// Counts words from stdin and prints the top five.
const fs = require("fs");
const text = fs.readFileSync(0, "utf8");
const counts = new Map();
for (const word of text.toLowerCase().match(/[a-z']+/g) ?? []) {
  counts.set(word, (counts.get(word) ?? 0) + 1);
}
const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5);
for (const [word, n] of top) console.log(`${word.padEnd(8)} ${n}`);
console.log(top);
