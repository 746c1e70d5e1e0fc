(async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString("utf8");
  console.log(text.trim().split(/\s+/).map(Number).reduce((a, b) => a + b));
})();
