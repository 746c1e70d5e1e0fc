// Copyright the runno_mcp authors. MIT license.
// The host's view of the in-memory filesystem: load files before a run,
// read them back after it, and list what the run changed. Every filesystem
// starts with /dev/stdin, /dev/stdout, /dev/stderr and /dev/null, which are
// devices, not files: they are never listed as files, and a file the host
// adds at their place (or at /dev itself) replaces them.

import {
  DeviceInode,
  type DeviceKind,
  DirInode,
  FileInode,
  type Inode,
  InodeCounter,
} from "./inode.ts";

/** The device nodes of /dev, by name. */
const DEVICES: DeviceKind[] = ["stdin", "stdout", "stderr", "null"];

/** A regular file as the host sees it. */
export interface FsEntry {
  /** Absolute path, "/"-separated. */
  path: string;
  /** File bytes (a view; copy before keeping it past the next run). */
  content: Uint8Array;
  /** Modification time in ns since the epoch. */
  mtimeNs: bigint;
}

/** Opaque marker of a filesystem state, from `MemoryFs.snapshot()`. */
export interface FsSnapshot {
  /** Change sequence number at the time of the snapshot. */
  readonly seq: number;
}

/** Options of `MemoryFs.addFile`. */
export interface AddFileOptions {
  /** `content` is shared with other runs: never mutated, copied on first write. */
  shared?: boolean;
  /** Modification time in ns; defaults to now. */
  mtimeNs?: bigint;
}

function components(path: string): string[] {
  return path.split("/").filter((c) => c !== "" && c !== ".");
}

/** Options of `MemoryFs`. */
export interface MemoryFsOptions {
  /** Bytes that guest writes may allocate in file buffers; ENOSPC past it. Files added by the host do not count until written. */
  maxBytes?: number;
  /** Files, directories and links the guest may create; ENOSPC past it. Default unlimited. */
  maxEntries?: number;
  /** Whether to create /dev with stdin, stdout, stderr and null; default true. */
  devices?: boolean;
}

/** An in-memory filesystem: a tree of directories with a `Map` per directory. */
export class MemoryFs {
  readonly #counter: InodeCounter;
  readonly #root: DirInode;

