// Copyright the runno_mcp authors. MIT license.

import { assertEquals, harness } from "./_test_util.ts";
import { PREVIEW0 } from "./abi.ts";
import {
  ERRNO_BADF,
  ERRNO_EXIST,
  ERRNO_ISDIR,
  ERRNO_LOOP,
  ERRNO_NOENT,
  ERRNO_NOTCAPABLE,
  ERRNO_NOTDIR,
  ERRNO_NOTEMPTY,
  ERRNO_SUCCESS,
  FDFLAGS_APPEND,
  FILETYPE_DIRECTORY,
  FILETYPE_REGULAR_FILE,
  LOOKUPFLAGS_SYMLINK_FOLLOW,
  OFLAGS_CREAT,
  OFLAGS_DIRECTORY,
  RIGHTS_FD_FILESTAT_GET,
  RIGHTS_FD_READ,
  RIGHTS_FD_READDIR,
  RIGHTS_FD_SEEK,
  RIGHTS_FD_TELL,
  RIGHTS_FD_WRITE,
} from "./constants.ts";
import { concat } from "./_test_util.ts";
import { MemoryFs } from "./mod.ts";
import type { Harness } from "./_test_util.ts";

const FILE_RIGHTS = RIGHTS_FD_READ | RIGHTS_FD_WRITE | RIGHTS_FD_SEEK |
  RIGHTS_FD_TELL;
const encoder = new TextEncoder();

function open(
  h: Harness,
  path: string,
  options: { oflags?: number; fdflags?: number; dirflags?: number; rights?: bigint } = {},
): { errno: number; fd: number } {
  const out = h.alloc(4);
  const errno = h.sys.path_open(
    3,
    options.dirflags ?? 0,
    ...h.str(path),
    options.oflags ?? 0,
    options.rights ?? FILE_RIGHTS,
    0n,
    options.fdflags ?? 0,
    out,
  );
  return { errno, fd: h.u32(out) };
}

function write(h: Harness, fd: number, ...chunks: Uint8Array[]): number {
  const out = h.alloc(4);
  const errno = h.sys.fd_write(fd, ...h.iovs(chunks), out);
  assertEquals(errno, ERRNO_SUCCESS, "fd_write");
  return h.u32(out);
}

function read(h: Harness, fd: number, size: number): Uint8Array {
  const [iovs] = h.iovs([new Uint8Array(size)]);
  const out = h.alloc(4);
  assertEquals(h.sys.fd_read(fd, iovs, 1, out), ERRNO_SUCCESS, "fd_read");
  const ptr = h.u32(iovs);
  return h.mem.slice(ptr, h.u32(out)).slice();
}

function readdirNames(h: Harness, fd: number): string[] {
  const buf = h.alloc(4096);
  const used = h.alloc(4);
  assertEquals(h.sys.fd_readdir(fd, buf, 4096, 0n, used), ERRNO_SUCCESS);
  const names: string[] = [];
  for (let at = buf; at < buf + h.u32(used);) {
    const len = h.u32(at + 16);
    names.push(new TextDecoder().decode(h.mem.slice(at + 24, len)));
    at += 24 + len;
  }
  return names;
}

Deno.test("a UTF-8 character split across two writes reaches onOutput as raw bytes", () => {
  const h = harness(new MemoryFs());
  const euro = encoder.encode("€");
  assertEquals(write(h, 1, euro.subarray(0, 2)), 2);
  assertEquals(write(h, 1, euro.subarray(2)), 1);
  assertEquals(h.outputs.map((o) => [o.fd, [...o.bytes]]), [
    [1, [0xe2, 0x82]],
    [1, [0xac]],
  ]);
  assertEquals(new TextDecoder().decode(concat(h.outputs.map((o) => o.bytes))), "€");
});

