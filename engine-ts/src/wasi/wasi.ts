// Copyright the runno_mcp authors. MIT license.
// The WASI host: sets up stdio (also reachable as /dev/stdin, /dev/stdout,
// /dev/stderr and /dev/null) and the preopened root, builds the import
// object for a module (preview1 and/or preview0) and runs `_start`.

import { type Abi, PREVIEW0, PREVIEW1 } from "./abi.ts";
import {
  ERRNO_FAULT,
  ERRNO_NOSYS,
  RIGHTS_DIRECTORY,
  RIGHTS_DIRECTORY_INHERITING,
} from "./constants.ts";
import { DirFd } from "./dir_fd.ts";
import type { Fd } from "./fd.ts";
import type { MemoryFs } from "./fs.ts";
import { GuestMemory } from "./memory.ts";
import { Stdio } from "./stdio_fd.ts";
import { ProcExit, Syscalls, type WasiState } from "./syscalls.ts";

export { ProcExit };

/** Options of a WASI instance. */
export interface WasiOptions {
  /** argv, including the program name. */
  args: string[];
  /** The guest's whole environment. */
  env: Record<string, string>;
  /** Filesystem preopened as "/" (fd 3) unless `preopenRoot` is false. */
  fs: MemoryFs;
  /** Whether to preopen `fs` as "/"; default true. */
  preopenRoot?: boolean;
  /**
   * Further preopens, from fd 4 on: a directory of `fs` announced under another name.
   * wasi-libc resolves a path through the preopen with the longest matching name, so
   * this puts a directory where the root has a file (matplotlib's data "inside" the
   * stdlib zip).
   */
  preopens?: Preopen[];
  /** The whole of stdin; EOF after it. */
  stdin: Uint8Array;
  /** Receives a copy of the bytes of every write to stdout (1) or stderr (2). */
  onOutput: (fd: 1 | 2, bytes: Uint8Array) => void;
  /** Report fds 0-2 as character devices (terminals); default false. */
  isTty?: boolean;
}

/** A directory of the filesystem announced to the guest under `guestPath`. */
export interface Preopen {
  guestPath: string;
  /** The directory's path in the filesystem. */
  fsPath: string;
}

/** A syscall as imported by the guest: wasm values in, an errno out. */
type Syscall = (...args: never[]) => number;

const encoder = new TextEncoder();

/** A WASI preview1 (and preview0) host over a `MemoryFs`. */
export class Wasi {
  readonly #state: WasiState;
  readonly #stdio: Stdio;
  #memory: GuestMemory | undefined;

