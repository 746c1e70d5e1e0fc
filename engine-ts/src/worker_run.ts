/**
 * What every kind of run does inside its worker: build the filesystem, run a step's module
 * with our WASI under the memory cap, forward output up to the cap, and turn the end of the
 * program into the `done` message (files changed or deleted, what the caps dropped).
 *
 * @module
 */

/// <reference lib="deno.worker" />

import type { BaseFs } from "./base_fs.ts";
import type { PrepareRole } from "./protocol.ts";
import { type FsEntry, type FsSnapshot, MemoryFs, ProcExit, Wasi } from "./wasi/mod.ts";
import { checkFeatures, FeatureError } from "./wasm_features.ts";
import { INIT_DATA_EXPORT } from "./wasm_passive_data.ts";
import { INTERRUPT_EXPORT } from "./wasm_interrupt.ts";
import { interruptSleepsWith } from "./wasi/clock.ts";
import { assertCapped, capMemory, hitMemoryLimit, MemoryCapError, pagesOf } from "./wasm_memory.ts";
import type {
  JobFile,
  JobInput,
  JobStep,
  OmittedFiles,
  ResultFile,
  WorkerMessage,
} from "./worker_messages.ts";

/** The `done` message of a run. */
export type Outcome = Extract<WorkerMessage, { type: "done" }>;

/** Posts `message` to the main thread. */
export function post(message: WorkerMessage): void {
  self.postMessage(message);
}

/** Forwards output to the main thread up to the cap, counting what it drops. */
export class OutputSink {
  readonly #budget: { stdout: number; stderr: number };
  readonly dropped = { stdout: 0, stderr: 0 };

  constructor(maxBytes: number) {
    this.#budget = { stdout: maxBytes, stderr: maxBytes };
  }

