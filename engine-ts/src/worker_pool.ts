/**
 * Pre-spawned run workers, so a run never waits for a worker to boot. A worker whose run
 * ended by itself comes back for the next run (each run builds its own instance and
 * filesystem, so nothing a run did reaches the next one); any other is thrown away.
 *
 * @module
 */

import type { WorkerMessage } from "./worker_messages.ts";

const WORKER_URL = new URL("./worker.ts", import.meta.url);

/** Keeps `size` booted workers on hand. */
export class WorkerPool {
  readonly #size: number;
  readonly #ready: Promise<Worker>[] = [];
  readonly #live = new Set<Worker>();
  #closed = false;

  constructor(size: number) {
    this.#size = size;
    this.#fill();
  }

  /**
   * Takes a booted worker, or boots one when none is on hand. Its replacement boots only if
   * it does not come back (see `release` and `discard`): a worker booting beside every run
   * would take a core from it.
   */
  async take(): Promise<Worker> {
    if (this.#closed) throw new Error("Cannot take a worker: the pool is closed");
    return await (this.#ready.shift() ?? spawn(this.#live));
  }

  /**
   * Takes back `worker`, whose run ended by itself, for the next take; terminates it when
   * enough workers are on hand.
   */
  release(worker: Worker): void {
    if (this.#closed || this.#ready.length >= this.#size) {
      worker.terminate();
      this.#live.delete(worker);
      return;
    }
    worker.onmessage = null;
    worker.onerror = null;
    this.#ready.unshift(Promise.resolve(worker));
  }

  /** Terminates `worker`, forgets it, and boots a replacement if too few are on hand. */
  discard(worker: Worker): void {
    worker.terminate();
    this.#live.delete(worker);
    this.#fill();
  }

  /** Terminates every worker, busy or idle. */
  close(): void {
    this.#closed = true;
    for (const worker of this.#live) worker.terminate();
    this.#live.clear();
    this.#ready.length = 0;
  }

  #fill(): void {
    while (!this.#closed && this.#ready.length < this.#size) {
      const booting = spawn(this.#live);
      booting.catch(() => {}); // surfaced by take()
      this.#ready.push(booting);
    }
  }
}

function spawn(live: Set<Worker>): Promise<Worker> {
  // Guest code runs here: the worker gets no permissions at all.
  const worker = new Worker(WORKER_URL, { type: "module", deno: { permissions: "none" } });
  live.add(worker);
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
      if (event.data.type === "ready") resolve(worker);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      live.delete(worker);
      worker.terminate();
      reject(new Error(`Cannot start a run worker: ${event.message}`));
    };
  });
}
