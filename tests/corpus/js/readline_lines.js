const readline = require("readline");
const rl = readline.createInterface({ input: process.stdin });
let total = 0;
const rows = [];
rl.on("line", (line) => {
  const [name, score] = line.split(",");
  rows.push({ name, score: Number(score) });
  total += Number(score);
});
rl.on("close", () => {
  console.log(rows);
  console.log(`total=${total} avg=${(total / rows.length).toFixed(1)}`);
});
