// Copyright the runno_mcp authors. MIT license.
// The inodes of the in-memory filesystem: regular files, directories,
// symbolic links and the character devices of /dev. Directories hold a `Map` of names to inodes, so a lookup
// costs one map access per path component.

import {
  ERRNO_INVAL,
  ERRNO_NOSPC,
  FILETYPE_CHARACTER_DEVICE,
  FILETYPE_DIRECTORY,
  FILETYPE_REGULAR_FILE,
  FILETYPE_SYMBOLIC_LINK,
  FSTFLAGS_ATIM,
  FSTFLAGS_ATIM_NOW,
  FSTFLAGS_MTIM,
  FSTFLAGS_MTIM_NOW,
} from "./constants.ts";
import type { Filestat } from "./fd.ts";
import { realtimeNs } from "./clock.ts";

/** Counters shared by the inodes of one filesystem, and its byte budget. */
export class InodeCounter {
  #nextIno = 1n;
  #seq = 0;
  #used = 0;
  #entries = 0;
  readonly #limit: number;
  readonly #maxEntries: number;

  constructor(limit = Infinity, maxEntries = Infinity) {
    this.#limit = limit;
    this.#maxEntries = maxEntries;
  }

  /**
   * Takes one guest-made inode (file, directory or link) and the bytes of its name and
   * target from the budgets; false when either is spent. Never given back: a run is short,
   * and a bound on what a guest can ever have made is what keeps the engine's memory bounded.
   */
  admit(nameBytes: number): boolean {
    if (this.#entries >= this.#maxEntries || !this.reserve(nameBytes)) return false;
    this.#entries += 1;
    return true;
  }

  /** Takes `delta` bytes (negative gives back); false when over the budget. */
  reserve(delta: number): boolean {
    if (delta > 0 && this.#used + delta > this.#limit) return false;
    this.#used += delta;
    return true;
  }

  /** Bytes held by file buffers that writes allocated. */
  get used(): number {
    return this.#used;
  }

  /** A fresh inode number. */
  ino(): bigint {
    return this.#nextIno++;
  }
  /** A fresh change sequence number (strictly increasing). */
  tick(): number {
    return ++this.#seq;
  }
  /** The last sequence number handed out. */
  get seq(): number {
    return this.#seq;
  }
}

/** Fields shared by every inode. */
export abstract class Inode {
  /** Filesystem counters. */
  readonly counter: InodeCounter;
  /** Inode number. */
  readonly ino: bigint;
  /** Number of directory entries that name this inode. */
  nlink = 0;
  /** Access time in ns. */
  atim: bigint;
  /** Modification time in ns. */
  mtim: bigint;
  /** Status change time in ns. */
  ctim: bigint;

  constructor(counter: InodeCounter, mtimNs?: bigint) {
    this.counter = counter;
    this.ino = counter.ino();
    const now = mtimNs ?? realtimeNs();
    this.atim = now;
    this.mtim = now;
    this.ctim = now;
  }

  /** WASI filetype of this inode. */
  abstract get filetype(): number;
  /** Size reported by stat. */
  abstract get size(): bigint;
}

/** A regular file whose bytes live in a growable buffer. */
export class FileInode extends Inode {
  #data: Uint8Array;
  #size: number;
  #shared: boolean;
  /** Bytes of #data counted against the filesystem's budget. */
  #counted = 0;
  /** Sequence number of the last content change. */
  changeSeq: number;

  constructor(
    counter: InodeCounter,
    content: Uint8Array,
    options: { shared?: boolean; mtimNs?: bigint } = {},
  ) {
    super(counter, options.mtimNs);
    this.#shared = options.shared ?? false;
    this.#data = content;
    this.#size = content.byteLength;
    this.changeSeq = counter.tick();
  }

  override get filetype(): number {
    return FILETYPE_REGULAR_FILE;
  }

  override get size(): bigint {
    return BigInt(this.#size);
  }

  /** Length in bytes. */
  get length(): number {
    return this.#size;
  }

  /** A view of the current content (valid until the next write). */
  content(): Uint8Array {
    return this.#data.subarray(0, this.#size);
  }

  /** Copies bytes at `offset` into `dest`; returns the count copied. */
  read(offset: number, dest: Uint8Array): number {
    if (offset >= this.#size) return 0;
    const n = Math.min(dest.byteLength, this.#size - offset);
    dest.set(this.#data.subarray(offset, offset + n));
    return n;
  }

  /** Writes `src` at `offset`, growing the file (gap reads as zeros); returns an errno. */
  write(offset: number, src: Uint8Array): number {
    const end = offset + src.byteLength;
    if (!this.#ensureWritable(Math.max(end, this.#size))) return ERRNO_NOSPC;
    this.#data.set(src, offset);
    if (end > this.#size) this.#size = end;
    this.#touch();
    return 0;
  }

  /** Sets the length (new bytes read as zeros); returns an errno. */
  resize(size: number): number {
    if (!this.#ensureWritable(size)) return ERRNO_NOSPC;
    if (size < this.#size) this.#data.fill(0, size, this.#size);
    this.#size = size;
    this.#touch();
    return 0;
  }

  #touch(): void {
    this.changeSeq = this.counter.tick();
    const now = realtimeNs();
    this.mtim = now;
    this.ctim = now;
  }

  /** Makes the buffer private and at least `capacity` bytes long; false when out of memory. */
  #ensureWritable(capacity: number): boolean {
    if (!this.#shared && capacity <= this.#data.byteLength) return true;
    let newCapacity = capacity;
    if (capacity > this.#data.byteLength) {
      newCapacity = Math.max(capacity, Math.min(this.#data.byteLength * 2, capacity + (64 << 20)));
    }
    if (!this.counter.reserve(newCapacity - this.#counted)) return false;
    let next: Uint8Array;
    try {
      next = new Uint8Array(newCapacity);
    } catch (error: unknown) {
      this.counter.reserve(this.#counted - newCapacity);
      if (error instanceof RangeError) return false;
      throw error;
    }
    next.set(this.#data.subarray(0, Math.min(this.#size, capacity)));
    this.#data = next;
    this.#shared = false;
    this.#counted = newCapacity;
    return true;
  }

  /** Gives the buffer's bytes back to the budget (the last link is gone). */
  release(): void {
    this.counter.reserve(-this.#counted);
    this.#counted = 0;
  }
}

/** A symbolic link holding its target path. */
export class SymlinkInode extends Inode {
  /** Target as given to path_symlink. */
  readonly target: string;

  constructor(counter: InodeCounter, target: string) {
    super(counter);
    this.target = target;
  }

  override get filetype(): number {
    return FILETYPE_SYMBOLIC_LINK;
  }

  override get size(): bigint {
    return BigInt(new TextEncoder().encode(this.target).byteLength);
  }
}

/** The streams a device node of /dev stands for. */
export type DeviceKind = "stdin" | "stdout" | "stderr" | "null";

/**
 * A character device (/dev/stdin, /dev/null, ...). It holds no data: opening it
 * gives an fd on the stream of the WASI instance that opens it, so one
 * filesystem can serve several programs (a compile step, then the run).
 */
export class DeviceInode extends Inode {
  /** Which stream opening this node gives. */
  readonly device: DeviceKind;

  constructor(counter: InodeCounter, device: DeviceKind) {
    super(counter);
    this.device = device;
  }

  override get filetype(): number {
    return FILETYPE_CHARACTER_DEVICE;
  }

  override get size(): bigint {
    return 0n;
  }
}

/** One entry of a directory: the inode and when it was linked there. */
export interface DirEntry {
  /** The inode named by this entry. */
  inode: Inode;
  /** Sequence number of when this name was linked. */
  linkSeq: number;
}

/** A directory: a map of names to inodes plus its parent. */
export class DirInode extends Inode {
  readonly #entries = new Map<string, DirEntry>();
  /** The parent directory (itself for a root). */
  parent: DirInode;
  /** True once removed from its parent. */
  removed = false;

  constructor(counter: InodeCounter, parent?: DirInode) {
    super(counter);
    this.parent = parent ?? this;
  }

  override get filetype(): number {
    return FILETYPE_DIRECTORY;
  }

  override get size(): bigint {
    return 4096n;
  }

  /** The inode named `name`, if any. */
  get(name: string): Inode | undefined {
    return this.#entries.get(name)?.inode;
  }

  /** The entry named `name`, if any. */
  entry(name: string): DirEntry | undefined {
    return this.#entries.get(name);
  }

  /** Number of entries (without "." and ".."). */
  get count(): number {
    return this.#entries.size;
  }

  /** Entries in insertion order. */
  entries(): IterableIterator<[string, DirEntry]> {
    return this.#entries.entries();
  }

  /** Links `inode` as `name`, replacing any previous entry. */
  link(name: string, inode: Inode): void {
    const old = this.#entries.get(name);
    if (old) {
      // Re-insert so listing order stays the order of link sequence numbers.
      this.#entries.delete(name);
      dropLink(old.inode);
    }
    this.#entries.set(name, { inode, linkSeq: this.counter.tick() });
    inode.nlink++;
    if (inode instanceof DirInode) inode.parent = this;
    this.#changed();
  }

  /** Removes the entry `name`; returns its inode. */
  unlink(name: string): Inode | undefined {
    const old = this.#entries.get(name);
    if (!old) return undefined;
    this.#entries.delete(name);
    dropLink(old.inode);
    old.inode.ctim = realtimeNs();
    this.#changed();
    return old.inode;
  }

  #changed(): void {
    const now = realtimeNs();
    this.mtim = now;
    this.ctim = now;
  }
}

function dropLink(inode: Inode): void {
  inode.nlink--;
  if (inode.nlink === 0 && inode instanceof FileInode) inode.release();
}

/** The filestat of `inode` (device 0 for the whole in-memory filesystem). */
export function filestatOf(inode: Inode): Filestat {
  return {
    dev: 0n,
    ino: inode.ino,
    filetype: inode.filetype,
    nlink: BigInt(inode.nlink),
    size: inode.size,
    atim: inode.atim,
    mtim: inode.mtim,
    ctim: inode.ctim,
  };
}

/** Applies fd/path_filestat_set_times arguments to `inode`; returns an errno. */
export function setTimes(
  inode: Inode,
  atim: bigint,
  mtim: bigint,
  fstflags: number,
): number {
  if (
    (fstflags & FSTFLAGS_ATIM && fstflags & FSTFLAGS_ATIM_NOW) ||
    (fstflags & FSTFLAGS_MTIM && fstflags & FSTFLAGS_MTIM_NOW) ||
    fstflags & ~0xf
  ) {
    return ERRNO_INVAL;
  }
  const now = realtimeNs();
  if (fstflags & FSTFLAGS_ATIM) inode.atim = atim;
  if (fstflags & FSTFLAGS_ATIM_NOW) inode.atim = now;
  if (fstflags & FSTFLAGS_MTIM) inode.mtim = mtim;
  if (fstflags & FSTFLAGS_MTIM_NOW) inode.mtim = now;
  if (fstflags !== 0) inode.ctim = now;
  return 0;
}
