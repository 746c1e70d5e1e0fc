const readline = require("node:readline");
async function main() {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    console.log(`${n}: ${line.split("").reverse().join("")}`);
  }
  console.log("lines:", n);
}
main();
