/**
 * Caps a module's linear memory by rewriting the maximum in its memory section, so
 * `memory.grow` past the cap fails inside the guest (malloc returns NULL, Python raises
 * MemoryError) instead of growing the engine.
 *
 * @module
 */

/** Bytes in one WebAssembly page. */
export const PAGE_BYTES = 65536;

const MEMORY_SECTION = 5;

/** Thrown when a module cannot start under the cap at all. */
export class MemoryCapError extends Error {}

/** Returns a copy of `binary` whose defined memories grow to at most `maxPages`. */
export function capMemory(binary: Uint8Array, maxPages: number): Uint8Array<ArrayBuffer> {
  let offset = 8; // magic + version
  while (offset < binary.length) {
    const sectionStart = offset;
    const id = binary[offset++]!;
    const [size, sizeBytes] = readLeb(binary, offset);
    offset += sizeBytes;
    const bodyStart = offset;
    const bodyEnd = bodyStart + size;
    if (id === MEMORY_SECTION) {
      const body = rewriteMemorySection(binary.subarray(bodyStart, bodyEnd), maxPages);
      const header = [MEMORY_SECTION, ...writeLeb(body.length)];
      const out = new Uint8Array(
        sectionStart + header.length + body.length + (binary.length - bodyEnd),
      );
      out.set(binary.subarray(0, sectionStart), 0);
      out.set(header, sectionStart);
      out.set(body, sectionStart + header.length);
      out.set(binary.subarray(bodyEnd), sectionStart + header.length + body.length);
      return out;
    }
    offset = bodyEnd;
  }
  return new Uint8Array(binary);
}

function rewriteMemorySection(body: Uint8Array, maxPages: number): Uint8Array {
  let offset = 0;
  const [count, countBytes] = readLeb(body, offset);
  offset += countBytes;
  const out: number[] = [...writeLeb(count)];
  for (let i = 0; i < count; i++) {
    const flags = body[offset++]!;
    if (flags & 0x04) throw new MemoryCapError("Cannot cap a 64-bit memory");
    const [min, minBytes] = readLeb(body, offset);
    offset += minBytes;
    let max = maxPages;
    if (flags & 0x01) {
      const [declared, maxBytes] = readLeb(body, offset);
      offset += maxBytes;
      max = Math.min(declared, maxPages);
    }
    if (min > max) {
      throw new MemoryCapError(
        `Cannot start the program: it needs ${
          Math.ceil((min * PAGE_BYTES) / 2 ** 20)
        } MB of memory to start, over memory_limit_mb`,
      );
    }
    out.push((flags & 0x02) | 0x01, ...writeLeb(min), ...writeLeb(max));
  }
  out.push(...body.subarray(offset));
  return new Uint8Array(out);
}

function readLeb(bytes: Uint8Array, offset: number): [number, number] {
  let result = 0;
  let shift = 0;
  let read = 0;
  while (true) {
    const byte = bytes[offset + read++]!;
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [result, read];
  }
}

function writeLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}