  /** Forwards what fits under the cap of `fd`'s stream; drops and counts the rest. */
  write(fd: 1 | 2, bytes: Uint8Array): void {
    const stream = fd === 1 ? "stdout" : "stderr";
    const keep = Math.min(bytes.length, this.#budget[stream]);
    if (keep < bytes.length) {
      if (this.dropped[stream] === 0) post({ type: "cut", fd });
      this.dropped[stream] += bytes.length - keep;
    }
    if (keep === 0) return;
    this.#budget[stream] -= keep;
    post({ type: "output", fd, bytes: keep === bytes.length ? bytes : bytes.slice(0, keep) });
  }
}

/** The filesystem as the program found it, to measure changed and deleted files against. */
export interface RunStart {
  before: FsSnapshot;
  /**
   * Paths of the regular files there at the start; empty when no files go back. Bounded: the
   * base filesystem, the call's files, and what earlier cells of a live run made (entry cap).
   */
  present: Set<string>;
}

/** Marks the start of the program in `fs`, after the run's files were written. */
export function markStart(fs: MemoryFs, input: JobInput): RunStart {
  // Listing every file costs a walk of the tree: skip it when the caller wants no files.
  return {
    before: fs.snapshot(),
    present: input.returnFs === "none" ? new Set() : fs.filePaths(),
  };
}

/**
 * Files, directories and links one run's program may create (ENOSPC past it). With the byte
 * budget, which also pays for their names, it bounds what a file flood makes the engine hold.
 */
export const MAX_GUEST_ENTRIES = 100_000;

/** Paths of omitted files named in the result's warning; the rest are only counted. */
const OMITTED_EXAMPLES = 5;

/** How a step ended. */
export interface StepResult {
  outcome: "complete" | "crash";
  exitCode: number | null;
  error: string | null;
}

/** Options of `finish`. */
export interface FinishOptions {
  result: StepResult;
  /** The prepare step (compile, link) that failed and ended the run before the program ran. */
  failedStep?: PrepareRole | null;
  fs: MemoryFs;
  start: RunStart;
  input: JobInput;
  sink: OutputSink;
  /** Folders of the engine's own whose files are never returned or listed as deleted. */
  hidden: string[];
  /** Whether the worker's interpreter waits for another cell after this one. */
  alive: boolean;
}

/** The `done` message for a run that ended with `result`. */
export function finish(options: FinishOptions): Outcome {
  const { result, fs, start, input, sink, hidden, alive } = options;
  const entries = input.returnFs === "none"
    ? []
    : returnOrder(fs, start.before, input.returnFs === "all", hidden);
  // Files come back in that order while both caps allow; the rest are counted, never held or sent.
  const files: ResultFile[] = [];
  const omitted: OmittedFiles = { files: 0, bytes: 0, examples: [] };
  let budget = input.maxReturnBytes;
  for (const file of entries) {
    const size = file.content.length;
    if (files.length >= input.maxReturnFiles || size > budget) {
      omitted.files += 1;
      omitted.bytes += size;
      if (omitted.examples.length < OMITTED_EXAMPLES) omitted.examples.push(file.path);
      continue;
    }
    budget -= size;
    files.push({ path: file.path, content: file.content, mtimeNs: file.mtimeNs });
  }
  const deleted = deletedSince(fs, start.present, hidden);
  return {
    type: "done",
    ...result,
    failedStep: options.failedStep ?? null,
    files,
    omitted,
    deleted,
    droppedBytes: sink.dropped,
    alive,
  };
}

/** The files a result offers, changed ones first, each group in path order; engine folders left out. */
function returnOrder(fs: MemoryFs, before: FsSnapshot, all: boolean, hidden: string[]): FsEntry[] {
  const byPath = (a: FsEntry, b: FsEntry) => a.path < b.path ? -1 : 1;
  const visible = (file: FsEntry) => !isHidden(file.path, hidden);
  const changed = fs.changedSince(before).filter(visible).sort(byPath);
  if (!all) return changed;
  const first = new Set(changed.map((file) => file.path));
  return [
    ...changed,
    ...fs.allFiles().filter((file) => visible(file) && !first.has(file.path)).sort(byPath),
  ];
}

function deletedSince(fs: MemoryFs, present: Set<string>, hidden: string[]): string[] {
  if (present.size === 0) return [];
  const now = fs.filePaths();
  return [...present].filter((path) => !now.has(path) && !isHidden(path, hidden)).sort();
}

/** A filesystem holding the base filesystems (shared, copied on write) and `scratchDirs`. */
export function buildFs(baseFs: BaseFs[], scratchDirs: string[], maxFsBytes: number): MemoryFs {
  const fs = new MemoryFs({ maxBytes: maxFsBytes, maxEntries: MAX_GUEST_ENTRIES });
  for (const base of baseFs) {
    for (const entry of base.entries) {
      if (entry.kind === "directory") fs.addDirectory(entry.path);
      else {
        fs.addFile(entry.path, new Uint8Array(base.buffer, entry.offset, entry.length), {
          shared: true,
          mtimeNs: entry.mtimeNs,
        });
      }
    }
  }
  for (const dir of scratchDirs) fs.addDirectory(dir);
  return fs;
}

/** Writes the run's files into `fs`. */
export function addFiles(fs: MemoryFs, files: JobFile[]): void {
  for (const file of files) {
    fs.addFile(
      file.path,
      file.content,
      file.mtimeNs === undefined ? {} : { mtimeNs: file.mtimeNs },
    );
  }
}

/** The WASI host of `step` over `fs`: its argv, env and preopens. */
export function createWasi(
  step: JobStep,
  fs: MemoryFs,
  stdin: Uint8Array,
  onOutput: (fd: 1 | 2, bytes: Uint8Array) => void,
): Wasi {
  return new Wasi({ args: step.argv, env: step.env, fs, preopens: step.preopens, stdin, onOutput });
}

/** `imports` plus an answer of -1 ("no host") for each of `step`'s stubbed host functions. */
function withStubs(step: JobStep, imports: WebAssembly.Imports): WebAssembly.Imports {
  for (const name of step.stubImports) {
    const dot = name.indexOf(".");
    const namespace = name.slice(0, dot);
    imports[namespace] = { ...imports[namespace], [name.slice(dot + 1)]: () => -1 };
  }
  return imports;
}

/** How `runStep` may change a step's instance. */
export interface StepHooks {
  /** Wraps the import object (the gate, a live driver's control calls, a rewind). */
  wrapImports?: (imports: WebAssembly.Imports) => WebAssembly.Imports;
  /** Sees the instance before its program starts. */
  onInstance?: (instance: WebAssembly.Instance) => void;
  /** The instance holds a restored state: enter it without a reactor's `_initialize`. */
  resume?: boolean;
  /**
   * An instance of `step`'s module to run instead of a new one (snapshot.ts reuses one whose
   * imports route to the current run's; `wrapImports` is still called for them).
   */
  instance?: WebAssembly.Instance;
}

/** Instantiates `step`'s module over `wasi` and runs it to its end. */
export function runStep(
  step: JobStep,
  wasi: Wasi,
  fs: MemoryFs,
  memoryLimitMb: number,
  hooks: StepHooks = {},
): StepResult {
  let module: WebAssembly.Module;
  try {
    module = step.module ?? compileFromFs(step.fsPath ?? "", fs, memoryLimitMb);
    assertCapped(module); // every path, language binary or program, runs under the cap
  } catch (err) {
    return { outcome: "crash", exitCode: null, error: describeError(err) };
  }
  let instance: WebAssembly.Instance | undefined;
  try {
    const imports = withStubs(step, wasi.getImports(module));
    const wrapped = hooks.wrapImports?.(imports) ?? imports;
    instance = hooks.instance ?? new WebAssembly.Instance(module, wrapped);
    hooks.onInstance?.(instance);
    // A snapshot binary's loops can be stopped (wasm_interrupt.ts): hand the engine the flag.
    const interrupt = instance.exports[INTERRUPT_EXPORT];
    const flag = interrupt instanceof WebAssembly.Memory
      ? new Int32Array(interrupt.buffer as SharedArrayBuffer)
      : undefined;
    interruptSleepsWith(flag);
    if (flag !== undefined) post({ type: "interrupt", flag });
    // A snapshot binary's data segments are passive (wasm_passive_data.ts): a run that boots
    // writes them first; a restored one holds them in the snapshot already.
    const initData = instance.exports[INIT_DATA_EXPORT];
    if (!hooks.resume && typeof initData === "function") initData();
    const exitCode = wasi.start(instance, step.exportName, !hooks.resume);
    return { outcome: "complete", exitCode, error: null };
  } catch (err) {
    if (err instanceof ProcExit) return { outcome: "complete", exitCode: err.code, error: null };
    return { outcome: "crash", exitCode: null, error: describeCrash(err, instance, memoryLimitMb) };
  }
}

function compileFromFs(path: string, fs: MemoryFs, memoryLimitMb: number): WebAssembly.Module {
  const binary = fs.readFile(path);
  if (!binary) throw new Error(`Cannot run "${path}": no such file in the run's filesystem`);
  checkFeatures(binary, path);
  try {
    return new WebAssembly.Module(capMemory(binary, pagesOf(memoryLimitMb)));
  } catch (err) {
    if (err instanceof MemoryCapError || err instanceof FeatureError) throw err;
    throw new Error(`Cannot run "${path}": not a valid WebAssembly module: ${describeError(err)}`);
  }
}

function describeCrash(
  err: unknown,
  instance: WebAssembly.Instance | undefined,
  memoryLimitMb: number,
): string {
  if (hitMemoryLimit(instance, memoryLimitMb)) {
    return `Program ran out of memory: it reached the limit of ${memoryLimitMb} MB (memory_limit_mb) and then failed: ${
      describeError(err)
    }`;
  }
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return `Program overflowed its stack: ${err.message}`;
  }
  if (err instanceof WebAssembly.RuntimeError) return `Program trapped: ${err.message}`;
  return describeError(err);
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isHidden(path: string, prefixes: string[]): boolean {
  return path.split("/").includes("__pycache__") ||
    prefixes.some((prefix) => path === prefix || path.startsWith(prefix + "/"));
}
