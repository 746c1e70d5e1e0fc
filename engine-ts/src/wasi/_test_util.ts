// Copyright the runno_mcp authors. MIT license.
// Helpers for the tests beside this file: a tiny tar.gz reader and a runner.

import { type Abi, PREVIEW1 } from "./abi.ts";
import { RIGHTS_DIRECTORY, RIGHTS_DIRECTORY_INHERITING } from "./constants.ts";
import { DirFd } from "./dir_fd.ts";
import type { Fd } from "./fd.ts";
import { GuestMemory } from "./memory.ts";
import { MemoryFs, Wasi } from "./mod.ts";
import { Stdio } from "./stdio_fd.ts";
import { Syscalls } from "./syscalls.ts";
import { patchWasiVfsPoll } from "./wasi_vfs.ts";

/** Folder with language binaries: RUNNO_MCP_LANGS_DIR, else the development folder (may be absent). */
export const LANGS_DIR = langsDirFromEnv() ?? "/work/langs-dev";

function langsDirFromEnv(): string | undefined {
  try {
    return Deno.env.get("RUNNO_MCP_LANGS_DIR") || undefined;
  } catch {
    return undefined; // no --allow-env: the default folder
  }
}

/** Whether a file exists and may be read. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false; // missing, or not readable with this run's permissions
  }
}

/** Reads a .tar.gz and returns its regular files and directories. */
export async function readTarGz(
  path: string,
): Promise<{ files: Map<string, Uint8Array>; dirs: string[] }> {
  const file = await Deno.open(path);
  const stream = file.readable.pipeThrough(new DecompressionStream("gzip"));
  const tar = new Uint8Array(await new Response(stream).arrayBuffer());
  const files = new Map<string, Uint8Array>();
  const dirs: string[] = [];
  const decoder = new TextDecoder();
  let longName: string | undefined;
  for (let at = 0; at + 512 <= tar.byteLength;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number) =>
      decoder.decode(header.subarray(start, start + len)).replace(/\0.*$/s, "");
    let name = field(0, 100);
    const prefix = field(345, 155);
    if (prefix) name = `${prefix}/${name}`;
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const body = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") {
      longName = decoder.decode(body).replace(/\0.*$/s, "");
      continue;
    }
    if (longName !== undefined) {
      name = longName;
      longName = undefined;
    }
    if (type === "0" || type === "\0") files.set(`/${name}`, body);
    else if (type === "5") dirs.push(`/${name}`);
  }
  return { files, dirs };
}

/** Output of `runWasm`. */
export interface RunResult {
  /** Exit code. */
  code: number;
  /** stdout bytes decoded as UTF-8. */
  stdout: string;
  /** stderr bytes decoded as UTF-8. */
  stderr: string;
  /** Milliseconds spent in `_start`. */
  ms: number;
}

const moduleCache = new Map<string, WebAssembly.Module>();

/** Compiles (once) and runs a .wasm file over `fs`. */
export async function runWasm(
  path: string,
  options: {
    args: string[];
    fs: MemoryFs;
    env?: Record<string, string>;
    stdin?: Uint8Array;
    /** Apply `patchWasiVfsPoll` before compiling. */
    patchPoll?: boolean;
  },
): Promise<RunResult> {
  const key = `${path}${options.patchPoll ? "#patched" : ""}`;
  let module = moduleCache.get(key);
  if (module === undefined) {
    let bytes = await Deno.readFile(path);
    if (options.patchPoll) bytes = patchWasiVfsPoll(bytes) ?? bytes;
    module = await WebAssembly.compile(bytes);
    moduleCache.set(key, module);
  }
  const chunks: Record<1 | 2, Uint8Array[]> = { 1: [], 2: [] };
  const wasi = new Wasi({
    args: options.args,
    env: options.env ?? {},
    fs: options.fs,
    stdin: options.stdin ?? new Uint8Array(0),
    onOutput(fd, bytes) {
      chunks[fd].push(bytes);
    },
  });
  const instance = await WebAssembly.instantiate(module, wasi.getImports(module));
  const t0 = performance.now();
  const code = wasi.start(instance);
  const ms = performance.now() - t0;
  const decode = (parts: Uint8Array[]) => new TextDecoder().decode(concat(parts));
  return { code, stdout: decode(chunks[1]), stderr: decode(chunks[2]), ms };
}

