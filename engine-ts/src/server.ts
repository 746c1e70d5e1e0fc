/**
 * The method table: initialize, run, cancel, close_live, ping, shutdown. Validates params,
 * matches replies to request ids, keeps many runs in flight, and answers every bad message with a
 * JSON-RPC error instead of stopping.
 *
 * @module
 */

import {
  type CancelParams,
  type CloseLiveParams,
  type CloseLiveResult,
  ErrorCode,
  type InitializeResult,
  type JsonRpcRequest,
  type JsonRpcResponse,
  MAX_ARGS,
  MAX_ARGS_ENV_BYTES,
  MAX_COMPILER_FLAG_CHARS,
  MAX_COMPILER_FLAGS,
  MAX_ENV,
  MAX_RETURN_BYTES,
  MAX_RETURN_FILES,
  type OutputParams,
  type PrepareParams,
  type PrepareResult,
  PROTOCOL_VERSION,
  type RunParams,
} from "./protocol.ts";
import { LIVE_RUNTIMES } from "./live.ts";
import { type Runner, RunRequestError } from "./runner.ts";
import type { Runtimes } from "./runtimes.ts";

/** Version of the engine, reported by `initialize`. */
export const ENGINE_VERSION = "0.1.0";

/** Largest output cap and time budget a run may ask for. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
const MAX_TIMEOUT_MS = 24 * 60 * 60 * 1000;
const MAX_MEMORY_MB = 4096;

type Id = number | string | null;

/** Sends a message to the client. */
export type Send = (message: unknown) => void;

/** Dispatches JSON-RPC messages to the runner. */
export class Server {
  readonly #runtimes: Runtimes;
  readonly #runner: Runner;
  readonly #send: Send;
  readonly #running = new Map<Id, { controller: AbortController; ended: Promise<boolean> }>();
  #shuttingDown = false;
  /** Resolves when a `shutdown` request has been answered. */
  readonly closed: Promise<void>;
  #close!: () => void;

