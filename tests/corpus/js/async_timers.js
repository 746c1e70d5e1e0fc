const sleep = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
async function worker(name, delay) {
  await sleep(delay);
  console.log(`done ${name}`);
  return name.toUpperCase();
}
async function main() {
  console.log("start");
  const results = await Promise.all([worker("b", 30), worker("a", 10), worker("c", 20)]);
  console.log(results);
  const first = await Promise.race([sleep(50, "slow"), sleep(5, "fast")]);
  console.log(first);
  const settled = await Promise.allSettled([Promise.reject(new Error("no")), sleep(1, 1)]);
  console.log(settled.map((s) => s.status));
}
main().then(() => console.log("end"));
setImmediate(() => console.log("immediate"));
process.nextTick(() => console.log("tick"));
Promise.resolve().then(() => console.log("micro"));
