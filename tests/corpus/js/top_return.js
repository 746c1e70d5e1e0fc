console.log("running");
if (true) return;
console.log("unreachable");
