/**
 * The gate of a pre-booted run: wraps a module's WASI imports so the first syscall that
 * could see the caller's files (a path outside the runtime's base filesystem, or a
 * directory listing) first waits for the job and puts those files in place.
 *
 * An interpreter therefore boots (reads its stdlib, builds its heap) before the request
 * arrives, and the program still sees exactly what a fresh `python /main.py` would see.
 *
 * @module
 */

/** Index of the path pointer and length among each path syscall's arguments. */
const PATH_ARGUMENT: Record<string, number> = {
  path_open: 2,
  path_filestat_get: 2,
  path_filestat_set_times: 2,
  path_link: 2,
  path_readlink: 1,
  path_create_directory: 1,
  path_remove_directory: 1,
  path_unlink_file: 1,
  path_rename: 1,
  path_symlink: 0,
};

/** Syscalls that reveal the filesystem without a path: always open the gate. */
const ALWAYS_OPEN = new Set(["fd_readdir"]);

/** Where the gate reads guest paths from; the memory exists only after instantiation. */
export interface GateOptions {
  /** Top-level names of the base filesystem ("usr", "sys"); paths below them pass freely. */
  baseRoots: Set<string>;
  memory: () => WebAssembly.Memory | undefined;
  /** Waits for the job and installs it; called once, on the first gated syscall. */
  open: () => void;
}

/** Returns `imports` with every path syscall wrapped by the gate. */
export function gateImports(
  imports: WebAssembly.Imports,
  options: GateOptions,
): WebAssembly.Imports {
  let opened = false;
  const gated: WebAssembly.Imports = {};
  for (const [namespace, functions] of Object.entries(imports)) {
    const wrapped: WebAssembly.ModuleImports = {};
    for (const [name, value] of Object.entries(functions)) {
      const pathIndex = PATH_ARGUMENT[name];
      if (typeof value !== "function" || (pathIndex === undefined && !ALWAYS_OPEN.has(name))) {
        wrapped[name] = value;
        continue;
      }
      const syscall = value as (...args: unknown[]) => unknown;
      wrapped[name] = (...args: unknown[]) => {
        if (!opened && (pathIndex === undefined || touchesCallerFiles(args, pathIndex, options))) {
          opened = true;
          options.open();
        }
        return syscall(...args);
      };
    }
    gated[namespace] = wrapped;
  }
  return gated;
}

function touchesCallerFiles(args: unknown[], index: number, options: GateOptions): boolean {
  const memory = options.memory();
  if (!memory) return true;
  const pointer = Number(args[index]) >>> 0;
  const length = Number(args[index + 1]) >>> 0;
  const path = new TextDecoder().decode(new Uint8Array(memory.buffer, pointer, length));
  const first = path.split("/").find((part) => part !== "" && part !== ".");
  return first === undefined || !options.baseRoots.has(first);
}
