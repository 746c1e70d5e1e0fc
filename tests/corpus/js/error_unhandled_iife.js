(async () => {
  console.log("iife");
  await null;
  JSON.parse("{bad");
})();
