/**
 * One run: resolve the runtime's steps, hand the job to a worker (restored from the runtime's
 * snapshot when it has one, booted from scratch otherwise, or a live session's), and turn what
 * comes back into a RunResultWire. Owns the time budget (compile and link included) and the
 * caches that make warm runs fast: compiled modules per binary and memory cap, unpacked base
 * filesystems, and one snapshot per runtime.
 *
 * @module
 */

import { type BaseFs, filesBaseFs, loadBaseFs, loadGuestFiles } from "./base_fs.ts";
import { type LiveCall, LiveSessions } from "./live.ts";
import { ErrorCode, type RunParams, type RunResultWire } from "./protocol.ts";
import { type OutputListener, ResultBuilder, watchRun } from "./run_outcome.ts";
import { INTERMEDIATE_DIR, type Runtimes } from "./runtimes.ts";
import { checkFeatures, FeatureError } from "./wasm_features.ts";
import { INTERRUPT_EXPORT } from "./wasm_interrupt.ts";
import { capMemory, MemoryCapError, PAGE_BYTES, pagesOf } from "./wasm_memory.ts";
import { conflictsWith } from "./gate.ts";
import { sha256Hex } from "./derived.ts";
import type { Snapshot } from "./snapshot.ts";
import { decodeImage } from "./snapshot_image.ts";
import { patchWasiVfsPoll } from "./wasi/mod.ts";
import {
  type Job,
  jobInputOf,
  type JobStep,
  type PrebootPlan,
  type WorkerCommand,
  type WorkerMessage,
} from "./worker_messages.ts";
import type { WorkerPool } from "./worker_pool.ts";

export type { OutputListener };

/** Memory the compiler and linker may use, whatever the program's own limit (MB). */
const PREPARE_MEMORY_MB = 2048;

/** Per-engine limits: what one run may hold and send back, and its default memory cap. */
export interface RunnerLimits {
  /**
   * The default `memory_limit_mb` of a run, given by the Python side (--memory-limit-mb):
   * pre-booted and warmed interpreters are capped at it.
   */
  defaultMemoryMb: number;
  /** Bytes the program's own writes may allocate in its filesystem. */
  maxFsBytes: number;
}

/** Thrown for a request the engine cannot run as asked; mapped to a JSON-RPC error. */
export class RunRequestError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** Runs programs; one instance per engine. */
export class Runner {
  readonly #runtimes: Runtimes;
  readonly #pool: WorkerPool;
  readonly #modules = new Map<string, Promise<WebAssembly.Module>>();
  /** Modules compiled from a snapshot binary whose hash was checked: only these restore. */
  readonly #snapshotModules = new WeakSet<WebAssembly.Module>();
  readonly #baseFs = new Map<string, Promise<BaseFs>>();
  readonly #live: LiveSessions;
  /** Per runtime: its snapshot, or undefined when it has none (its runs then boot). */
  readonly #snapshots = new Map<string, Promise<Snapshot | undefined>>();

  readonly #limits: RunnerLimits;

  constructor(runtimes: Runtimes, pool: WorkerPool, limits: RunnerLimits) {
    this.#runtimes = runtimes;
    this.#pool = pool;
    this.#limits = limits;
    this.#live = new LiveSessions(pool);
  }

