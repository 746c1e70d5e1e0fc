/**
 * Snapshots of a booted interpreter, inside a worker: `captureSnapshot` boots a runtime's
 * asyncified module (see asyncify.ts) up to its gate (gate.ts), unwinds its stack into its own
 * memory and keeps that memory and its globals; `runRestored` starts a run from there in a
 * fresh instance, with the run's own filesystem, stdin and WASI state, and rewinds the stack
 * to the syscall the gate stopped at. CPython's boot (100+ ms) becomes a memory copy.
 *
 * The state of an interpreter at its gate is its linear memory (which holds the unwound
 * stack), its mutable globals (exported as `runno_global_N` by the build), and the WASI host's
 * state. The last is rebuilt, not copied: a snapshot is only taken when the guest holds no fd
 * beyond stdio and the preopens, and the clocks continue across workers (clock.ts).
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { gateImports } from "./gate.ts";
import { INTERRUPT_EXPORT } from "./wasm_interrupt.ts";
import type { MemoryFs, Wasi } from "./wasi/mod.ts";
import type { JobInput, PrebootPlan } from "./worker_messages.ts";
import {
  addFiles,
  buildFs,
  createWasi,
  finish,
  markStart,
  type Outcome,
  OutputSink,
  runStep,
  type StepHooks,
  type StepResult,
} from "./worker_run.ts";

/** Exported names the build gives the module's mutable globals. */
export const GLOBAL_EXPORT_PREFIX = "runno_global_";

/** Pages added above the guest's memory at the gate to hold its unwound stack. */
const STACK_PAGES = 1;
const PAGE_BYTES = 65536;
/** Granularity of the copy: only chunks that are not zero in a fresh instance are copied. */
const CHUNK_BYTES = 4096;

/** An interpreter's state at its gate, shared read-only by every worker of the engine. */
export interface Snapshot {
  /** Names this capture, for a worker keeping an instance of it (`Spare`). */
  id: string;
  /** Linear memory size at the gate, in pages (the unwound stack's page included). */
  pages: number;
  /** Byte ranges of memory to copy, as [start, length] pairs; everything else is zero. */
  ranges: Uint32Array;
  /** The ranges' bytes, packed in order. */
  bytes: Uint8Array;
  globals: [string, number | bigint][];
  /** Where asyncify's data (the saved stack) lives in memory. */
  stackData: number;
  /** The syscall (`namespace.name`) the gate stopped at, which the rewind reaches again. */
  gateSyscall: string;
  /** Paths the interpreter looked up, and did not find, before its gate. */
  probes: string[];
  /** Offsets of PRNG seeds taken from the boot's clock: each run gets fresh random ones. */
  seeds: number[];
}

/** Why an interpreter cannot be snapshotted; the engine then boots it per run. */
export class SnapshotError extends Error {}

interface AsyncifyExports {
  asyncify_start_unwind(data: number): void;
  asyncify_stop_unwind(): void;
  asyncify_start_rewind(data: number): void;
  asyncify_stop_rewind(): void;
}

function asyncifyOf(instance: WebAssembly.Instance): AsyncifyExports {
  const exports = instance.exports as Record<string, unknown>;
  for (const name of ["start_unwind", "stop_unwind", "start_rewind", "stop_rewind"]) {
    if (typeof exports[`asyncify_${name}`] !== "function") {
      throw new SnapshotError(`the module has no asyncify_${name} export: it was not asyncified`);
    }
  }
  return exports as unknown as AsyncifyExports;
}

const CLOCK_REALTIME = 0;

/**
 * Records the wall-clock readings (ns) a boot makes, for `findClockSeeds`: QuickJS seeds
 * `Math.random` from `gettimeofday` in microseconds while it boots, so every run restored from
 * one snapshot would draw the same numbers.
 */
function recordClock(
  imports: WebAssembly.Imports,
  readings: bigint[],
  memory: () => WebAssembly.Memory | undefined,
): WebAssembly.Imports {
  const wasi = imports.wasi_snapshot_preview1;
  const clock = wasi?.clock_time_get;
  if (typeof clock !== "function") return imports;
  const read = clock as (id: number, precision: bigint, pointer: number) => number;
  return {
    ...imports,
    wasi_snapshot_preview1: {
      ...wasi,
      clock_time_get: (id: number, precision: bigint, pointer: number) => {
        const errno = read(id, precision, pointer);
        const view = memory();
        if (errno === 0 && id === CLOCK_REALTIME && view !== undefined) {
          readings.push(new DataView(view.buffer).getBigUint64(pointer >>> 0, true));
        }
        return errno;
      },
    },
  };
}

