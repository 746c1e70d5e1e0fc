console.log(typeof process.env, typeof process.hrtime.bigint(), Array.isArray(process.hrtime()));
console.log(typeof process.memoryUsage().heapUsed, process.exitCode, typeof process.uptime());
process.stdout.write("no newline");
process.stdout.write(" then newline\n");
console.log(process.stdout.write(""), typeof process.version, typeof process.platform);
process.exitCode = 2;
