async function main() {
  await new Promise((r) => setTimeout(r, 5));
  console.log("in main");
  throw new Error("main failed");
}
const tpl = `
main();
`;
console.log(tpl.trim(), /\(;/.test("(;"));
main();
