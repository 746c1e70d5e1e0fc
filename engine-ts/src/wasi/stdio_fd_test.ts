// Copyright the runno_mcp authors. MIT license.

import { assertEquals, concat, harness } from "./_test_util.ts";
import type { Harness } from "./_test_util.ts";
import {
  ERRNO_SUCCESS,
  FILETYPE_CHARACTER_DEVICE,
  OFLAGS_CREAT,
  OFLAGS_DIRECTORY,
  OFLAGS_TRUNC,
  RIGHTS_ALL,
  RIGHTS_FD_READ,
  RIGHTS_FD_READDIR,
  RIGHTS_FD_SEEK,
  RIGHTS_FD_TELL,
  RIGHTS_FD_WRITE,
  RIGHTS_PATH_OPEN,
} from "./constants.ts";
import { MemoryFs } from "./mod.ts";
import { Stdio } from "./stdio_fd.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const ERRNO_NOTDIR = 54;

function open(
  h: Harness,
  path: string,
  options: { at?: number; oflags?: number; rights?: bigint } = {},
): number {
  const out = h.alloc(4);
  const errno = h.sys.path_open(
    options.at ?? 3,
    0,
    ...h.str(path),
    options.oflags ?? 0,
    options.rights ?? RIGHTS_FD_READ,
    0n,
    0,
    out,
  );
  assertEquals(errno, ERRNO_SUCCESS, `path_open ${path}`);
  return h.u32(out);
}

function read(h: Harness, fd: number, size: number): string {
  const [iovs] = h.iovs([new Uint8Array(size)]);
  const out = h.alloc(4);
  assertEquals(h.sys.fd_read(fd, iovs, 1, out), ERRNO_SUCCESS, "fd_read");
  return decoder.decode(h.mem.slice(h.u32(iovs), h.u32(out)));
}

function write(h: Harness, fd: number, text: string): number {
  const out = h.alloc(4);
  assertEquals(h.sys.fd_write(fd, ...h.iovs([encoder.encode(text)]), out), ERRNO_SUCCESS);
  return h.u32(out);
}

Deno.test("/dev/stdin reads the same stream as fd 0, sharing its position", () => {
  const h = harness(new MemoryFs(), { stdin: encoder.encode("one two three") });
  assertEquals(read(h, 0, 4), "one ");
  const stdin = open(h, "dev/stdin");
  assertEquals(read(h, stdin, 4), "two ");
  assertEquals(read(h, 0, 100), "three");
  assertEquals(read(h, stdin, 100), "");
});

Deno.test("/dev/stdout and /dev/stderr write to the run's output streams, even opened with O_TRUNC", () => {
  const h = harness(new MemoryFs());
  const creatTrunc = OFLAGS_CREAT | OFLAGS_TRUNC; // what fopen(path, "w") asks for
  const stdout = open(h, "dev/stdout", { oflags: creatTrunc, rights: RIGHTS_FD_WRITE });
  const stderr = open(h, "dev/stderr", { oflags: creatTrunc, rights: RIGHTS_FD_WRITE });
  assertEquals(write(h, stdout, "out"), 3);
  assertEquals(write(h, stderr, "err"), 3);
  write(h, 1, "!");
  assertEquals(h.outputs.map((o) => [o.fd, decoder.decode(o.bytes)]), [
    [1, "out"],
    [2, "err"],
    [1, "!"],
  ]);
});

Deno.test("/dev/null discards writes and reads EOF at once", () => {
  const h = harness(new MemoryFs());
  const devNull = open(h, "dev/null", { rights: RIGHTS_FD_READ | RIGHTS_FD_WRITE });
  assertEquals(write(h, devNull, "gone"), 4);
  assertEquals(read(h, devNull, 10), "");
  assertEquals(h.outputs, []);
});

Deno.test("the devices are character devices, also when reached from a directory fd below the root", () => {
  const h = harness(new MemoryFs());
  const dev = open(h, "dev", {
    oflags: OFLAGS_DIRECTORY,
    rights: RIGHTS_FD_READDIR | RIGHTS_PATH_OPEN,
  });
  const devNull = open(h, "null", { at: dev, rights: RIGHTS_FD_WRITE });
  const stat = h.alloc(24);
  assertEquals(h.sys.fd_fdstat_get(devNull, stat), ERRNO_SUCCESS);
  assertEquals(h.mem.view.getUint8(stat), FILETYPE_CHARACTER_DEVICE);
  const filestat = h.alloc(64);
  assertEquals(h.sys.path_filestat_get(3, 0, ...h.str("dev/stdin"), filestat), ERRNO_SUCCESS);
  assertEquals(h.mem.view.getUint8(filestat + 16), FILETYPE_CHARACTER_DEVICE);
  const out = h.alloc(4);
  assertEquals(
    h.sys.path_open(3, 0, ...h.str("dev/null"), OFLAGS_DIRECTORY, RIGHTS_FD_READ, 0n, 0, out),
    ERRNO_NOTDIR,
  );
});

Deno.test("the devices are never listed as files, written to or not", () => {
  const fs = new MemoryFs();
  fs.addFile("/in.txt", encoder.encode("x"));
  const snapshot = fs.snapshot();
  const h = harness(fs, { stdin: encoder.encode("data") });
  read(h, open(h, "dev/stdin"), 10);
  write(h, open(h, "dev/stdout", { oflags: OFLAGS_TRUNC, rights: RIGHTS_FD_WRITE }), "x");
  write(h, open(h, "dev/null", { rights: RIGHTS_FD_WRITE }), "x");
  assertEquals(fs.changedSince(snapshot).map((e) => e.path), []);
  assertEquals(fs.allFiles().map((e) => e.path), ["/in.txt"]);
  assertEquals(fs.readFile("/dev/null"), undefined);
  assertEquals(decoder.decode(concat(h.outputs.map((o) => o.bytes))), "x");
});

Deno.test("a filesystem made without devices has no /dev", () => {
  const fs = new MemoryFs({ devices: false });
  const h = harness(fs);
  const filestat = h.alloc(64);
  assertEquals(h.sys.path_filestat_get(3, 0, ...h.str("dev"), filestat), 44); // ENOENT
});

Deno.test("a file the host adds at /dev or at a device's path replaces the device", () => {
  const fs = new MemoryFs();
  fs.addFile("/dev/null", encoder.encode("mine"));
  fs.addFile("/dev/stdout/inside", encoder.encode("deeper"));
  assertEquals(decoder.decode(fs.readFile("/dev/null")), "mine");
  assertEquals(decoder.decode(fs.readFile("/dev/stdout/inside")), "deeper");
  const other = new MemoryFs();
  other.addFile("/dev", encoder.encode("a file"));
  assertEquals(decoder.decode(other.readFile("/dev")), "a file");
});

Deno.test("with a terminal, /dev/stdin is a tty and /dev/null is not", () => {
  const stdio = new Stdio({ stdin: new Uint8Array(0), onOutput() {}, tty: true });
  const isTty = (device: "stdin" | "null") => {
    const fdstat = stdio.open(device, RIGHTS_ALL).fd_fdstat_get().fdstat!;
    // wasi-libc's isatty: a character device without seek or tell rights.
    return fdstat.filetype === FILETYPE_CHARACTER_DEVICE &&
      (fdstat.rightsBase & (RIGHTS_FD_SEEK | RIGHTS_FD_TELL)) === 0n;
  };
  assertEquals([isTty("stdin"), isTty("null")], [true, false]);
});
