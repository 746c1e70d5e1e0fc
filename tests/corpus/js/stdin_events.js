let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const data = JSON.parse(input);
  console.log(Object.keys(data).length, data.items.map((x) => x * 2));
  process.stdout.write(JSON.stringify(data) + "\n");
});
