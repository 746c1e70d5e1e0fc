// Copyright the runno_mcp authors. MIT license.
// An open directory: reads entries and runs every path operation relative to
// its inode, which is also the boundary ".." cannot climb above.

import {
  ERRNO_BUSY,
  ERRNO_EXIST,
  ERRNO_INVAL,
  ERRNO_ISDIR,
  ERRNO_LOOP,
  ERRNO_NOENT,
  ERRNO_NOSPC,
  ERRNO_NOTCAPABLE,
  ERRNO_NOTDIR,
  ERRNO_NOTEMPTY,
  ERRNO_NXIO,
  ERRNO_PERM,
  ERRNO_SUCCESS,
  FILETYPE_DIRECTORY,
  LOOKUPFLAGS_SYMLINK_FOLLOW,
  OFLAGS_CREAT,
  OFLAGS_DIRECTORY,
  OFLAGS_EXCL,
  OFLAGS_TRUNC,
  RIGHTS_DIRECTORY,
  RIGHTS_DIRECTORY_INHERITING,
  RIGHTS_FD_WRITE,
  RIGHTS_FILE,
  RIGHTS_PATH_CREATE_FILE,
  RIGHTS_PATH_FILESTAT_SET_SIZE,
} from "./constants.ts";
import { type Devices, type Dirent, Fd, type Filestat, type OpenRequest } from "./fd.ts";
import { FileFd } from "./file_fd.ts";
import {
  DeviceInode,
  DirInode,
  FileInode,
  filestatOf,
  type Inode,
  setTimes,
  SymlinkInode,
} from "./inode.ts";
import { type ParentAndName, resolve, resolveParent } from "./path.ts";

const encoder = new TextEncoder();

function isDot(name: string): boolean {
  return name === "." || name === ".." || name === "";
}

/** Options of a `DirFd`. */
export interface DirFdOptions {
  /** Rights of the handle. */
  rightsBase: bigint;
  /** Rights handed to fds opened through it. */
  rightsInheriting: bigint;
  /** The name a preopened directory is announced under. */
  preopen?: string;
  /** Opens device nodes (/dev/stdin, ...); without it they are ENXIO. */
  devices?: Devices;
}

/** A file descriptor for a directory. */
export class DirFd extends Fd {
  readonly #dir: DirInode;
  readonly #preopen: Uint8Array | undefined;
  readonly #devices: Devices | undefined;

  constructor(dir: DirInode, options: DirFdOptions) {
    super(options.rightsBase, options.rightsInheriting);
    this.#dir = dir;
    this.#preopen = options.preopen === undefined ? undefined : encoder.encode(options.preopen);
    this.#devices = options.devices;
  }

  /** The directory inode. */
  get dir(): DirInode {
    return this.#dir;
  }

  override get filetype(): number {
    return FILETYPE_DIRECTORY;
  }

  override fd_fdstat_set_flags(flags: number): number {
    if (flags & ~0x1f) return ERRNO_INVAL;
    this.fdflags = flags;
    return ERRNO_SUCCESS;
  }

