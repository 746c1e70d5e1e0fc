/**
 * Live sessions: per session id and runtime (python, python-sci), one worker whose Python
 * interpreter keeps its state between
 * runs, so variables, imports and functions persist like notebook cells. Owns starting an
 * interpreter with its first call (resumed from the runtime's snapshot when it can be), handing
 * it each later call as a cell (see live_worker.ts and the driver, guest/python_live.py),
 * refusing a second call while one runs, and stopping it on timeout, cancel, crash,
 * `close_live` and shutdown. Each result says how much memory the interpreter holds
 * (`live_memory_bytes`), for the Python side's budget of live interpreters.
 *
 * @module
 */

import type { LiveState, RunResultWire } from "./protocol.ts";
import { type OutputListener, ResultBuilder, watchRun } from "./run_outcome.ts";
import { MemoryCapError } from "./wasm_memory.ts";
import { type LiveCell, type LivePlan, LiveSignal, type WorkerCommand } from "./worker_messages.ts";
import type { WorkerPool } from "./worker_pool.ts";

/** The runtimes with live sessions: their start scripts go live (guest/python_live.py). */
export const LIVE_RUNTIMES = new Set(["python", "python-sci"]);

/** Added to the error of a live call that ended its interpreter. */
export const LIVE_STOPPED = "the live interpreter was stopped; the next call starts a fresh one";

/** How a fresh interpreter starts: everything of a LivePlan but its first call. */
export type LiveBoot = Omit<LivePlan, "first">;

/** One call of a live session. */
export interface LiveCall {
  session: string;
  /** Each runtime of a session has an interpreter of its own. */
  runtime: string;
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

/** The engine's live interpreters, by `interpreterKey`. */
export class LiveSessions {
  readonly #pool: WorkerPool;
  readonly #interpreters = new Map<string, LiveInterpreter>();
  /** Calls in flight, by session; aborting one stops the call (close_live, shutdown). */
  readonly #calls = new Map<string, AbortController>();

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
      const key = interpreterKey(session, call.runtime);
      let interpreter = this.#interpreters.get(key);
      let begin: () => void;
      let state: LiveState = "continued";
      if (interpreter) {
        const { port, shared } = interpreter;
        begin = () => {
          port.postMessage(cell);
          Atomics.add(shared, LiveSignal.CELLS, 1);
          Atomics.notify(shared, LiveSignal.CELLS);
        };
      } else {
        state = "started";
        let boot: LiveBoot;
        try {
          boot = await call.boot();
        } catch (err) {
          if (err instanceof MemoryCapError) {
            return { ...report.build("crash", null, err.message), live: state };
          }
          throw err;
        }
        if (both.aborted) {
          return {
            ...report.build("terminated", null, "Run was cancelled before it started"),
            live: state,
          };
        }
        const worker = await this.#pool.take();
        const channel = new MessageChannel();
        const signal = new SharedArrayBuffer(LiveSignal.BYTES);
        const shared = new Int32Array(signal);
        Atomics.store(shared, LiveSignal.CELLS, 1); // the first call travels in the plan
        const command: WorkerCommand = {
          type: "live",
          plan: { ...boot, first: cell },
          port: channel.port2,
          signal,
        };
        interpreter = { worker, port: channel.port1, shared };
        begin = () => worker.postMessage(command, [channel.port2]);
      }
      const started = interpreter;
      const end = await watchRun(
        started.worker,
        { timeoutMs: call.timeoutMs, signal: both, output: report.output, listener },
        begin,
      );
      const result = { ...report.fromEnd(end, call.timeoutMs), live: state };
      if (end.kind === "done" && end.message.alive) {
        this.#interpreters.set(key, started);
        this.#idle(key, started);
        return { ...result, live_memory_bytes: end.message.memoryBytes ?? null };
      }
      this.#stop(key, started);
      // An interpreter that exited on its own (os._exit) ends without error; anything else says so.
      if (result.error !== null) result.error = `${result.error}; ${LIVE_STOPPED}`;
      return result;
    } finally {
      this.#calls.delete(session);
    }
  }

  /** Stops `session`'s interpreters (and its running call); whether it had one. */
  close(session: string): boolean {
    const call = this.#calls.get(session);
    call?.abort();
    const prefix = interpreterKey(session, "");
    const keys = [...this.#interpreters.keys()].filter((key) => key.startsWith(prefix));
    for (const key of keys) this.#stop(key, this.#interpreters.get(key)!);
    return keys.length > 0 || call !== undefined;
  }

  /** Stops every interpreter. */
  closeAll(): void {
    for (const call of this.#calls.values()) call.abort();
    for (const [key, interpreter] of this.#interpreters) this.#stop(key, interpreter);
  }

  /** Between calls the worker says nothing; if it fails anyway, the session forgets it. */
  #idle(key: string, interpreter: LiveInterpreter): void {
    interpreter.worker.onmessage = null;
    interpreter.worker.onerror = (event) => {
      event.preventDefault();
      this.#stop(key, interpreter);
    };
  }

  #stop(key: string, interpreter: LiveInterpreter): void {
    // Wakes a worker waiting between cells: terminate() alone would leave its thread waiting.
    Atomics.store(interpreter.shared, LiveSignal.STOP, 1);
    Atomics.notify(interpreter.shared, LiveSignal.CELLS);
    this.#pool.discard(interpreter.worker);
    interpreter.port.close();
    if (this.#interpreters.get(key) === interpreter) this.#interpreters.delete(key);
  }
}

/** A session's interpreter of `runtime`; the prefix of all its interpreters for "". */
function interpreterKey(session: string, runtime: string): string {
  return `${session}\0${runtime}`;
}
