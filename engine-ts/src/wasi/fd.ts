// Copyright the runno_mcp authors. MIT license.
// The abstract file descriptor: every operation answers "not supported" (or
// "not a directory" for path operations) so each fd kind overrides only what
// it supports. Rights are checked by the syscall layer before delegating.

import { ERRNO_BADF, ERRNO_NOTDIR, ERRNO_NOTSUP, ERRNO_SUCCESS } from "./constants.ts";
import type { DeviceKind } from "./inode.ts";

/** What fd_fdstat_get reports. */
export interface Fdstat {
  /** WASI filetype. */
  filetype: number;
  /** fdflags. */
  flags: number;
  /** Rights of this handle. */
  rightsBase: bigint;
  /** Rights handed to fds opened through this one. */
  rightsInheriting: bigint;
}

/** What fd_filestat_get and path_filestat_get report. */
export interface Filestat {
  /** Device id. */
  dev: bigint;
  /** Inode number. */
  ino: bigint;
  /** WASI filetype. */
  filetype: number;
  /** Hard link count. */
  nlink: bigint;
  /** Size in bytes. */
  size: bigint;
  /** Access time in ns. */
  atim: bigint;
  /** Modification time in ns. */
  mtim: bigint;
  /** Status change time in ns. */
  ctim: bigint;
}

/** One fd_readdir entry. */
export interface Dirent {
  /** Cookie of the entry after this one. */
  next: bigint;
  /** Inode number. */
  ino: bigint;
  /** Name as UTF-8. */
  name: Uint8Array;
  /** WASI filetype. */
  type: number;
}

/** Options of a path_open call, already decoded. */
export interface OpenRequest {
  /** lookupflags. */
  dirflags: number;
  /** Path relative to the directory fd. */
  path: string;
  /** oflags. */
  oflags: number;
  /** Requested base rights. */
  rightsBase: bigint;
  /** Requested inheriting rights. */
  rightsInheriting: bigint;
  /** fdflags. */
  fdflags: number;
}

/** Result of a read or write: errno and the byte count. */
export interface IoResult {
  /** WASI errno. */
  errno: number;
  /** Bytes transferred. */
  size: number;
}

/** Readiness of an fd for poll_oneoff. */
export interface PollReady {
  /** WASI errno for the event. */
  errno: number;
  /** Bytes available to read (or 0). */
  nbytes: bigint;
  /** eventrwflags. */
  flags: number;
}

/** Opens the device nodes of /dev as fds on one WASI instance's streams. */
export interface Devices {
  /** A fresh fd on the stream `device` stands for, holding at most `rights`. */
  open(device: DeviceKind, rights: bigint): Fd;
}

/** Base class of every file descriptor kind. */
export abstract class Fd {
  /** Rights of this handle. */
  rightsBase: bigint;
  /** Rights inherited by fds opened through this one. */
  rightsInheriting: bigint;
  /** fdflags. */
  fdflags = 0;

  constructor(rightsBase: bigint, rightsInheriting: bigint) {
    this.rightsBase = rightsBase;
    this.rightsInheriting = rightsInheriting;
  }

  /** WASI filetype of this fd. */
  abstract get filetype(): number;