  override fd_filestat_get(): { errno: number; filestat?: Filestat } {
    return { errno: ERRNO_SUCCESS, filestat: filestatOf(this.#dir) };
  }

  override fd_filestat_set_times(
    atim: bigint,
    mtim: bigint,
    flags: number,
  ): number {
    return setTimes(this.#dir, atim, mtim, flags);
  }

  override fd_prestat_get(): { errno: number; name?: Uint8Array } {
    if (this.#preopen === undefined) return super.fd_prestat_get();
    return { errno: ERRNO_SUCCESS, name: this.#preopen };
  }

  override fd_readdir(cookie: bigint): { errno: number; entries?: Iterable<Dirent> } {
    return { errno: ERRNO_SUCCESS, entries: this.#readdir(cookie) };
  }

  /**
   * Entries after `cookie`. Cookies 1 and 2 follow "." and ".."; an entry's
   * cookie is its link sequence number + 2, which grows in listing order and
   * does not shift when other entries are removed, so unlinking entries while
   * listing a directory skips none.
   */
  *#readdir(cookie: bigint): Generator<Dirent> {
    if (cookie < 1n) yield dirent(".", this.#dir, 1n);
    if (cookie < 2n) yield dirent("..", this.#dir.parent, 2n);
    for (const [name, entry] of this.#dir.entries()) {
      const next = BigInt(entry.linkSeq) + 2n;
      if (next > cookie) yield dirent(name, entry.inode, next);
    }
  }

  override fd_sync(): number {
    return ERRNO_SUCCESS;
  }

  override fd_datasync(): number {
    return ERRNO_SUCCESS;
  }

  override path_create_directory(path: string): number {
    const parent = resolveParent(this.#dir, path);
    if (typeof parent === "number") return parent;
    const { dir, name } = parent;
    if (isDot(name)) return existsOr(this.#dir, path);
    if (dir.get(name) !== undefined) return ERRNO_EXIST;
    if (dir.removed) return ERRNO_NOENT;
    if (!dir.counter.admit(name.length)) return ERRNO_NOSPC;
    dir.link(name, new DirInode(dir.counter, dir));
    return ERRNO_SUCCESS;
  }

  override path_filestat_get(
    flags: number,
    path: string,
  ): { errno: number; filestat?: Filestat } {
    const inode = resolve(this.#dir, path, followOf(flags));
    if (typeof inode === "number") return { errno: inode };
    return { errno: ERRNO_SUCCESS, filestat: filestatOf(inode) };
  }

  override path_filestat_set_times(
    flags: number,
    path: string,
    atim: bigint,
    mtim: bigint,
    fstflags: number,
  ): number {
    const inode = resolve(this.#dir, path, followOf(flags));
    if (typeof inode === "number") return inode;
    return setTimes(inode, atim, mtim, fstflags);
  }

  override path_link(
    flags: number,
    oldPath: string,
    newFd: Fd,
    newPath: string,
  ): number {
    if (!(newFd instanceof DirFd)) return ERRNO_NOTDIR;
    const source = resolve(this.#dir, oldPath, followOf(flags));
    if (typeof source === "number") return source;
    const target = resolveParent(newFd.#dir, newPath);
    if (typeof target === "number") return target;
    if (isDot(target.name)) return existsOr(newFd.#dir, newPath);
    if (target.dir.get(target.name) !== undefined) return ERRNO_EXIST;
    if (source instanceof DirInode) return ERRNO_PERM;
    if (target.trailingSlash) return ERRNO_NOENT;
    if (target.dir.removed) return ERRNO_NOENT;
    target.dir.link(target.name, source);
    source.ctim = target.dir.mtim;
    return ERRNO_SUCCESS;
  }

  override path_open(request: OpenRequest): { errno: number; fd?: Fd } {
    const follow = followOf(request.dirflags);
    const { oflags } = request;
    let inode: Inode;
    let created = false;
    if (oflags & OFLAGS_CREAT) {
      if (!(this.rightsBase & RIGHTS_PATH_CREATE_FILE)) {
        return { errno: ERRNO_NOTCAPABLE };
      }
      if (oflags & OFLAGS_DIRECTORY) return { errno: ERRNO_INVAL };
      const parent = resolveParent(this.#dir, request.path);
      if (typeof parent === "number") return { errno: parent };
      const found = openOrCreate(this.#dir, request, parent, follow);
      if (typeof found === "number") return { errno: found };
      inode = found.inode;
      created = found.created;
    } else {
      const found = resolve(this.#dir, request.path, follow);
      if (typeof found === "number") return { errno: found };
      inode = found;
    }
    if (inode instanceof SymlinkInode) {
      return { errno: oflags & OFLAGS_DIRECTORY ? ERRNO_NOTDIR : ERRNO_LOOP };
    }
    if (inode instanceof DirInode) {
      if (oflags & OFLAGS_TRUNC || request.rightsBase & RIGHTS_FD_WRITE) {
        return { errno: ERRNO_ISDIR };
      }
      const options: DirFdOptions = {
        rightsBase: request.rightsBase & RIGHTS_DIRECTORY,
        rightsInheriting: request.rightsInheriting &
          RIGHTS_DIRECTORY_INHERITING,
      };
      if (this.#devices !== undefined) options.devices = this.#devices;
      const fd = new DirFd(inode, options);
      fd.fdflags = request.fdflags;
      return { errno: ERRNO_SUCCESS, fd };
    }
    if (oflags & OFLAGS_DIRECTORY) return { errno: ERRNO_NOTDIR };
    if (inode instanceof DeviceInode) {
      // O_TRUNC means nothing to a device: `fopen("/dev/null", "w")` just works.
      if (this.#devices === undefined) return { errno: ERRNO_NXIO };
      const fd = this.#devices.open(inode.device, request.rightsBase);
      fd.fdflags = request.fdflags;
      return { errno: ERRNO_SUCCESS, fd };
    }
    if (!(inode instanceof FileInode)) return { errno: ERRNO_INVAL };
    if (oflags & OFLAGS_TRUNC && !created) {
      if (!(this.rightsBase & RIGHTS_PATH_FILESTAT_SET_SIZE)) {
        return { errno: ERRNO_NOTCAPABLE };
      }
      if (inode.length !== 0) inode.resize(0); // shrinking cannot fail
    }
    const fd = new FileFd(inode, {
      rightsBase: request.rightsBase & RIGHTS_FILE,
      rightsInheriting: request.rightsInheriting & RIGHTS_FILE,
      fdflags: request.fdflags,
    });
    return { errno: ERRNO_SUCCESS, fd };
  }

  override path_readlink(path: string): { errno: number; target?: Uint8Array } {
    const inode = resolve(this.#dir, path, false);
    if (typeof inode === "number") return { errno: inode };
    if (!(inode instanceof SymlinkInode)) return { errno: ERRNO_INVAL };
    return { errno: ERRNO_SUCCESS, target: encoder.encode(inode.target) };
  }

  override path_remove_directory(path: string): number {
    const parent = resolveParent(this.#dir, path);
    if (typeof parent === "number") return parent;
    const { dir, name } = parent;
    if (isDot(name)) {
      const inode = resolve(this.#dir, path, true);
      if (typeof inode === "number") return inode;
      return name === "." ? ERRNO_INVAL : ERRNO_NOTEMPTY;
    }
    const inode = dir.get(name);
    if (inode === undefined) return ERRNO_NOENT;
    if (!(inode instanceof DirInode)) return ERRNO_NOTDIR;
    if (inode.count > 0) return ERRNO_NOTEMPTY;
    dir.unlink(name);
    inode.removed = true;
    return ERRNO_SUCCESS;
  }

  override path_rename(oldPath: string, newFd: Fd, newPath: string): number {
    if (!(newFd instanceof DirFd)) return ERRNO_NOTDIR;
    const from = resolveParent(this.#dir, oldPath);
    if (typeof from === "number") return from;
    const to = resolveParent(newFd.#dir, newPath);
    if (typeof to === "number") return to;
    if (isDot(from.name)) {
      const inode = resolve(this.#dir, oldPath, true);
      return typeof inode === "number" ? inode : ERRNO_BUSY;
    }
    const source = from.dir.get(from.name);
    if (source === undefined) return ERRNO_NOENT;
    if (isDot(to.name)) {
      const inode = resolve(newFd.#dir, newPath, true);
      return typeof inode === "number" ? inode : ERRNO_BUSY;
    }
    const isDir = source instanceof DirInode;
    if (!isDir && (from.trailingSlash || to.trailingSlash)) {
      return ERRNO_NOTDIR;
    }
    const existing = to.dir.get(to.name);
    if (existing === source) return ERRNO_SUCCESS;
    if (isDir) {
      // A directory cannot move inside itself.
      for (let d: DirInode = to.dir;; d = d.parent) {
        if (d === source) return ERRNO_INVAL;
        if (d.parent === d) break;
      }
      if (existing !== undefined) {
        if (!(existing instanceof DirInode)) return ERRNO_NOTDIR;
        if (existing.count > 0) return ERRNO_NOTEMPTY;
        existing.removed = true;
      }
    } else if (existing instanceof DirInode) {
      return ERRNO_ISDIR;
    }
    if (to.dir.removed) return ERRNO_NOENT;
    // Link first so the count never drops to zero (which would release a file's bytes).
    to.dir.link(to.name, source);
    from.dir.unlink(from.name);
    source.ctim = to.dir.mtim;
    return ERRNO_SUCCESS;
  }

  override path_symlink(target: string, newPath: string): number {
    const parent = resolveParent(this.#dir, newPath);
    if (typeof parent === "number") return parent;
    const { dir, name, trailingSlash } = parent;
    if (isDot(name)) return existsOr(this.#dir, newPath);
    const existing = dir.get(name);
    if (existing !== undefined) {
      if (trailingSlash && !(existing instanceof DirInode)) return ERRNO_NOTDIR;
      return ERRNO_EXIST;
    }
    if (trailingSlash) return ERRNO_NOENT;
    if (dir.removed) return ERRNO_NOENT;
    if (target.includes("\0")) return ERRNO_INVAL;
    // As in wasmtime: a link that points outside the sandbox is refused.
    if (target.startsWith("/")) return ERRNO_NOTCAPABLE;
    if (!dir.counter.admit(name.length + target.length)) return ERRNO_NOSPC;
    dir.link(name, new SymlinkInode(dir.counter, target));
    return ERRNO_SUCCESS;
  }

  override path_unlink_file(path: string): number {
    const parent = resolveParent(this.#dir, path);
    if (typeof parent === "number") return parent;
    const { dir, name, trailingSlash } = parent;
    if (isDot(name)) {
      const inode = resolve(this.#dir, path, true);
      return typeof inode === "number" ? inode : ERRNO_ISDIR;
    }
    const inode = dir.get(name);
    if (inode === undefined) return ERRNO_NOENT;
    if (inode instanceof DirInode) return ERRNO_ISDIR;
    if (trailingSlash) return ERRNO_NOTDIR;
    dir.unlink(name);
    return ERRNO_SUCCESS;
  }
}

function dirent(name: string, inode: Inode, next: bigint): Dirent {
  return { next, ino: inode.ino, name: encoder.encode(name), type: inode.filetype };
}

function followOf(flags: number): boolean {
  return (flags & LOOKUPFLAGS_SYMLINK_FOLLOW) !== 0;
}

/** For a path ending in "." or "..": the lookup errno, or EEXIST. */
function existsOr(start: DirInode, path: string): number {
  const inode = resolve(start, path, true);
  return typeof inode === "number" ? inode : ERRNO_EXIST;
}

function openOrCreate(
  start: DirInode,
  request: OpenRequest,
  parent: ParentAndName,
  follow: boolean,
): { inode: Inode; created: boolean } | number {
  const { dir, name, trailingSlash } = parent;
  const excl = (request.oflags & OFLAGS_EXCL) !== 0;
  if (isDot(name)) {
    const inode = resolve(start, request.path, true);
    if (typeof inode === "number") return inode;
    return excl ? ERRNO_EXIST : ERRNO_ISDIR;
  }
  const existing = dir.get(name);
  if (existing !== undefined) {
    if (excl) return ERRNO_EXIST;
    if (existing instanceof SymlinkInode && (follow || trailingSlash)) {
      const inode = resolve(start, request.path, true);
      if (typeof inode === "number") return inode;
      return { inode, created: false };
    }
    if (trailingSlash && !(existing instanceof DirInode)) return ERRNO_NOTDIR;
    return { inode: existing, created: false };
  }
  if (trailingSlash) return ERRNO_ISDIR;
  if (dir.removed) return ERRNO_NOENT;
  if (!dir.counter.admit(name.length)) return ERRNO_NOSPC;
  const inode = new FileInode(dir.counter, new Uint8Array(0));
  dir.link(name, inode);
  return { inode, created: true };
}
