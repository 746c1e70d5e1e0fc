/**
 * The worker side of a live interpreter: one Python instance that runs many calls.
 *
 * The first call runs as an ordinary run (resumed from the runtime's snapshot, or booted).
 * After each call the start script, then the driver (guest/python_live.py), opens
 * `/.runno-live/<exit code of the call just run>`. That open is the only way in: it posts the
 * finished call's `done` (the worker stays), blocks on the shared counter until the main thread
 * posts the next LiveCell, writes the call's files, replaces stdin, then lets the open succeed on
 * a file that exists only for that syscall and holds what the driver needs (entry, args, env).
 * The snapshot for changed and deleted files is taken after all of this, so the control
 * traffic is never seen as the program's. In any other run no such file exists, and the start
 * script ends the run.
 *
 * @module
 */

import { receiveMessageOnPort } from "node:worker_threads";
import { resumeStep } from "./snapshot.ts";
import type { MemoryFs } from "./wasi/mod.ts";
import { type JobFile, type LiveCell, type LivePlan, LiveSignal } from "./worker_messages.ts";
import {
  addFiles,
  buildFs,
  createWasi,
  finish,
  markStart,
  type Outcome,
  OutputSink,
  post,
  type RunStart,
  runStep,
  type StepHooks,
} from "./worker_run.ts";

/** The preopened root directory's fd: wasi-libc resolves every absolute path from it. */
const ROOT_FD = 3;

/** The folder the start scripts and the driver open to hand a call back (no guest file). */
const CONTROL_DIR = ".runno-live";

/** How long to sleep while a posted cell is still on its way through the port (ms). */
const PORT_RETRY_MS = 1;

/** Unwinds the interpreter when the main thread stops it between cells. */
class LiveStopped extends Error {
  constructor() {
    super("The live interpreter was stopped");
  }
}

interface RunningCell {
  input: LiveCell;
  start: RunStart;
  sink: OutputSink;
}

/** Runs the live interpreter of `plan` until it ends; returns the `done` of its last cell. */
export function runLive(plan: LivePlan, port: MessagePort, signal: SharedArrayBuffer): Outcome {
  const { first, restore, boot } = plan;
  const step = restore?.plan.step ?? boot!.step;
  const hidden = restore?.plan.scratchDirs ?? boot!.scratchDirs;
  const fs = buildFs(restore?.plan.baseFs ?? boot!.baseFs, hidden, plan.maxFsBytes);
  addFiles(fs, first.files);
  const shared = new Int32Array(signal);
  let taken = 1;
  let cell: RunningCell | undefined = {
    input: first,
    start: markStart(fs, first),
    sink: new OutputSink(first.maxOutputBytes),
  };
  const wasi = createWasi(step, fs, first.stdin, (fd, bytes) => cell?.sink.write(fd, bytes));
  let memory: WebAssembly.Memory | undefined;

  const nextCell = (name: string, open: () => number): number => {
    if (cell) {
      const exitCode = Number(name) >>> 0; // as proc_exit would carry it
      const result = { outcome: "complete" as const, exitCode, error: null };
      const memoryBytes = memory?.buffer.byteLength ?? 0;
      post({ ...finish({ ...cell, result, fs, hidden, alive: true }), memoryBytes });
      cell = undefined;
    }
    taken++;
    const input = takeCell(port, shared, taken);
    if (input === undefined) throw new LiveStopped();
    writeChangedFiles(fs, input.files);
    wasi.replaceStdin(input.stdin);
    const errno = fs.withTemporaryFile(`${CONTROL_DIR}/${name}`, encodeCell(input), open);
    cell = { input, start: markStart(fs, input), sink: new OutputSink(input.maxOutputBytes) };
    return errno;
  };

  const hooks: Pick<StepHooks, "wrapImports" | "onInstance"> = {
    wrapImports: (imports) => controlImports(imports, () => memory, nextCell),
    onInstance: (instance) => {
      const exported = instance.exports.memory;
      if (exported instanceof WebAssembly.Memory) memory = exported;
    },
  };
  const result = restore
    ? resumeStep(restore.plan, restore.snapshot, wasi, fs, hooks).result
    : runStep(step, wasi, fs, plan.memoryLimitMb, hooks);
  // The interpreter itself ended (a crash, os._exit): the call it was running ends with it.
  if (cell) return finish({ ...cell, result, fs, hidden, alive: false });
  return { // stopped between calls: nobody waits for this
    type: "done",
    outcome: "crash",
    exitCode: null,
    error: "The live interpreter was stopped",
    failedStep: null,
    files: [],
    omitted: { files: 0, bytes: 0, examples: [] },
    deleted: [],
    droppedBytes: { stdout: 0, stderr: 0 },
    alive: false,
  };
}

