process.on("exit", (code) => console.log("exiting with", code));
console.log("work");
setTimeout(() => { console.log("in timer"); process.exit(4); console.log("never"); }, 5);
setTimeout(() => console.log("never either"), 50);
