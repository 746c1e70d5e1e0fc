/**
 * Wire types and error codes between the Python client and the engine: the contract.
 *
 * Transport: each message is a 4-byte big-endian unsigned length, then that many bytes
 * of UTF-8 JSON-RPC 2.0. Keys are snake_case, spelled as the Python fields.
 * runno_mcp/engine/_protocol.py mirrors this file.
 *
 * @module
 */

/** Version of this protocol; bumped on any incompatible change. */
export const PROTOCOL_VERSION = 1;

/** Largest frame either side accepts, in bytes (64 MiB). */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** Most bytes of files one result may carry: base64 of it plus three capped streams fit one frame. */
export const MAX_RETURN_BYTES = 24 * 1024 * 1024;

/** Most files one result may carry. */
export const MAX_RETURN_FILES = 100_000;
/** Arguments one run may pass (runno_mcp.models.MAX_ARGS). */
export const MAX_ARGS = 4096;
/** Environment variables one run may set (runno_mcp.models.MAX_ENV). */
export const MAX_ENV = 4096;
/** UTF-8 bytes of args and env together, each as exec's `arg\0` / `k=v\0` (MAX_ARGS_ENV_BYTES). */
export const MAX_ARGS_ENV_BYTES = 1024 * 1024;

/** Compiler flags one run may pass (runno_mcp.models.MAX_COMPILER_FLAGS), and characters each. */
export const MAX_COMPILER_FLAGS = 64;
export const MAX_COMPILER_FLAG_CHARS = 256;

/** JSON-RPC error codes the engine answers with. */
export const ErrorCode = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** The frame's length header is over MAX_FRAME_BYTES. */
  FRAME_TOO_LARGE: -32001,
  /** `runtime` names no runtime in the manifest. */
  UNKNOWN_RUNTIME: -32002,
  /** The runtime exists but its files are missing from the language folder. */
  RUNTIME_NOT_INSTALLED: -32003,
  /** The engine is shutting down and takes no new runs. */
  SHUTTING_DOWN: -32004,
} as const;

/** One of the values of ErrorCode. */
export type ErrorCodeValue = typeof ErrorCode[keyof typeof ErrorCode];

/** A file crossing the pipe; `content` is base64 of the exact bytes. */
export interface WireFile {
  path: string;
  content: string;
  /** Modification time in nanoseconds since the epoch, as a decimal string. */
  mtime_ns?: string;
}

/** `initialize` params. */
export interface InitializeParams {
  protocol_version: number;
}

/** A runtime as the engine sees it after reading the manifest. */
export interface RuntimeInfo {
  id: string;
  installed: boolean;
}

/** `initialize` result. */
export interface InitializeResult {
  protocol_version: number;
  engine_version: string;
  deno_version: string;
  runtimes: RuntimeInfo[];
}

/** What `RunResult.fs` should carry back. */
export type ReturnFs = "changed" | "all" | "none";

/** `run` params. */
export interface RunParams {
  runtime: string;
  /** Absolute path of the entry file inside `files`. */
  entry: string;
  files: WireFile[];
  /** base64 of stdin; null means empty stdin (EOF at once). */
  stdin: string | null;
  args: string[];
  env: Record<string, string>;
  timeout_ms: number;
  max_output_bytes: number;
  memory_limit_mb: number;
  return_fs: ReturnFs;
  /** Files the result may carry: changed files first, then by path; the rest are counted, not sent. */
  max_return_files: number;
  /** Bytes of file content the result may carry, at most MAX_RETURN_BYTES. */
  max_return_bytes: number;
  /** Send `output` notifications while the program runs. */
  stream_output: boolean;
  /**
   * Run in the engine's live interpreter with this id (python only), started on first use:
   * variables, imports and functions persist between its calls. Null (or absent): a fresh run.
   */
  live_session?: string | null;
  /**
   * For a runtime that compiles and links (clang, clangpp): also save the linked program at
   * this absolute path, so a later `wasi` run can run it without compiling again. A file
   * already there is removed first, so a failed build leaves no stale program behind.
   */
  keep_program?: string | null;
  /**
   * For a runtime that compiles (clang, clangpp): flags added after its own, checked by the
   * Python side's `RunOptions`; `-l` flags go to the link step, the rest to the compile step.
   */
  compiler_flags?: string[];
}

