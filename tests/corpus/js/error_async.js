async function load() {
  await new Promise((r) => setTimeout(r, 5));
  throw new RangeError("async failure");
}
console.log("start");
(async () => { await load(); })().catch((e) => { console.error("caught:", e.message); process.exitCode = 3; });
