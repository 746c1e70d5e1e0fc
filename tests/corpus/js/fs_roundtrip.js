const fs = require("fs");
const path = require("path");
fs.mkdirSync("out/nested/deep", { recursive: true });
fs.writeFileSync(path.join("out", "a.txt"), "alpha\n");
fs.appendFileSync("out/a.txt", "beta\n");
fs.writeFileSync("out/nested/data.json", JSON.stringify({ ok: true, n: [1, 2] }));
console.log(fs.readFileSync("out/a.txt", "utf8").split("\n"));
console.log(JSON.parse(fs.readFileSync("out/nested/data.json")).n);
console.log(fs.readdirSync("out").sort(), fs.existsSync("out/nope"), fs.existsSync("out/a.txt"));
console.log(fs.readdirSync("out", { withFileTypes: true }).map((d) => [d.name, d.isDirectory()]));
const st = fs.statSync("out/a.txt");
console.log(st.size, st.isFile(), st.isDirectory(), st.mtime instanceof Date);
fs.renameSync("out/a.txt", "out/b.txt");
fs.copyFileSync("out/b.txt", "out/c.txt");
fs.unlinkSync("out/b.txt");
console.log(fs.readdirSync("out").sort(), fs.readFileSync("out/c.txt").length);
try { fs.readFileSync("missing.txt"); } catch (e) { console.log(e.code, e.message); }
fs.rmSync("out", { recursive: true, force: true });
console.log(fs.existsSync("out"));