Deno.test("onOutput gets a copy that later guest writes do not change", () => {
  const h = harness(new MemoryFs());
  const [iovs, count] = h.iovs([encoder.encode("ab"), encoder.encode("c")]);
  h.sys.fd_write(2, iovs, count, h.alloc(4));
  h.mem.slice(h.u32(iovs), 2).fill(0x7a);
  assertEquals(h.outputs.map((o) => [o.fd, new TextDecoder().decode(o.bytes)]), [
    [2, "abc"],
  ]);
});

Deno.test("binary stdin is read byte for byte, then EOF", () => {
  const stdin = new Uint8Array([0, 255, 0xc3, 0x28, 10, 0]);
  const h = harness(new MemoryFs(), { stdin });
  assertEquals([...read(h, 0, 4)], [0, 255, 0xc3, 0x28]);
  assertEquals([...read(h, 0, 100)], [10, 0]);
  assertEquals([...read(h, 0, 100)], []);
});

Deno.test("an empty directory passed in is listed with . and ..", () => {
  const fs = new MemoryFs();
  fs.addDirectory("/empty");
  const h = harness(fs);
  const dir = open(h, "empty", {
    oflags: OFLAGS_DIRECTORY,
    rights: RIGHTS_FD_READDIR,
  });
  assertEquals(dir.errno, ERRNO_SUCCESS);
  assertEquals(readdirNames(h, dir.fd), [".", ".."]);
  assertEquals(readdirNames(h, 3), [".", "..", "dev", "empty"]);
});

function readdirAt(h: Harness, fd: number, cookie: bigint, size = 4096) {
  const buf = h.alloc(size);
  const used = h.alloc(4);
  assertEquals(h.sys.fd_readdir(fd, buf, size, cookie, used), ERRNO_SUCCESS);
  const entries: { name: string; next: bigint }[] = [];
  for (let at = buf; at + 24 <= buf + h.u32(used);) {
    const len = h.u32(at + 16);
    if (at + 24 + len > buf + h.u32(used)) break; // truncated last entry
    entries.push({
      name: new TextDecoder().decode(h.mem.slice(at + 24, len)),
      next: h.u64(at),
    });
    at += 24 + len;
  }
  return { entries, full: h.u32(used) === size };
}

Deno.test("fd_readdir resumes from a cookie", () => {
  const fs = new MemoryFs();
  for (const name of ["a", "b", "c"]) fs.addFile(`/d/${name}`, new Uint8Array(0));
  const h = harness(fs);
  const dir = open(h, "d", { oflags: OFLAGS_DIRECTORY, rights: RIGHTS_FD_READDIR });
  const all = readdirAt(h, dir.fd, 0n).entries;
  assertEquals(all.map((e) => e.name), [".", "..", "a", "b", "c"]);
  assertEquals(readdirAt(h, dir.fd, all[2]!.next).entries.map((e) => e.name), ["b", "c"]);
  assertEquals(readdirAt(h, dir.fd, all[4]!.next).entries, []);
});

Deno.test("unlinking entries while listing a directory in small reads skips none", () => {
  const fs = new MemoryFs();
  for (let i = 0; i < 50; i++) fs.addFile(`/d/file-${i}`, new Uint8Array(0));
  const h = harness(fs);
  const dir = open(h, "d", { oflags: OFLAGS_DIRECTORY, rights: RIGHTS_FD_READDIR });
  let cookie = 0n;
  let seen = 0;
  for (;;) {
    const { entries } = readdirAt(h, dir.fd, cookie, 100);
    if (entries.length === 0) break;
    for (const entry of entries) {
      cookie = entry.next;
      if (entry.name.startsWith("file-")) {
        seen++;
        assertEquals(
          h.sys.path_unlink_file(3, ...h.str(`d/${entry.name}`)),
          ERRNO_SUCCESS,
        );
      }
    }
  }
  assertEquals(seen, 50);
  assertEquals(h.sys.path_remove_directory(3, ...h.str("d")), ERRNO_SUCCESS);
});

