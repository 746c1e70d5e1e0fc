const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
console.log("before");
await sleep(10);
const value = await Promise.resolve(7);
console.log("after", value * 6);
