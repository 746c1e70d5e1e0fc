/**
 * Makes a module's data segments passive, written by an exported function instead of by
 * instantiation. A run restored from a snapshot overwrites memory anyway, and CPython's
 * segments cost 5 ms of every `new WebAssembly.Instance`; a run that boots calls
 * `INIT_DATA_EXPORT` first (worker_run.ts), which writes them exactly as instantiation would
 * have, then drops them.
 *
 * @module
 */

import { countImports } from "./wasm_grow.ts";
import {
  appendEntries,
  concatBytes,
  placeSection,
  Reader,
  readSections,
  type Section,
  SectionId,
  writeLeb,
  writeName,
  writeSections,
} from "./wasm_sections.ts";

/** The export that writes a derived module's data segments into its memory. */
export const INIT_DATA_EXPORT = "runno_init_data";

const I32_CONST = 0x41;
const END = 0x0b;
const MISC = 0xfc;
const MEMORY_INIT = 0x08;
const DATA_DROP = 0x09;
const FUNC_TYPE = 0x60;
const EXPORT_FUNC = 0x00;

/**
 * A data segment: active in memory 0 at a constant offset (what a C toolchain emits), or passive
 * already (`offset` undefined: the module writes it itself, as python-sci's does).
 */
interface Segment {
  offset: number | undefined;
  bytes: Uint8Array;
}

/** `binary` with every data segment passive and `INIT_DATA_EXPORT` writing them; unchanged without any. */
export function passiveData(binary: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const sections = readSections(binary);
  const data = sections.find((section) => section.id === SectionId.data);
  if (data === undefined) return binary;
  const segments = readSegments(data.body);
  if (segments.every((segment) => segment.offset === undefined)) return binary;

  const typeIndex = vectorCount(sections, SectionId.type);
  const functionIndex =
    countImports(sections.find((section) => section.id === SectionId.import)?.body).functions +
    vectorCount(sections, SectionId.function);
  const body: number[] = [0]; // no locals
  segments.forEach((segment, index) => {
    if (segment.offset === undefined) return;
    body.push(I32_CONST, ...writeSleb(segment.offset), I32_CONST, 0);
    body.push(I32_CONST, ...writeSleb(segment.bytes.length));
    body.push(MISC, MEMORY_INIT, ...writeLeb(index), 0);
    body.push(MISC, DATA_DROP, ...writeLeb(index));
  });
  body.push(END);

  const replace = (id: number, entries: number[][]) => {
    placeSection(sections, {
      id,
      body: appendEntries(sections.find((section) => section.id === id)?.body, entries),
    });
  };
  replace(SectionId.type, [[FUNC_TYPE, 0, 0]]);
  replace(SectionId.function, [writeLeb(typeIndex)]);
  replace(SectionId.export, [[
    ...writeName(INIT_DATA_EXPORT),
    EXPORT_FUNC,
    ...writeLeb(functionIndex),
  ]]);
  replace(SectionId.code, [[...writeLeb(body.length), ...body]]);
  placeSection(sections, {
    id: SectionId.dataCount,
    body: new Uint8Array(writeLeb(segments.length)),
  });
  placeSection(sections, { id: SectionId.data, body: passiveSegments(segments) });
  return writeSections(binary.subarray(0, 8), sections);
}

/** A data section of `segments`, each passive. Segments run to megabytes: copied, never spread. */
function passiveSegments(segments: Segment[]): Uint8Array {
  const heads = segments.map((segment) => [1, ...writeLeb(segment.bytes.length)]);
  const count = writeLeb(segments.length);
  return concatBytes([
    new Uint8Array(count),
    ...segments.flatMap((segment, index) => [new Uint8Array(heads[index]!), segment.bytes]),
  ]);
}

function readSegments(body: Uint8Array): Segment[] {
  const reader = new Reader(body, 0);
  const count = reader.u32();
  const segments: Segment[] = [];
  for (let index = 0; index < count; index++) {
    const flags = reader.u32();
    if (flags === 1) {
      segments.push({ offset: undefined, bytes: reader.take(reader.u32()) });
      continue;
    }
    if (flags !== 0) {
      throw new RangeError(
        `Cannot make data segment ${index} passive: it is active in another memory (flags ${flags})`,
      );
    }
    if (reader.byte() !== I32_CONST) {
      throw new RangeError(
        `Cannot make data segment ${index} passive: its offset is not a constant`,
      );
    }
    const offset = readSleb(reader);
    if (reader.byte() !== END) {
      throw new RangeError(
        `Cannot make data segment ${index} passive: its offset is not a constant`,
      );
    }
    segments.push({ offset, bytes: reader.take(reader.u32()) });
  }
  return segments;
}

function vectorCount(sections: Section[], id: number): number {
  const section = sections.find((candidate) => candidate.id === id);
  return section === undefined ? 0 : new Reader(section.body, 0).u32();
}

function readSleb(reader: Reader): number {
  let result = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = reader.byte();
    result |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80 && shift < 35);
  if (shift < 32 && byte & 0x40) result |= -1 << shift;
  return result >>> 0; // an i32 address
}

/** The signed LEB128 encoding of the i32 `value` (an address, so taken as unsigned bits). */
function writeSleb(value: number): number[] {
  let remaining = value | 0;
  const out: number[] = [];
  while (true) {
    const byte = remaining & 0x7f;
    remaining >>= 7;
    const done = (remaining === 0 && (byte & 0x40) === 0) ||
      (remaining === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}
