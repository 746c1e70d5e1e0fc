/**
 * Builds small WebAssembly binaries byte by byte, for the tests of the modules that read
 * and rewrite them.
 *
 * @module
 */

import { writeLeb } from "./wasm_sections.ts";

/** The unsigned LEB128 encoding of `value`. */
export const leb = writeLeb;

/** A module of `sections` ([id, body bytes]). */
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