/** 8-byte-aligned offsets in `image` holding a clock reading in microseconds. */
function findClockSeeds(image: Uint8Array, readings: bigint[]): number[] {
  const wanted = new Set(readings.map((ns) => ns / 1000n));
  if (wanted.size === 0) return [];
  const words = new BigUint64Array(image.buffer, image.byteOffset, Math.floor(image.length / 8));
  const seeds: number[] = [];
  for (let index = 0; index < words.length; index++) {
    if (wanted.has(words[index]!)) seeds.push(index * 8);
  }
  return seeds;
}

/** Boots `plan`'s interpreter to its gate and captures it there. */
export function captureSnapshot(plan: PrebootPlan): Snapshot {
  const fs = buildFs(plan.baseFs, plan.scratchDirs, plan.maxFsBytes);
  let wrote = false;
  const wasi = createWasi(plan.step, fs, new Uint8Array(0), () => wrote = true);
  let instance: WebAssembly.Instance | undefined;
  let memory: WebAssembly.Memory | undefined;
  let gateSyscall: string | undefined;
  let stackData = 0;
  const probes: string[] = [];
  const readings: bigint[] = [];
  const result = runStep(
    plan.step,
    wasi,
    fs,
    plan.memoryLimitMb,
    {
      wrapImports: (imports) =>
        gateImports(recordClock(imports, readings, () => memory), {
          baseRoots: new Set(plan.baseRoots),
          // The step's further preopens come after the root (fd 3), in order.
          baseFds: new Set(plan.step.preopens.map((_, index) => 4 + index)),
          entry: plan.entry.replace(/^\/+/, ""),
          memory: () => memory,
          probe: (path) => probes.push(path),
          open: (syscall) => {
            gateSyscall = syscall;
            stackData = memory!.grow(STACK_PAGES) * PAGE_BYTES;
            const view = new DataView(memory!.buffer);
            view.setUint32(stackData, stackData + 8, true);
            view.setUint32(stackData + 4, stackData + STACK_PAGES * PAGE_BYTES, true);
            asyncifyOf(instance!).asyncify_start_unwind(stackData);
            return false;
          },
        }),
      onInstance: (made) => {
        instance = made;
        const exported = made.exports.memory;
        if (exported instanceof WebAssembly.Memory) memory = exported;
      },
    },
  );
  if (result.outcome !== "complete") throw new SnapshotError(`its boot failed: ${result.error}`);
  if (gateSyscall === undefined || instance === undefined || memory === undefined) {
    throw new SnapshotError("its program ended without reaching the gate");
  }
  asyncifyOf(instance).asyncify_stop_unwind();
  if (wrote) throw new SnapshotError("it wrote output before its gate");
  const saved = new DataView(memory.buffer).getUint32(stackData, true) - (stackData + 8);
  // A function missing from the build's onlylist would leave nothing (or too little) saved,
  // and the rewind would then start the program over: refuse that here.
  if (saved <= 0) throw new SnapshotError("no stack was saved at the gate");
  const expected = [0, 1, 2, 3, ...plan.step.preopens.map((_, index) => 4 + index)];
  const open = wasi.openFds();
  if (open.join() !== expected.join()) {
    throw new SnapshotError(
      `it holds fds ${open.join(", ")} at its gate, beyond stdio and preopens`,
    );
  }
  const image = new Uint8Array(memory.buffer);
  const seeds = plan.clockSeeded ? findClockSeeds(image, readings) : [];
  if (plan.clockSeeded && seeds.length !== 1) {
    throw new SnapshotError(
      `found ${seeds.length} clock seeds where its PRNG keeps one: runs would share random numbers`,
    );
  }
  return {
    id: crypto.randomUUID(),
    ...packMemory(image),
    pages: memory.buffer.byteLength / PAGE_BYTES,
    globals: Object.entries(instance.exports)
      .filter(([name]) => name.startsWith(GLOBAL_EXPORT_PREFIX))
      .map(([name, global]) => [name, (global as WebAssembly.Global).value]),
    stackData,
    gateSyscall,
    probes,
    seeds,
  };
}

/**
 * The chunks of `image` that are not zero, merged into ranges: all a restore writes, since a
 * snapshot binary's fresh instance starts with zero memory (its data segments are passive).
 */