  /** fd_advise. */
  fd_advise(_offset: bigint, _len: bigint, _advice: number): number {
    return ERRNO_NOTSUP;
  }
  /** fd_allocate. */
  fd_allocate(_offset: bigint, _len: bigint): number {
    return ERRNO_NOTSUP;
  }
  /** fd_close. */
  fd_close(): number {
    return ERRNO_SUCCESS;
  }
  /** fd_datasync. */
  fd_datasync(): number {
    return ERRNO_NOTSUP;
  }
  /** fd_fdstat_get. */
  fd_fdstat_get(): { errno: number; fdstat?: Fdstat } {
    return {
      errno: ERRNO_SUCCESS,
      fdstat: {
        filetype: this.filetype,
        flags: this.fdflags,
        rightsBase: this.rightsBase,
        rightsInheriting: this.rightsInheriting,
      },
    };
  }
  /** fd_fdstat_set_flags. */
  fd_fdstat_set_flags(_flags: number): number {
    return ERRNO_NOTSUP;
  }
  /** fd_filestat_get. */
  fd_filestat_get(): { errno: number; filestat?: Filestat } {
    return { errno: ERRNO_NOTSUP };
  }
  /** fd_filestat_set_size. */
  fd_filestat_set_size(_size: bigint): number {
    return ERRNO_NOTSUP;
  }
  /** fd_filestat_set_times. */
  fd_filestat_set_times(_atim: bigint, _mtim: bigint, _flags: number): number {
    return ERRNO_NOTSUP;
  }
  /** fd_pread into guest buffers. */
  fd_pread(_iovs: Uint8Array[], _offset: bigint): IoResult {
    return { errno: ERRNO_NOTSUP, size: 0 };
  }
  /** fd_pwrite from guest buffers. */
  fd_pwrite(_iovs: Uint8Array[], _offset: bigint): IoResult {
    return { errno: ERRNO_NOTSUP, size: 0 };
  }
  /** fd_prestat_get: the preopened name (EBADF, which ends wasi-libc's preopen scan, for other fds). */
  fd_prestat_get(): { errno: number; name?: Uint8Array } {
    return { errno: ERRNO_BADF };
  }
  /** fd_read into guest buffers. */
  fd_read(_iovs: Uint8Array[]): IoResult {
    return { errno: ERRNO_NOTSUP, size: 0 };
  }
  /** fd_readdir: entries from `cookie` on. */
  fd_readdir(_cookie: bigint): { errno: number; entries?: Iterable<Dirent> } {
    return { errno: ERRNO_NOTDIR };
  }
  /** fd_seek with preview1 whence. */
  fd_seek(_offset: bigint, _whence: number): { errno: number; offset: bigint } {
    return { errno: ERRNO_NOTSUP, offset: 0n };
  }
  /** fd_sync. */
  fd_sync(): number {
    return ERRNO_NOTSUP;
  }
  /** fd_tell. */
  fd_tell(): { errno: number; offset: bigint } {
    return { errno: ERRNO_NOTSUP, offset: 0n };
  }
  /** fd_write from guest buffers. */
  fd_write(_iovs: Uint8Array[]): IoResult {
    return { errno: ERRNO_NOTSUP, size: 0 };
  }
  /** Readiness for a poll_oneoff fd_read (`write` false) or fd_write subscription. */
  poll(_write: boolean): PollReady {
    return { errno: ERRNO_NOTSUP, nbytes: 0n, flags: 0 };
  }

  /** path_create_directory. */
  path_create_directory(_path: string): number {
    return ERRNO_NOTDIR;
  }
  /** path_filestat_get. */
  path_filestat_get(
    _flags: number,
    _path: string,
  ): { errno: number; filestat?: Filestat } {
    return { errno: ERRNO_NOTDIR };
  }
  /** path_filestat_set_times. */
  path_filestat_set_times(
    _flags: number,
    _path: string,
    _atim: bigint,
    _mtim: bigint,
    _fstflags: number,
  ): number {
    return ERRNO_NOTDIR;
  }
  /** path_link: `newFd` is the directory that receives the link. */
  path_link(
    _flags: number,
    _oldPath: string,
    _newFd: Fd,
    _newPath: string,
  ): number {
    return ERRNO_NOTDIR;
  }
  /** path_open. */
  path_open(_request: OpenRequest): { errno: number; fd?: Fd } {
    return { errno: ERRNO_NOTDIR };
  }
  /** path_readlink. */
  path_readlink(_path: string): { errno: number; target?: Uint8Array } {
    return { errno: ERRNO_NOTDIR };
  }
  /** path_remove_directory. */
  path_remove_directory(_path: string): number {
    return ERRNO_NOTDIR;
  }
  /** path_rename: `newFd` is the target directory. */
  path_rename(_oldPath: string, _newFd: Fd, _newPath: string): number {
    return ERRNO_NOTDIR;
  }
  /** path_symlink: creates `newPath` pointing at `target`. */
  path_symlink(_target: string, _newPath: string): number {
    return ERRNO_NOTDIR;
  }
  /** path_unlink_file. */
  path_unlink_file(_path: string): number {
    return ERRNO_NOTDIR;
  }
}
