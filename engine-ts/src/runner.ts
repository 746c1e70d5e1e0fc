/**
 * One run: resolve the runtime's steps, hand the job to a pre-spawned worker, and turn
 * what comes back into a RunResultWire. Owns the time budget (compile and link included),
 * the output caps, cancellation, and the caches that make warm runs fast: compiled
 * modules per binary and memory cap, and unpacked base filesystems.
 *
 * @module
 */

import { type BaseFs, loadBaseFs } from "./base_fs.ts";
import type { ResultType, RunParams, RunResultWire, WireFile } from "./protocol.ts";
import { OutputCollector } from "./output.ts";
import { INTERMEDIATE_DIR, type Runtimes } from "./runtimes.ts";
import { capMemory, MemoryCapError, PAGE_BYTES } from "./wasm_memory.ts";
import type { Job, JobStep, ResultFile, WorkerMessage } from "./worker_messages.ts";
import type { WorkerPool } from "./worker_pool.ts";

/** Memory the compiler and linker may use, whatever the program's own limit (MB). */
const PREPARE_MEMORY_MB = 2048;

/** Thrown for a request the engine cannot run as asked; mapped to a JSON-RPC error. */
export class RunRequestError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** Receives output chunks while a run is going (for `output` notifications). */
export type OutputListener = (stream: "stdout" | "stderr", bytes: Uint8Array) => void;

/** Runs programs; one instance per engine. */
export class Runner {
  readonly #runtimes: Runtimes;
  readonly #pool: WorkerPool;
  readonly #modules = new Map<string, Promise<WebAssembly.Module>>();
  readonly #baseFs = new Map<string, Promise<BaseFs>>();

  constructor(runtimes: Runtimes, pool: WorkerPool) {
    this.#runtimes = runtimes;
    this.#pool = pool;
  }

  /** Compiles and unpacks what runtime `id` needs, so its first run at `memoryMb` is warm. */
  async warm(id: string, memoryMb: number): Promise<void> {
    const steps = this.#runtimes.resolveSteps(id, this.#runtimes.get(id)?.entry ?? "/", [], {});
    await Promise.all([
      ...steps.filter((step) => !step.binary.startsWith("fs:")).map((step) =>
        this.#module(step.binary, step.role === "run" ? memoryMb : PREPARE_MEMORY_MB)
      ),
      ...this.#runtimes.baseFsPaths(id).map((path) => this.#base(path)),
    ]);
  }

  /** Runs `params` to an outcome; guest misbehaviour is a result, never a throw. */
  async run(
    params: RunParams,
    signal: AbortSignal,
    listener?: OutputListener,
  ): Promise<RunResultWire> {
    const started = performance.now();
    const output = new OutputCollector(params.max_output_bytes);
    let job: Job;
    try {
      job = await this.#prepare(params);
    } catch (err) {
      if (err instanceof MemoryCapError) return finish("crash", null, err.message);
      throw err;
    }
    if (signal.aborted) return finish("terminated", null, "Run was cancelled before it started");
    const worker = await this.#pool.take();

    return await new Promise<RunResultWire>((resolve) => {
      let settled = false;
      const settle = (result: RunResultWire) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        this.#pool.discard(worker);
        resolve(result);
      };
      const timer = setTimeout(() => {
        settle(finish("timeout", null, `Run timed out after ${params.timeout_ms / 1000} s`));
      }, params.timeout_ms);
      const onAbort = () => settle(finish("terminated", null, "Run was cancelled"));
      signal.addEventListener("abort", onAbort);

      worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
        const message = event.data;
        switch (message.type) {
          case "ready":
            break;
          case "output":
            output.add(message.fd, message.bytes);
            listener?.(message.fd === 1 ? "stdout" : "stderr", message.bytes);
            break;
          case "cut":
            output.markCut(message.fd === 1 ? "stdout" : "stderr");
            break;
          case "done":
            output.addDropped("stdout", message.droppedBytes.stdout);
            output.addDropped("stderr", message.droppedBytes.stderr);
            settle(
              finish(
                message.outcome,
                message.exitCode,
                message.error,
                message.files.map(toWireFile),
              ),
            );
            break;
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        settle(finish("crash", null, `Run worker failed: ${event.message}`));
      };
      worker.postMessage(job);
    });

    function finish(
      resultType: ResultType,
      exitCode: number | null,
      error: string | null,
      files: WireFile[] = [],
    ): RunResultWire {
      return {
        result_type: resultType,
        exit_code: resultType === "complete" ? exitCode : null,
        stdout: output.text("stdout"),
        stderr: output.text("stderr"),
        tty: output.text("tty"),
        files,
        truncated: output.truncated,
        warnings: output.warnings(),
        duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
        error,
      };
    }
  }

  async #prepare(params: RunParams): Promise<Job> {
    const steps = this.#runtimes.resolveSteps(
      params.runtime,
      params.entry,
      params.args,
      params.env,
    );
    const jobSteps: JobStep[] = await Promise.all(steps.map(async (step) => {
      const { binary, ...rest } = step;
      if (binary.startsWith("fs:")) return { ...rest, fsPath: binary.slice("fs:".length) };
      const memoryMb = step.role === "run" ? params.memory_limit_mb : PREPARE_MEMORY_MB;
      return { ...rest, module: await this.#module(binary, memoryMb) };
    }));
    const baseFs = await Promise.all(
      this.#runtimes.baseFsPaths(params.runtime).map((path) => this.#base(path)),
    );
    return {
      steps: jobSteps,
      baseFs,
      files: params.files.map((file) => ({
        path: file.path,
        content: Uint8Array.fromBase64(file.content),
        ...(file.mtime_ns === undefined ? {} : { mtimeNs: BigInt(file.mtime_ns) }),
      })),
      stdin: params.stdin === null ? new Uint8Array(0) : Uint8Array.fromBase64(params.stdin),
      maxOutputBytes: params.max_output_bytes,
      memoryLimitMb: params.memory_limit_mb,
      returnFs: params.return_fs,
      // Only multi-step runtimes (compile, link, run) write intermediates.
      scratchDirs: jobSteps.length > 1 ? [INTERMEDIATE_DIR] : [],
    };
  }

  /** The compiled module of `path`, its memory capped at `memoryMb` (cached). */
  #module(path: string, memoryMb: number): Promise<WebAssembly.Module> {
    const key = `${path}\0${memoryMb}`;
    let module = this.#modules.get(key);
    if (!module) {
      module = (async () => {
        const binary = await Deno.readFile(path);
        const pages = Math.floor((memoryMb * 2 ** 20) / PAGE_BYTES);
        return await WebAssembly.compile(capMemory(binary, pages));
      })();
      module.catch(() => this.#modules.delete(key));
      this.#modules.set(key, module);
    }
    return module;
  }

  #base(path: string): Promise<BaseFs> {
    let base = this.#baseFs.get(path);
    if (!base) {
      base = loadBaseFs(path);
      base.catch(() => this.#baseFs.delete(path));
      this.#baseFs.set(path, base);
    }
    return base;
  }
}

function toWireFile(file: ResultFile): WireFile {
  return { path: file.path, content: file.content.toBase64(), mtime_ns: file.mtimeNs.toString() };
}
