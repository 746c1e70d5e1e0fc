// Copyright the runno_mcp authors. MIT license.
// Helpers for the tests beside this file: a tiny tar.gz reader and a runner.

import { MemoryFs, Wasi } from "./mod.ts";

/** Folder with language binaries for manual checks (may be absent). */
export const LANGS_DIR = "/work/langs-dev";

/** Whether a file exists (needs --allow-read). */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error: unknown) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
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
  },
): Promise<RunResult> {
  let module = moduleCache.get(path);
  if (module === undefined) {
    module = await WebAssembly.compile(await Deno.readFile(path));
    moduleCache.set(path, module);
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