/** Returns `imports` with path_open wrapped: an open under CONTROL_DIR goes to `nextCell`. */
function controlImports(
  imports: WebAssembly.Imports,
  memory: () => WebAssembly.Memory | undefined,
  nextCell: (name: string, open: () => number) => number,
): WebAssembly.Imports {
  const wrapped: WebAssembly.Imports = {};
  for (const [namespace, functions] of Object.entries(imports)) {
    const syscall = functions.path_open;
    if (typeof syscall !== "function") {
      wrapped[namespace] = functions;
      continue;
    }
    const pathOpen = syscall as (...args: unknown[]) => number;
    wrapped[namespace] = {
      ...functions,
      path_open: (...args: unknown[]) => {
        const name = controlName(args, memory());
        if (name === undefined) return pathOpen(...args);
        return nextCell(name, () => pathOpen(...args));
      },
    };
  }
  return wrapped;
}

/** The file name opened under CONTROL_DIR, or undefined for any other path_open. */
function controlName(args: unknown[], memory: WebAssembly.Memory | undefined): string | undefined {
  if (memory === undefined || Number(args[0]) !== ROOT_FD) return undefined;
  const pointer = Number(args[2]) >>> 0;
  const length = Number(args[3]) >>> 0;
  if (length > CONTROL_DIR.length + 32) return undefined;
  let raw: string;
  try {
    raw = new TextDecoder().decode(new Uint8Array(memory.buffer, pointer, length));
  } catch {
    return undefined; // a bad pointer: the syscall itself answers EFAULT
  }
  const parts = raw.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.length !== 2 || parts[0] !== CONTROL_DIR) return undefined;
  const name = parts[1]!;
  return /^-?\d+$/.test(name) ? name : undefined;
}

/** Waits for the main thread to post cell number `count` and takes it; undefined once stopped. */
function takeCell(port: MessagePort, shared: Int32Array, count: number): LiveCell | undefined {
  const stopped = () => Atomics.load(shared, LiveSignal.STOP) !== 0;
  while (Atomics.load(shared, LiveSignal.CELLS) < count && !stopped()) {
    Atomics.wait(shared, LiveSignal.CELLS, count - 1);
  }
  while (!stopped()) {
    const received = receiveMessageOnPort(port as never);
    if (received) return received.message as LiveCell;
    Atomics.wait(shared, LiveSignal.CELLS, count, PORT_RETRY_MS);
  }
  return undefined;
}

/** Writes the call's files but those already there byte for byte (keeps open fds, mtimes). */
function writeChangedFiles(fs: MemoryFs, files: JobFile[]): void {
  addFiles(fs, files.filter((file) => !sameBytes(fs.readFile(file.path), file.content)));
}

function sameBytes(current: Uint8Array | undefined, next: Uint8Array): boolean {
  if (current === undefined || current.length !== next.length) return false;
  for (let i = 0; i < next.length; i++) if (current[i] !== next[i]) return false;
  return true;
}

/**
 * What the driver reads from the control file: NUL-separated UTF-8 fields, the entry, the
 * number of args, the args, then one `NAME=value` per variable. Like argv and environ in C,
 * a field ends at its first NUL.
 */
function encodeCell(cell: LiveCell): Uint8Array {
  const cut = (field: string) => field.split("\0")[0] ?? "";
  const fields = [
    cell.entry,
    String(cell.args.length),
    ...cell.args,
    ...Object.entries(cell.env).map(([name, value]) => `${name}=${value}`),
  ];
  return new TextEncoder().encode(fields.map(cut).join("\0"));
}
