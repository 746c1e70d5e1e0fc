// Copyright the runno_mcp authors. MIT license.
// Guests built with wasi-vfs (the Python and Ruby binaries) route every WASI
// call through a shim; once its state is set up (always, early in _start) the
// shim answers poll_oneoff with ENOTSUP without asking the host, which is why
// Python's time.sleep and select.select raise OSError 58 on every host,
// wasmtime included. The shim's guard is
//
//   i32.const STATE; i32.load; i32.eqz; if; local.get 0..3;
//   call $poll_oneoff; br 1; end; ...; i32.const 58 (ENOTSUP)
//
// and `patchWasiVfsPoll` rewrites `i32.load; i32.eqz` (4 bytes) into
// `drop; i32.const 1; nop` (4 bytes), so the call always reaches our
// poll_oneoff. Nothing else in the module changes.

const PREVIEW1 = "wasi_snapshot_preview1";

function readLeb(bytes: Uint8Array, at: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) throw new RangeError("Cannot read LEB128: truncated");
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [result, at];
  }
}

function encodeLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/** Index of the imported function `module.name`, or undefined. */
function importedFunctionIndex(
  bytes: Uint8Array,
  module: string,
  name: string,
): number | undefined {
  const decoder = new TextDecoder();
  let at = 8;
  while (at < bytes.byteLength) {
    const id = bytes[at++];
    let size: number;
    [size, at] = readLeb(bytes, at);
    const end = at + size;
    if (id === 2) {
      let count: number;
      [count, at] = readLeb(bytes, at);
      let functionIndex = 0;
      for (let i = 0; i < count; i++) {
        let len: number;
        [len, at] = readLeb(bytes, at);
        const mod = decoder.decode(bytes.subarray(at, at + len));
        at += len;
        [len, at] = readLeb(bytes, at);
        const field = decoder.decode(bytes.subarray(at, at + len));
        at += len;
        const kind = bytes[at++];
        if (kind === 0) {
          if (mod === module && field === name) return functionIndex;
          functionIndex++;
          [, at] = readLeb(bytes, at);
        } else if (kind === 1) {
          at++; // reftype
          const flags = bytes[at++] ?? 0;
          [, at] = readLeb(bytes, at);
          if (flags & 1) [, at] = readLeb(bytes, at);
        } else if (kind === 2) {
          const flags = bytes[at++] ?? 0;
          [, at] = readLeb(bytes, at);
          if (flags & 1) [, at] = readLeb(bytes, at);
        } else if (kind === 3) {
          at += 2;
        } else {
          return undefined;
        }
      }
      return undefined;
    }
    at = end;
  }
  return undefined;
}

function indexOf(bytes: Uint8Array, pattern: number[], from: number): number {
  const first = pattern[0]!;
  for (let i = bytes.indexOf(first, from); i >= 0; i = bytes.indexOf(first, i + 1)) {
    let match = true;
    for (let j = 1; j < pattern.length; j++) {
      if (bytes[i + j] !== pattern[j]) {
        match = false;
        break;
      }
    }
    if (match) return i;
  }
  return -1;
}

/**
 * A copy of `bytes` whose wasi-vfs poll_oneoff shim always calls the host,
 * or undefined when the module has no such shim (then use it unchanged).
 */
export function patchWasiVfsPoll(
  bytes: Uint8Array,
): Uint8Array<ArrayBuffer> | undefined {
  const index = importedFunctionIndex(bytes, PREVIEW1, "poll_oneoff");
  if (index === undefined) return undefined;
  // i32.load 2 0; i32.eqz; if; local.get 0..3; call idx; br 1; end
  const guard = [
    0x28,
    0x02,
    0x00,
    0x45,
    0x04,
    0x40,
    0x20,
    0x00,
    0x20,
    0x01,
    0x20,
    0x02,
    0x20,
    0x03,
    0x10,
    ...encodeLeb(index),
    0x0c,
    0x01,
    0x0b,
  ];
  const at = indexOf(bytes, guard, 0);
  if (at < 0 || indexOf(bytes, guard, at + 1) >= 0) return undefined;
  // The fallback must be the shim's ENOTSUP (local.get N; i32.const 58).
  const tail = at + guard.length;
  if (bytes[tail] !== 0x20 || bytes[tail + 2] !== 0x41 || bytes[tail + 3] !== 58) {
    return undefined;
  }
  const patched = bytes.slice();
  patched.set([0x1a, 0x41, 0x01, 0x01], at); // drop; i32.const 1; nop
  return WebAssembly.validate(patched) ? patched : undefined;
}
