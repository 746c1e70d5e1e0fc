/**
 * Messages between the engine's main thread and a run's worker.
 *
 * @module
 */

import type { BaseFs } from "./base_fs.ts";
import type { ResolvedStep } from "./runtimes.ts";
import type { PrepareRole, ReturnFs, RunParams } from "./protocol.ts";
import type { Snapshot } from "./snapshot.ts";

/** A step with its compiled module, or a guest path to compile from inside the run. */
export interface JobStep extends Omit<ResolvedStep, "binary"> {
  module?: WebAssembly.Module;
  fsPath?: string;
}

/** A file sent into the run. */
export interface JobFile {
  path: string;
  content: Uint8Array;
  mtimeNs?: bigint;
}

/** What a run brings that a pre-booted interpreter cannot know in advance. */
export interface JobInput {
  files: JobFile[];
  stdin: Uint8Array;
  maxOutputBytes: number;
  returnFs: ReturnFs;
  /** Files the run may send back; the rest are counted, not sent. */
  maxReturnFiles: number;
  /** Bytes of files the run may send back in all; files past it are counted, not sent. */
  maxReturnBytes: number;
}

/** The JobInput of `params`: its bytes decoded from base64. */
export function jobInputOf(params: RunParams): JobInput {
  return {
    files: params.files.map((file) => ({
      path: file.path,
      content: Uint8Array.fromBase64(file.content),
      ...(file.mtime_ns === undefined ? {} : { mtimeNs: BigInt(file.mtime_ns) }),
    })),
    stdin: params.stdin === null ? new Uint8Array(0) : Uint8Array.fromBase64(params.stdin),
    maxOutputBytes: params.max_output_bytes,
    returnFs: params.return_fs,
    maxReturnFiles: params.max_return_files,
    maxReturnBytes: params.max_return_bytes,
  };
}

/** Everything a worker needs for one run started from scratch. */
export interface Job extends JobInput {
  steps: JobStep[];
  baseFs: BaseFs[];
  memoryLimitMb: number;
  /** Bytes the program's own writes may allocate in its filesystem (ENOSPC past it). */
  maxFsBytes: number;
  /** Folders the engine writes intermediates to: created first, never returned. */
  scratchDirs: string[];
  /** Where to save the linked program after the link step (see RunParams.keep_program). */
  keepProgram?: string;
}

/** An interpreter booted to its gate, to snapshot there and to restore runs from. */
export interface PrebootPlan {
  step: JobStep;
  baseFs: BaseFs[];
  /** Top-level names in baseFs: paths below them never open the gate. */
  baseRoots: string[];
  /** The runtime's entry file, which always opens the gate. */
  entry: string;
  /** The runtime's own folders (see Job.scratchDirs). */
  scratchDirs: string[];
  memoryLimitMb: number;
  maxFsBytes: number;
  /** Its PRNG is seeded from the boot's clock (RuntimeSpec.clock_seeded_prng). */
  clockSeeded: boolean;
}

/**
 * A live interpreter. Its first call runs as any run of its runtime does, resumed from a
 * snapshot (`restore`) or booted (`boot`); its start script then goes live (see
 * guest/python_live.py), and it runs one cell per LiveCell it receives, until stopped.
 */
export interface LivePlan {
  first: LiveCell;
  restore?: { plan: PrebootPlan; snapshot: Snapshot };
  /** The run step with the first call's argv and environment, and its runtime's files. */
  boot?: { step: JobStep; baseFs: BaseFs[]; scratchDirs: string[] };
  memoryLimitMb: number;
  maxFsBytes: number;
}

/** One call of a live interpreter: a run's input plus what the driver needs to run the cell. */
export interface LiveCell extends JobInput {
  entry: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * Slots of a live worker's `signal` (Int32): the count of cells posted to its port, and a
 * stop flag. The worker waits on the count between cells; Worker.terminate() cannot end
 * that wait (only a notify can), so stopping sets the flag and notifies first.
 */
export const LiveSignal = { CELLS: 0, STOP: 1, BYTES: 8 } as const;

/** Main thread to worker. */
export type WorkerCommand =
  | { type: "run"; job: Job }
  /** Boots `plan` to its gate and answers `snapshot` (or `no-snapshot`). */
  | { type: "capture"; plan: PrebootPlan }
  /** Runs `input` from `snapshot`, taken of `plan`. */
  | { type: "restore"; plan: PrebootPlan; snapshot: Snapshot; input: JobInput }
  /** `signal` is laid out as LiveSignal says. */
  | { type: "live"; plan: LivePlan; port: MessagePort; signal: SharedArrayBuffer };

/** Files a result leaves out under its caps: counted, never held. */
export interface OmittedFiles {
  files: number;
  bytes: number;
  /** The first few left out, in the order they would have come back, for the warning. */
  examples: string[];
}

/** A file the run created or changed. */
export interface ResultFile {
  path: string;
  content: Uint8Array;
  mtimeNs: bigint;
}

/** Worker to main thread. */
export type WorkerMessage =
  | { type: "ready" }
  | { type: "snapshot"; snapshot: Snapshot }
  /** The interpreter cannot be snapshotted, and why; its runs boot. */
  | { type: "no-snapshot"; reason: string }
  /** The run's interrupt flag (wasm_interrupt.ts): setting it stops the program. */
  | { type: "interrupt"; flag: Int32Array }
  | { type: "output"; fd: 1 | 2; bytes: Uint8Array }
  /** Sent once per stream when it reaches the cap; later bytes stay in the worker. */
  | { type: "cut"; fd: 1 | 2 }
  | {
    type: "done";
    outcome: "complete" | "crash";
    exitCode: number | null;
    error: string | null;
    /** The prepare step (compile, link) that failed and ended the run before the program ran. */
    failedStep: PrepareRole | null;
    files: ResultFile[];
    /** Files left out because the return budget was spent. */
    /** What the caps on files left out: how many, their bytes, and the first few paths. */
    omitted: OmittedFiles;
    /** Regular files there when the program started and gone at its end, sorted. */
    deleted: string[];
    droppedBytes: { stdout: number; stderr: number };
    /** The worker's interpreter lives on and waits for its next cell (live runs only). */
    alive: boolean;
    /** A live interpreter's linear memory size as the cell ended (for the live budget). */
    memoryBytes?: number;
  };
