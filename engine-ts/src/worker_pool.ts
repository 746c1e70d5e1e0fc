/**
 * Pre-spawned run workers, so a run never waits for a worker to boot. Each worker runs
 * one job and is then thrown away: nothing a run did can reach the next one.
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

  /** Takes a booted worker (or waits for one) and starts booting its replacement. */
  async take(): Promise<Worker> {
    if (this.#closed) throw new Error("Cannot take a worker: the pool is closed");
    const next = this.#ready.shift() ?? spawn(this.#live);
    this.#fill();
    return await next;
  }

  /** Terminates `worker` and forgets it. */
  discard(worker: Worker): void {
    worker.terminate();
    this.#live.delete(worker);
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
