async function main() { throw new Error("caught later"); }
main()
  .then(() => console.log("ok"))
  .catch((e) => console.log("handled:", e.message));
function sync() { return 5; }
sync();
console.log("end");
