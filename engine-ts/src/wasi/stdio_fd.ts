// Copyright the runno_mcp authors. MIT license.
// Standard streams: stdin reads from a byte buffer then hits EOF; stdout and
// stderr hand a copy of every write to a callback, never decoded. `Stdio`
// owns one instance's streams and opens /dev/stdin, /dev/stdout, /dev/stderr
// and /dev/null onto them.

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
import { type Devices, Fd, type Filestat, type IoResult, type PollReady } from "./fd.ts";
import type { DeviceKind } from "./inode.ts";

/**
 * How a standard stream presents itself: "pipe" (fds 0-2 of a run without a
 * terminal), "tty" (a terminal), or "device" (opened from /dev without a
 * terminal: a character device, as /dev/stdin is, that is still no tty).
 */
export type StreamMode = "pipe" | "tty" | "device";

abstract class StdioFd extends Fd {
  readonly #mode: StreamMode;

  constructor(mode: StreamMode, drop: bigint) {
    // A terminal has no seek/tell rights: that is how wasi-libc's isatty
    // tells a character device from a file.
    const rights = mode === "tty" ? RIGHTS_STDIO : RIGHTS_STDIO | RIGHTS_FD_SEEK | RIGHTS_FD_TELL;
    super(rights & ~drop, 0n);
    this.#mode = mode;
  }

  override get filetype(): number {
    // A program that sees a character device does not try to seek it (PHP asserts it can).
    return this.#mode === "pipe" ? FILETYPE_UNKNOWN : FILETYPE_CHARACTER_DEVICE;
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

/** The bytes of stdin and how far they have been read: fd 0 and each open of /dev/stdin share it. */
export class InputStream {
  #data: Uint8Array;
  #position = 0;

  constructor(data: Uint8Array) {
    this.#data = data;
  }

  /** Starts over with `data`: a pre-booted program gets its stdin when its run begins. */
  replace(data: Uint8Array): void {
    this.#data = data;
    this.#position = 0;
  }

  /** Bytes not read yet. */
  get left(): number {
    return this.#data.byteLength - this.#position;
  }

  /** Fills `iovs` in order from the current position; returns the byte count (0 at EOF). */
  read(iovs: Uint8Array[]): number {
    let total = 0;
    for (const iov of iovs) {
      const n = Math.min(iov.byteLength, this.left);
      iov.set(this.#data.subarray(this.#position, this.#position + n));
      this.#position += n;
      total += n;
      if (n < iov.byteLength) break;
    }
    return total;
  }
}

/** Standard input: reads its `InputStream`; EOF after its end. */
export class StdinFd extends StdioFd {
  readonly #stream: InputStream;

  constructor(stream: InputStream, mode: StreamMode) {
    super(mode, RIGHTS_FD_WRITE);
    this.#stream = stream;
  }

  override fd_read(iovs: Uint8Array[]): IoResult {
    return { errno: ERRNO_SUCCESS, size: this.#stream.read(iovs) };
  }

  override poll(_write: boolean): PollReady {
    const left = this.#stream.left;
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
    mode: StreamMode,
  ) {
    super(mode, RIGHTS_FD_READ);
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

/** /dev/null: writes vanish, reads are at EOF at once; a character device, never a tty. */
export class NullFd extends StdioFd {
  constructor() {
    super("device", 0n);
  }

  override fd_read(_iovs: Uint8Array[]): IoResult {
    return { errno: ERRNO_SUCCESS, size: 0 };
  }

  override fd_write(iovs: Uint8Array[]): IoResult {
    let total = 0;
    for (const iov of iovs) total += iov.byteLength;
    return { errno: ERRNO_SUCCESS, size: total };
  }

  override fd_seek(_offset: bigint, _whence: number): { errno: number; offset: bigint } {
    return { errno: ERRNO_SUCCESS, offset: 0n };
  }

  override fd_tell(): { errno: number; offset: bigint } {
    return { errno: ERRNO_SUCCESS, offset: 0n };
  }

  override poll(_write: boolean): PollReady {
    return { errno: ERRNO_SUCCESS, nbytes: 0n, flags: 0 };
  }
}

/** Options of `Stdio`. */
export interface StdioOptions {
  /** The whole of stdin; EOF after it. */
  stdin: Uint8Array;
  /** Receives a copy of the bytes of every write to stdout (1) or stderr (2). */
  onOutput: (fd: 1 | 2, bytes: Uint8Array) => void;
  /** Report the streams as character devices (terminals). */
  tty: boolean;
}

/** One instance's standard streams: fds 0-2, and the fds that opening /dev gives. */
export class Stdio implements Devices {
  /** What fd 0 and /dev/stdin read. */
  readonly stdin: InputStream;
  readonly #onOutput: (fd: 1 | 2, bytes: Uint8Array) => void;
  readonly #tty: boolean;

  constructor(options: StdioOptions) {
    this.stdin = new InputStream(options.stdin);
    this.#onOutput = options.onOutput;
    this.#tty = options.tty;
  }

  /** Fresh fds 0, 1 and 2. */
  fds(): [Fd, Fd, Fd] {
    const mode = this.#tty ? "tty" : "pipe";
    return [this.#make("stdin", mode), this.#make("stdout", mode), this.#make("stderr", mode)];
  }

  /** A fresh fd on the stream `device` stands for, holding at most `rights`. */
  open(device: DeviceKind, rights: bigint): Fd {
    const fd = this.#make(device, this.#tty ? "tty" : "device");
    fd.rightsBase &= rights;
    return fd;
  }

  #make(device: DeviceKind, mode: StreamMode): Fd {
    switch (device) {
      case "stdin":
        return new StdinFd(this.stdin, mode);
      case "stdout":
        return new OutputFd(1, this.#onOutput, mode);
      case "stderr":
        return new OutputFd(2, this.#onOutput, mode);
      case "null":
        return new NullFd();
      default:
        return assertUnreachable(device);
    }
  }
}

function assertUnreachable(value: never): never {
  throw new TypeError(`Cannot open device "${value}": unknown device`);
}
