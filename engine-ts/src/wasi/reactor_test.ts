// Copyright the runno_mcp authors. MIT license.
// Reactors and further preopens, on a module assembled here: `_initialize` stores 7, and `run`
// returns 7 * 100 + the errno of fd_prestat_get(4) + what host.call answers.

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { MemoryFs, Wasi } from "./mod.ts";

const encoder = new TextEncoder();

function name(text: string): number[] {
  const bytes = [...encoder.encode(text)];
  return [bytes.length, ...bytes];
}

function section(id: number, ...items: number[][]): number[] {
  const body = [items.length, ...items.flat()];
  return [id, body.length, ...body];
}

function reactorModule(): WebAssembly.Module {
  const I32 = 0x7f;
  const types = section(
    1,
    [0x60, 2, I32, I32, 1, I32], // fd_prestat_get
    [0x60, 0, 0], // _initialize
    [0x60, 0, 1, I32], // run
    [0x60, 4, I32, I32, I32, I32, 1, I32], // host.call
  );
  const imports = section(
    2,
    [...name("wasi_snapshot_preview1"), ...name("fd_prestat_get"), 0x00, 0],
    [...name("host"), ...name("call"), 0x00, 3],
  );
  const functions = section(3, [1], [2]);
  const memory = section(5, [0x00, 1]);
  const exports = section(
    7,
    [...name("memory"), 0x02, 0],
    [...name("_initialize"), 0x00, 2],
    [...name("run"), 0x00, 3],
  );
  const initialize = [0, 0x41, 0, 0x41, 7, 0x36, 2, 0, 0x0b];
  const run = [
    0, // no locals
    ...[0x41, 0, 0x28, 2, 0], // load the 7 _initialize stored
    ...[0x41, 0xe4, 0x00, 0x6c], // * 100
    ...[0x41, 4, 0x41, 16, 0x10, 0, 0x6a], // + fd_prestat_get(4, 16)
    ...[0x41, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0x10, 1, 0x6a], // + host.call(0, 0, 0, 0)
    0x0b,
  ];
  const code = section(10, [initialize.length, ...initialize], [run.length, ...run]);
  const bytes = new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...types,
    ...imports,
    ...functions,
    ...memory,
    ...exports,
    ...code,
  ]);
  return new WebAssembly.Module(bytes);
}

function start(wasi: Wasi): { code: number; memory: Uint8Array } {
  const module = reactorModule();
  const imports = { ...wasi.getImports(module), host: { call: () => -1 } };
  const instance = new WebAssembly.Instance(module, imports);
  const code = wasi.start(instance, "run");
  const memory = new Uint8Array((instance.exports.memory as WebAssembly.Memory).buffer);
  return { code, memory };
}

function wasiOver(fs: MemoryFs, preopens: { guestPath: string; fsPath: string }[]): Wasi {
  return new Wasi({
    args: ["r"],
    env: {},
    fs,
    preopens,
    stdin: new Uint8Array(0),
    onOutput: () => {},
  });
}

Deno.test("a reactor runs _initialize, then the named export, whose result is the exit code", () => {
  const fs = new MemoryFs();
  fs.addDirectory("/data/inner");
  const { code, memory } = start(wasiOver(fs, [{ guestPath: "/zip/data", fsPath: "/data/inner" }]));
  assertEquals(code, 700 + 0 - 1);
  // fd_prestat_get wrote a directory tag (0) and the name's length.
  assertEquals([memory[16], memory[20]], [0, "/zip/data".length]);
});

Deno.test("without a further preopen, fd 4 is EBADF", () => {
  const { code } = start(wasiOver(new MemoryFs(), []));
  assertEquals(code, 700 + 8 - 1);
});

Deno.test("a preopen of a missing directory is refused when the host is built", () => {
  let message = "";
  try {
    wasiOver(new MemoryFs(), [{ guestPath: "/x", fsPath: "/nowhere" }]);
  } catch (err) {
    message = (err as Error).message;
  }
  assertEquals(message, 'Cannot preopen "/nowhere": no such directory');
});
