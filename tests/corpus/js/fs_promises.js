const fsp = require("fs/promises");
const { promises: fs2 } = require("node:fs");
(async () => {
  await fsp.mkdir("work", { recursive: true });
  await fsp.writeFile("work/x.txt", "one two three");
  const text = await fs2.readFile("work/x.txt", "utf8");
  console.log(text.split(" ").length, (await fsp.stat("work/x.txt")).size);
  console.log(await fsp.readdir("work"));
  await fsp.rm("work", { recursive: true });
  await fsp.access("work").catch((e) => console.log("gone:", e.code));
})();