function packMemory(image: Uint8Array): { ranges: Uint32Array; bytes: Uint8Array } {
  const ranges: number[] = [];
  let total = 0;
  for (let start = 0; start < image.length; start += CHUNK_BYTES) {
    const end = Math.min(start + CHUNK_BYTES, image.length);
    if (isZero(image, start, end)) continue;
    const last = ranges.length - 2;
    if (last >= 0 && ranges[last]! + ranges[last + 1]! === start) ranges[last + 1]! += end - start;
    else ranges.push(start, end - start);
    total += end - start;
  }
  const bytes = new Uint8Array(new SharedArrayBuffer(total));
  let offset = 0;
  for (let index = 0; index < ranges.length; index += 2) {
    const start = ranges[index]!;
    const length = ranges[index + 1]!;
    bytes.set(image.subarray(start, start + length), offset);
    offset += length;
  }
  const shared = new Uint32Array(new SharedArrayBuffer(ranges.length * 4));
  shared.set(ranges);
  return { ranges: shared, bytes };
}

function isZero(bytes: Uint8Array, start: number, end: number): boolean {
  if (start >= end) return true;
  // Eight bytes at a time: most of a snapshot's memory is either all zero or not at all.
  if (start % 8 === 0 && (end - start) % 8 === 0 && bytes.byteOffset % 8 === 0) {
    const words = new BigUint64Array(bytes.buffer, bytes.byteOffset + start, (end - start) / 8);
    for (const word of words) if (word !== 0n) return false;
    return true;
  }
  for (let index = start; index < end; index++) if (bytes[index] !== 0) return false;
  return true;
}

/**
 * Writes `snapshot` into `instance`'s memory and globals, and starts the rewind. A fresh
 * instance's memory is zero; a reused one's (`reused`) is cleared first: its pages are mapped
 * already, so clearing and copying CPython's 10 MiB takes ~2 ms where a fresh memory's first
 * touch of each page takes ~6.
 */
function restoreInto(instance: WebAssembly.Instance, snapshot: Snapshot, reused: boolean): void {
  const memory = instance.exports.memory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new SnapshotError("the module exports no memory");
  }
  const grow = snapshot.pages - memory.buffer.byteLength / PAGE_BYTES;
  if (grow > 0) memory.grow(grow);
  const target = new Uint8Array(memory.buffer);
  if (reused) {
    target.fill(0);
    const interrupt = instance.exports[INTERRUPT_EXPORT];
    if (interrupt instanceof WebAssembly.Memory) new Uint8Array(interrupt.buffer).fill(0);
  }
  let offset = 0;
  for (let index = 0; index < snapshot.ranges.length; index += 2) {
    const start = snapshot.ranges[index]!;
    const length = snapshot.ranges[index + 1]!;
    target.set(snapshot.bytes.subarray(offset, offset + length), start);
    offset += length;
  }
  for (const [name, value] of snapshot.globals) {
    (instance.exports[name] as WebAssembly.Global).value = value;
  }
  for (const offset of snapshot.seeds) {
    const seed = target.subarray(offset, offset + 8);
    do crypto.getRandomValues(seed); while (seed.every((byte) => byte === 0)); // xorshift needs non-zero
  }
  asyncifyOf(instance).asyncify_start_rewind(snapshot.stackData);
}

/**
 * An instance a run leaves in its worker, for the next run resumed from the same
 * snapshot at the same memory cap. Its imports call whatever `route` holds, so each run gives
 * it its own WASI host. Everything a run can change in it is rewritten by the next restore: the
 * whole memory (kept only if the run did not grow it), every mutable global (the build exports
 * them all), the interrupt flag. The language binaries never write their function table (the
 * build refuses one that could: `checkDerivable`), so nothing else carries over.
 */
interface Spare {
  key: string;
  instance: WebAssembly.Instance;
  route: Route;
}

/** Where a kept instance's imports lead: the current run's (see `routed`). */
interface Route {
  imports: WebAssembly.Imports;
}

let spare: Spare | undefined;

