const args = process.argv.slice(2);
console.log(args.length, args);
const opts = {};
for (const a of args) { const m = /^--(\w+)=(.*)$/.exec(a); if (m) opts[m[1]] = m[2]; }
console.log(opts, process.argv.length);
