/**
 * Builds small WebAssembly binaries byte by byte, for the tests of the modules that read
 * and rewrite them.
 *
 * @module
 */

/** A module of `sections` ([id, body bytes]), each size written as one LEB byte. */
export function assemble(...sections: [number, number[]][]): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...sections.flatMap(([id, body]) => [id, ...leb(body.length), ...body]),
  ]);
}

/** A name: its length, then its UTF-8 bytes. */
export function name(text: string): number[] {
  const bytes = new TextEncoder().encode(text);
  return [...leb(bytes.length), ...bytes];
}

/** The unsigned LEB128 encoding of `value`. */
export function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}
