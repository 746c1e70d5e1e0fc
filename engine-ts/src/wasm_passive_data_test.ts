import {
  deepStrictEqual as assertEquals,
  strictEqual as assertStrictEquals,
} from "node:assert/strict";
import { assemble, leb, name } from "./_test_wasm.ts";
import { INIT_DATA_EXPORT, passiveData } from "./wasm_passive_data.ts";

const TYPE = 1;
const FUNCTION = 3;
const MEMORY = 5;
const EXPORT = 7;
const CODE = 10;
const DATA = 11;

/** A module exporting one page of memory and, if given, a function that does nothing. */
function module(segments: number[][], withFunction = false): Uint8Array<ArrayBuffer> {
  const sections: [number, number[]][] = [];
  if (withFunction) sections.push([TYPE, [1, 0x60, 0, 0]], [FUNCTION, [1, 0]]);
  sections.push([MEMORY, [1, 0, 1]]);
  sections.push([EXPORT, [
    ...leb(withFunction ? 2 : 1),
    ...name("memory"),
    2,
    0,
    ...(withFunction ? [...name("noop"), 0, 0] : []),
  ]]);
  if (withFunction) sections.push([CODE, [1, 2, 0, 0x0b]]);
  sections.push([DATA, [...leb(segments.length), ...segments.flat()]]);
  return assemble(...sections);
}

/** An active segment of memory 0 at `offset` holding `bytes`. */
function active(offset: number, bytes: number[]): number[] {
  return [0, 0x41, ...leb(offset), 0x0b, ...leb(bytes.length), ...bytes];
}

function memoryOf(instance: WebAssembly.Instance): Uint8Array {
  return new Uint8Array((instance.exports.memory as WebAssembly.Memory).buffer);
}

Deno.test("passiveData() leaves memory zero at instantiation and writes it at the init export", () => {
  const original = module([active(16, [1, 2, 3]), active(1000, [9])], true);
  const derived = new WebAssembly.Instance(new WebAssembly.Module(passiveData(original)));
  assertEquals([...memoryOf(derived).subarray(16, 19)], [0, 0, 0]);
  (derived.exports[INIT_DATA_EXPORT] as () => void)();
  const plain = new WebAssembly.Instance(new WebAssembly.Module(original));
  assertEquals(memoryOf(derived), memoryOf(plain));
  assertEquals(typeof derived.exports.noop, "function"); // earlier functions keep their indices
});

Deno.test("passiveData() keeps a module without active segments as it is", () => {
  const passive = module([[1, ...leb(2), 7, 7]]);
  assertStrictEquals(passiveData(passive), passive);
  const none = assemble([MEMORY, [1, 0, 1]]);
  assertStrictEquals(passiveData(none), none);
});

Deno.test("passiveData() handles a large offset and a module with no functions of its own", () => {
  const original = module([active(60_000, [5, 6])]);
  const derived = new WebAssembly.Instance(new WebAssembly.Module(passiveData(original)));
  (derived.exports[INIT_DATA_EXPORT] as () => void)();
  assertEquals([...memoryOf(derived).subarray(60_000, 60_002)], [5, 6]);
});