  constructor(options: WasiOptions) {
    const fds = new Map<number, Fd>();
    this.#stdio = new Stdio({
      stdin: options.stdin,
      onOutput: options.onOutput,
      tty: options.isTty ?? false,
    });
    this.#stdio.fds().forEach((fd, number) => fds.set(number, fd));
    if (options.preopenRoot ?? true) {
      fds.set(
        3,
        new DirFd(options.fs.root, {
          rightsBase: RIGHTS_DIRECTORY,
          rightsInheriting: RIGHTS_DIRECTORY_INHERITING,
          preopen: "/",
          devices: this.#stdio,
        }),
      );
    }
    for (const [index, preopen] of (options.preopens ?? []).entries()) {
      const dir = options.fs.directory(preopen.fsPath);
      if (dir === undefined) {
        throw new TypeError(`Cannot preopen "${preopen.fsPath}": no such directory`);
      }
      fds.set(
        4 + index,
        new DirFd(dir, {
          rightsBase: RIGHTS_DIRECTORY,
          rightsInheriting: RIGHTS_DIRECTORY_INHERITING,
          preopen: preopen.guestPath,
        }),
      );
    }
    this.#state = {
      args: options.args.map((arg) => encoder.encode(`${arg}\0`)),
      env: Object.entries(options.env).map(([key, value]) => encoder.encode(`${key}=${value}\0`)),
      fds,
      memory: () => {
        if (this.#memory === undefined) {
          throw new TypeError("Cannot run a syscall before start()");
        }
        return this.#memory;
      },
    };
  }

  /** The guest's open fds, in order: stdio, the preopens, and what it opened since. */
  openFds(): number[] {
    return [...this.#state.fds.keys()].sort((a, b) => a - b);
  }

  /** Replaces what stdin (fd 0 and every open of /dev/stdin) reads, from its start. */
  replaceStdin(data: Uint8Array): void {
    this.#stdio.stdin.replace(data);
  }

  /**
   * Import object for `module`: `wasi_snapshot_preview1` and/or `wasi_unstable`, and for a
   * function imported from any other namespace a stand-in that ends the run naming it when
   * called, so a program that imports but never calls one still runs.
   */
  getImports(module: WebAssembly.Module): WebAssembly.Imports {
    const wanted = new Map<string, Set<string>>();
    for (const item of WebAssembly.Module.imports(module)) {
      if (item.kind !== "function") continue;
      let names = wanted.get(item.module);
      if (names === undefined) wanted.set(item.module, names = new Set());
      names.add(item.name);
    }
    const imports: WebAssembly.Imports = {};
    for (const abi of [PREVIEW1, PREVIEW0]) {
      const names = wanted.get(abi.module);
      if (names !== undefined) imports[abi.module] = this.#table(abi, names);
    }
    for (const [namespace, names] of wanted) {
      if (namespace in imports) continue;
      imports[namespace] = Object.fromEntries(
        [...names].map((name) => [name, foreignImport(namespace, name)]),
      );
    }
    return imports;
  }

  /**
   * Runs the program: `_start` for a command; for a reactor, `_initialize` (when exported)
   * and then the export named `entry`, whose i32 result is the exit code. Returns the exit
   * code (0 when `_start` returns). Traps propagate. `initialize` false skips `_initialize`
   * (an instance restored from a snapshot was initialised before it was taken).
   */
  start(instance: WebAssembly.Instance, entry = "_start", initialize = true): number {
    const memory = instance.exports.memory;
    if (!(memory instanceof WebAssembly.Memory)) {
      throw new TypeError("Cannot start: the module exports no memory");
    }
    this.#memory = new GuestMemory(memory);
    const initializer = instance.exports._initialize;
    const main = instance.exports[entry];
    if (typeof main !== "function") {
      throw new TypeError(`Cannot start: the module exports no ${entry}`);
    }
    try {
      if (initialize && entry !== "_start" && typeof initializer === "function") initializer();
      const code: unknown = main();
      return typeof code === "number" ? code : 0;
    } catch (error: unknown) {
      if (error instanceof ProcExit) return error.code;
      throw error;
    }
  }

  #table(abi: Abi, names: Set<string>): Record<string, Syscall> {
    const syscalls = new Syscalls(this.#state, abi);
    const methods = syscalls as unknown as Record<string, unknown>;
    const table: Record<string, Syscall> = {};
    for (const name of names) {
      const method = SYSCALL_NAMES.has(name) ? methods[name] : undefined;
      table[name] = typeof method === "function"
        ? guard((method as Syscall).bind(syscalls))
        : notImplemented;
    }
    return table;
  }
}

const SYSCALL_NAMES = new Set(
  Object.getOwnPropertyNames(Syscalls.prototype).filter((name) => name !== "constructor"),
);

function notImplemented(): number {
  return ERRNO_NOSYS;
}

/** Wraps a syscall so a bad guest pointer gives EFAULT instead of a throw. */
function guard(fn: Syscall): Syscall {
  return function guarded(...args: never[]): number {
    try {
      return fn(...args);
    } catch (error: unknown) {
      if (error instanceof RangeError) return ERRNO_FAULT;
      throw error;
    }
  };
}

/** What a program gets for a function imported from outside WASI: calling it ends the run. */
function foreignImport(namespace: string, name: string): () => never {
  return () => {
    throw new Error(
      `Program called "${namespace}"."${name}", an import outside WASI preview 1 that this ` +
        "sandbox does not provide",
    );
  };
}