/** Outcome kinds, as in RunResult.result_type. */
export type ResultType = "complete" | "crash" | "terminated" | "timeout";

/** `run` result: one shape for every outcome. */
export interface RunResultWire {
  result_type: ResultType;
  exit_code: number | null;
  /** The prepare step (compile, link) that failed, so the program never ran; null otherwise. */
  failed_step: PrepareRole | null;
  stdout: string;
  stderr: string;
  tty: string;
  files: WireFile[];
  truncated: boolean;
  warnings: string[];
  /** Files the run wrote that the caps on files left out of `files`, and their bytes. */
  omitted_files: number;
  omitted_bytes: number;
  duration_ms: number;
  error: string | null;
  /**
   * Regular files that existed when the program started (the call's files written) and are
   * gone at the end, sorted; empty when `return_fs` is "none".
   */
  deleted: string[];
  /** For a live run, whether it started a fresh interpreter or continued one; else null. */
  live: LiveState | null;
  /** A live interpreter still running after the call: its linear memory's size. */
  live_memory_bytes?: number | null;
  /** Whether the program resumed its runtime's snapshot instead of booting (docs/engine.md). */
  resumed: boolean;
  /**
   * For a run that timed out or was cancelled: whether its program is known to have stopped
   * (interrupted, see wasm_interrupt.ts). When false it may still hold a thread busy, and the
   * engine process should be replaced once its other runs end.
   */
  stopped: boolean;
}

/** The steps that prepare a program (compile, link) rather than run it. */
export type PrepareRole = "compile" | "link";

/** How a live run found its interpreter. */
export type LiveState = "started" | "continued";

/** `cancel` params: the JSON-RPC id of the `run` request to stop. */
export interface CancelParams {
  id: number;
}

/**
 * `cancel` result, sent once the run has ended: whether a run with that id was still going, and
 * whether its program is known to have stopped (as RunResultWire.stopped).
 */
export interface CancelResult {
  cancelled: boolean;
  stopped: boolean;
}

/** `close_live` params: the live session whose interpreter to stop. */
export interface CloseLiveParams {
  session: string;
}

/** `close_live` result: whether an interpreter with that id existed. */
export interface CloseLiveResult {
  closed: boolean;
}

/** `prepare` params: the runtime whose module, base files and snapshot to make ready. */
export interface PrepareParams {
  runtime: string;
}

/** `prepare` result: whether the runtime's runs will resume a snapshot in this process. */
export interface PrepareResult {
  snapshot: boolean;
}

/** `ping` result: empty. The client's watchdog sends `ping` to check the engine still answers. */
export type PingResult = Record<string, never>;

/** `output` notification params (only when `stream_output` is set). */
export interface OutputParams {
  /** The JSON-RPC id of the `run` request. */
  run_id: number;
  stream: "stdout" | "stderr";
  /** base64 of the bytes written; a UTF-8 character may be split across chunks. */
  chunk: string;
}

/** A JSON-RPC 2.0 request or notification. */
export interface JsonRpcRequest {
  jsonrpc: "2.0";
  id?: number | string | null;
  method: string;
  params?: unknown;
}

/** A JSON-RPC 2.0 error object. */
export interface JsonRpcError {
  code: number;
  message: string;
  data?: unknown;
}

/** A JSON-RPC 2.0 response. */
export type JsonRpcResponse =
  | { jsonrpc: "2.0"; id: number | string | null; result: unknown }
  | { jsonrpc: "2.0"; id: number | string | null; error: JsonRpcError };
