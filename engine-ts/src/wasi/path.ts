// Copyright the runno_mcp authors. MIT license.
// Path resolution relative to a directory inode that acts as the sandbox
// boundary: ".." never climbs above it, absolute paths and absolute symlink
// targets are refused with ENOTCAPABLE, as wasmtime does.

import {
  ERRNO_INVAL,
  ERRNO_LOOP,
  ERRNO_NOENT,
  ERRNO_NOTCAPABLE,
  ERRNO_NOTDIR,
} from "./constants.ts";
import { DirInode, type Inode, SymlinkInode } from "./inode.ts";

/** Symlinks followed in one lookup before giving up with ELOOP. */
export const MAX_SYMLINKS = 40;

/** A lookup result: the value, or an errno (a number). */
export type Resolved<T> = T | number;

/** A parent directory and the last component of a path. */
export interface ParentAndName {
  /** Directory that holds (or would hold) `name`. */
  dir: DirInode;
  /** Last component; may be "." or "..". */
  name: string;
  /** Whether the path ended with one or more slashes. */
  trailingSlash: boolean;
}

function checkPath(path: string): number {
  if (path === "") return ERRNO_NOENT;
  if (path.includes("\0")) return ERRNO_INVAL;
  if (path.startsWith("/")) return ERRNO_NOTCAPABLE;
  return 0;
}

/** Resolves `path` from `start`; `follow` decides whether a final symlink is followed. */
export function resolve(
  start: DirInode,
  path: string,
  follow: boolean,
): Resolved<Inode> {
  const errno = checkPath(path);
  if (errno !== 0) return errno;
  return walk(start, path.split("/").reverse(), follow);
}

/** Splits `path` into its resolved parent directory and last component. */
export function resolveParent(
  start: DirInode,
  path: string,
): Resolved<ParentAndName> {
  const errno = checkPath(path);
  if (errno !== 0) return errno;
  let end = path.length;
  while (end > 0 && path[end - 1] === "/") end--;
  const trailingSlash = end < path.length;
  const trimmed = path.slice(0, end);
  const slash = trimmed.lastIndexOf("/");
  const name = trimmed.slice(slash + 1);
  if (slash < 0) return { dir: start, name, trailingSlash };
  const dir = walk(start, trimmed.slice(0, slash).split("/").reverse(), true);
  if (typeof dir === "number") return dir;
  if (!(dir instanceof DirInode)) return ERRNO_NOTDIR;
  return { dir, name, trailingSlash };
}

/** Walks components (given reversed, so `pop` yields the next one). */
function walk(
  start: DirInode,
  queue: string[],
  follow: boolean,
): Resolved<Inode> {
  const stack: Inode[] = [start];
  let links = 0;
  while (queue.length > 0) {
    const component = queue.pop()!;
    const current = stack[stack.length - 1]!;
    if (!(current instanceof DirInode)) return ERRNO_NOTDIR;
    if (component === "" || component === ".") continue;
    if (component === "..") {
      if (stack.length === 1) return ERRNO_NOTCAPABLE;
      stack.pop();
      continue;
    }
    const child = current.get(component);
    if (child === undefined) return ERRNO_NOENT;
    if (child instanceof SymlinkInode && (queue.length > 0 || follow)) {
      if (++links > MAX_SYMLINKS) return ERRNO_LOOP;
      const target = child.target;
      if (target.startsWith("/")) return ERRNO_NOTCAPABLE;
      if (target === "") return ERRNO_NOENT;
      const parts = target.split("/");
      for (let i = parts.length - 1; i >= 0; i--) queue.push(parts[i]!);
      continue;
    }
    stack.push(child);
  }
  return stack[stack.length - 1]!;
}
