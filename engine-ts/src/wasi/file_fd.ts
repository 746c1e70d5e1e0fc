// Copyright the runno_mcp authors. MIT license.
// An open regular file: a position, fdflags and a shared inode.

import {
  ADVICE_MAX,
  ERRNO_FBIG,
  ERRNO_INVAL,
  ERRNO_SUCCESS,
  FDFLAGS_APPEND,
  FDFLAGS_DSYNC,
  FDFLAGS_NONBLOCK,
  FDFLAGS_RSYNC,
  FDFLAGS_SYNC,
  WHENCE_CUR,
  WHENCE_END,
  WHENCE_SET,
} from "./constants.ts";
import { Fd, type Filestat, type IoResult, type PollReady } from "./fd.ts";
import { type FileInode, filestatOf, setTimes } from "./inode.ts";

/** Largest file size accepted (bytes); keeps offsets exact as numbers. */
export const MAX_FILE_SIZE = 2 ** 31;

const KNOWN_FDFLAGS = FDFLAGS_APPEND | FDFLAGS_DSYNC | FDFLAGS_NONBLOCK |
  FDFLAGS_RSYNC | FDFLAGS_SYNC;

/** A file descriptor for a regular file. */
export class FileFd extends Fd {
  readonly #inode: FileInode;
  #position = 0;

  constructor(
    inode: FileInode,
    options: { rightsBase: bigint; rightsInheriting: bigint; fdflags: number },
  ) {
    super(options.rightsBase, options.rightsInheriting);
    this.#inode = inode;
    this.fdflags = options.fdflags;
  }

  /** The inode this fd reads and writes. */
  get inode(): FileInode {
    return this.#inode;
  }

  override get filetype(): number {
    return this.#inode.filetype;
  }

  override fd_advise(offset: bigint, len: bigint, advice: number): number {
    if (offset < 0n || len < 0n || advice > ADVICE_MAX) return ERRNO_INVAL;
    return ERRNO_SUCCESS;
  }

  override fd_allocate(offset: bigint, len: bigint): number {
    if (offset < 0n || len <= 0n) return ERRNO_INVAL;
    const end = offset + len;
    if (end > BigInt(MAX_FILE_SIZE)) return ERRNO_FBIG;
    if (Number(end) <= this.#inode.length) return ERRNO_SUCCESS;
    return this.#inode.resize(Number(end));
  }

  override fd_datasync(): number {
    return ERRNO_SUCCESS;
  }

  override fd_sync(): number {
    return ERRNO_SUCCESS;
  }

  override fd_fdstat_set_flags(flags: number): number {
    if (flags & ~KNOWN_FDFLAGS) return ERRNO_INVAL;
    this.fdflags = flags;
    return ERRNO_SUCCESS;
  }

  override fd_filestat_get(): { errno: number; filestat?: Filestat } {
    return { errno: ERRNO_SUCCESS, filestat: filestatOf(this.#inode) };
  }

  override fd_filestat_set_size(size: bigint): number {
    if (size < 0n) return ERRNO_INVAL;
    if (size > BigInt(MAX_FILE_SIZE)) return ERRNO_FBIG;
    return this.#inode.resize(Number(size));
  }

  override fd_filestat_set_times(
    atim: bigint,
    mtim: bigint,
    flags: number,
  ): number {
    return setTimes(this.#inode, atim, mtim, flags);
  }

  override fd_pread(iovs: Uint8Array[], offset: bigint): IoResult {
    if (offset < 0n) return { errno: ERRNO_INVAL, size: 0 };
    if (offset > BigInt(MAX_FILE_SIZE)) return { errno: ERRNO_SUCCESS, size: 0 };
    return { errno: ERRNO_SUCCESS, size: this.#readAt(iovs, Number(offset)) };
  }

  override fd_pwrite(iovs: Uint8Array[], offset: bigint): IoResult {
    if (offset < 0n) return { errno: ERRNO_INVAL, size: 0 };
    // Like Linux, pwrite on an O_APPEND fd appends.
    const at = this.fdflags & FDFLAGS_APPEND ? this.#inode.length : offset;
    return this.#writeAt(iovs, at);
  }

  override fd_read(iovs: Uint8Array[]): IoResult {
    const size = this.#readAt(iovs, this.#position);
    this.#position += size;
    return { errno: ERRNO_SUCCESS, size };
  }

  override fd_write(iovs: Uint8Array[]): IoResult {
    if (this.fdflags & FDFLAGS_APPEND) this.#position = this.#inode.length;
    const result = this.#writeAt(iovs, this.#position);
    this.#position += result.size;
    return result;
  }

  override fd_seek(
    offset: bigint,
    whence: number,
  ): { errno: number; offset: bigint } {
    let base: number;
    switch (whence) {
      case WHENCE_SET:
        base = 0;
        break;
      case WHENCE_CUR:
        base = this.#position;
        break;
      case WHENCE_END:
        base = this.#inode.length;
        break;
      default:
        return { errno: ERRNO_INVAL, offset: 0n };
    }
    const target = BigInt(base) + offset;
    if (target < 0n) return { errno: ERRNO_INVAL, offset: 0n };
    if (target > BigInt(MAX_FILE_SIZE)) return { errno: ERRNO_INVAL, offset: 0n };
    this.#position = Number(target);
    return { errno: ERRNO_SUCCESS, offset: target };
  }

  override fd_tell(): { errno: number; offset: bigint } {
    return { errno: ERRNO_SUCCESS, offset: BigInt(this.#position) };
  }

  override poll(_write: boolean): PollReady {
    const left = this.#inode.length - this.#position;
    return { errno: ERRNO_SUCCESS, nbytes: BigInt(Math.max(0, left)), flags: 0 };
  }

  #readAt(iovs: Uint8Array[], offset: number): number {
    let total = 0;
    for (const iov of iovs) {
      const n = this.#inode.read(offset + total, iov);
      total += n;
      if (n < iov.byteLength) break;
    }
    return total;
  }

  #writeAt(iovs: Uint8Array[], offset: bigint | number): IoResult {
    let total = 0;
    for (const iov of iovs) total += iov.byteLength;
    const start = Number(offset);
    if (start + total > MAX_FILE_SIZE) return { errno: ERRNO_FBIG, size: 0 };
    let at = start;
    for (const iov of iovs) {
      if (iov.byteLength === 0) continue;
      const errno = this.#inode.write(at, iov);
      if (errno !== ERRNO_SUCCESS) {
        return at === start ? { errno, size: 0 } : { errno: ERRNO_SUCCESS, size: at - start };
      }
      at += iov.byteLength;
    }
    return { errno: ERRNO_SUCCESS, size: total };
  }
}