  constructor(options: { runtimes: Runtimes; runner: Runner; send: Send }) {
    this.#runtimes = options.runtimes;
    this.#runner = options.runner;
    this.#send = options.send;
    this.closed = new Promise((resolve) => this.#close = resolve);
  }

  /** Handles one frame body. */
  handleFrame(body: Uint8Array): void {
    let message: unknown;
    try {
      message = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
    } catch (err) {
      this.#error(null, ErrorCode.PARSE_ERROR, `Cannot parse frame: ${describe(err)}`);
      return;
    }
    if (!isRequest(message)) {
      const id = isObject(message) && isId(message.id) ? message.id : null;
      this.#error(
        id,
        ErrorCode.INVALID_REQUEST,
        "Cannot handle message: not a JSON-RPC 2.0 request",
      );
      return;
    }
    this.#dispatch(message).catch((err) => {
      console.error("Unexpected error while handling", message.method, err);
      if (message.id !== undefined) {
        this.#error(message.id, ErrorCode.INTERNAL_ERROR, `Internal error: ${describe(err)}`);
      }
    });
  }

  /** Answers a frame whose length header is over the limit. */
  rejectOversized(size: number, limit: number): void {
    this.#error(
      null,
      ErrorCode.FRAME_TOO_LARGE,
      `Cannot read frame: length ${size} exceeds the limit of ${limit}`,
    );
  }

  /** Stops every run in flight. */
  abortAll(): void {
    for (const { controller } of this.#running.values()) controller.abort();
  }

  async #dispatch(request: JsonRpcRequest): Promise<void> {
    const id = request.id ?? null;
    switch (request.method) {
      case "initialize":
        this.#reply(id, this.#initialize());
        return;
      case "run":
        await this.#run(id, request.params);
        return;
      case "cancel": {
        const params = request.params as Partial<CancelParams> | undefined;
        if (!params || !isId(params.id)) {
          this.#error(id, ErrorCode.INVALID_PARAMS, 'Cannot cancel: "id" must be a request id');
          return;
        }
        const running = this.#running.get(params.id);
        running?.controller.abort();
        // Answered once the run has ended, saying whether its program is known to have stopped.
        const stopped = running === undefined ? false : await running.ended;
        this.#reply(id, { cancelled: running !== undefined, stopped });
        return;
      }
      case "close_live": {
        const params = request.params as Partial<CloseLiveParams> | undefined;
        if (!isObject(params) || typeof params.session !== "string") {
          this.#error(
            id,
            ErrorCode.INVALID_PARAMS,
            'Cannot close a live session: "session" must be a string',
          );
          return;
        }
        const result: CloseLiveResult = { closed: this.#runner.closeLive(params.session) };
        this.#reply(id, result);
        return;
      }
      case "prepare": {
        const params = request.params as Partial<PrepareParams> | undefined;
        const runtime = isObject(params) ? params.runtime : undefined;
        if (typeof runtime !== "string" || this.#runtimes.get(runtime) === undefined) {
          this.#error(
            id,
            ErrorCode.INVALID_PARAMS,
            'Cannot prepare: "runtime" must name a runtime',
          );
          return;
        }
        const result: PrepareResult = { snapshot: await this.#runner.prepare(runtime) };
        this.#reply(id, result);
        return;
      }
      case "ping":
        // The client's watchdog: an answer proves the event loop is not wedged.
        this.#reply(id, {});
        return;
      case "shutdown":
        this.#shuttingDown = true;
        this.abortAll();
        this.#reply(id, {});
        this.#close();
        return;
      default:
        this.#error(
          id,
          ErrorCode.METHOD_NOT_FOUND,
          `Cannot handle method "${request.method}": unknown method`,
        );
    }
  }

  #initialize(): InitializeResult {
    return {
      protocol_version: PROTOCOL_VERSION,
      engine_version: ENGINE_VERSION,
      deno_version: Deno.version.deno,
      runtimes: this.#runtimes.ids.map((runtime) => ({
        id: runtime,
        installed: this.#runtimes.isInstalled(runtime),
      })),
    };
  }

  async #run(id: Id, raw: unknown): Promise<void> {
    if (this.#shuttingDown) {
      this.#error(id, ErrorCode.SHUTTING_DOWN, "Cannot run: the engine is shutting down");
      return;
    }
    let params: RunParams;
    try {
      params = this.#validateRun(raw);
    } catch (err) {
      const code = err instanceof RunRequestError ? err.code : ErrorCode.INVALID_PARAMS;
      this.#error(id, code, describe(err));
      return;
    }
    const controller = new AbortController();
    let ended: (stopped: boolean) => void = () => {};
    this.#running.set(id, { controller, ended: new Promise((resolve) => ended = resolve) });
    let stopped = false;
    try {
      const listener = params.stream_output && typeof id === "number"
        ? (stream: "stdout" | "stderr", bytes: Uint8Array) => {
          const output: OutputParams = { run_id: id, stream, chunk: bytes.toBase64() };
          this.#send({ jsonrpc: "2.0", method: "output", params: output });
        }
        : undefined;
      const result = await this.#runner.run(params, controller.signal, listener);
      stopped = result.stopped;
      this.#reply(id, result);
    } catch (err) {
      if (!(err instanceof RunRequestError)) throw err;
      this.#error(id, err.code, err.message);
    } finally {
      this.#running.delete(id);
      ended(stopped);
    }
  }

  #validateRun(raw: unknown): RunParams {
    if (!isObject(raw)) {
      throw new RunRequestError(ErrorCode.INVALID_PARAMS, "Cannot run: params must be an object");
    }
    const p = raw as Partial<RunParams>;
    const fail = (what: string) => {
      throw new RunRequestError(ErrorCode.INVALID_PARAMS, `Cannot run: ${what}`);
    };
    if (typeof p.runtime !== "string") fail('"runtime" must be a string');
    const runtime = p.runtime as string;
    if (!this.#runtimes.get(runtime)) {
      throw new RunRequestError(
        ErrorCode.UNKNOWN_RUNTIME,
        `Cannot run "${runtime}": known runtimes are ${this.#runtimes.ids.join(", ")}`,
      );
    }
    if (!this.#runtimes.isInstalled(runtime)) {
      throw new RunRequestError(
        ErrorCode.RUNTIME_NOT_INSTALLED,
        `Cannot run "${runtime}": its files are missing from the language folder; run "${
          this.#runtimes.get(runtime)?.bundle ? `runno-mcp install ${runtime}` : "runno-mcp install"
        }"`,
      );
    }
    if (typeof p.entry !== "string" || !p.entry.startsWith("/")) {
      fail('"entry" must be an absolute path');
    }
    if (!Array.isArray(p.files) || !p.files.every(isWireFile)) {
      fail('"files" must be a list of {path, content} with base64 content');
    }
    if (!(p.stdin === null || typeof p.stdin === "string")) fail('"stdin" must be base64 or null');
    if (!Array.isArray(p.args) || !p.args.every((arg) => typeof arg === "string")) {
      fail('"args" must be a list of strings');
    }
    if (!isObject(p.env) || !Object.values(p.env).every((value) => typeof value === "string")) {
      fail('"env" must map names to strings');
    }
    checkArgsEnv(p.args as string[], p.env as Record<string, string>, fail);
    checkRange(p.timeout_ms, "timeout_ms", 1, MAX_TIMEOUT_MS);
    checkRange(p.max_output_bytes, "max_output_bytes", 0, MAX_OUTPUT_BYTES);
    checkRange(p.memory_limit_mb, "memory_limit_mb", 1, MAX_MEMORY_MB);
    checkRange(p.max_return_files, "max_return_files", 0, MAX_RETURN_FILES);
    checkRange(p.max_return_bytes, "max_return_bytes", 0, MAX_RETURN_BYTES);
    if (!["changed", "all", "none"].includes(p.return_fs as string)) {
      fail('"return_fs" must be "changed", "all" or "none"');
    }
    if (typeof p.stream_output !== "boolean") fail('"stream_output" must be a boolean');
    if (p.live_session !== undefined && p.live_session !== null) {
      if (typeof p.live_session !== "string" || p.live_session === "") {
        fail('"live_session" must be a non-empty string or null');
      }
      if (!LIVE_RUNTIMES.has(runtime)) {
        throw new RunRequestError(
          ErrorCode.INVALID_PARAMS,
          `live sessions support only ${[...LIVE_RUNTIMES].join(" and ")}, not "${runtime}"`,
        );
      }
    }
    if (p.compiler_flags !== undefined) {
      checkCompilerFlags(p.compiler_flags, fail);
      if ((p.compiler_flags as string[]).length > 0 && !this.#runtimes.compiles(runtime)) {
        fail(`"compiler_flags" are for runtimes that compile the program, not "${runtime}"`);
      }
    }
    if (p.keep_program !== undefined && p.keep_program !== null) {
      if (typeof p.keep_program !== "string" || !p.keep_program.startsWith("/")) {
        fail('"keep_program" must be an absolute path or null');
      }
    }
    return p as RunParams;
  }

  #reply(id: Id, result: unknown): void {
    const response: JsonRpcResponse = { jsonrpc: "2.0", id, result };
    this.#send(response);
  }

  #error(id: Id, code: number, message: string): void {
    const response: JsonRpcResponse = { jsonrpc: "2.0", id, error: { code, message } };
    this.#send(response);
  }
}

