// Copyright the runno_mcp authors. MIT license.
// Access to the guest's linear memory: strings, iovecs and WASI structs.

import type { Fdstat, Filestat } from "./fd.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Views on a WebAssembly memory that follow its growth. */
export class GuestMemory {
  readonly #memory: WebAssembly.Memory;
  #buffer: ArrayBufferLike | undefined;
  #view: DataView | undefined;
  #bytes: Uint8Array | undefined;

  constructor(memory: WebAssembly.Memory) {
    this.#memory = memory;
  }

  #refresh(): void {
    const buffer = this.#memory.buffer;
    if (buffer !== this.#buffer) {
      this.#buffer = buffer;
      this.#view = new DataView(buffer);
      this.#bytes = new Uint8Array(buffer);
    }
  }

  /** A DataView over the whole memory. */
  get view(): DataView {
    this.#refresh();
    return this.#view!;
  }

  /** A byte view over the whole memory. */
  get bytes(): Uint8Array {
    this.#refresh();
    return this.#bytes!;
  }

  /** A view of `len` bytes at `ptr`; throws RangeError when out of bounds. */
  slice(ptr: number, len: number): Uint8Array {
    const bytes = this.bytes;
    if (ptr + len > bytes.byteLength) {
      throw new RangeError(`Cannot access guest memory: ${ptr}+${len} is out of bounds`);
    }
    return bytes.subarray(ptr, ptr + len);
  }

  /** Decodes a UTF-8 string; undefined when it is not valid UTF-8. */
  string(ptr: number, len: number): string | undefined {
    const bytes = this.slice(ptr, len);
    // Paths are short and mostly ASCII: skip the decoder for those.
    if (len <= 256) {
      let ascii = "";
      let i = 0;
      for (; i < len; i++) {
        const byte = bytes[i]!;
        if (byte >= 0x80) break;
        ascii += String.fromCharCode(byte);
      }
      if (i === len) return ascii;
    }
    try {
      return decoder.decode(bytes);
    } catch (error: unknown) {
      if (error instanceof TypeError) return undefined;
      throw error;
    }
  }

  /** The buffers an iovec/ciovec array points at, as views into memory. */
  iovecs(ptr: number, count: number): Uint8Array[] {
    const view = this.view;
    const out: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const buf = view.getUint32(ptr + i * 8, true);
      const len = view.getUint32(ptr + i * 8 + 4, true);
      out.push(this.slice(buf, len));
    }
    return out;
  }

  /** Writes a u32. */
  u32(ptr: number, value: number): void {
    this.view.setUint32(ptr, value, true);
  }

  /** Writes a u64. */
  u64(ptr: number, value: bigint): void {
    this.view.setBigUint64(ptr, BigInt.asUintN(64, value), true);
  }

  /** Writes an fdstat (24 bytes). */
  fdstat(ptr: number, stat: Fdstat): void {
    const view = this.view;
    view.setUint8(ptr, stat.filetype);
    view.setUint8(ptr + 1, 0);
    view.setUint16(ptr + 2, stat.flags, true);
    view.setUint32(ptr + 4, 0, true);
    view.setBigUint64(ptr + 8, stat.rightsBase, true);
    view.setBigUint64(ptr + 16, stat.rightsInheriting, true);
  }

  /** Writes a preview1 filestat (64 bytes). */
  filestat(ptr: number, stat: Filestat): void {
    const view = this.view;
    this.slice(ptr, 64).fill(0);
    view.setBigUint64(ptr, stat.dev, true);
    view.setBigUint64(ptr + 8, stat.ino, true);
    view.setUint8(ptr + 16, stat.filetype);
    view.setBigUint64(ptr + 24, stat.nlink, true);
    view.setBigUint64(ptr + 32, stat.size, true);
    view.setBigUint64(ptr + 40, stat.atim, true);
    view.setBigUint64(ptr + 48, stat.mtim, true);
    view.setBigUint64(ptr + 56, stat.ctim, true);
  }

  /** Writes a preview0 filestat (56 bytes, nlink is u32). */
  filestat0(ptr: number, stat: Filestat): void {
    const view = this.view;
    this.slice(ptr, 56).fill(0);
    view.setBigUint64(ptr, stat.dev, true);
    view.setBigUint64(ptr + 8, stat.ino, true);
    view.setUint8(ptr + 16, stat.filetype);
    view.setUint32(ptr + 20, Number(stat.nlink & 0xffffffffn), true);
    view.setBigUint64(ptr + 24, stat.size, true);
    view.setBigUint64(ptr + 32, stat.atim, true);
    view.setBigUint64(ptr + 40, stat.mtim, true);
    view.setBigUint64(ptr + 48, stat.ctim, true);
  }
}
