/**
 * Worker entry: builds the run's filesystem, runs each step's module with our WASI, and
 * posts output as it is written and the outcome at the end. One worker per run; the
 * engine terminates it on timeout or cancel, which also frees everything the run held.
 *
 * A pre-booted worker starts its interpreter before the request exists and waits at the
 * gate (see gate.ts) for the caller's files, stdin and caps.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { receiveMessageOnPort } from "node:worker_threads";
import { gateImports } from "./gate.ts";
import { MemoryFs, ProcExit, Wasi } from "./wasi/mod.ts";
import type {
  Job,
  JobFile,
  JobInput,
  JobStep,
  PrebootPlan,
  ResultFile,
  WorkerCommand,
  WorkerMessage,
} from "./worker_messages.ts";
import type { BaseFs } from "./base_fs.ts";
import { capMemory, MemoryCapError, PAGE_BYTES } from "./wasm_memory.ts";

function post(message: WorkerMessage): void {
  self.postMessage(message);
}

self.onmessage = (event: MessageEvent<WorkerCommand>) => {
  const command = event.data;
  post(
    command.type === "run"
      ? runJob(command.job)
      : runPrebooted(command.plan, command.port, command.signal),
  );
  self.close();
};
post({ type: "ready" });

type Outcome = Extract<WorkerMessage, { type: "done" }>;

/** Forwards output to the main thread up to the cap, counting what it drops. */
class OutputSink {
  readonly #budget: { stdout: number; stderr: number };
  readonly dropped = { stdout: 0, stderr: 0 };