/** Holds args and env to their counts and bytes before any copy of them is made. */
function checkArgsEnv(
  args: string[],
  env: Record<string, string>,
  fail: (what: string) => never,
): void {
  const names = Object.keys(env);
  if (args.length > MAX_ARGS) fail(`${args.length} args are over the limit of ${MAX_ARGS}`);
  if (names.length > MAX_ENV) fail(`${names.length} env entries are over the limit of ${MAX_ENV}`);
  const encoder = new TextEncoder();
  let bytes = 0;
  for (const arg of args) bytes += encoder.encode(arg).length + 1;
  for (const name of names) bytes += encoder.encode(`${name}=${env[name]}`).length + 1;
  if (bytes > MAX_ARGS_ENV_BYTES) {
    fail(`args and env take ${bytes} bytes, over the limit of ${MAX_ARGS_ENV_BYTES}`);
  }
}

/** Holds compiler flags to their count and size; which flags may pass is the Python side's rule. */
function checkCompilerFlags(flags: unknown, fail: (what: string) => never): void {
  if (!Array.isArray(flags) || !flags.every((flag) => typeof flag === "string")) {
    fail('"compiler_flags" must be a list of strings');
  }
  if (flags.length > MAX_COMPILER_FLAGS) {
    fail(`${flags.length} compiler_flags are over the limit of ${MAX_COMPILER_FLAGS}`);
  }
  for (const flag of flags as string[]) {
    if (!flag.startsWith("-") || flag.length > MAX_COMPILER_FLAG_CHARS || flag.includes("\0")) {
      fail(
        `compiler flag "${
          flag.slice(0, 40)
        }" must start with "-", hold no NUL and be at most ${MAX_COMPILER_FLAG_CHARS} characters`,
      );
    }
  }
}

function checkRange(value: unknown, name: string, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new RunRequestError(
      ErrorCode.INVALID_PARAMS,
      `Cannot run: "${name}" must be a number from ${min} to ${max}`,
    );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is number | string {
  return typeof value === "number" || typeof value === "string";
}

function isRequest(value: unknown): value is JsonRpcRequest {
  return isObject(value) && value.jsonrpc === "2.0" && typeof value.method === "string" &&
    (value.id === undefined || value.id === null || isId(value.id));
}

function isWireFile(value: unknown): boolean {
  return isObject(value) && typeof value.path === "string" && value.path.startsWith("/") &&
    typeof value.content === "string" &&
    (value.mtime_ns === undefined ||
      (typeof value.mtime_ns === "string" && /^\d+$/.test(value.mtime_ns)));
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
