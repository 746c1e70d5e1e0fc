const input = require("fs").readFileSync(0, "utf8").trim().split("\n");
const [n, ...rest] = input;
const nums = rest.slice(0, Number(n)).map(Number);
console.log(nums.reduce((a, b) => a + b, 0), Math.max(...nums), Math.min(...nums));
