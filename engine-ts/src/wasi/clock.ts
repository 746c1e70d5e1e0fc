// Copyright the runno_mcp authors. MIT license.
// Clocks in nanoseconds and a sleep that blocks the thread without spinning.

import {
  CLOCKID_MONOTONIC,
  CLOCKID_PROCESS_CPUTIME_ID,
  CLOCKID_REALTIME,
  CLOCKID_THREAD_CPUTIME_ID,
} from "./constants.ts";

let lastMonotonic = 0n;
const startNs = monotonicNs();

/** Wall-clock time in nanoseconds since the Unix epoch. */
export function realtimeNs(): bigint {
  const ms = performance.timeOrigin + performance.now();
  return BigInt(Math.floor(ms)) * 1_000_000n +
    BigInt(Math.round((ms % 1) * 1e6));
}

/**
 * Monotonic time in nanoseconds; never goes backwards. Counted from the process's time origin,
 * not the worker's, so a run restored from a snapshot in another worker continues the clock
 * its interpreter read while booting.
 */
export function monotonicNs(): bigint {
  const now = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
  if (now > lastMonotonic) lastMonotonic = now;
  return lastMonotonic;
}

/** The time of clock `id` in ns, or undefined for an unknown clock. */
export function clockTime(id: number): bigint | undefined {
  switch (id) {
    case CLOCKID_REALTIME:
      return realtimeNs();
    case CLOCKID_MONOTONIC:
      return monotonicNs();
    case CLOCKID_PROCESS_CPUTIME_ID:
    case CLOCKID_THREAD_CPUTIME_ID:
      return monotonicNs() - startNs;
    default:
      return undefined;
  }
}

/** The resolution of clock `id` in ns, or undefined for an unknown clock. */
export function clockResolution(id: number): bigint | undefined {
  switch (id) {
    case CLOCKID_REALTIME:
    case CLOCKID_MONOTONIC:
    case CLOCKID_PROCESS_CPUTIME_ID:
    case CLOCKID_THREAD_CPUTIME_ID:
      return 1000n;
    default:
      return undefined;
  }
}

let sleeper: Int32Array | undefined;

/** Thrown out of a sleep the engine interrupted: the run was stopped. */
export class Interrupted extends Error {}

/**
 * Makes sleeps wait on `flag` (a run's interrupt flag, see wasm_interrupt.ts), so the engine
 * can end a sleeping run as it ends a busy one; undefined: an unshared flag of our own.
 */
export function interruptSleepsWith(flag: Int32Array | undefined): void {
  sleeper = flag;
}

/** Blocks the calling thread for `ns` nanoseconds with `Atomics.wait`, or until interrupted. */
export function sleepNs(ns: bigint): void {
  if (ns <= 0n) return;
  sleeper ??= new Int32Array(new SharedArrayBuffer(4));
  const deadline = monotonicNs() + ns;
  for (;;) {
    if (Atomics.load(sleeper, 0) !== 0) throw new Interrupted("Program was stopped while asleep");
    const left = deadline - monotonicNs();
    if (left <= 0n) return;
    Atomics.wait(sleeper, 0, 0, Number(left) / 1e6);
  }
}
