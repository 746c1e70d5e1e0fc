/**
 * Caps a module's linear memory by rewriting the maximum in its memory section, so
 * `memory.grow` past the cap fails inside the guest (malloc returns NULL, Python raises
 * MemoryError) instead of growing the engine. Every module the engine runs goes through
 * `capMemory`, language binaries and programs read from the run's filesystem alike, and
 * `runStep` refuses one that did not (see `assertCapped`).
 *
 * The capped module also carries the grow hook (see wasm_grow.ts), so a crash after a grow
 * failed at the cap is reported as running out of memory (see `hitMemoryLimit`).
 *
 * @module
 */

import { countImports, FAILED_GROW_EXPORT, hookMemoryGrow } from "./wasm_grow.ts";
import {
  Reader,
  readSections,
  type Section,
  SectionId,
  writeLeb,
  writeSections,
} from "./wasm_sections.ts";

/** Bytes in one WebAssembly page. */
export const PAGE_BYTES = 65536;

/** Pages a memory is left short of the cap when we still call it out of memory. */
const NEAR_CAP_PAGES = 16;

const MAGIC = [0x00, 0x61, 0x73, 0x6d]; // "\0asm"

/** Thrown when a module cannot start under the cap at all. */
export class MemoryCapError extends Error {}

/** The pages `memoryMb` megabytes hold. */
export function pagesOf(memoryMb: number): number {
  return Math.floor((memoryMb * 2 ** 20) / PAGE_BYTES);
}

/**
 * Returns a copy of `binary` whose defined memories grow to at most `maxPages`, with the
 * grow hook installed (a `derived` snapshot binary has it already). Throws MemoryCapError
 * for a module that imports its memory (the cap cannot reach it) or needs more than
 * `maxPages` to start.
 */
export function capMemory(
  binary: Uint8Array,
  maxPages: number,
  derived = false,
): Uint8Array<ArrayBuffer> {
  // Not a module: left for WebAssembly.Module to refuse with its own words.
  if (MAGIC.some((byte, index) => binary[index] !== byte)) return new Uint8Array(binary);
  const sections = readSections(binary);
  const imports = countImports(sections.find((section) => section.id === SectionId.import)?.body);
  if (imports.memories.length > 0) {
    throw new MemoryCapError(
      `Cannot run the program: it imports its memory ("${
        imports.memories[0]
      }") instead of defining it, so memory_limit_mb cannot hold it`,
    );
  }
  const memory = sections.find((section) => section.id === SectionId.memory);
  if (memory === undefined) return new Uint8Array(binary);
  memory.body = rewriteMemorySection(memory.body, maxPages);
  // A snapshot binary (`derived`, checked by its hash) comes hooked from derive.ts: hooking
  // rewrites all the code (~0.1 s for CPython), and the hook does not depend on the cap.
  // A caller's module is hooked whatever it exports.
  const hooked = derived && exportsName(sections, FAILED_GROW_EXPORT);
  if (new Reader(memory.body, 0).u32() > 0 && !hooked) hookMemoryGrow(sections, imports);
  return writeSections(binary.subarray(0, 8), sections);
}

/** Whether the export section of `sections` names `name`. */
function exportsName(sections: Section[], name: string): boolean {
  const body = sections.find((section) => section.id === SectionId.export)?.body;
  if (body === undefined) return false;
  const reader = new Reader(body, 0);
  const decoder = new TextDecoder();
  for (let count = reader.u32(); count > 0; count--) {
    if (decoder.decode(reader.take(reader.u32())) === name) return true;
    reader.byte(); // kind
    reader.skipLeb(); // index
  }
  return false;
}

/** Throws unless `module` went through `capMemory` (or has no memory to cap). */
export function assertCapped(module: WebAssembly.Module): void {
  const exports = WebAssembly.Module.exports(module);
  if (
    exports.some((item) => item.kind === "memory") &&
    !exports.some((item) => item.name === FAILED_GROW_EXPORT)
  ) {
    throw new Error("Cannot run a module whose memory was not capped: compile it with capMemory");
  }
}

/**
 * Whether `instance` ran into a cap of `memoryMb`: a grow of its memory failed for asking
 * past the cap, or its memory is within NEAR_CAP_PAGES of it.
 */
export function hitMemoryLimit(
  instance: WebAssembly.Instance | undefined,
  memoryMb: number,
): boolean {
  const memory = instance?.exports.memory;
  if (!(memory instanceof WebAssembly.Memory)) return false;
  const pages = memory.buffer.byteLength / PAGE_BYTES;
  const failed = instance?.exports[FAILED_GROW_EXPORT];
  const asked = failed instanceof WebAssembly.Global ? (failed.value as number) >>> 0 : 0;
  const limit = pagesOf(memoryMb);
  return (asked > 0 && pages + asked > limit) || pages + NEAR_CAP_PAGES > limit;
}

function rewriteMemorySection(body: Uint8Array, maxPages: number): Uint8Array {
  const reader = new Reader(body, 0);
  const count = reader.u32();
  const out: number[] = [...writeLeb(count)];
  for (let i = 0; i < count; i++) {
    const flags = reader.byte();
    if (flags & 0x04) throw new MemoryCapError("Cannot cap a 64-bit memory");
    if (flags & 0x08) throw new MemoryCapError("Cannot cap a memory with a custom page size");
    const min = reader.u32();
    let max = maxPages;
    if (flags & 0x01) max = Math.min(reader.u32(), maxPages);
    if (min > max) {
      throw new MemoryCapError(
        `Cannot start the program: it needs ${
          Math.ceil((min * PAGE_BYTES) / 2 ** 20)
        } MB of memory to start, over memory_limit_mb`,
      );
    }
    out.push((flags & 0x02) | 0x01, ...writeLeb(min), ...writeLeb(max));
  }
  out.push(...body.subarray(reader.offset));
  return new Uint8Array(out);
}
