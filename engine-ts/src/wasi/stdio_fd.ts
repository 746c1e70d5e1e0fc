// Copyright the runno_mcp authors. MIT license.
// Standard streams: stdin reads from a byte buffer then hits EOF; stdout and
// stderr hand a copy of every write to a callback, never decoded.

import {
  ERRNO_INVAL,
  ERRNO_SPIPE,
  ERRNO_SUCCESS,
  EVENTRWFLAGS_FD_READWRITE_HANGUP,
  FILETYPE_CHARACTER_DEVICE,
  FILETYPE_UNKNOWN,
  RIGHTS_FD_READ,
  RIGHTS_FD_SEEK,
  RIGHTS_FD_TELL,
  RIGHTS_FD_WRITE,
  RIGHTS_STDIO,
} from "./constants.ts";
import { Fd, type Filestat, type IoResult, type PollReady } from "./fd.ts";

abstract class StdioFd extends Fd {
  readonly #tty: boolean;

  constructor(tty: boolean, drop: bigint) {
    // A terminal has no seek/tell rights: that is how wasi-libc's isatty
    // tells a character device from a file.
    const rights = tty ? RIGHTS_STDIO : RIGHTS_STDIO | RIGHTS_FD_SEEK | RIGHTS_FD_TELL;
    super(rights & ~drop, 0n);
    this.#tty = tty;
  }

  override get filetype(): number {
    return this.#tty ? FILETYPE_CHARACTER_DEVICE : FILETYPE_UNKNOWN;
  }

  override fd_fdstat_set_flags(flags: number): number {
    if (flags & ~0x1f) return ERRNO_INVAL;
    this.fdflags = flags;
    return ERRNO_SUCCESS;
  }

  override fd_filestat_get(): { errno: number; filestat?: Filestat } {
    return {
      errno: ERRNO_SUCCESS,
      filestat: {
        dev: 0n,
        ino: 0n,
        filetype: this.filetype,
        nlink: 1n,
        size: 0n,
        atim: 0n,
        mtim: 0n,
        ctim: 0n,
      },
    };
  }

  override fd_seek(
    _offset: bigint,
    _whence: number,
  ): { errno: number; offset: bigint } {
    return { errno: ERRNO_SPIPE, offset: 0n };
  }

  override fd_tell(): { errno: number; offset: bigint } {
    return { errno: ERRNO_SPIPE, offset: 0n };
  }

  override fd_sync(): number {
    return ERRNO_SUCCESS;
  }

  override fd_datasync(): number {
    return ERRNO_SUCCESS;
  }
}

/** Standard input over a fixed byte buffer; EOF after its end. */
export class StdinFd extends StdioFd {
  #data: Uint8Array;
  #position = 0;

  constructor(data: Uint8Array, tty: boolean) {
    super(tty, RIGHTS_FD_WRITE);
    this.#data = data;
  }

  /** Starts over with `data`: a pre-booted program gets its stdin when its run begins. */
  replace(data: Uint8Array): void {
    this.#data = data;
    this.#position = 0;
  }

  override fd_read(iovs: Uint8Array[]): IoResult {
    let total = 0;
    for (const iov of iovs) {
      const n = Math.min(iov.byteLength, this.#data.byteLength - this.#position);
      iov.set(this.#data.subarray(this.#position, this.#position + n));
      this.#position += n;
      total += n;
      if (n < iov.byteLength) break;
    }
    return { errno: ERRNO_SUCCESS, size: total };
  }

  override poll(_write: boolean): PollReady {
    const left = this.#data.byteLength - this.#position;
    return {
      errno: ERRNO_SUCCESS,
      nbytes: BigInt(left),
      flags: left === 0 ? EVENTRWFLAGS_FD_READWRITE_HANGUP : 0,
    };
  }
}

/** Standard output or error: each write goes to `onOutput` as a copy. */
export class OutputFd extends StdioFd {
  readonly #fd: 1 | 2;
  readonly #onOutput: (fd: 1 | 2, bytes: Uint8Array) => void;

  constructor(
    fd: 1 | 2,
    onOutput: (fd: 1 | 2, bytes: Uint8Array) => void,
    tty: boolean,
  ) {
    super(tty, RIGHTS_FD_READ);
    this.#fd = fd;
    this.#onOutput = onOutput;
  }

  override fd_write(iovs: Uint8Array[]): IoResult {
    let total = 0;
    for (const iov of iovs) total += iov.byteLength;
    if (total === 0) return { errno: ERRNO_SUCCESS, size: 0 };
    const copy = new Uint8Array(total);
    let at = 0;
    for (const iov of iovs) {
      copy.set(iov, at);
      at += iov.byteLength;
    }
    this.#onOutput(this.#fd, copy);
    return { errno: ERRNO_SUCCESS, size: total };
  }

  override poll(_write: boolean): PollReady {
    return { errno: ERRNO_SUCCESS, nbytes: 0n, flags: 0 };
  }
}
