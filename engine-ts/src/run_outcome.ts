/**
 * From a worker's messages to a RunResultWire: collects output under the caps as it comes
 * (passing it on to a listener), holds the time budget and cancellation, and builds the
 * result of however the run ended. Deciding what becomes of the worker is the caller's.
 *
 * @module
 */

import { OutputCollector } from "./output.ts";
import type { PrepareRole, ResultType, RunResultWire, WireFile } from "./protocol.ts";
import type { OmittedFiles, ResultFile, WorkerMessage } from "./worker_messages.ts";

/** Receives output chunks while a run is going (for `output` notifications). */
export type OutputListener = (stream: "stdout" | "stderr", bytes: Uint8Array) => void;

/** The worker's `done` message. */
export type DoneMessage = Extract<WorkerMessage, { type: "done" }>;

/** How a run on a worker ended, seen from the main thread. */
export type RunEnd =
  | { kind: "done"; message: DoneMessage }
  /** `stopped`: the program was interrupted and its worker ended the run (see `stopRun`). */
  | { kind: "timeout"; stopped: Promise<boolean> }
  | { kind: "cancelled"; stopped: Promise<boolean> }
  | { kind: "failed"; error: string };

/** How long a stopped program has to leave its worker before the worker is given up. */
export const STOP_GRACE_MS = 250;

/** Options of `watchRun`. */
export interface WatchOptions {
  timeoutMs: number;
  signal: AbortSignal;
  output: OutputCollector;
  listener?: OutputListener | undefined;
  /**
   * The program's module has the interrupt flag (wasm_interrupt.ts): a stop that comes before the
   * worker has handed the flag over waits for it, within the grace period, instead of giving up.
   */
  interruptible?: boolean;
}

/**
 * Calls `begin`, then follows `worker` until its `done`, the time budget, `signal` or a
 * worker error, whichever comes first. The worker's handlers stay installed.
 */
export function watchRun(
  worker: Worker,
  options: WatchOptions,
  begin: () => void,
): Promise<RunEnd> {
  const { output, listener, signal } = options;
  return new Promise<RunEnd>((resolve) => {
    let settled = false;
    const settle = (end: RunEnd) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve(end);
    };
    // A program that can be interrupted is stopped when its time is up or it is cancelled;
    // `stopped` says whether its worker then ended the run within the grace period.
    let flag: Int32Array | undefined;
    let stopping = false;
    let ended: () => void = () => {};
    const done = new Promise<void>((resolve) => ended = resolve);
    const raise = (on: Int32Array) => {
      Atomics.store(on, 0, 1);
      Atomics.notify(on, 0);
    };
    const stop = (): Promise<boolean> => {
      stopping = true;
      if (flag !== undefined) raise(flag);
      else if (!options.interruptible) return Promise.resolve(false);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), STOP_GRACE_MS);
      });
      return Promise.race([done.then(() => true), grace]).finally(() => clearTimeout(timer));
    };
    const timer = setTimeout(() => settle({ kind: "timeout", stopped: stop() }), options.timeoutMs);
    const onAbort = () => settle({ kind: "cancelled", stopped: stop() });
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort);

    worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      switch (message.type) {
        case "ready":
        case "snapshot":
        case "no-snapshot":
          break;
        case "interrupt":
          flag = message.flag;
          if (stopping) raise(flag); // stopped while the run was still starting
          break;
        case "output":
          if (settled) break;
          output.add(message.fd, message.bytes);
          listener?.(message.fd === 1 ? "stdout" : "stderr", message.bytes);
          break;
        case "cut":
          output.markCut(message.fd === 1 ? "stdout" : "stderr");
          break;
        case "done":
          ended();
          if (settled) break;
          output.addDropped("stdout", message.droppedBytes.stdout);
          output.addDropped("stderr", message.droppedBytes.stderr);
          settle({ kind: "done", message });
          break;
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      settle({ kind: "failed", error: `Run worker failed: ${event.message}` });
    };
    begin();
  });
}

/** Builds a run's RunResultWire: its output, files, warnings and duration. */
export class ResultBuilder {
  /** Where the run's output goes; give it to `watchRun`. */
  readonly output: OutputCollector;
  readonly #caps: ReturnCaps;
  readonly #started = performance.now();

  /** Starts the clock of the run's `duration_ms`. */
  constructor(maxOutputBytes: number, caps: ReturnCaps) {
    this.output = new OutputCollector(maxOutputBytes);
    this.#caps = caps;
  }

  /** The result of a run that ended as `end`. */
  fromEnd(end: RunEnd, timeoutMs: number): RunResultWire {
    switch (end.kind) {
      case "done": {
        const { outcome, exitCode, error, failedStep, files, omitted, deleted } = end.message;
        return this.build(outcome, exitCode, error, {
          files: files.map(toWireFile),
          omitted,
          deleted,
        }, failedStep);
      }
      case "timeout":
        return this.build("timeout", null, `Run timed out after ${timeoutMs / 1000} s`);
      case "cancelled":
        return this.build("terminated", null, "Run was cancelled");
      case "failed":
        return this.build("crash", null, end.error);
    }
  }

  /** A result with what the run has written so far. */
  build(
    resultType: ResultType,
    exitCode: number | null,
    error: string | null,
    fs: { files?: WireFile[]; omitted?: OmittedFiles; deleted?: string[] } = {},
    failedStep: PrepareRole | null = null,
  ): RunResultWire {
    const omitted = fs.omitted ?? { files: 0, bytes: 0, examples: [] };
    return {
      result_type: resultType,
      exit_code: resultType === "complete" ? exitCode : null,
      failed_step: failedStep,
      stdout: this.output.text("stdout"),
      stderr: this.output.text("stderr"),
      tty: this.output.text("tty"),
      files: fs.files ?? [],
      truncated: this.output.truncated || omitted.files > 0,
      warnings: [
        ...this.output.warnings(),
        ...(omitted.files > 0 ? [omittedWarning(omitted, this.#caps)] : []),
      ],
      omitted_files: omitted.files,
      omitted_bytes: omitted.bytes,
      duration_ms: Math.round((performance.now() - this.#started) * 1000) / 1000,
      error,
      deleted: fs.deleted ?? [],
      live: null,
      resumed: false,
      stopped: false,
    };
  }
}

/** The caps on the files one result carries. */
export interface ReturnCaps {
  maxReturnFiles: number;
  maxReturnBytes: number;
}

/** What the caps left out, in words: counts, the caps by name, and the first paths. */
function omittedWarning(omitted: OmittedFiles, caps: ReturnCaps): string {
  const more = omitted.files - omitted.examples.length;
  const named = omitted.examples.map((path) => `"${path}"`).join(", ") +
    (more > 0 ? ` and ${more} more` : "");
  return `${omitted.files} file(s) the run wrote (${omitted.bytes} bytes) were not returned: a result carries at ` +
    `most ${caps.maxReturnFiles} files (max_return_files) of ${caps.maxReturnBytes} bytes in all ` +
    `(max_return_bytes), changed files first, then by path; left out: ${named}`;
}

function toWireFile(file: ResultFile): WireFile {
  return { path: file.path, content: file.content.toBase64(), mtime_ns: file.mtimeNs.toString() };
}
