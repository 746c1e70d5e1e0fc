// Copyright the runno_mcp authors. MIT license.
/**
 * Our WASI preview1 (and preview0, `wasi_unstable`) host over an in-memory
 * filesystem with real directories and inodes.
 *
 * @module
 */

export { MemoryFs } from "./fs.ts";
export type { AddFileOptions, FsEntry, FsSnapshot, MemoryFsOptions } from "./fs.ts";
export { ProcExit, Wasi } from "./wasi.ts";
export type { Preopen, WasiOptions } from "./wasi.ts";
export { patchWasiVfsPoll } from "./wasi_vfs.ts";
