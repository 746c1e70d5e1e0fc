/**
 * Worker entry: builds the run's filesystem, runs each step's module with our WASI, and
 * posts output as it is written and the outcome at the end. One worker per run; the
 * engine terminates it on timeout or cancel, which also frees everything the run held.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { MemoryFs, ProcExit, Wasi } from "./wasi/mod.ts";
import type { Job, JobStep, ResultFile, WorkerMessage } from "./worker_messages.ts";
import { capMemory, MemoryCapError, PAGE_BYTES } from "./wasm_memory.ts";

function post(message: WorkerMessage, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

self.onmessage = (event: MessageEvent<Job>) => {
  post(runJob(event.data), []);
  self.close();
};
post({ type: "ready" });

function runJob(job: Job): WorkerMessage {
  const fs = buildFs(job);
  const before = fs.snapshot();
  const budget = { stdout: job.maxOutputBytes, stderr: job.maxOutputBytes };
  const dropped = { stdout: 0, stderr: 0 };
  const onOutput = (fd: 1 | 2, bytes: Uint8Array) => {
    const stream = fd === 1 ? "stdout" : "stderr";
    const keep = Math.min(bytes.length, budget[stream]);
    if (keep < bytes.length) {
      if (dropped[stream] === 0) post({ type: "cut", fd });
      dropped[stream] += bytes.length - keep;
    }
    if (keep === 0) return;
    budget[stream] -= keep;
    const chunk = keep === bytes.length ? bytes : bytes.slice(0, keep);
    post({ type: "output", fd, bytes: chunk });
  };

  let outcome: "complete" | "crash" = "complete";
  let exitCode: number | null = 0;
  let error: string | null = null;
  for (const [index, step] of job.steps.entries()) {
    const isLast = index === job.steps.length - 1;
    const result = runStep(step, {
      fs,
      stdin: isLast ? job.stdin : new Uint8Array(0),
      onOutput,
      memoryLimitMb: job.memoryLimitMb,
    });
    ({ outcome, exitCode, error } = result);
    if (outcome !== "complete" || (step.role !== "run" && exitCode !== 0)) break;
  }

  let files: ResultFile[] = [];
  if (job.returnFs !== "none") {
    const entries = job.returnFs === "all" ? fs.allFiles() : fs.changedSince(before);
    files = entries
      .filter((file) => !isHidden(file.path, job.scratchDirs))
      .map((file) => ({ path: file.path, content: file.content, mtimeNs: file.mtimeNs }));
  }
  return { type: "done", outcome, exitCode, error, files, droppedBytes: dropped };
}

function buildFs(job: Job): MemoryFs {
  const fs = new MemoryFs();
  for (const base of job.baseFs) {
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
  for (const dir of job.scratchDirs) fs.addDirectory(dir);
  for (const file of job.files) {
    fs.addFile(
      file.path,
      file.content,
      file.mtimeNs === undefined ? {} : { mtimeNs: file.mtimeNs },
    );
  }
  return fs;
}

interface StepContext {
  fs: MemoryFs;
  stdin: Uint8Array;
  onOutput: (fd: 1 | 2, bytes: Uint8Array) => void;
  memoryLimitMb: number;
}

interface StepResult {
  outcome: "complete" | "crash";
  exitCode: number | null;
  error: string | null;
}

function runStep(step: JobStep, context: StepContext): StepResult {
  let module: WebAssembly.Module;
  try {
    module = step.module ?? compileFromFs(step.fsPath ?? "", context);
  } catch (err) {
    return { outcome: "crash", exitCode: null, error: describeError(err) };
  }
  const wasi = new Wasi({
    args: step.argv,
    env: step.env,
    fs: context.fs,
    stdin: context.stdin,
    onOutput: context.onOutput,
  });
  let instance: WebAssembly.Instance | undefined;
  try {
    instance = new WebAssembly.Instance(module, wasi.getImports(module));
    const exitCode = wasi.start(instance);
    return { outcome: "complete", exitCode, error: null };
  } catch (err) {
    if (err instanceof ProcExit) return { outcome: "complete", exitCode: err.code, error: null };
    return { outcome: "crash", exitCode: null, error: describeCrash(err, instance, context) };
  }
}

function compileFromFs(path: string, context: StepContext): WebAssembly.Module {
  const binary = context.fs.readFile(path);
  if (!binary) throw new Error(`Cannot run "${path}": no such file in the run's filesystem`);
  const limitPages = Math.floor((context.memoryLimitMb * 2 ** 20) / PAGE_BYTES);
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
  context: StepContext,
): string {
  const memory = instance?.exports.memory;
  const limitBytes = context.memoryLimitMb * 2 ** 20;
  if (
    memory instanceof WebAssembly.Memory && memory.buffer.byteLength + 16 * PAGE_BYTES > limitBytes
  ) {
    return `Program ran out of memory: it reached the limit of ${context.memoryLimitMb} MB (memory_limit_mb) and then failed: ${
      describeError(err)
    }`;
  }
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return `Program overflowed its stack: ${err.message}`;
  }
  if (err instanceof WebAssembly.RuntimeError) {
    return `Program trapped: ${err.message}`;
  }
  return describeError(err);
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isHidden(path: string, prefixes: string[]): boolean {
  return path.split("/").includes("__pycache__") ||
    prefixes.some((prefix) => path === prefix || path.startsWith(prefix + "/"));
}
