/**
 * Live sessions: per session id, one worker whose CPython keeps its state between runs, so
 * variables, imports and functions persist like notebook cells. Owns starting an interpreter
 * on its first call, handing it each call as a cell (see live_worker.ts and the driver,
 * guest/python_live.py), refusing a second call while one runs, and stopping it on timeout,
 * cancel, crash, `close_live` and shutdown.
 *
 * @module
 */

import type { BaseFs } from "./base_fs.ts";
import type { LiveState, RunResultWire } from "./protocol.ts";
import { type OutputListener, ResultBuilder, watchRun } from "./run_outcome.ts";
import { MemoryCapError } from "./wasm_memory.ts";
import {
  type JobStep,
  type LiveCell,
  type LivePlan,
  LiveSignal,
  type WorkerCommand,
} from "./worker_messages.ts";
import type { WorkerPool } from "./worker_pool.ts";

/** The one runtime with live sessions. */
export const LIVE_RUNTIME = "python";

/** Added to the error of a live call that ended its interpreter. */
export const LIVE_STOPPED = "the live interpreter was stopped; the next call starts a fresh one";

const DRIVER_URL = new URL("../guest/python_live.py", import.meta.url);

/** What a fresh interpreter starts from: the run step (module capped) and base filesystems. */
export interface LiveBoot {
  step: JobStep;
  baseFs: BaseFs[];
  memoryLimitMb: number;
  maxFsBytes: number;
}

/** One call of a live session. */
export interface LiveCall {
  session: string;
  cell: LiveCell;
  timeoutMs: number;
  /** Prepares a fresh interpreter; called only when the session has none. */
  boot: () => Promise<LiveBoot>;
}

interface LiveInterpreter {
  worker: Worker;
  port: MessagePort;
  /** Laid out as LiveSignal says. */
  shared: Int32Array;
}

/** The engine's live interpreters, by session id. */
export class LiveSessions {
  readonly #pool: WorkerPool;
  readonly #interpreters = new Map<string, LiveInterpreter>();
  /** Calls in flight, by session; aborting one stops the call (close_live, shutdown). */
  readonly #calls = new Map<string, AbortController>();
  #driver: Promise<string> | undefined;

  constructor(pool: WorkerPool) {
    this.#pool = pool;
  }

  /** Whether a call of `session` is running now. */
  isBusy(session: string): boolean {
    return this.#calls.has(session);
  }

  /** Runs `call` in its session's interpreter, starting one if there is none. */
  async run(
    call: LiveCall,
    signal: AbortSignal,
    listener?: OutputListener,
  ): Promise<RunResultWire> {
    const { session, cell } = call;
    if (this.#calls.has(session)) {
      throw new RangeError(`a call is already running in live session ${session}`);
    }
    const stop = new AbortController();
    this.#calls.set(session, stop);
    const both = AbortSignal.any([signal, stop.signal]);
    const report = new ResultBuilder(cell.maxOutputBytes, cell);
    try {
      let interpreter = this.#interpreters.get(session);
      const state: LiveState = interpreter ? "continued" : "started";
      if (!interpreter) {
        try {
          interpreter = await this.#start(call);
        } catch (err) {
          if (err instanceof MemoryCapError) {
            return { ...report.build("crash", null, err.message), live: state };
          }
          throw err;
        }
        if (both.aborted) {
          this.#stop(session, interpreter);
          return {
            ...report.build("terminated", null, "Run was cancelled before it started"),
            live: state,
          };
        }
        this.#interpreters.set(session, interpreter);
      }
      const started = interpreter;
      const end = await watchRun(
        started.worker,
        { timeoutMs: call.timeoutMs, signal: both, output: report.output, listener },
        () => {
          started.port.postMessage(cell);
          Atomics.add(started.shared, LiveSignal.CELLS, 1);
          Atomics.notify(started.shared, LiveSignal.CELLS);
        },
      );
      const result = { ...report.fromEnd(end, call.timeoutMs), live: state };
      if (end.kind === "done" && end.message.alive) {
        this.#idle(session, started);
        return result;
      }
      this.#stop(session, started);
      // An interpreter that exited on its own (os._exit) ends without error; anything else says so.
      if (result.error !== null) result.error = `${result.error}; ${LIVE_STOPPED}`;
      return result;
    } finally {
      this.#calls.delete(session);
    }
  }

  /** Stops `session`'s interpreter (and its running call); whether it had one. */
  close(session: string): boolean {
    const call = this.#calls.get(session);
    call?.abort();
    const interpreter = this.#interpreters.get(session);
    if (interpreter) this.#stop(session, interpreter);
    return interpreter !== undefined || call !== undefined;
  }

  /** Stops every interpreter. */
  closeAll(): void {
    for (const call of this.#calls.values()) call.abort();
    for (const [session, interpreter] of this.#interpreters) this.#stop(session, interpreter);
  }

  async #start(call: LiveCall): Promise<LiveInterpreter> {
    const [boot, driver] = await Promise.all([call.boot(), this.#driverSource()]);
    // A fresh name per interpreter: no guest path can stand for it by accident.
    const controlDir = `/.runno-live-${crypto.randomUUID()}`;
    const plan: LivePlan = {
      step: { ...boot.step, argv: [boot.step.argv[0] ?? "python", "-c", driver, controlDir] },
      baseFs: boot.baseFs,
      controlDir,
      memoryLimitMb: boot.memoryLimitMb,
      maxFsBytes: boot.maxFsBytes,
    };
    const worker = await this.#pool.take();
    const channel = new MessageChannel();
    const signal = new SharedArrayBuffer(LiveSignal.BYTES);
    const command: WorkerCommand = { type: "live", plan, port: channel.port2, signal };
    worker.postMessage(command, [channel.port2]);
    return { worker, port: channel.port1, shared: new Int32Array(signal) };
  }

  /** Between calls the worker says nothing; if it fails anyway, the session forgets it. */
  #idle(session: string, interpreter: LiveInterpreter): void {
    interpreter.worker.onmessage = null;
    interpreter.worker.onerror = (event) => {
      event.preventDefault();
      this.#stop(session, interpreter);
    };
  }

  #stop(session: string, interpreter: LiveInterpreter): void {
    // Wakes a worker waiting between cells: terminate() alone would leave its thread waiting.
    Atomics.store(interpreter.shared, LiveSignal.STOP, 1);
    Atomics.notify(interpreter.shared, LiveSignal.CELLS);
    this.#pool.discard(interpreter.worker);
    interpreter.port.close();
    if (this.#interpreters.get(session) === interpreter) this.#interpreters.delete(session);
  }

  #driverSource(): Promise<string> {
    if (!this.#driver) {
      this.#driver = Deno.readTextFile(DRIVER_URL);
      this.#driver.catch(() => this.#driver = undefined);
    }
    return this.#driver;
  }
}
