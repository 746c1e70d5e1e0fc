const EventEmitter = require("events");
const { once } = require("node:events");
class Job extends EventEmitter {
  run() { this.emit("start", 1); this.emit("progress", 50); this.emit("done", { ok: true }); }
}
const job = new Job();
job.on("start", (n) => console.log("start", n));
job.once("progress", (p) => console.log("progress", p));
job.prependListener("start", () => console.log("first!"));
job.on("done", function (r) { console.log("done", r, this === job); });
job.run();
job.run();
console.log(job.listenerCount("start"), job.eventNames());
const h = () => console.log("never");
job.on("x", h); job.off("x", h);
console.log(job.emit("x"), job.listeners("done").length);
try { job.emit("error", new Error("boom")); } catch (e) { console.log("caught", e.message); }
(async () => {
  setTimeout(() => job.emit("ready", 42, "x"), 5);
  console.log("once:", await once(job, "ready"));
})();