Deno.test("mkdir of an existing path is EEXIST", () => {
  const fs = new MemoryFs();
  fs.addDirectory("/d");
  fs.addFile("/f", new Uint8Array(0));
  const h = harness(fs);
  assertEquals(h.sys.path_create_directory(3, ...h.str("d")), ERRNO_EXIST);
  assertEquals(h.sys.path_create_directory(3, ...h.str("f")), ERRNO_EXIST);
  assertEquals(h.sys.path_create_directory(3, ...h.str("d/new")), ERRNO_SUCCESS);
  assertEquals(h.sys.path_create_directory(3, ...h.str("f/new")), ERRNO_NOTDIR);
});

Deno.test("unlink of a directory is EISDIR; rmdir of a non-empty one is ENOTEMPTY", () => {
  const fs = new MemoryFs();
  fs.addFile("/d/f", new Uint8Array(1));
  const h = harness(fs);
  assertEquals(h.sys.path_unlink_file(3, ...h.str("d")), ERRNO_ISDIR);
  assertEquals(h.sys.path_remove_directory(3, ...h.str("d")), ERRNO_NOTEMPTY);
  assertEquals(h.sys.path_remove_directory(3, ...h.str("d/f")), ERRNO_NOTDIR);
  assertEquals(h.sys.path_unlink_file(3, ...h.str("d/f")), ERRNO_SUCCESS);
  assertEquals(h.sys.path_remove_directory(3, ...h.str("d")), ERRNO_SUCCESS);
  assertEquals(h.sys.path_remove_directory(3, ...h.str("d")), ERRNO_NOENT);
});

Deno.test("'..' and absolute paths cannot escape the preopened root", () => {
  const fs = new MemoryFs();
  fs.addFile("/a/file", encoder.encode("x"));
  const h = harness(fs);
  assertEquals(open(h, "..").errno, ERRNO_NOTCAPABLE);
  assertEquals(open(h, "a/../../a/file").errno, ERRNO_NOTCAPABLE);
  assertEquals(open(h, "/a/file").errno, ERRNO_NOTCAPABLE);
  assertEquals(open(h, "a/../a/./file").errno, ERRNO_SUCCESS);
  // A directory fd is a boundary too.
  const a = open(h, "a", { oflags: OFLAGS_DIRECTORY, rights: 1n << 13n });
  const out = h.alloc(4);
  assertEquals(
    h.sys.path_open(a.fd, 0, ...h.str("../a/file"), 0, 0n, 0n, 0, out),
    ERRNO_NOTCAPABLE,
  );
  // Symlinks cannot lead out either.
  assertEquals(h.sys.path_symlink(...h.str("../.."), 3, ...h.str("up")), ERRNO_SUCCESS);
  assertEquals(
    open(h, "up/x", { dirflags: LOOKUPFLAGS_SYMLINK_FOLLOW }).errno,
    ERRNO_NOTCAPABLE,
  );
  assertEquals(h.sys.path_symlink(...h.str("/etc"), 3, ...h.str("abs")), ERRNO_NOTCAPABLE);
});

Deno.test("symlink loops end with ELOOP", () => {
  const h = harness(new MemoryFs());
  h.sys.path_symlink(...h.str("b"), 3, ...h.str("a"));
  h.sys.path_symlink(...h.str("a"), 3, ...h.str("b"));
  assertEquals(open(h, "a", { dirflags: LOOKUPFLAGS_SYMLINK_FOLLOW }).errno, ERRNO_LOOP);
});

