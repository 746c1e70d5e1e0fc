// Copyright the runno_mcp authors. MIT license.
// The syscall table: each syscall decodes its pointers, checks the handle's
// rights, delegates to the fd and encodes the answer. Syscalls return errnos
// and never throw; only proc_exit throws (ProcExit).

import { clockResolution, clockTime } from "./clock.ts";
import {
  ERRNO_BADF,
  ERRNO_ILSEQ,
  ERRNO_INVAL,
  ERRNO_NAMETOOLONG,
  ERRNO_NOSYS,
  ERRNO_NOTCAPABLE,
  ERRNO_NOTDIR,
  ERRNO_NOTSOCK,
  ERRNO_SUCCESS,
  PREOPENTYPE_DIR,
  RIGHTS_FD_ADVISE,
  RIGHTS_FD_ALLOCATE,
  RIGHTS_FD_DATASYNC,
  RIGHTS_FD_FDSTAT_SET_FLAGS,
  RIGHTS_FD_FILESTAT_GET,
  RIGHTS_FD_FILESTAT_SET_SIZE,
  RIGHTS_FD_FILESTAT_SET_TIMES,
  RIGHTS_FD_READ,
  RIGHTS_FD_READDIR,
  RIGHTS_FD_SEEK,
  RIGHTS_FD_SYNC,
  RIGHTS_FD_TELL,
  RIGHTS_FD_WRITE,
  RIGHTS_PATH_CREATE_DIRECTORY,
  RIGHTS_PATH_FILESTAT_GET,
  RIGHTS_PATH_FILESTAT_SET_TIMES,
  RIGHTS_PATH_LINK_SOURCE,
  RIGHTS_PATH_LINK_TARGET,
  RIGHTS_PATH_OPEN,
  RIGHTS_PATH_READLINK,
  RIGHTS_PATH_REMOVE_DIRECTORY,
  RIGHTS_PATH_RENAME_SOURCE,
  RIGHTS_PATH_RENAME_TARGET,
  RIGHTS_PATH_SYMLINK,
  RIGHTS_PATH_UNLINK_FILE,
  WHENCE_CUR,
} from "./constants.ts";
import { DirFd } from "./dir_fd.ts";
import type { Fd } from "./fd.ts";
import type { GuestMemory } from "./memory.ts";
import type { Abi } from "./abi.ts";
import { pollOneoff } from "./poll.ts";

/** Thrown by proc_exit to unwind the guest; carries the exit code. */
export class ProcExit extends Error {
  /** The exit code given to proc_exit. */
  readonly code: number;

  constructor(code: number) {
    super(`Process exited with code ${code}`);
    this.name = "ProcExit";
    this.code = code;
  }
}

/** State shared by the syscall tables of one instance. */
export interface WasiState {
  /** argv entries, each NUL-terminated. */
  args: Uint8Array[];
  /** environment entries (KEY=VALUE), each NUL-terminated. */
  env: Uint8Array[];
  /** The fd table. */
  fds: Map<number, Fd>;
  /** The guest memory (throws before start). */
  memory(): GuestMemory;
}

const RANDOM_CHUNK = 65536;
const DIRENT_SIZE = 24;

/** A path_* syscall's directory fd, the rights it needs there, and a path under it in guest memory. */
interface PathArg {
  fd: number;
  rights: bigint;
  ptr: number;
  len: number;
}

/** A directory that passed its checks and the path read for it. */
interface At {
  dir: Fd;
  path: string;
}

/** Decodes a u32 argument (wasm passes i32 as signed numbers). */
function u32(value: number): number {
  return value >>> 0;
}

/** Decodes a u64 argument. */
function u64(value: bigint): bigint {
  return BigInt.asUintN(64, value);
}

/**
 * The WASI syscalls for one ABI (preview1 or preview0) over shared state. Each public method
 * is the syscall of its name (wasi.ts builds the import table from them), so helpers stay
 * #private.
 */
export class Syscalls {
  readonly #state: WasiState;
  readonly #abi: Abi;