  constructor(maxBytes: number) {
    this.#budget = { stdout: maxBytes, stderr: maxBytes };
  }

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

function runJob(job: Job): Outcome {
  const fs = buildFs(job.baseFs, job.scratchDirs, job.maxFsBytes);
  addFiles(fs, job.files);
  const before = fs.snapshot();
  const sink = new OutputSink(job.maxOutputBytes);
  let result: StepResult = { outcome: "complete", exitCode: 0, error: null };
  for (const [index, step] of job.steps.entries()) {
    const isLast = index === job.steps.length - 1;
    const wasi = new Wasi({
      args: step.argv,
      env: step.env,
      fs,
      stdin: isLast ? job.stdin : new Uint8Array(0),
      onOutput: (fd, bytes) => sink.write(fd, bytes),
    });
    result = runStep(step, wasi, fs, job.memoryLimitMb);
    if (result.outcome !== "complete" || (step.role !== "run" && result.exitCode !== 0)) break;
  }
  return finish(result, fs, before, job, sink, job.scratchDirs);
}

function runPrebooted(plan: PrebootPlan, port: MessagePort, signal: SharedArrayBuffer): Outcome {
  const fs = buildFs(plan.baseFs, [], plan.maxFsBytes);
  // Output written while booting is held back until the run it belongs to exists.
  const early: [1 | 2, Uint8Array][] = [];
  let sink: OutputSink | undefined;
  let job: JobInput | undefined;
  let before = fs.snapshot();
  const wasi = new Wasi({
    args: plan.step.argv,
    env: plan.step.env,
    fs,
    stdin: new Uint8Array(0),
    onOutput: (fd, bytes) => sink ? sink.write(fd, bytes) : early.push([fd, bytes]),
  });
  let memory: WebAssembly.Memory | undefined;
  const probes: string[] = [];
  const open = () => {
    post({ type: "booted", probes });
    Atomics.wait(new Int32Array(signal), 0, 0);
    job = receiveMessageOnPort(port as never)?.message as JobInput;
    addFiles(fs, job.files);
    wasi.replaceStdin(job.stdin);
    before = fs.snapshot();
    sink = new OutputSink(job.maxOutputBytes);
    for (const [fd, bytes] of early) sink.write(fd, bytes);
  };
  const result = runStep(
    plan.step,
    wasi,
    fs,
    plan.memoryLimitMb,
    (imports) =>
      gateImports(imports, {
        baseRoots: new Set(plan.baseRoots),
        entry: plan.entry.replace(/^\/+/, ""),
        memory: () => memory,
        probe: (path) => probes.push(path),
        open,
      }),
    (instance) => {
      const exported = instance.exports.memory;
      if (exported instanceof WebAssembly.Memory) memory = exported;
    },
  );
  if (!job) open(); // the program ended without touching a path: take its job anyway
  return finish(result, fs, before, job!, sink!, []);
}

function finish(
  result: StepResult,
  fs: MemoryFs,
  before: ReturnType<MemoryFs["snapshot"]>,
  input: JobInput,
  sink: OutputSink,
  hidden: string[],
): Outcome {
  const entries = input.returnFs === "none"
    ? []
    : (input.returnFs === "all" ? fs.allFiles() : fs.changedSince(before))
      .filter((file) => !isHidden(file.path, hidden))
      .sort((a, b) => a.path < b.path ? -1 : 1);
  // Files come back in path order until the byte budget is spent; the rest are named.
  const files: ResultFile[] = [];
  const skipped: { path: string; bytes: number }[] = [];
  let budget = input.maxReturnBytes;
  for (const file of entries) {
    if (file.content.length > budget) {
      skipped.push({ path: file.path, bytes: file.content.length });
      continue;
    }
    budget -= file.content.length;
    files.push({ path: file.path, content: file.content, mtimeNs: file.mtimeNs });
  }
  return { type: "done", ...result, files, skippedFiles: skipped, droppedBytes: sink.dropped };
}

function buildFs(baseFs: BaseFs[], scratchDirs: string[], maxFsBytes: number): MemoryFs {
  const fs = new MemoryFs({ maxBytes: maxFsBytes });
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

function addFiles(fs: MemoryFs, files: JobFile[]): void {
  for (const file of files) {
    fs.addFile(
      file.path,
      file.content,
      file.mtimeNs === undefined ? {} : { mtimeNs: file.mtimeNs },
    );
  }
}

interface StepResult {
  outcome: "complete" | "crash";
  exitCode: number | null;
  error: string | null;
}

function runStep(
  step: JobStep,
  wasi: Wasi,
  fs: MemoryFs,
  memoryLimitMb: number,
  wrapImports: (imports: WebAssembly.Imports) => WebAssembly.Imports = (imports) => imports,
  onInstance: (instance: WebAssembly.Instance) => void = () => {},
): StepResult {
  let module: WebAssembly.Module;
  try {
    module = step.module ?? compileFromFs(step.fsPath ?? "", fs, memoryLimitMb);
  } catch (err) {
    return { outcome: "crash", exitCode: null, error: describeError(err) };
  }
  let instance: WebAssembly.Instance | undefined;
  try {
    instance = new WebAssembly.Instance(module, wrapImports(wasi.getImports(module)));
    onInstance(instance);
    const exitCode = wasi.start(instance);
    return { outcome: "complete", exitCode, error: null };
  } catch (err) {
    if (err instanceof ProcExit) return { outcome: "complete", exitCode: err.code, error: null };
    return { outcome: "crash", exitCode: null, error: describeCrash(err, instance, memoryLimitMb) };
  }
}

function compileFromFs(path: string, fs: MemoryFs, memoryLimitMb: number): WebAssembly.Module {
  const binary = fs.readFile(path);
  if (!binary) throw new Error(`Cannot run "${path}": no such file in the run's filesystem`);
  const limitPages = Math.floor((memoryLimitMb * 2 ** 20) / PAGE_BYTES);
  try {
    return new WebAssembly.Module(capMemory(binary, limitPages));
  } catch (err) {
    if (err instanceof MemoryCapError) throw err;
    throw new Error(`Cannot run "${path}": not a valid WebAssembly module: ${describeError(err)}`);
  }
}

function describeCrash(
  err: unknown,
  instance: WebAssembly.Instance | undefined,
  memoryLimitMb: number,
): string {
  const memory = instance?.exports.memory;
  const limitBytes = memoryLimitMb * 2 ** 20;
  if (
    memory instanceof WebAssembly.Memory && memory.buffer.byteLength + 16 * PAGE_BYTES > limitBytes
  ) {
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
