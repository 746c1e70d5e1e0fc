const matrix = Array.from({ length: 4 }, (_, i) => Array.from({ length: 4 }, (_, j) => i * 4 + j));
console.log(matrix);
const transpose = (m) => m[0].map((_, j) => m.map((row) => row[j]));
console.log(transpose(matrix).map((r) => r.join(" ")).join("\n"));
const mult = (a, b) => a.map((row) => transpose(b).map((col) => row.reduce((s, v, k) => s + v * col[k], 0)));
console.log(mult([[1, 2], [3, 4]], [[5, 6], [7, 8]]));
console.log([[1.5, -2.25], [1e21, 1e-7]], Array(3).fill(0).map(() => Array(2).fill(null)));