  constructor(state: WasiState, abi: Abi) {
    this.#state = state;
    this.#abi = abi;
  }

  get #mem(): GuestMemory {
    return this.#state.memory();
  }

  args_get(argv: number, buf: number): number {
    return this.#writeStrings(this.#state.args, argv, buf);
  }

  args_sizes_get(countPtr: number, sizePtr: number): number {
    return this.#writeSizes(this.#state.args, countPtr, sizePtr);
  }

  environ_get(environ: number, buf: number): number {
    return this.#writeStrings(this.#state.env, environ, buf);
  }

  environ_sizes_get(countPtr: number, sizePtr: number): number {
    return this.#writeSizes(this.#state.env, countPtr, sizePtr);
  }

  clock_res_get(id: number, ptr: number): number {
    const res = clockResolution(id);
    if (res === undefined) return ERRNO_INVAL;
    this.#mem.u64(u32(ptr), res);
    return ERRNO_SUCCESS;
  }

  clock_time_get(id: number, _precision: bigint, ptr: number): number {
    const time = clockTime(id);
    if (time === undefined) return ERRNO_INVAL;
    this.#mem.u64(u32(ptr), time);
    return ERRNO_SUCCESS;
  }

  fd_advise(fd: number, offset: bigint, len: bigint, advice: number): number {
    const h = this.#fd(fd, RIGHTS_FD_ADVISE);
    if (typeof h === "number") return h;
    return h.fd_advise(u64(offset), u64(len), advice);
  }

  fd_allocate(fd: number, offset: bigint, len: bigint): number {
    const h = this.#fd(fd, RIGHTS_FD_ALLOCATE);
    if (typeof h === "number") return h;
    return h.fd_allocate(u64(offset), u64(len));
  }

  fd_close(fd: number): number {
    const h = this.#state.fds.get(fd);
    if (h === undefined) return ERRNO_BADF;
    this.#state.fds.delete(fd);
    return h.fd_close();
  }

  fd_datasync(fd: number): number {
    const h = this.#fd(fd, RIGHTS_FD_DATASYNC);
    if (typeof h === "number") return h;
    return h.fd_datasync();
  }

  fd_fdstat_get(fd: number, ptr: number): number {
    const h = this.#fd(fd, 0n);
    if (typeof h === "number") return h;
    const { errno, fdstat } = h.fd_fdstat_get();
    if (fdstat !== undefined) this.#mem.fdstat(u32(ptr), fdstat);
    return errno;
  }

  fd_fdstat_set_flags(fd: number, flags: number): number {
    const h = this.#fd(fd, RIGHTS_FD_FDSTAT_SET_FLAGS);
    if (typeof h === "number") return h;
    return h.fd_fdstat_set_flags(flags);
  }

  fd_fdstat_set_rights(fd: number, base: bigint, inheriting: bigint): number {
    const h = this.#fd(fd, 0n);
    if (typeof h === "number") return h;
    const newBase = u64(base);
    const newInheriting = u64(inheriting);
    if (
      (newBase & ~h.rightsBase) !== 0n ||
      (newInheriting & ~h.rightsInheriting) !== 0n
    ) {
      return ERRNO_NOTCAPABLE;
    }
    h.rightsBase = newBase;
    h.rightsInheriting = newInheriting;
    return ERRNO_SUCCESS;
  }

  fd_filestat_get(fd: number, ptr: number): number {
    const h = this.#fd(fd, RIGHTS_FD_FILESTAT_GET);
    if (typeof h === "number") return h;
    const { errno, filestat } = h.fd_filestat_get();
    if (filestat !== undefined) this.#abi.writeFilestat(this.#mem, u32(ptr), filestat);
    return errno;
  }

  fd_filestat_set_size(fd: number, size: bigint): number {
    const h = this.#fd(fd, RIGHTS_FD_FILESTAT_SET_SIZE);
    if (typeof h === "number") return h;
    return h.fd_filestat_set_size(u64(size));
  }

  fd_filestat_set_times(
    fd: number,
    atim: bigint,
    mtim: bigint,
    flags: number,
  ): number {
    const h = this.#fd(fd, RIGHTS_FD_FILESTAT_SET_TIMES);
    if (typeof h === "number") return h;
    return h.fd_filestat_set_times(u64(atim), u64(mtim), flags);
  }

  fd_pread(
    fd: number,
    iovs: number,
    count: number,
    offset: bigint,
    nreadPtr: number,
  ): number {
    const h = this.#fd(fd, RIGHTS_FD_READ | RIGHTS_FD_SEEK);
    if (typeof h === "number") return h;
    const mem = this.#mem;
    const { errno, size } = h.fd_pread(mem.iovecs(u32(iovs), u32(count)), u64(offset));
    mem.u32(u32(nreadPtr), size);
    return errno;
  }

  fd_prestat_get(fd: number, ptr: number): number {
    const h = this.#fd(fd, 0n);
    if (typeof h === "number") return h;
    const { errno, name } = h.fd_prestat_get();
    if (name === undefined) return errno === ERRNO_SUCCESS ? ERRNO_BADF : errno;
    const mem = this.#mem;
    mem.view.setUint32(u32(ptr), PREOPENTYPE_DIR, true);
    mem.u32(u32(ptr) + 4, name.byteLength);
    return ERRNO_SUCCESS;
  }

  fd_prestat_dir_name(fd: number, ptr: number, len: number): number {
    const h = this.#fd(fd, 0n);
    if (typeof h === "number") return h;
    const { errno, name } = h.fd_prestat_get();
    if (name === undefined) return errno === ERRNO_SUCCESS ? ERRNO_BADF : errno;
    if (u32(len) < name.byteLength) return ERRNO_NAMETOOLONG;
    this.#mem.slice(u32(ptr), name.byteLength).set(name);
    return ERRNO_SUCCESS;
  }

  fd_pwrite(
    fd: number,
    iovs: number,
    count: number,
    offset: bigint,
    nwrittenPtr: number,
  ): number {
    const h = this.#fd(fd, RIGHTS_FD_WRITE | RIGHTS_FD_SEEK);
    if (typeof h === "number") return h;
    const mem = this.#mem;
    const { errno, size } = h.fd_pwrite(mem.iovecs(u32(iovs), u32(count)), u64(offset));
    mem.u32(u32(nwrittenPtr), size);
    return errno;
  }

  fd_read(fd: number, iovs: number, count: number, nreadPtr: number): number {
    const h = this.#fd(fd, RIGHTS_FD_READ);
    if (typeof h === "number") return h;
    const mem = this.#mem;
    const { errno, size } = h.fd_read(mem.iovecs(u32(iovs), u32(count)));
    mem.u32(u32(nreadPtr), size);
    return errno;
  }

  fd_readdir(
    fd: number,
    buf: number,
    len: number,
    cookie: bigint,
    usedPtr: number,
  ): number {
    const h = this.#fd(fd, RIGHTS_FD_READDIR);
    if (typeof h === "number") return h;
    const { errno, entries } = h.fd_readdir(u64(cookie));
    if (entries === undefined) return errno;
    const mem = this.#mem;
    const out = mem.slice(u32(buf), u32(len));
    let used = 0;
    for (const entry of entries) {
      if (used >= out.byteLength) break;
      const record = new Uint8Array(DIRENT_SIZE + entry.name.byteLength);
      const view = new DataView(record.buffer);
      view.setBigUint64(0, entry.next, true);
      view.setBigUint64(8, entry.ino, true);
      view.setUint32(16, entry.name.byteLength, true);
      view.setUint8(20, entry.type);
      record.set(entry.name, DIRENT_SIZE);
      const n = Math.min(record.byteLength, out.byteLength - used);
      out.set(record.subarray(0, n), used);
      used += n;
    }
    mem.u32(u32(usedPtr), used);
    return ERRNO_SUCCESS;
  }

  fd_renumber(fd: number, to: number): number {
    const from = this.#state.fds.get(fd);
    const target = this.#state.fds.get(to);
    if (from === undefined || target === undefined) return ERRNO_BADF;
    if (fd === to) return ERRNO_SUCCESS;
    target.fd_close();
    this.#state.fds.set(to, from);
    this.#state.fds.delete(fd);
    return ERRNO_SUCCESS;
  }

  fd_seek(fd: number, offset: bigint, rawWhence: number, ptr: number): number {
    const whence = this.#abi.whence(rawWhence);
    if (whence === undefined) return this.#state.fds.has(fd) ? ERRNO_INVAL : ERRNO_BADF;
    const rights = offset === 0n && whence === WHENCE_CUR ? RIGHTS_FD_TELL : RIGHTS_FD_SEEK;
    const h = this.#fd(fd, rights);
    if (typeof h === "number") return h;
    const result = h.fd_seek(offset, whence);
    if (result.errno === ERRNO_SUCCESS) this.#mem.u64(u32(ptr), result.offset);
    return result.errno;
  }

  fd_sync(fd: number): number {
    const h = this.#fd(fd, RIGHTS_FD_SYNC);
    if (typeof h === "number") return h;
    return h.fd_sync();
  }

  fd_tell(fd: number, ptr: number): number {
    const h = this.#fd(fd, RIGHTS_FD_TELL);
    if (typeof h === "number") return h;
    const result = h.fd_tell();
    if (result.errno === ERRNO_SUCCESS) this.#mem.u64(u32(ptr), result.offset);
    return result.errno;
  }

  fd_write(fd: number, iovs: number, count: number, nwrittenPtr: number): number {
    const h = this.#fd(fd, RIGHTS_FD_WRITE);
    if (typeof h === "number") return h;
    const mem = this.#mem;
    const { errno, size } = h.fd_write(mem.iovecs(u32(iovs), u32(count)));
    mem.u32(u32(nwrittenPtr), size);
    return errno;
  }

  path_create_directory(fd: number, ptr: number, len: number): number {
    const at = this.#at({ fd, rights: RIGHTS_PATH_CREATE_DIRECTORY, ptr, len });
    if (typeof at === "number") return at;
    return at.dir.path_create_directory(at.path);
  }

  path_filestat_get(
    fd: number,
    flags: number,
    ptr: number,
    len: number,
    out: number,
  ): number {
    const at = this.#at({ fd, rights: RIGHTS_PATH_FILESTAT_GET, ptr, len });
    if (typeof at === "number") return at;
    const { errno, filestat } = at.dir.path_filestat_get(flags, at.path);
    if (filestat !== undefined) this.#abi.writeFilestat(this.#mem, u32(out), filestat);
    return errno;
  }

  path_filestat_set_times(
    fd: number,
    flags: number,
    ptr: number,
    len: number,
    atim: bigint,
    mtim: bigint,
    fstflags: number,
  ): number {
    const at = this.#at({ fd, rights: RIGHTS_PATH_FILESTAT_SET_TIMES, ptr, len });
    if (typeof at === "number") return at;
    return at.dir.path_filestat_set_times(flags, at.path, u64(atim), u64(mtim), fstflags);
  }

  path_link(
    oldFd: number,
    flags: number,
    oldPtr: number,
    oldLen: number,
    newFd: number,
    newPtr: number,
    newLen: number,
  ): number {
    const at = this.#atBoth(
      { fd: oldFd, rights: RIGHTS_PATH_LINK_SOURCE, ptr: oldPtr, len: oldLen },
      { fd: newFd, rights: RIGHTS_PATH_LINK_TARGET, ptr: newPtr, len: newLen },
    );
    if (typeof at === "number") return at;
    const [from, to] = at;
    return from.dir.path_link(flags, from.path, to.dir, to.path);
  }

  path_open(
    fd: number,
    dirflags: number,
    ptr: number,
    len: number,
    oflags: number,
    rightsBase: bigint,
    rightsInheriting: bigint,
    fdflags: number,
    fdPtr: number,
  ): number {
    const at = this.#at({ fd, rights: RIGHTS_PATH_OPEN, ptr, len });
    if (typeof at === "number") return at;
    const result = at.dir.path_open({
      dirflags,
      path: at.path,
      oflags,
      rightsBase: u64(rightsBase),
      rightsInheriting: u64(rightsInheriting),
      fdflags,
    });
    if (result.fd === undefined) return result.errno;
    const number = this.#nextFd();
    this.#state.fds.set(number, result.fd);
    this.#mem.u32(u32(fdPtr), number);
    return ERRNO_SUCCESS;
  }

  path_readlink(
    fd: number,
    ptr: number,
    len: number,
    buf: number,
    bufLen: number,
    usedPtr: number,
  ): number {
    const at = this.#at({ fd, rights: RIGHTS_PATH_READLINK, ptr, len });
    if (typeof at === "number") return at;
    const { errno, target } = at.dir.path_readlink(at.path);
    if (target === undefined) return errno;
    const n = Math.min(target.byteLength, u32(bufLen));
    const mem = this.#mem;
    mem.slice(u32(buf), n).set(target.subarray(0, n));
    mem.u32(u32(usedPtr), n);
    return ERRNO_SUCCESS;
  }

  path_remove_directory(fd: number, ptr: number, len: number): number {
    const at = this.#at({ fd, rights: RIGHTS_PATH_REMOVE_DIRECTORY, ptr, len });
    if (typeof at === "number") return at;
    return at.dir.path_remove_directory(at.path);
  }

  path_rename(
    fd: number,
    oldPtr: number,
    oldLen: number,
    newFd: number,
    newPtr: number,
    newLen: number,
  ): number {
    const at = this.#atBoth(
      { fd, rights: RIGHTS_PATH_RENAME_SOURCE, ptr: oldPtr, len: oldLen },
      { fd: newFd, rights: RIGHTS_PATH_RENAME_TARGET, ptr: newPtr, len: newLen },
    );
    if (typeof at === "number") return at;
    const [from, to] = at;
    return from.dir.path_rename(from.path, to.dir, to.path);
  }

  path_symlink(
    oldPtr: number,
    oldLen: number,
    fd: number,
    newPtr: number,
    newLen: number,
  ): number {
    // The target is the link's text, not a path under `fd`; it is still read before the
    // link's own path, so two bad paths give the errno they always gave.
    const at = this.#at({ fd, rights: RIGHTS_PATH_SYMLINK, ptr: oldPtr, len: oldLen });
    if (typeof at === "number") return at;
    const newPath = this.#path(newPtr, newLen);
    if (typeof newPath === "number") return newPath;
    return at.dir.path_symlink(at.path, newPath);
  }

  path_unlink_file(fd: number, ptr: number, len: number): number {
    const at = this.#at({ fd, rights: RIGHTS_PATH_UNLINK_FILE, ptr, len });
    if (typeof at === "number") return at;
    return at.dir.path_unlink_file(at.path);
  }

  poll_oneoff(inPtr: number, outPtr: number, count: number, neventsPtr: number): number {
    return pollOneoff({
      memory: this.#mem,
      fds: this.#state.fds,
      inPtr: u32(inPtr),
      outPtr: u32(outPtr),
      count: u32(count),
      neventsPtr: u32(neventsPtr),
      layout: this.#abi.subscription,
    });
  }

  proc_exit(code: number): number {
    throw new ProcExit(u32(code));
  }

  proc_raise(_signal: number): number {
    return ERRNO_NOSYS;
  }

  sched_yield(): number {
    return ERRNO_SUCCESS;
  }

  random_get(ptr: number, len: number): number {
    const out = this.#mem.slice(u32(ptr), u32(len));
    const chunk = new Uint8Array(Math.min(RANDOM_CHUNK, out.byteLength));
    for (let at = 0; at < out.byteLength; at += RANDOM_CHUNK) {
      const n = Math.min(RANDOM_CHUNK, out.byteLength - at);
      const part = chunk.subarray(0, n);
      crypto.getRandomValues(part);
      out.set(part, at);
    }
    return ERRNO_SUCCESS;
  }

  sock_accept(fd: number, _flags: number, _fdPtr: number): number {
    return this.#state.fds.has(fd) ? ERRNO_NOTSOCK : ERRNO_BADF;
  }

  sock_recv(fd: number): number {
    return this.#state.fds.has(fd) ? ERRNO_NOTSOCK : ERRNO_BADF;
  }

  sock_send(fd: number): number {
    return this.#state.fds.has(fd) ? ERRNO_NOTSOCK : ERRNO_BADF;
  }

  sock_shutdown(fd: number, _how: number): number {
    return this.#state.fds.has(fd) ? ERRNO_NOTSOCK : ERRNO_BADF;
  }

  /** The fd if it exists and holds `rights`; otherwise an errno. */
  #fd(fd: number, rights: bigint): Fd | number {
    const handle = this.#state.fds.get(fd);
    if (handle === undefined) return ERRNO_BADF;
    if ((handle.rightsBase & rights) !== rights) return ERRNO_NOTCAPABLE;
    return handle;
  }

  /** Like #fd, but ENOTDIR first when the fd is not a directory. */
  #dir(fd: number, rights: bigint): Fd | number {
    const handle = this.#state.fds.get(fd);
    if (handle === undefined) return ERRNO_BADF;
    if (!(handle instanceof DirFd)) return ERRNO_NOTDIR;
    if ((handle.rightsBase & rights) !== rights) return ERRNO_NOTCAPABLE;
    return handle;
  }

  /**
   * The preamble of a path_* syscall: the directory fd (EBADF, ENOTDIR, ENOTCAPABLE), then
   * the path in guest memory (EILSEQ); the first failure's errno.
   */
  #at(arg: PathArg): At | number {
    const dir = this.#dir(arg.fd, arg.rights);
    if (typeof dir === "number") return dir;
    const path = this.#path(arg.ptr, arg.len);
    if (typeof path === "number") return path;
    return { dir, path };
  }

  /** Like #at for the two-directory syscalls: both fds are checked before either path is read. */
  #atBoth(from: PathArg, to: PathArg): [At, At] | number {
    const fromDir = this.#dir(from.fd, from.rights);
    if (typeof fromDir === "number") return fromDir;
    const toDir = this.#dir(to.fd, to.rights);
    if (typeof toDir === "number") return toDir;
    const fromPath = this.#path(from.ptr, from.len);
    if (typeof fromPath === "number") return fromPath;
    const toPath = this.#path(to.ptr, to.len);
    if (typeof toPath === "number") return toPath;
    return [{ dir: fromDir, path: fromPath }, { dir: toDir, path: toPath }];
  }

  #path(ptr: number, len: number): string | number {
    const path = this.#mem.string(u32(ptr), u32(len));
    return path === undefined ? ERRNO_ILSEQ : path;
  }

  #nextFd(): number {
    let fd = 3;
    while (this.#state.fds.has(fd)) fd++;
    return fd;
  }

  #writeStrings(list: Uint8Array[], ptrs: number, buf: number): number {
    const mem = this.#mem;
    let at = u32(buf);
    let slot = u32(ptrs);
    for (const item of list) {
      mem.u32(slot, at);
      mem.slice(at, item.byteLength).set(item);
      slot += 4;
      at += item.byteLength;
    }
    return ERRNO_SUCCESS;
  }

  #writeSizes(list: Uint8Array[], countPtr: number, sizePtr: number): number {
    let size = 0;
    for (const item of list) size += item.byteLength;
    this.#mem.u32(u32(countPtr), list.length);
    this.#mem.u32(u32(sizePtr), size);
    return ERRNO_SUCCESS;
  }
}
