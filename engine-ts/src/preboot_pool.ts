/**
 * Interpreters booted ahead of their requests: per runtime, a few workers whose program
 * has started and waits at the gate for its files and stdin. Taking one skips the boot
 * (CPython's is most of a hello world); the pool boots a replacement at once.
 *
 * @module
 */

import { conflictsWith } from "./gate.ts";
import type { JobInput, PrebootPlan, WorkerCommand, WorkerMessage } from "./worker_messages.ts";
import type { WorkerPool } from "./worker_pool.ts";

/** A worker whose interpreter waits at the gate. */
export interface BootedRun {
  worker: Worker;
  /** Paths the interpreter looked up, and did not find, before its gate. */
  probes: string[];
  /** Top-level names of the base filesystem: a run with files there starts cold. */
  baseRoots: Set<string>;
  /** Hands the run its input; the program continues from the gate. */
  start(input: JobInput): void;
}

/** Gives up on a runtime after this many boots in a row fail. */
const MAX_BOOT_FAILURES = 3;

/** Keeps booted interpreters ready per runtime. */
export class PrebootPool {
  readonly #workers: WorkerPool;
  readonly #plan: (runtime: string) => Promise<PrebootPlan>;
  readonly #sizes: Map<string, number>;
  readonly #ready = new Map<string, BootedRun[]>();
  readonly #booting = new Map<string, number>();
  readonly #failures = new Map<string, number>();
  readonly #waiting: string[];
  readonly #started = new Set<string>();
  readonly #firstBootDone = new Set<string>();
  readonly #onUse: Set<string>;
  /** Callers of `takeSoon` waiting for a boot of a runtime to end. */
  readonly #bootEnded = new Map<string, (() => void)[]>();
  #closed = false;

  constructor(
    workers: WorkerPool,
    plan: (runtime: string) => Promise<PrebootPlan>,
    sizes: Map<string, number>,
    onUse: Set<string> = new Set(),
  ) {
    this.#workers = workers;
    this.#plan = plan;
    this.#sizes = sizes;
    this.#onUse = onUse;
    // One runtime at a time at start-up, in the order given: on two cores, booting every
    // interpreter at once would delay the first one a caller is most likely to need.
    // Runtimes in `onUse` (seconds of boot, hundreds of MB each) start at their first take.
    this.#waiting = [...sizes.keys()].filter((runtime) => !onUse.has(runtime));
    this.#startNext();
  }

  #startNext(): void {
    const runtime = this.#waiting.shift();
    if (runtime === undefined) return;
    this.#started.add(runtime);
    this.#fill(runtime);
  }

  /**
   * A booted run of `runtime` whose boot `files` could not have changed, or undefined when
   * none is ready (the caller starts cold). Files under the base filesystem never qualify.
   */
  take(runtime: string, files: string[]): BootedRun | undefined {
    if (this.#onUse.has(runtime) && !this.#started.has(runtime)) {
      this.#started.add(runtime);
      this.#firstBootDone.add(runtime); // it does not hold up the start-up queue
      this.#fill(runtime);
      return undefined;
    }
    const ready = this.#ready.get(runtime) ?? [];
    const index = ready.findIndex((run) =>
      !conflictsWith(run.probes, files) &&
      !files.some((file) => run.baseRoots.has(file.split("/")[1] ?? ""))
    );
    if (index < 0) return undefined;
    const [run] = ready.splice(index, 1);
    this.#fill(runtime);
    return run;
  }

  /**
   * Like `take`, but when none is ready and one is booting, waits for that boot: it began
   * before this request, so it ends no later than a cold start begun now would.
   */
  async takeSoon(runtime: string, files: string[]): Promise<BootedRun | undefined> {
    const run = this.take(runtime, files);
    if (run !== undefined || (this.#booting.get(runtime) ?? 0) === 0 || this.#closed) return run;
    await new Promise<void>((resolve) => {
      const waiting = this.#bootEnded.get(runtime) ?? [];
      waiting.push(resolve);
      this.#bootEnded.set(runtime, waiting);
    });
    // Once only: a boot that starts after this request is no sooner than a cold start.
    return this.take(runtime, files);
  }

  /** Booted runs ready now, per runtime. */
  get readyCounts(): Record<string, number> {
    return Object.fromEntries([...this.#ready].map(([runtime, runs]) => [runtime, runs.length]));
  }

  /** Stops booting; the worker pool terminates the workers. */
  close(): void {
    this.#closed = true;
    this.#ready.clear();
  }

  #fill(runtime: string): void {
    if (!this.#started.has(runtime)) return;
    const want = this.#sizes.get(runtime) ?? 0;
    while (
      !this.#closed && (this.#failures.get(runtime) ?? 0) < MAX_BOOT_FAILURES &&
      (this.#ready.get(runtime)?.length ?? 0) + (this.#booting.get(runtime) ?? 0) < want
    ) {
      this.#booting.set(runtime, (this.#booting.get(runtime) ?? 0) + 1);
      this.#boot(runtime).then((run) => {
        this.#failures.set(runtime, 0);
        if (this.#closed) return this.#workers.discard(run.worker);
        const ready = this.#ready.get(runtime) ?? [];
        ready.push(run);
        this.#ready.set(runtime, ready);
      }, (err) => {
        this.#failures.set(runtime, (this.#failures.get(runtime) ?? 0) + 1);
        console.error(`Cannot pre-boot "${runtime}":`, err);
      }).finally(() => {
        this.#booting.set(runtime, (this.#booting.get(runtime) ?? 1) - 1);
        const waiting = this.#bootEnded.get(runtime) ?? [];
        this.#bootEnded.delete(runtime);
        for (const wake of waiting) wake();
        if (!this.#firstBootDone.has(runtime)) {
          this.#firstBootDone.add(runtime);
          this.#startNext();
        }
        this.#fill(runtime);
      });
    }
  }

  async #boot(runtime: string): Promise<BootedRun> {
    const plan = await this.#plan(runtime);
    const worker = await this.#workers.take();
    const channel = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const probes = await new Promise<string[]>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
        if (event.data.type === "booted") resolve(event.data.probes);
        // A program that finishes or writes output before its gate is not bootable.
        else if (event.data.type !== "ready") {
          reject(new Error(`unexpected "${event.data.type}" while booting`));
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(event.message));
      };
      const command: WorkerCommand = { type: "preboot", plan, port: channel.port2, signal };
      worker.postMessage(command, [channel.port2]);
    }).catch((err) => {
      this.#workers.discard(worker);
      throw err;
    });
    return {
      worker,
      probes,
      baseRoots: new Set(plan.baseRoots),
      start(input: JobInput) {
        channel.port1.postMessage(input);
        const flag = new Int32Array(signal);
        Atomics.store(flag, 0, 1);
        Atomics.notify(flag, 0);
      },
    };
  }
}