  /** Compiles and unpacks what runtime `id` needs, so its first run at the default memory cap is warm. */
  async warm(id: string): Promise<void> {
    const steps = this.#runtimes.resolveSteps(id, this.#runtimes.get(id)?.entry ?? "/", [], {});
    await Promise.all([
      ...steps.filter((step) => !step.binary.startsWith("fs:")).map((step) =>
        this.#module(
          step.binary,
          step.role === "run" ? this.#limits.defaultMemoryMb : PREPARE_MEMORY_MB,
        )
      ),
      this.#baseFsOf(id),
    ]);
  }

  /** Runs `params` to an outcome; guest misbehaviour is a result, never a throw. */
  run(
    params: RunParams,
    signal: AbortSignal,
    listener?: OutputListener,
  ): Promise<RunResultWire> {
    const session = params.live_session ?? null;
    if (session === null) return this.#runFresh(params, signal, listener);
    // Checked before anything is awaited, so two calls cannot both pass.
    if (this.#live.isBusy(session)) {
      throw new RunRequestError(
        ErrorCode.INVALID_PARAMS,
        `a call is already running in live session ${session}`,
      );
    }
    return this.#live.run(this.#liveCall(session, params), signal, listener);
  }

  /** Stops live session `session`'s interpreter; whether it had one. */
  closeLive(session: string): boolean {
    return this.#live.close(session);
  }

  async #runFresh(
    params: RunParams,
    signal: AbortSignal,
    listener?: OutputListener,
  ): Promise<RunResultWire> {
    const report = new ResultBuilder(params.max_output_bytes, {
      maxReturnFiles: params.max_return_files,
      maxReturnBytes: params.max_return_bytes,
    });
    let worker: Worker;
    let begin: () => void;
    let interruptible = true;
    const restore = this.#isBootable(params) ? await this.#restorable(params) : undefined;
    if (restore) {
      worker = await this.#pool.take();
      const command: WorkerCommand = { type: "restore", ...restore, input: jobInputOf(params) };
      begin = () => worker.postMessage(command);
    } else {
      let job: Job;
      try {
        job = await this.#prepare(params);
      } catch (err) {
        if (err instanceof MemoryCapError) return report.build("crash", null, err.message);
        throw err;
      }
      if (signal.aborted) {
        return report.build("terminated", null, "Run was cancelled before it started");
      }
      worker = await this.#pool.take();
      begin = () => worker.postMessage({ type: "run", job } satisfies WorkerCommand);
      const program = job.steps.at(-1)?.module;
      interruptible = program !== undefined &&
        WebAssembly.Module.exports(program).some((item) => item.name === INTERRUPT_EXPORT);
    }
    const end = await watchRun(
      worker,
      { timeoutMs: params.timeout_ms, signal, output: report.output, listener, interruptible },
      begin,
    );
    // A run that ended by itself, or was stopped, left nothing behind in its worker: the next
    // run may take it. Any other worker may still be busy: terminated, and reported.
    const stopped = end.kind === "timeout" || end.kind === "cancelled" ? await end.stopped : false;
    if (end.kind === "done" || stopped) this.#pool.release(worker);
    else this.#pool.discard(worker);
    return {
      ...report.fromEnd(end, params.timeout_ms),
      resumed: restore !== undefined,
      stopped,
    };
  }

  /**
   * The plan and snapshot to restore a run of `params` from, or undefined when it must boot:
   * the runtime has no snapshot, the run's files could have changed what its boot found, or
   * its memory cap is below the snapshot's size.
   */
  async #restorable(
    params: RunParams,
  ): Promise<{ plan: PrebootPlan; snapshot: Snapshot } | undefined> {
    const snapshot = await this.#snapshotOf(params.runtime);
    if (snapshot === undefined || snapshot.pages > pagesOf(params.memory_limit_mb)) {
      return undefined;
    }
    const files = params.files.map((file) => file.path);
    const plan = await this.plan(params.runtime, params.memory_limit_mb);
    if (
      !this.#snapshotModules.has(plan.step.module!) || // its snapshot binary went missing since
      conflictsWith(snapshot.probes, files) ||
      files.some((file) => plan.baseRoots.includes(file.split("/")[1] ?? ""))
    ) {
      return undefined;
    }
    return { plan, snapshot };
  }

  /** Runtime `runtime`'s snapshot, taken at its first ask. */
  #snapshotOf(runtime: string): Promise<Snapshot | undefined> {
    let snapshot = this.#snapshots.get(runtime);
    if (snapshot === undefined) {
      snapshot = this.#capture(runtime);
      this.#snapshots.set(runtime, snapshot);
    }
    return snapshot;
  }

  async #capture(runtime: string): Promise<Snapshot | undefined> {
    const derived = await this.#runtimes.derived(runtime);
    if (derived === undefined) return undefined;
    const plan = await this.plan(runtime, this.#limits.defaultMemoryMb);
    // A snapshot restores only into the binary it was taken of: the language binary stands in
    // for a snapshot binary that is missing or damaged, and then runs boot.
    if (!this.#snapshotModules.has(plan.step.module!)) return undefined;
    const stored = await this.#storedSnapshot(runtime, derived);
    if (stored !== undefined) return stored;
    const worker = await this.#pool.take();
    try {
      const answer = await new Promise<WorkerMessage>((resolve, reject) => {
        worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
          if (event.data.type === "snapshot" || event.data.type === "no-snapshot") {
            resolve(event.data);
          }
        };
        worker.onerror = (event) => {
          event.preventDefault();
          reject(new Error(event.message));
        };
        worker.postMessage({ type: "capture", plan } satisfies WorkerCommand);
      });
      if (answer.type === "snapshot") {
        this.#pool.release(worker);
        return answer.snapshot;
      }
      if (answer.type === "no-snapshot") {
        console.error(`Cannot snapshot "${runtime}", its runs boot instead: ${answer.reason}`);
      }
    } catch (err) {
      console.error(`Cannot snapshot "${runtime}", its runs boot instead:`, err);
    }
    this.#pool.discard(worker);
    return undefined;
  }

  /**
   * The snapshot derive.ts stored for `runtime` at install (snapshot_image.ts), when it is
   * whole and was taken of what this engine would boot; undefined otherwise (it is then taken
   * afresh, as if there were none).
   */
  async #storedSnapshot(
    runtime: string,
    derived: NonNullable<Awaited<ReturnType<Runtimes["derived"]>>>,
  ): Promise<Snapshot | undefined> {
    const image = derived.image;
    if (image === undefined) return undefined;
    try {
      if (image.key !== await this.#runtimes.imageKey(runtime, derived.sha256)) {
        console.error(
          `Ignoring "${image.path}": it was taken of another boot; reinstall to retake it`,
        );
        return undefined;
      }
      const bytes = await Deno.readFile(image.path);
      if (bytes.length !== image.bytes || await sha256Hex(bytes) !== image.sha256) {
        console.error(
          `Ignoring "${image.path}": it does not match its sha256; reinstall to retake it`,
        );
        return undefined;
      }
      return decodeImage(bytes, image.key);
    } catch (err) {
      console.error(`Ignoring "${image.path}":`, err);
      return undefined;
    }
  }

  /**
   * A live call of `params`; everything but the boot is decided now. A session's first call
   * starts its interpreter as a fresh run of `params` would: resumed from the snapshot when it
   * could be, else booted with its argv and environment.
   */
  #liveCall(session: string, params: RunParams): LiveCall {
    const steps = this.#runtimes.resolveSteps(
      params.runtime,
      params.entry,
      params.args,
      params.env,
    );
    const step = steps.at(-1);
    if (!step || steps.length !== 1 || step.binary.startsWith("fs:")) {
      throw new RangeError(`Cannot run "${params.runtime}" live: it is not one interpreter`);
    }
    return {
      session,
      runtime: params.runtime,
      cell: {
        ...jobInputOf(params),
        entry: params.entry,
        args: params.args,
        env: step.env,
      },
      timeoutMs: params.timeout_ms,
      boot: async () => {
        const limits = {
          memoryLimitMb: params.memory_limit_mb,
          maxFsBytes: this.#limits.maxFsBytes,
        };
        const restore = this.#isBootable(params) ? await this.#restorable(params) : undefined;
        if (restore) return { ...limits, restore };
        const { binary, ...rest } = step;
        return {
          ...limits,
          boot: {
            step: {
              ...rest,
              module: await this.#module(binary, params.memory_limit_mb, params.runtime),
            },
            baseFs: await this.#baseFsOf(params.runtime),
            scratchDirs: this.#runtimes.scratchDirs(params.runtime),
          },
        };
      },
    };
  }

  /** Whether a run could resume a snapshot: everything fixed at boot is as the boot had it. */
  #isBootable(params: RunParams): boolean {
    const spec = this.#runtimes.get(params.runtime);
    return spec !== undefined && spec.steps.length === 1 && params.entry === spec.entry &&
      params.args.length === 0 && Object.keys(params.env).length === 0;
  }

  /** What runtime `runtime`'s snapshot is taken of, and restored into, at `memoryMb`. */
  async plan(runtime: string, memoryMb: number): Promise<PrebootPlan> {
    const spec = this.#runtimes.get(runtime);
    if (!spec) throw new RangeError(`Cannot snapshot "${runtime}": unknown runtime`);
    const [step] = this.#runtimes.resolveSteps(runtime, spec.entry, [], {});
    if (!step || step.binary.startsWith("fs:")) {
      throw new RangeError(`Cannot snapshot "${runtime}": it has no fixed binary`);
    }
    const { binary, ...rest } = step;
    const baseFs = await this.#baseFsOf(runtime);
    return {
      step: { ...rest, module: await this.#module(binary, memoryMb, runtime) },
      baseFs,
      entry: spec.entry,
      baseRoots: [
        ...new Set(
          baseFs.flatMap((base) => base.entries.map((entry) => entry.path.split("/")[1] ?? "")),
        ),
      ],
      scratchDirs: this.#runtimes.scratchDirs(runtime),
      clockSeeded: spec.clock_seeded_prng ?? false,
      memoryLimitMb: memoryMb,
      maxFsBytes: this.#limits.maxFsBytes,
    };
  }

  /**
   * Makes runtime `id` ready for its first run: its snapshot taken (a boot of its interpreter,
   * seconds for python-sci) when it has one, else its module compiled and its files loaded.
   * Whether its runs will resume a snapshot.
   */
  async prepare(id: string): Promise<boolean> {
    if (!this.#runtimes.isInstalled(id)) return false; // its run will say how to install it
    const spec = this.#runtimes.get(id);
    if (spec?.snapshot && spec.steps.length === 1 && await this.#snapshotOf(id) !== undefined) {
      // A stored snapshot needed no boot, so nothing has compiled the module yet: do it now.
      await this.plan(id, this.#limits.defaultMemoryMb);
      return true;
    }
    await this.warm(id);
    return false;
  }

  /** Takes the snapshots of `runtimes` now, one after another, instead of at their first run. */
  async snapshotAhead(runtimes: string[]): Promise<void> {
    for (const runtime of runtimes) await this.prepare(runtime);
  }

  /** Stops every live interpreter. */
  close(): void {
    this.#live.closeAll();
  }

  async #prepare(params: RunParams): Promise<Job> {
    const steps = this.#runtimes.resolveSteps(
      params.runtime,
      params.entry,
      params.args,
      params.env,
      params.compiler_flags ?? [],
    );
    const jobSteps: JobStep[] = await Promise.all(steps.map(async (step) => {
      const { binary, ...rest } = step;
      if (binary.startsWith("fs:")) {
        const fsPath = binary.slice("fs:".length);
        checkCallerModule(params, fsPath);
        return { ...rest, fsPath };
      }
      const memoryMb = step.role === "run" ? params.memory_limit_mb : PREPARE_MEMORY_MB;
      return { ...rest, module: await this.#module(binary, memoryMb, params.runtime) };
    }));
    const keepProgram = params.keep_program ?? undefined;
    if (keepProgram !== undefined && !jobSteps.some((step) => step.role === "link")) {
      throw new RunRequestError(
        ErrorCode.INVALID_PARAMS,
        `Cannot keep the program of "${params.runtime}": only runtimes that compile and link (clang, clangpp) make one`,
      );
    }
    if (keepProgram?.startsWith(INTERMEDIATE_DIR + "/")) {
      throw new RunRequestError(
        ErrorCode.INVALID_PARAMS,
        `Cannot keep the program at "${keepProgram}": ${INTERMEDIATE_DIR} holds the engine's intermediates`,
      );
    }
    // A PCH holds the language options it was built with: clang refuses it beside a caller's
    // -std, -O, -D or -f, so such a compile parses the common headers itself.
    const ownCompileFlags = (params.compiler_flags ?? []).some((flag) => !flag.startsWith("-l"));
    const baseFs = await this.#baseFsOf(params.runtime, !ownCompileFlags);
    return {
      ...jobInputOf(params),
      ...(keepProgram === undefined ? {} : { keepProgram }),
      steps: jobSteps,
      baseFs,
      memoryLimitMb: params.memory_limit_mb,
      maxFsBytes: this.#limits.maxFsBytes,
      // Only multi-step runtimes (compile, link, run) write intermediates.
      scratchDirs: [
        ...(jobSteps.length > 1 ? [INTERMEDIATE_DIR] : []),
        ...this.#runtimes.scratchDirs(params.runtime),
      ],
    };
  }

  /**
   * The compiled module of `path`, its memory capped at `memoryMb` (cached): runtime
   * `runtime`'s snapshot binary in its place when it has a whole one.
   */
  #module(path: string, memoryMb: number, runtime?: string): Promise<WebAssembly.Module> {
    const key = `${path}\0${memoryMb}`;
    let module = this.#modules.get(key);
    if (!module) {
      module = (async () => {
        const { binary, derived } = await this.#binaryOf(path, runtime);
        const pages = Math.floor((memoryMb * 2 ** 20) / PAGE_BYTES);
        // Python's and Ruby's wasi-vfs shim answers poll_oneoff itself unless patched (a
        // snapshot binary was patched and hooked when it was derived).
        const patched = derived ? binary : patchWasiVfsPoll(binary) ?? binary;
        const compiled = await WebAssembly.compile(capMemory(patched, pages, derived));
        if (derived) this.#snapshotModules.add(compiled);
        return compiled;
      })();
      module.catch(() => this.#modules.delete(key));
      this.#modules.set(key, module);
    }
    return module;
  }

  /** The bytes to compile for `path`: its derived binary if whole, else the file itself. */
  async #binaryOf(
    path: string,
    runtime: string | undefined,
  ): Promise<{ binary: Uint8Array<ArrayBuffer>; derived: boolean }> {
    const derived = runtime === undefined ? undefined : await this.#runtimes.derived(runtime);
    // Only a one-step runtime has one, so it stands for the only binary the runtime runs.
    if (derived !== undefined) {
      try {
        const binary = await Deno.readFile(derived.path);
        if (await sha256Hex(binary) === derived.sha256) return { binary, derived: true };
        console.error(
          `Ignoring "${derived.path}": it does not match its sha256; reinstall to rebuild it`,
        );
      } catch (err) {
        console.error(`Ignoring "${derived.path}":`, err);
      }
    }
    return { binary: await Deno.readFile(path), derived: false };
  }

  /**
   * Runtime `id`'s base filesystems: its archives, then the engine's own guest files, then its
   * precompiled header when it has a whole one and `withPch`.
   */
  async #baseFsOf(id: string, withPch = true): Promise<BaseFs[]> {
    const archives = this.#runtimes.baseFsPaths(id).map((path) =>
      this.#cachedBase(path, () => loadBaseFs(path))
    );
    const guestFiles = this.#runtimes.guestFiles(id);
    if (guestFiles.size > 0) {
      archives.push(this.#cachedBase(`guest:${id}`, () => loadGuestFiles(guestFiles)));
    }
    if (withPch && this.#runtimes.get(id)?.pch !== undefined) {
      archives.push(this.#cachedBase(`pch:${id}`, () => this.#loadPch(id)));
    }
    return await Promise.all(archives);
  }

  /** Runtime `id`'s PCH as a base filesystem, or an empty one when it is missing or damaged. */
  async #loadPch(id: string): Promise<BaseFs> {
    const pch = await this.#runtimes.derivedPch(id);
    if (pch === undefined) return filesBaseFs([]); // the header is parsed per run meanwhile
    try {
      const data = await Deno.readFile(pch.path);
      if (data.length === pch.bytes && await sha256Hex(data) === pch.sha256) {
        return filesBaseFs([{ path: pch.guestPath, data }]);
      }
      console.error(
        `Ignoring "${pch.path}": it does not match its sha256; reinstall to rebuild it`,
      );
    } catch (err) {
      console.error(`Ignoring "${pch.path}":`, err);
    }
    return filesBaseFs([]);
  }

  #cachedBase(key: string, load: () => Promise<BaseFs>): Promise<BaseFs> {
    let base = this.#baseFs.get(key);
    if (!base) {
      base = load();
      base.catch(() => this.#baseFs.delete(key));
      this.#baseFs.set(key, base);
    }
    return base;
  }
}

/**
 * Refuses, as a bad request, a module the caller sends to run whose features the sandbox does
 * not offer (see wasm_features.ts); a module made inside the run is checked by the worker.
 */
function checkCallerModule(params: RunParams, path: string): void {
  const file = params.files.find((candidate) => candidate.path === path);
  if (file === undefined) return;
  try {
    checkFeatures(Uint8Array.fromBase64(file.content), path);
  } catch (err) {
    if (err instanceof FeatureError) {
      throw new RunRequestError(ErrorCode.INVALID_PARAMS, err.message);
    }
    throw err;
  }
}