/** Imports of the same shape as `imports` that call what `route` holds when they are called. */
function routed(imports: WebAssembly.Imports, route: Route): WebAssembly.Imports {
  const forward: WebAssembly.Imports = {};
  for (const [namespace, functions] of Object.entries(imports)) {
    const calls: WebAssembly.ModuleImports = {};
    for (const [name, value] of Object.entries(functions)) {
      calls[name] = typeof value !== "function"
        ? value
        : (...args: unknown[]) =>
          (route.imports[namespace]![name] as (...args: unknown[]) => unknown)(...args);
    }
    forward[namespace] = calls;
  }
  return forward;
}

/**
 * Runs `input` from `snapshot`: a fresh filesystem and WASI host with the run's files and
 * stdin, an instance holding the snapshot's memory (this worker's spare one when it has one,
 * else a new one), and the stack rewound to the gate.
 */
export function runRestored(plan: PrebootPlan, snapshot: Snapshot, input: JobInput): Outcome {
  const fs = buildFs(plan.baseFs, plan.scratchDirs, plan.maxFsBytes);
  addFiles(fs, input.files);
  const start = markStart(fs, input);
  const sink = new OutputSink(input.maxOutputBytes);
  const wasi = createWasi(plan.step, fs, input.stdin, (fd, bytes) => sink.write(fd, bytes));
  const key = `${snapshot.id}:${plan.memoryLimitMb}`;
  const reuse = spare?.key === key ? spare : undefined;
  spare = undefined; // a run that throws leaves none
  const { result, instance, route } = resumeStep(plan, snapshot, wasi, fs, {}, reuse);
  const memory = instance?.exports.memory;
  // Kept even after a trap or an interrupt: a trap leaves nothing but memory and globals behind,
  // and the next restore rewrites both.
  if (
    instance !== undefined && memory instanceof WebAssembly.Memory &&
    memory.buffer.byteLength === snapshot.pages * PAGE_BYTES
  ) {
    spare = { key, instance, route };
  }
  return finish({ result, fs, start, input, sink, hidden: plan.scratchDirs, alive: false });
}

/**
 * Runs `plan`'s step from `snapshot` over `wasi` and `fs`: in `reuse`'s instance when given,
 * else a new one, with the snapshot written in and the stack rewound to the gate. `hooks` may
 * wrap the WASI imports (a live session's control files) and see the instance.
 */
export function resumeStep(
  plan: PrebootPlan,
  snapshot: Snapshot,
  wasi: Wasi,
  fs: MemoryFs,
  hooks: Pick<StepHooks, "wrapImports" | "onInstance">,
  reuse?: Spare,
): { result: StepResult; instance: WebAssembly.Instance | undefined; route: Route } {
  const route = reuse?.route ?? { imports: {} };
  let instance = reuse?.instance;
  let rewinding = true;
  const result = runStep(
    plan.step,
    wasi,
    fs,
    plan.memoryLimitMb,
    {
      resume: true,
      ...(reuse === undefined ? {} : { instance: reuse.instance }),
      wrapImports: (imports) => {
        const own = hooks.wrapImports?.(imports) ?? imports;
        route.imports = rewindingImports(own, snapshot, () => {
          if (!rewinding) return false;
          rewinding = false;
          asyncifyOf(instance!).asyncify_stop_rewind();
          return true;
        });
        return routed(imports, route);
      },
      onInstance: (made) => {
        instance = made;
        restoreInto(made, snapshot, reuse !== undefined);
        hooks.onInstance?.(made);
      },
    },
  );
  return { result, instance, route };
}

/**
 * `imports` for a rewind: while the stack rewinds, no code runs but the calls down to the gate's
 * syscall, so the first import called is that syscall, where the program goes on. `first`
 * stops the rewind and says whether this call is that first one.
 */
function rewindingImports(
  imports: WebAssembly.Imports,
  snapshot: Snapshot,
  first: () => boolean,
): WebAssembly.Imports {
  const wrapped: WebAssembly.Imports = {};
  for (const [namespace, functions] of Object.entries(imports)) {
    const calls: WebAssembly.ModuleImports = {};
    for (const [name, value] of Object.entries(functions)) {
      if (typeof value !== "function") {
        calls[name] = value;
        continue;
      }
      const syscall = value as (...args: unknown[]) => unknown;
      const qualified = `${namespace}.${name}`;
      calls[name] = (...args: unknown[]) => {
        if (first() && qualified !== snapshot.gateSyscall) {
          throw new SnapshotError(
            `the restored stack reached ${qualified} instead of ${snapshot.gateSyscall}`,
          );
        }
        return syscall(...args);
      };
    }
    wrapped[namespace] = calls;
  }
  return wrapped;
}
