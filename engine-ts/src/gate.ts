/**
 * The gate of a snapshot: wraps a module's WASI imports so an interpreter boots before any
 * request exists, and stops at the first syscall whose answer could depend on a run's files
 * or stdin. There its state is captured (snapshot.ts) and every run resumes from it.
 *
 * Before the gate, a read-only lookup of a path outside the runtime's base filesystem
 * (CPython probes `/pyvenv.cfg`, Ruby `enumerator.so`) is allowed through and recorded as
 * a probe: it found nothing, and the engine gives this interpreter only a run whose files
 * would not have changed that answer (see `conflictsWith`). Anything else outside the base
 * filesystem opens the gate first: touching the entry file, listing a directory, creating
 * or removing anything, a path with `..`, or a lookup from a directory other than `/`.
 * Inside the base filesystem everything passes, listing included: the gate follows which
 * fds path_open returned there, and the runtime's further preopens (matplotlib's data) count
 * as such fds from the start.
 * The program therefore sees exactly what a fresh `python /main.py` would see.
 *
 * @module
 */

/** The preopened root directory's fd: wasi-libc resolves every absolute path from it. */
const ROOT_FD = 3;

/** Index of the dir fd and the path pointer (length follows) among each syscall's arguments. */
const PATH_ARGUMENT: Record<string, { fd: number; path: number }> = {
  path_open: { fd: 0, path: 2 },
  path_filestat_get: { fd: 0, path: 2 },
  path_filestat_set_times: { fd: 0, path: 2 },
  path_link: { fd: 0, path: 2 },
  path_readlink: { fd: 0, path: 1 },
  path_create_directory: { fd: 0, path: 1 },
  path_remove_directory: { fd: 0, path: 1 },
  path_unlink_file: { fd: 0, path: 1 },
  path_rename: { fd: 0, path: 1 },
  path_symlink: { fd: 2, path: 0 },
};

/** Lookups that change nothing, so a miss can be checked against the run's files later. */
const READ_ONLY = new Set(["path_open", "path_filestat_get", "path_readlink"]);

/** path_open oflags that create or truncate. */
const OFLAGS_CREAT = 1;
const OFLAGS_TRUNC = 8;

/** Syscalls that list a directory by fd: they pass only for a directory of the base filesystem. */
const FD_LISTING = new Set(["fd_readdir"]);

/** The argument of path_open that points at the new fd. */
const OPENED_FD_POINTER = 8;

/** What the gate makes of one syscall: through to the base filesystem, through, or open. */
type Decision = "base" | "pass" | "open";

/** What the gate needs from the worker. */
export interface GateOptions {
  /** Top-level names of the base filesystem ("usr", "sys"); paths below them pass freely. */
  baseRoots: Set<string>;
  /** Preopens other than `/` that lie in the base filesystem: lookups there pass freely. */
  baseFds?: Set<number>;
  /** The entry file, relative to `/` ("main.py"): touching it always opens the gate. */
  entry: string;
  memory: () => WebAssembly.Memory | undefined;
  /** Records a path looked up (and not found) before the gate, relative to `/`. */
  probe: (path: string) => void;
  /**
   * Called once, on the first gated syscall (`namespace.name`). True: the syscall goes on now
   * (the job is installed); false: it is skipped and answers 0 (the stack is being unwound).
   */
  open: (syscall: string) => boolean;
}

/** Returns `imports` with every path syscall wrapped by the gate. */
export function gateImports(
  imports: WebAssembly.Imports,
  options: GateOptions,
): WebAssembly.Imports {
  let opened = false;
  // Fds of the base filesystem: its preopens, and what path_open opened there before the gate
  // (matplotlib lists its font folders while it is imported).
  const baseFds = new Set(options.baseFds);
  const gated: WebAssembly.Imports = {};
  for (const [namespace, functions] of Object.entries(imports)) {
    const wrapped: WebAssembly.ModuleImports = {};
    for (const [name, value] of Object.entries(functions)) {
      if (typeof value !== "function") {
        wrapped[name] = value;
        continue;
      }
      const syscall = value as (...args: unknown[]) => unknown;
      if (name === "fd_close") {
        wrapped[name] = (...args: unknown[]) => {
          baseFds.delete(Number(args[0]));
          return syscall(...args);
        };
        continue;
      }
      if (PATH_ARGUMENT[name] === undefined && !FD_LISTING.has(name)) {
        wrapped[name] = value;
        continue;
      }
      wrapped[name] = (...args: unknown[]) => {
        if (opened) return syscall(...args);
        const decision: Decision = FD_LISTING.has(name)
          ? (baseFds.has(Number(args[0])) ? "base" : "open")
          : decide(name, args, options, baseFds);
        if (decision === "open") {
          opened = true;
          return options.open(`${namespace}.${name}`) ? syscall(...args) : 0;
        }
        const errno = syscall(...args);
        const memory = options.memory();
        if (name === "path_open" && errno === 0 && memory !== undefined) {
          const fd = new DataView(memory.buffer).getUint32(
            Number(args[OPENED_FD_POINTER]) >>> 0,
            true,
          );
          if (decision === "base") baseFds.add(fd);
          else baseFds.delete(fd);
        }
        return errno;
      };
    }
    gated[namespace] = wrapped;
  }
  return gated;
}

/** Whether a run's files would have changed what a recorded probe found. */
export function conflictsWith(probes: string[], files: string[]): boolean {
  return probes.some((probe) => {
    const path = `/${probe}`;
    return files.some((file) => file === path || file.startsWith(`${path}/`));
  });
}

function decide(
  name: string,
  args: unknown[],
  options: GateOptions,
  baseFds: Set<number>,
): Decision {
  const argument = PATH_ARGUMENT[name];
  const memory = options.memory();
  if (argument === undefined || memory === undefined) return "open";
  const pointer = Number(args[argument.path]) >>> 0;
  const length = Number(args[argument.path + 1]) >>> 0;
  const raw = new TextDecoder().decode(new Uint8Array(memory.buffer, pointer, length));
  const parts = raw.split("/").filter((part) => part !== "" && part !== ".");
  const path = parts.join("/");
  if (parts.includes("..")) return "open";
  const fd = Number(args[argument.fd]);
  if (baseFds.has(fd)) return "base";
  if (fd !== ROOT_FD) return "open";
  // Reading the root's own link or status cannot depend on what is inside it.
  if (parts.length === 0) {
    return name === "path_readlink" || name === "path_filestat_get" ? "pass" : "open";
  }
  if (parts[0] !== undefined && options.baseRoots.has(parts[0])) return "base";
  if (path === options.entry || !READ_ONLY.has(name)) return "open";
  if (name === "path_open" && (Number(args[4]) & (OFLAGS_CREAT | OFLAGS_TRUNC)) !== 0) {
    return "open";
  }
  options.probe(path);
  return "pass";
}
