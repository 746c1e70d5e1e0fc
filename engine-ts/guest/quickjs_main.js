// Runs the program named after this file in argv, as `quickjs PROGRAM` would, with two
// differences a caller relies on: an uncaught error exits 1 (quickjs itself exits 0),
// and console.error / console.warn write to stderr (quickjs lacks them).
import * as std from "std";

function toStderr(...values) {
  std.err.puts(
    values.map((value) =>
      typeof value === "string" ? value : JSON.stringify(value) ?? String(value)
    ).join(" ") + "\n",
  );
  std.err.flush();
}
console.error = toStderr;
console.warn = toStderr;

args.shift(); // this file: the program sees the argv it would have seen without it
import(args[0]).catch((error) => {
  std.out.flush();
  std.err.puts(error instanceof Error ? `${error}\n${error.stack ?? ""}\n` : `Uncaught ${error}\n`);
  std.err.flush();
  std.exit(1);
});
