/**
 * Makes a module's busy loops stoppable from another thread. Deno cannot stop a Worker that
 * is busy in WebAssembly (`terminate()` leaves it spinning), so a timed-out run used to cost
 * its whole engine process. A snapshot binary gets a second memory, shared and one page
 * long, exported as `INTERRUPT_EXPORT`; every `loop` starts by reading its first byte and
 * traps (`unreachable`) once the engine has set it. A timed-out run so ends within one loop
 * iteration, its worker is free again, and no other run notices.
 *
 * A function whose instructions are not all known to the decoder (wasm_grow.ts) is left as
 * it was; the engine then still retires a process whose run does not stop.
 *
 * @module
 */

import { rewriteBodies, rewriteInstructions } from "./wasm_grow.ts";
import {
  appendEntries,
  concatBytes,
  placeSection,
  Reader,
  readSections,
  SectionId,
  writeLeb,
  writeName,
  writeSections,
} from "./wasm_sections.ts";

/** The export of the shared memory whose first byte stops the program. */
export const INTERRUPT_EXPORT = "runno_interrupt";

const OP_LOOP = 0x03;
const SHARED_WITH_MAX = 0x03;
const EXPORT_MEMORY = 0x02;

/** `i32.const 0; i32.load8_u (memory 1); if; unreachable; end`: the check at each loop's start. */
function check(memory: number): Uint8Array {
  return new Uint8Array([
    0x41,
    0x00,
    0x2d,
    0x40,
    ...writeLeb(memory),
    0x00,
    0x04,
    0x40,
    0x00,
    0x0b,
  ]);
}

/** `binary` (which defines one memory) with the interrupt memory added and every loop checking it. */
export function addInterruptChecks(binary: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const sections = readSections(binary);
  const memory = sections.find((section) => section.id === SectionId.memory);
  if (memory === undefined || new Reader(memory.body, 0).u32() !== 1) {
    throw new RangeError("Cannot add interrupt checks: the module must define exactly one memory");
  }
  const index = 1;
  memory.body = appendEntries(memory.body, [[SHARED_WITH_MAX, 1, 1]]);
  placeSection(sections, {
    id: SectionId.export,
    body: appendEntries(sections.find((section) => section.id === SectionId.export)?.body, [
      [...writeName(INTERRUPT_EXPORT), EXPORT_MEMORY, ...writeLeb(index)],
    ]),
  });
  const code = sections.find((section) => section.id === SectionId.code);
  if (code !== undefined) code.body = checkLoops(code.body, check(index));
  return writeSections(binary.subarray(0, 8), sections);
}

/** The code section with `loopCheck` after every `loop`'s block type. */
function checkLoops(body: Uint8Array, loopCheck: Uint8Array): Uint8Array {
  return rewriteBodies(
    body,
    (code) =>
      rewriteInstructions(
        code,
        (op, instruction) => op === OP_LOOP ? concatBytes([instruction, loopCheck]) : undefined,
      ),
  );
}
