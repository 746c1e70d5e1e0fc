import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { OutputCollector } from "./output.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("OutputCollector decodes a UTF-8 character split across two writes", () => {
  const output = new OutputCollector(100);
  const euro = bytes("€");
  output.add(1, euro.subarray(0, 1));
  output.add(1, euro.subarray(1));
  assertEquals(output.text("stdout"), "€");
  assertEquals(output.truncated, false);
});

Deno.test("OutputCollector interleaves stdout and stderr in write order as tty", () => {
  const output = new OutputCollector(100);
  output.add(1, bytes("a"));
  output.add(2, bytes("b"));
  output.add(1, bytes("c"));
  assertEquals([output.text("stdout"), output.text("stderr"), output.text("tty")], [
    "ac",
    "b",
    "abc",
  ]);
});

Deno.test("OutputCollector keeps the head, never half a character, and says what it cut", () => {
  const output = new OutputCollector(4);
  output.add(1, bytes("ab€"));
  assertEquals(output.text("stdout"), "ab");
  assertEquals(output.truncated, true);
  assertEquals(output.warnings(), [
    "stdout was cut at 4 bytes (max_output_bytes); 1 more bytes were dropped",
    "tty was cut at 4 bytes (max_output_bytes); 1 more bytes were dropped",
  ]);
});

Deno.test("OutputCollector counts bytes the worker dropped after the cap", () => {
  const output = new OutputCollector(2);
  output.add(2, bytes("ab"));
  output.markCut("stderr");
  output.addDropped("stderr", 10);
  assertEquals(
    output.warnings()[0],
    "stderr was cut at 2 bytes (max_output_bytes); 10 more bytes were dropped",
  );
});
