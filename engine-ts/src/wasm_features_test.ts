import { throws as assertThrows } from "node:assert/strict";
import { assemble, leb, name } from "./_test_wasm.ts";
import { checkFeatures, FeatureError, MAX_TABLE_ENTRIES } from "./wasm_features.ts";

const I32 = 0x7f;
const FUNCREF = 0x70;
const ANYREF = 0x6e;

/** `(memory 1) (func (export "_start"))`: what a WASI command needs at least. */
const PLAIN: [number, number[]][] = [
  [0x01, [0x01, 0x60, 0x00, 0x00]],
  [0x03, [0x01, 0x00]],
  [0x05, [0x01, 0x00, 0x01]],
  [0x07, [0x01, ...name("_start"), 0x00, 0x00]],
  [0x0a, [0x01, 0x02, 0x00, 0x0b]],
];

function refused(binary: Uint8Array, words: RegExp): void {
  assertThrows(
    () => checkFeatures(binary, "/main.wasm"),
    (err: unknown) => err instanceof FeatureError && words.test(err.message),
  );
}

Deno.test("a plain module with one memory, one table, globals and WASI imports passes", () => {
  checkFeatures(
    assemble(
      [0x01, [0x02, 0x60, 0x00, 0x00, 0x60, 0x01, I32, 0x01, I32]],
      [0x02, [0x01, ...name("wasi_snapshot_preview1"), ...name("proc_exit"), 0x00, 0x01]],
      [0x03, [0x01, 0x00]],
      [0x04, [0x01, FUNCREF, 0x01, 0x01, 0x01]],
      [0x05, [0x01, 0x01, 0x01, 0x10]],
      [0x06, [0x01, I32, 0x01, 0x41, 0x80, 0x80, 0x04, 0x0b]],
      [0x07, [0x01, ...name("_start"), 0x00, 0x01]],
      [0x0a, [0x01, 0x04, 0x01, 0x01, I32, 0x0b]],
    ),
    "/main.wasm",
  );
});

Deno.test("GC struct and array types are refused, naming the proposal", () => {
  refused(assemble([0x01, [0x01, 0x5e, I32, 0x01]], ...PLAIN.slice(1)), /garbage-collected types/);
  refused(assemble([0x01, [0x01, 0x5f, 0x00]], ...PLAIN.slice(1)), /garbage-collected types/);
  refused(assemble([0x01, [0x01, 0x4e, 0x00]], ...PLAIN.slice(1)), /garbage-collected types/);
});

Deno.test("reference types of the GC proposal are refused in signatures, globals and locals", () => {
  refused(assemble([0x01, [0x01, 0x60, 0x01, ANYREF, 0x00]]), /value type 0x6e/);
  refused(
    assemble(...PLAIN.slice(0, 3), [0x06, [0x01, 0x63, 0x70, 0x00, 0xd0, 0x70, 0x0b]]),
    /0x63/,
  );
  const locals = assemble(...PLAIN.slice(0, 4), [0x0a, [0x01, 0x04, 0x01, 0x01, ANYREF, 0x0b]]);
  refused(locals, /value type 0x6e/);
});

Deno.test("a second table, or a table past the entry limit, is refused", () => {
  const table = [FUNCREF, 0x00, 0x01];
  refused(
    assemble(...PLAIN.slice(0, 2), [0x04, [0x02, ...table, ...table]]),
    /more than one table/,
  );
  const huge = assemble(...PLAIN.slice(0, 2), [0x04, [
    0x01,
    FUNCREF,
    0x00,
    ...leb(MAX_TABLE_ENTRIES + 1),
  ]]);
  refused(huge, /over the limit of 1000000/);
  const growable = [0x01, FUNCREF, 0x01, 0x01, ...leb(10_000_000)];
  refused(assemble(...PLAIN.slice(0, 2), [0x04, growable]), /table of 10000000 entries/);
});

Deno.test("a second memory, a 64-bit one and a shared one are refused", () => {
  refused(assemble(...PLAIN.slice(0, 2), [0x05, [0x02, 0x00, 0x01, 0x00, 0x01]]), /multi-memory/);
  refused(assemble(...PLAIN.slice(0, 2), [0x05, [0x01, 0x04, 0x01]]), /memory64/);
  refused(assemble(...PLAIN.slice(0, 2), [0x05, [0x01, 0x03, 0x01, 0x02]]), /shared memory/);
});

Deno.test("exception tags and imports of memories, tables, globals and tags are refused", () => {
  refused(assemble(PLAIN[0]!, [0x0d, [0x01, 0x00, 0x00]]), /exception tags/);
  const imports = (kind: number[]) =>
    assemble(PLAIN[0]!, [0x02, [0x01, ...name("env"), ...name("x"), ...kind]]);
  refused(imports([0x02, 0x00, 0x01]), /imports its memory/);
  refused(imports([0x01, FUNCREF, 0x00, 0x01]), /imports a table/);
  refused(imports([0x03, I32, 0x00]), /imports a global/);
  refused(imports([0x04, 0x00, 0x00]), /imports a tag/);
});

Deno.test("a count the bytes cannot hold is refused before any loop runs on it", () => {
  // 2**40 memories declared in a three-byte body: refused at once, not read one by one.
  const forged = assemble(PLAIN[0]!, [0x05, [0x80, 0x80, 0x80, 0x80, 0x80, 0x20]]);
  refused(forged, /longer than 5 bytes|too large for 32 bits/);
  refused(
    assemble([0x01, [0xff, 0xff, 0xff, 0xff, 0x0f]]),
    /declares 4294967295 entries in 0 bytes/,
  );
});

Deno.test("forged counts in the function, export, element and data sections are refused", () => {
  const forged = [0xff, 0xff, 0xff, 0xff, 0x0f];
  for (const id of [0x03, 0x07, 0x09, 0x0b]) {
    const sections = PLAIN.filter(([other]) => other < id);
    refused(assemble(...sections, [id, forged]), /declares 4294967295 entries in 0 bytes/);
  }
});

Deno.test("a truncated or mis-sized section is refused, never repaired", () => {
  const whole = assemble(...PLAIN);
  refused(whole.subarray(0, whole.length - 3), /cut short/);
  refused(
    assemble(...PLAIN.slice(0, 2), [0x05, [0x01, 0x00, 0x01, 0x00]]),
    /does not end where its size says/,
  );
});

Deno.test("a component, another version and a non-module are refused by name", () => {
  refused(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]), /component/);
  refused(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00]), /version 2/);
  refused(new TextEncoder().encode("#!/bin/sh\necho hi\n"), /not a WebAssembly module/);
});

Deno.test("sections out of order or repeated are refused", () => {
  refused(assemble(PLAIN[1]!, PLAIN[0]!), /out of order/);
  refused(assemble(PLAIN[0]!, PLAIN[0]!), /repeated or out of order/);
});