Deno.test("O_APPEND writes at the end; fd_pwrite and fd_pread use their offset", () => {
  const fs = new MemoryFs();
  fs.addFile("/f", encoder.encode("hello"));
  const h = harness(fs);
  const f = open(h, "f", { fdflags: FDFLAGS_APPEND });
  write(h, f.fd, encoder.encode("!"));
  assertEquals(new TextDecoder().decode(fs.readFile("/f")), "hello!");
  const g = open(h, "f");
  const out = h.alloc(4);
  h.sys.fd_pwrite(g.fd, ...h.iovs([encoder.encode("J"), encoder.encode("E")]), 0n, out);
  assertEquals(new TextDecoder().decode(fs.readFile("/f")), "JEllo!");
  const tell = h.alloc(8);
  h.sys.fd_tell(g.fd, tell);
  assertEquals(h.u64(tell), 0n);
  const [iovs] = h.iovs([new Uint8Array(3)]);
  h.sys.fd_pread(g.fd, iovs, 1, 3n, out);
  assertEquals(new TextDecoder().decode(h.mem.slice(h.u32(iovs), h.u32(out))), "lo!");
});

Deno.test("fd_allocate keeps data and fd_filestat_set_size truncates", () => {
  const fs = new MemoryFs();
  fs.addFile("/f", encoder.encode("abc"));
  const h = harness(fs);
  const f = open(h, "f", { rights: FILE_RIGHTS | (1n << 8n) | (1n << 22n) });
  assertEquals(h.sys.fd_allocate(f.fd, 0n, 6n), ERRNO_SUCCESS);
  assertEquals([...fs.readFile("/f")!], [97, 98, 99, 0, 0, 0]);
  assertEquals(h.sys.fd_filestat_set_size(f.fd, 2n), ERRNO_SUCCESS);
  assertEquals([...fs.readFile("/f")!], [97, 98]);
  assertEquals(h.sys.fd_filestat_set_size(f.fd, 1n << 40n), 22); // EFBIG
  assertEquals(h.sys.fd_filestat_set_size(f.fd, -1n), 22);
});

Deno.test("rights can only be dropped and are enforced", () => {
  const fs = new MemoryFs();
  fs.addFile("/f", encoder.encode("abc"));
  const h = harness(fs);
  const f = open(h, "f");
  assertEquals(h.sys.fd_fdstat_set_rights(f.fd, RIGHTS_FD_WRITE, 0n), ERRNO_SUCCESS);
  assertEquals(h.sys.fd_read(f.fd, ...h.iovs([new Uint8Array(1)]), h.alloc(4)), ERRNO_NOTCAPABLE);
  assertEquals(h.sys.fd_fdstat_set_rights(f.fd, FILE_RIGHTS, 0n), ERRNO_NOTCAPABLE);
  assertEquals(h.sys.fd_close(f.fd), ERRNO_SUCCESS);
  assertEquals(h.sys.fd_close(f.fd), ERRNO_BADF);
});

Deno.test("a directory fd sees entries created after it was opened", () => {
  const h = harness(new MemoryFs());
  h.sys.path_create_directory(3, ...h.str("d"));
  const d = open(h, "d", { oflags: OFLAGS_DIRECTORY, rights: RIGHTS_FD_READDIR });
  assertEquals(open(h, "d/new", { oflags: OFLAGS_CREAT }).errno, ERRNO_SUCCESS);
  assertEquals(readdirNames(h, d.fd), [".", "..", "new"]);
});

Deno.test("rename moves files and whole trees", () => {
  const fs = new MemoryFs();
  fs.addFile("/src/deep/f", encoder.encode("x"));
  const h = harness(fs);
  assertEquals(h.sys.path_rename(3, ...h.str("src"), 3, ...h.str("dst")), ERRNO_SUCCESS);
  assertEquals(fs.readFile("/dst/deep/f")?.byteLength, 1);
  assertEquals(fs.readFile("/src/deep/f"), undefined);
  assertEquals(
    h.sys.path_rename(3, ...h.str("dst"), 3, ...h.str("dst/deep/inside")),
    28, // EINVAL: a directory cannot move into itself
  );
});

