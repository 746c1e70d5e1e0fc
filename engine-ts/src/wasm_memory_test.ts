import { deepStrictEqual as assertEquals, throws as assertThrows } from "node:assert/strict";
import { capMemory, MemoryCapError } from "./wasm_memory.ts";
import { readSections, SectionId } from "./wasm_sections.ts";

/** A module with one memory section: (memory min [max]). */
function moduleWithMemory(min: number, max?: number): Uint8Array<ArrayBuffer> {
  const limits = max === undefined ? [0x00, min] : [0x01, min, max];
  const section = [0x01, ...limits];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    0x05,
    section.length,
    ...section,
  ]);
}

/** The declared maximum of the single memory, read back from the memory section's bytes. */
function maximumPages(binary: Uint8Array): number | undefined {
  const body = readSections(binary).find((section) => section.id === SectionId.memory)?.body;
  return body?.[1] === 0x01 ? body[3] : undefined;
}

Deno.test("capMemory() adds a maximum to a memory that had none", () => {
  assertEquals(maximumPages(capMemory(moduleWithMemory(1), 5)), 5);
});

Deno.test("capMemory() keeps a declared maximum below the cap", () => {
  assertEquals(maximumPages(capMemory(moduleWithMemory(1, 3), 5)), 3);
});

Deno.test("capMemory() lowers a declared maximum above the cap", () => {
  assertEquals(maximumPages(capMemory(moduleWithMemory(1, 100), 5)), 5);
});

Deno.test("capMemory() refuses a module that needs more than the cap to start", () => {
  assertThrows(() => capMemory(moduleWithMemory(10), 5), MemoryCapError);
});

Deno.test("capMemory() returns a module without memory unchanged", () => {
  const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  assertEquals(capMemory(empty, 5), empty);
});

Deno.test("a capped memory cannot grow past the cap", () => {
  const exported = new Uint8Array([
    ...moduleWithMemory(1),
    // export section: one export "m", kind memory, index 0
    0x07,
    0x05,
    0x01,
    0x01,
    0x6d,
    0x02,
    0x00,
  ]);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(capMemory(exported, 2)), {});
  const memory = instance.exports.m as WebAssembly.Memory;
  memory.grow(1);
  assertThrows(() => memory.grow(1), RangeError);
});
