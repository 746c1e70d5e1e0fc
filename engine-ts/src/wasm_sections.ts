/**
 * Reads and writes the parts of a WebAssembly binary that wasm_memory.ts and wasm_grow.ts
 * rewrite: its sections, LEB128 numbers, and vectors of entries.
 *
 * @module
 */

/** Thrown when a binary ends inside a section, a number or an instruction. */
export class TruncatedError extends RangeError {}

/** One section of a module: its id and its body (without the id and size). */
export interface Section {
  id: number;
  body: Uint8Array;
}

/** Section ids, in the order the binary format requires (custom sections go anywhere). */
export const SectionId = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
  tag: 13,
} as const;

const ORDER: number[] = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

/** The sections of `binary`, in order; the 8-byte header is not included. */
export function readSections(binary: Uint8Array): Section[] {
  const sections: Section[] = [];
  const reader = new Reader(binary, 8); // magic + version
  while (!reader.done) {
    const id = reader.byte();
    const size = reader.u32();
    sections.push({ id, body: reader.take(size) });
  }
  return sections;
}

/** The module made of `header` (magic and version) and `sections`. */
export function writeSections(header: Uint8Array, sections: Section[]): Uint8Array<ArrayBuffer> {
  const heads = sections.map((section) => [section.id, ...writeLeb(section.body.length)]);
  const size = sections.reduce(
    (total, section, index) => total + heads[index]!.length + section.body.length,
    header.length,
  );
  const out = new Uint8Array(size);
  out.set(header, 0);
  let offset = header.length;
  sections.forEach((section, index) => {
    out.set(heads[index]!, offset);
    offset += heads[index]!.length;
    out.set(section.body, offset);
    offset += section.body.length;
  });
  return out;
}

/** Puts `section` in its place among `sections`: replacing one of its id, else in order. */
export function placeSection(sections: Section[], section: Section): void {
  const existing = sections.findIndex((other) => other.id === section.id);
  if (existing !== -1) {
    sections[existing] = section;
    return;
  }
  const rank = ORDER.indexOf(section.id);
  const after = sections.findIndex((other) => ORDER.indexOf(other.id) > rank);
  sections.splice(after === -1 ? sections.length : after, 0, section);
}

/** A vector section's body with `entries` (each already encoded) added at its end. */
export function appendEntries(body: Uint8Array | undefined, entries: number[][]): Uint8Array {
  let count = 0;
  let rest: Uint8Array = new Uint8Array(0);
  if (body !== undefined) {
    const reader = new Reader(body, 0);
    count = reader.u32();
    rest = body.subarray(reader.offset);
  }
  const added = entries.flat();
  const head = writeLeb(count + entries.length);
  const out = new Uint8Array(head.length + rest.length + added.length);
  out.set(head, 0);
  out.set(rest, head.length);
  out.set(added, head.length + rest.length);
  return out;
}

/** A cursor over bytes that reads the binary format's numbers. */
export class Reader {
  constructor(readonly bytes: Uint8Array, public offset: number) {}

  /** Whether every byte was read. */
  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  /** The next byte. */
  byte(): number {
    const byte = this.bytes[this.offset++];
    if (byte === undefined) throw new TruncatedError("Cannot read past the end of the binary");
    return byte;
  }

  /** The next unsigned LEB128 number (exact up to 2^53). */
  u32(): number {
    let result = 0;
    let shift = 0;
    while (true) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if ((byte & 0x80) === 0) return result;
    }
  }

  /** Moves past one LEB128 number, signed or not. */
  skipLeb(): void {
    while (this.byte() & 0x80) { /* continuation byte */ }
  }

  /** Moves past `count` bytes. */
  skip(count: number): void {
    if (this.offset + count > this.bytes.length) {
      throw new TruncatedError("Cannot read past the end of the binary");
    }
    this.offset += count;
  }

  /** The next `count` bytes, not copied. */
  take(count: number): Uint8Array {
    const start = this.offset;
    this.skip(count);
    return this.bytes.subarray(start, this.offset);
  }

  /** Moves past a name (a length and that many bytes). */
  skipName(): void {
    this.skip(this.u32());
  }
}

/** `chunks` one after another in one array. */
export function concatBytes(chunks: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** The unsigned LEB128 encoding of `value`. */
export function writeLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/** The encoding of `text` as a name: its UTF-8 length, then its bytes. */
export function writeName(text: string): number[] {
  const bytes = new TextEncoder().encode(text);
  return [...writeLeb(bytes.length), ...bytes];
}