/** Concatenates byte arrays. */
export function concat(parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const part of parts) size += part.byteLength;
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** A MemoryFs holding a tarball's files as shared views. */
export async function fsFromTarGz(path: string): Promise<MemoryFs> {
  const { files, dirs } = await readTarGz(path);
  const fs = new MemoryFs();
  for (const dir of dirs) fs.addDirectory(dir);
  for (const [name, content] of files) fs.addFile(name, content, { shared: true });
  return fs;
}

/** A syscall table over a fresh memory, for unit tests without a guest. */
export interface Harness {
  /** The syscalls (preview1 unless asked otherwise). */
  sys: Syscalls;
  /** Guest memory. */
  mem: GuestMemory;
  /** The fd table. */
  fds: Map<number, Fd>;
  /** Every onOutput call, in order. */
  outputs: { fd: 1 | 2; bytes: Uint8Array }[];
  /** Writes `text` as UTF-8 at a fresh address; returns [ptr, len]. */
  str(text: string): [number, number];
  /** Reserves `size` zeroed bytes; returns the address. */
  alloc(size: number): number;
  /** Writes an iovec array for `buffers` (each copied into memory); returns [ptr, count]. */
  iovs(buffers: Uint8Array[]): [number, number];
  /** Reads a u32. */
  u32(ptr: number): number;
  /** Reads a u64. */
  u64(ptr: number): bigint;
}

/** Builds a `Harness` with stdio, `fs` preopened as "/" (fd 3). */
export function harness(
  fs: MemoryFs,
  options: { stdin?: Uint8Array; abi?: Abi } = {},
): Harness {
  const memory = new GuestMemory(new WebAssembly.Memory({ initial: 4 }));
  const outputs: { fd: 1 | 2; bytes: Uint8Array }[] = [];
  const fds = new Map<number, Fd>();
  const stdio = new Stdio({
    stdin: options.stdin ?? new Uint8Array(0),
    onOutput: (fd, bytes) => outputs.push({ fd, bytes }),
    tty: false,
  });
  stdio.fds().forEach((fd, number) => fds.set(number, fd));
  fds.set(
    3,
    new DirFd(fs.root, {
      rightsBase: RIGHTS_DIRECTORY,
      rightsInheriting: RIGHTS_DIRECTORY_INHERITING,
      preopen: "/",
      devices: stdio,
    }),
  );
  const sys = new Syscalls(
    { args: [], env: [], fds, memory: () => memory },
    options.abi ?? PREVIEW1,
  );
  let next = 1024;
  function alloc(size: number): number {
    const ptr = next;
    next += Math.ceil(size / 8) * 8 + 8;
    memory.slice(ptr, size).fill(0);
    return ptr;
  }
  function str(text: string): [number, number] {
    const bytes = new TextEncoder().encode(text);
    const ptr = alloc(bytes.byteLength);
    memory.slice(ptr, bytes.byteLength).set(bytes);
    return [ptr, bytes.byteLength];
  }
  function iovs(buffers: Uint8Array[]): [number, number] {
    const table = alloc(buffers.length * 8);
    buffers.forEach((buffer, i) => {
      const ptr = alloc(buffer.byteLength);
      memory.slice(ptr, buffer.byteLength).set(buffer);
      memory.u32(table + i * 8, ptr);
      memory.u32(table + i * 8 + 4, buffer.byteLength);
    });
    return [table, buffers.length];
  }
  return {
    sys,
    mem: memory,
    fds,
    outputs,
    str,
    alloc,
    iovs,
    u32: (ptr) => memory.view.getUint32(ptr, true),
    u64: (ptr) => memory.view.getBigUint64(ptr, true),
  };
}

/** Throws unless `actual` and `expected` serialize the same (bigints allowed). */
export function assertEquals(actual: unknown, expected: unknown, message = ""): void {
  const show = (value: unknown) =>
    JSON.stringify(value, (_k, v) => typeof v === "bigint" ? `${v}n` : v);
  if (show(actual) !== show(expected)) {
    throw new Error(
      `Values are not equal${message ? ` (${message})` : ""}: ${show(actual)} !== ${
        show(expected)
      }`,
    );
  }
}