  /** `maxBytes` caps the bytes that writes may allocate (ENOSPC past it); default unlimited. */
  constructor(options: MemoryFsOptions = {}) {
    this.#counter = new InodeCounter(options.maxBytes ?? Infinity, options.maxEntries ?? Infinity);
    this.#root = new DirInode(this.#counter);
    this.#root.nlink = 1;
    if (options.devices ?? true) {
      const dev = this.#mkdirs(["dev"], "/dev");
      for (const device of DEVICES) dev.link(device, new DeviceInode(this.#counter, device));
    }
  }

  /** The root directory inode. */
  get root(): DirInode {
    return this.#root;
  }

  /** Adds a regular file, creating parent directories as needed. */
  addFile(path: string, content: Uint8Array, options: AddFileOptions = {}): void {
    const parts = components(path);
    const name = parts.pop();
    if (name === undefined) {
      throw new TypeError(`Cannot add file: "${path}" names no file`);
    }
    const dir = this.#mkdirs(parts, path);
    const existing = dir.get(name);
    if (existing instanceof DirInode) {
      if (!isBuiltIn(existing)) {
        throw new TypeError(`Cannot add file "${path}": it is a directory`);
      }
      dir.unlink(name);
    }
    const fileOptions: { shared?: boolean; mtimNs?: bigint } = {
      shared: options.shared ?? false,
    };
    if (options.mtimeNs !== undefined) fileOptions.mtimNs = options.mtimeNs;
    dir.link(name, new FileInode(this.#counter, content, fileOptions));
  }

  /** Adds a directory (and its parents); existing directories are kept. */
  addDirectory(path: string): void {
    this.#mkdirs(components(path), path);
  }

  /** Removes the regular file at `path`, if there is one; whether there was. */
  removeFile(path: string): boolean {
    const parts = components(path);
    const name = parts.pop();
    const dir = this.#lookup(parts.join("/"));
    if (name === undefined || !(dir instanceof DirInode) || !(dir.get(name) instanceof FileInode)) {
      return false;
    }
    dir.unlink(name);
    return true;
  }

  /** The content of the regular file at `path`, or undefined. */
  readFile(path: string): Uint8Array | undefined {
    const inode = this.#lookup(path);
    return inode instanceof FileInode ? inode.content() : undefined;
  }

  /** The directory at `path`, or undefined. */
  directory(path: string): DirInode | undefined {
    const inode = this.#lookup(path);
    return inode instanceof DirInode ? inode : undefined;
  }

  /** Bytes currently allocated by guest writes (see `maxBytes`). */
  get usedBytes(): number {
    return this.#counter.used;
  }

  /** Cheap marker of the current state, taken before the program starts. */
  snapshot(): FsSnapshot {
    return { seq: this.#counter.tick() };
  }

  /** Regular files whose path is new or whose content changed since `snapshot`. */
  changedSince(snapshot: FsSnapshot): FsEntry[] {
    const out: FsEntry[] = [];
    walkFiles(this.#root, "", 0, (path, file, linkSeq) => {
      if (linkSeq > snapshot.seq || file.changeSeq > snapshot.seq) {
        out.push({ path, content: file.content(), mtimeNs: file.mtim });
      }
    });
    return out;
  }

  /** Paths of every regular file. */
  filePaths(): Set<string> {
    const out = new Set<string>();
    walkFiles(this.#root, "", 0, (path) => out.add(path));
    return out;
  }

  /**
   * Links a file at `path` only while `use` runs, then removes it and the directories it
   * made, and gives those directories their times back: a hand-over to a guest that opens
   * the file inside `use` (its fd keeps reading it) and leaves no trace in the tree.
   */
  withTemporaryFile<T>(path: string, content: Uint8Array, use: () => T): T {
    const parts = components(path);
    const name = parts.pop();
    if (name === undefined) throw new TypeError(`Cannot add file: "${path}" names no file`);
    // The deepest directory that exists already: everything below it is ours to remove.
    let keep = this.#root;
    let kept = 0;
    for (const part of parts) {
      const next = keep.get(part);
      if (!(next instanceof DirInode)) break;
      keep = next;
      kept++;
    }
    if (keep.get(parts[kept] ?? name) !== undefined) {
      throw new TypeError(`Cannot add temporary file "${path}": something is there`);
    }
    const times = { mtim: keep.mtim, ctim: keep.ctim };
    const dir = this.#mkdirs(parts, path);
    dir.link(name, new FileInode(this.#counter, content));
    try {
      return use();
    } finally {
      dir.unlink(name);
      for (let made = dir; made !== keep; made = made.parent) made.removed = true;
      const top = parts[kept];
      if (top !== undefined) keep.unlink(top);
      keep.mtim = times.mtim;
      keep.ctim = times.ctim;
    }
  }

  /** Every regular file. */
  allFiles(): FsEntry[] {
    const out: FsEntry[] = [];
    walkFiles(this.#root, "", 0, (path, file) => {
      out.push({ path, content: file.content(), mtimeNs: file.mtim });
    });
    return out;
  }

  #lookup(path: string): Inode | undefined {
    let inode: Inode = this.#root;
    for (const part of components(path)) {
      if (!(inode instanceof DirInode)) return undefined;
      const next = inode.get(part);
      if (next === undefined) return undefined;
      inode = next;
    }
    return inode;
  }

  #mkdirs(parts: string[], path: string): DirInode {
    let dir = this.#root;
    for (const part of parts) {
      if (part === "..") {
        throw new TypeError(`Cannot add "${path}": ".." is not allowed`);
      }
      let next = dir.get(part);
      if (next === undefined || next instanceof DeviceInode) {
        next = new DirInode(this.#counter, dir);
        dir.link(part, next);
      }
      if (!(next instanceof DirInode)) {
        throw new TypeError(`Cannot add "${path}": "${part}" is a file`);
      }
      dir = next;
    }
    return dir;
  }
}

/** Whether `dir` holds nothing but devices: /dev as made, which the caller's files replace. */
function isBuiltIn(dir: DirInode): boolean {
  if (dir.count === 0) return false;
  for (const [, entry] of dir.entries()) {
    if (!(entry.inode instanceof DeviceInode)) return false;
  }
  return true;
}

function walkFiles(
  root: DirInode,
  rootPath: string,
  rootSeq: number,
  visit: (path: string, file: FileInode, linkSeq: number) => void,
): void {
  // A stack, not recursion: the guest shapes the tree, and a 100,000-deep one must not
  // overflow the engine's call stack. Each directory's entries are visited in order.
  const pending: [DirInode, string, number][] = [[root, rootPath, rootSeq]];
  while (pending.length > 0) {
    const [dir, prefix, parentSeq] = pending.pop()!;
    const below: [DirInode, string, number][] = [];
    for (const [name, entry] of dir.entries()) {
      const path = `${prefix}/${name}`;
      // A file inside a renamed directory is new at its new path: the
      // directory's link sequence carries down to everything below it.
      const seq = Math.max(parentSeq, entry.linkSeq);
      if (entry.inode instanceof DirInode) below.push([entry.inode, path, seq]);
      else if (entry.inode instanceof FileInode) visit(path, entry.inode, seq);
    }
    for (let index = below.length - 1; index >= 0; index--) pending.push(below[index]!);
  }
}