Deno.test("timestamps keep nanoseconds", () => {
  const fs = new MemoryFs();
  fs.addFile("/f", new Uint8Array(0));
  const h = harness(fs);
  const ns = 1_700_000_000_123_456_789n;
  assertEquals(
    h.sys.path_filestat_set_times(3, 0, ...h.str("f"), ns, ns + 1n, 1 | 4),
    ERRNO_SUCCESS,
  );
  const stat = h.alloc(64);
  assertEquals(h.sys.path_filestat_get(3, 0, ...h.str("f"), stat), ERRNO_SUCCESS);
  assertEquals([h.mem.view.getUint8(stat + 16), h.u64(stat + 40), h.u64(stat + 48)], [
    FILETYPE_REGULAR_FILE,
    ns,
    ns + 1n,
  ]);
});

Deno.test("preview0: whence order and the 56-byte filestat", () => {
  const fs = new MemoryFs();
  fs.addFile("/f", encoder.encode("0123456789"));
  const h = harness(fs, { abi: PREVIEW0 });
  const f = open(h, "f", { rights: FILE_RIGHTS | RIGHTS_FD_FILESTAT_GET });
  const out = h.alloc(8);
  assertEquals(h.sys.fd_seek(f.fd, -3n, 1, out), ERRNO_SUCCESS); // END
  assertEquals(h.u64(out), 7n);
  assertEquals(h.sys.fd_seek(f.fd, 2n, 2, out), ERRNO_SUCCESS); // SET
  assertEquals(h.u64(out), 2n);
  assertEquals(h.sys.fd_seek(f.fd, 1n, 0, out), ERRNO_SUCCESS); // CUR
  assertEquals(h.u64(out), 3n);
  const stat = h.alloc(64);
  h.mem.slice(stat, 64).fill(0xee);
  assertEquals(h.sys.fd_filestat_get(f.fd, stat), ERRNO_SUCCESS);
  assertEquals(
    [h.mem.view.getUint8(stat + 16), h.u32(stat + 20), h.u64(stat + 24)],
    [FILETYPE_REGULAR_FILE, 1, 10n],
  );
  assertEquals(h.mem.view.getUint8(stat + 56), 0xee, "nothing past 56 bytes");
  const dirStat = h.alloc(64);
  assertEquals(h.sys.fd_filestat_get(3, dirStat), ERRNO_SUCCESS);
  assertEquals(h.mem.view.getUint8(dirStat + 16), FILETYPE_DIRECTORY);
});

function pollClock(h: Harness, ns: bigint, preview0: boolean): number {
  const size = preview0 ? 56 : 48;
  const sub = h.alloc(size);
  const base = preview0 ? sub + 24 : sub + 16;
  h.mem.u64(sub, 42n);
  h.mem.view.setUint8(sub + 8, 0);
  h.mem.view.setUint32(base, 1, true);
  h.mem.u64(base + 8, ns);
  const events = h.alloc(32);
  const n = h.alloc(4);
  const t0 = performance.now();
  assertEquals(h.sys.poll_oneoff(sub, events, 1, n), ERRNO_SUCCESS);
  const elapsed = performance.now() - t0;
  assertEquals([h.u32(n), h.u64(events), h.mem.view.getUint16(events + 8, true)], [
    1,
    42n,
    0,
  ]);
  return elapsed;
}

Deno.test("poll_oneoff sleeps on a clock subscription (preview1 and preview0)", () => {
  const elapsed1 = pollClock(harness(new MemoryFs()), 30_000_000n, false);
  if (elapsed1 < 29) throw new Error(`slept only ${elapsed1} ms`);
  const elapsed0 = pollClock(harness(new MemoryFs(), { abi: PREVIEW0 }), 30_000_000n, true);
  if (elapsed0 < 29) throw new Error(`slept only ${elapsed0} ms`);
});

Deno.test("the monotonic clock never goes backwards", () => {
  const h = harness(new MemoryFs());
  const out = h.alloc(8);
  let last = 0n;
  for (let i = 0; i < 1000; i++) {
    h.sys.clock_time_get(1, 1n, out);
    const now = h.u64(out);
    if (now < last) throw new Error("monotonic clock went backwards");
    last = now;
  }
});
