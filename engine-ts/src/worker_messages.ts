/**
 * Messages between the engine's main thread and a run's worker.
 *
 * @module
 */

import type { BaseFs } from "./base_fs.ts";
import type { ResolvedStep } from "./runtimes.ts";
import type { ReturnFs } from "./protocol.ts";

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

/** Everything a worker needs for one run. */
export interface Job {
  steps: JobStep[];
  baseFs: BaseFs[];
  files: JobFile[];
  stdin: Uint8Array;
  maxOutputBytes: number;
  memoryLimitMb: number;
  returnFs: ReturnFs;
  /** Folders the engine writes intermediates to: created first, never returned. */
  scratchDirs: string[];
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
  | { type: "output"; fd: 1 | 2; bytes: Uint8Array }
  /** Sent once per stream when it reaches the cap; later bytes stay in the worker. */
  | { type: "cut"; fd: 1 | 2 }
  | {
    type: "done";
    outcome: "complete" | "crash";
    exitCode: number | null;
    error: string | null;
    files: ResultFile[];
    droppedBytes: { stdout: number; stderr: number };
  };
