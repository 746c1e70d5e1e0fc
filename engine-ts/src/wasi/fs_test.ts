// Copyright the runno_mcp authors. MIT license.

import { assertEquals, harness } from "./_test_util.ts";
import {
  ERRNO_SUCCESS,
  OFLAGS_CREAT,
  OFLAGS_TRUNC,
  RIGHTS_FD_READ,
  RIGHTS_FD_WRITE,
} from "./constants.ts";
import { MemoryFs } from "./mod.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

Deno.test("addFile creates parents and readFile returns the bytes", () => {
  const fs = new MemoryFs();
  fs.addFile("/a/b/c.txt", encoder.encode("hi"), { mtimeNs: 5n });
  assertEquals(decoder.decode(fs.readFile("/a/b/c.txt")), "hi");
  assertEquals(fs.readFile("/a/b"), undefined);
  assertEquals(fs.allFiles().map((e) => [e.path, e.mtimeNs]), [["/a/b/c.txt", 5n]]);
});

Deno.test("writing a shared file copies it first: the original buffer is untouched", () => {
  const shared = new Uint8Array(new SharedArrayBuffer(5));
  shared.set(encoder.encode("hello"));
  const fs = new MemoryFs();
  fs.addFile("/lib/x", shared, { shared: true });
  fs.addFile("/lib/y", shared, { shared: true });
  const h = harness(fs);
  const out = h.alloc(4);
  assertEquals(
    h.sys.path_open(3, 0, ...h.str("lib/x"), 0, RIGHTS_FD_WRITE, 0n, 0, out),
    ERRNO_SUCCESS,
  );
  const fd = h.u32(out);
  h.sys.fd_write(fd, ...h.iovs([encoder.encode("J")]), h.alloc(4));
  assertEquals(decoder.decode(fs.readFile("/lib/x")), "Jello");
  assertEquals(decoder.decode(shared), "hello");
  assertEquals(decoder.decode(fs.readFile("/lib/y")), "hello");
  // Truncating another shared file does not touch the buffer either.
  assertEquals(
    h.sys.path_open(3, 0, ...h.str("lib/y"), OFLAGS_TRUNC, RIGHTS_FD_READ, 0n, 0, out),
    ERRNO_SUCCESS,
  );
  assertEquals(fs.readFile("/lib/y")?.byteLength, 0);
  assertEquals(decoder.decode(shared), "hello");
});

Deno.test("changedSince reports created, modified and renamed files only", () => {
  const fs = new MemoryFs();
  fs.addFile("/keep.txt", encoder.encode("same"));
  fs.addFile("/read.txt", encoder.encode("read me"));
  fs.addFile("/edit.txt", encoder.encode("old"));
  fs.addFile("/move.txt", encoder.encode("moving"));
  fs.addFile("/gone.txt", encoder.encode("bye"));
  fs.addFile("/tree/inner.txt", encoder.encode("in a tree"));
  const snapshot = fs.snapshot();
  const h = harness(fs);
  const out = h.alloc(4);
  // Read one file (no change).
  h.sys.path_open(3, 0, ...h.str("read.txt"), 0, RIGHTS_FD_READ, 0n, 0, out);
  h.sys.fd_read(h.u32(out), ...h.iovs([new Uint8Array(10)]), h.alloc(4));
  // Modify one.
  h.sys.path_open(3, 0, ...h.str("edit.txt"), 0, RIGHTS_FD_WRITE, 0n, 0, out);
  h.sys.fd_write(h.u32(out), ...h.iovs([encoder.encode("new")]), h.alloc(4));
  // Create one.
  h.sys.path_open(3, 0, ...h.str("made.txt"), OFLAGS_CREAT, RIGHTS_FD_WRITE, 0n, 0, out);
  // Rename a file and a directory, delete one.
  h.sys.path_rename(3, ...h.str("move.txt"), 3, ...h.str("moved.txt"));
  h.sys.path_rename(3, ...h.str("tree"), 3, ...h.str("grove"));
  h.sys.path_unlink_file(3, ...h.str("gone.txt"));
  const changed = fs.changedSince(snapshot).map((e) => [e.path, decoder.decode(e.content)]);
  changed.sort();
  assertEquals(changed, [
    ["/edit.txt", "new"],
    ["/grove/inner.txt", "in a tree"],
    ["/made.txt", ""],
    ["/moved.txt", "moving"],
  ]);
});

Deno.test("maxBytes caps what writes allocate: ENOSPC past it, unlink gives content back", () => {
  const fs = new MemoryFs({ maxBytes: 1000 });
  fs.addFile("/input.bin", new Uint8Array(5000)); // the host's files do not count
  const h = harness(fs);
  const out = h.alloc(4);
  const chunk = new Uint8Array(600);
  function create(name: string): number {
    assertEquals(
      h.sys.path_open(3, 0, ...h.str(name), OFLAGS_CREAT, RIGHTS_FD_WRITE, 0n, 0, out),
      ERRNO_SUCCESS,
    );
    return h.u32(out);
  }
  const a = create("a");
  assertEquals(h.sys.fd_write(a, ...h.iovs([chunk]), out), ERRNO_SUCCESS);
  const b = create("b");
  assertEquals(h.sys.fd_write(b, ...h.iovs([chunk]), out), 51); // ENOSPC
  // Renaming keeps the bytes counted; unlinking gives them back.
  h.sys.path_rename(3, ...h.str("a"), 3, ...h.str("a2"));
  assertEquals(h.sys.fd_write(b, ...h.iovs([chunk]), out), 51);
  h.sys.path_unlink_file(3, ...h.str("a2"));
  assertEquals(fs.usedBytes, 2); // the names "a" and "b" stay paid for: a run is short
  assertEquals(h.sys.fd_write(b, ...h.iovs([chunk]), out), ERRNO_SUCCESS);
  assertEquals(fs.usedBytes, 602);
});

Deno.test("maxEntries caps the files, directories and links a guest makes: ENOSPC past it", () => {
  const fs = new MemoryFs({ maxEntries: 2 });
  fs.addFile("/input.bin", new Uint8Array(1)); // the host's files do not count
  const h = harness(fs);
  const out = h.alloc(4);
  assertEquals(h.sys.path_create_directory(3, ...h.str("d")), ERRNO_SUCCESS);
  assertEquals(
    h.sys.path_open(3, 0, ...h.str("f"), OFLAGS_CREAT, RIGHTS_FD_WRITE, 0n, 0, out),
    ERRNO_SUCCESS,
  );
  assertEquals(h.sys.path_symlink(...h.str("f"), 3, ...h.str("l")), 51); // ENOSPC
  assertEquals(h.sys.path_create_directory(3, ...h.str("e")), 51);
  assertEquals(h.sys.path_open(3, 0, ...h.str("g"), OFLAGS_CREAT, RIGHTS_FD_WRITE, 0n, 0, out), 51);
  assertEquals(h.sys.path_open(3, 0, ...h.str("f"), 0, RIGHTS_FD_WRITE, 0n, 0, out), ERRNO_SUCCESS);
});

Deno.test("a temporary file opened while it exists stays readable and leaves no trace", () => {
  const fs = new MemoryFs();
  fs.addFile("/a/kept.txt", encoder.encode("k"), { mtimeNs: 7n });
  const root = fs.root;
  const times = [root.mtim, root.ctim];
  const snapshot = fs.snapshot();
  const h = harness(fs);
  const out = h.alloc(4);
  const errno = fs.withTemporaryFile(
    "/.control/x/next",
    encoder.encode("job"),
    () => h.sys.path_open(3, 0, ...h.str(".control/x/next"), 0, RIGHTS_FD_READ, 0n, 0, out),
  );
  assertEquals(errno, ERRNO_SUCCESS);
  const [table, count] = h.iovs([new Uint8Array(8)]);
  const read = h.alloc(4);
  assertEquals(h.sys.fd_read(h.u32(out), table, count, read), ERRNO_SUCCESS);
  assertEquals(decoder.decode(h.mem.slice(h.u32(table), h.u32(read))), "job");
  assertEquals([...fs.filePaths()], ["/a/kept.txt"]);
  assertEquals(fs.changedSince(snapshot), []);
  assertEquals([root.mtim, root.ctim], times);
  assertEquals(root.get(".control"), undefined);
});

Deno.test("a temporary file may not replace what is there", () => {
  const fs = new MemoryFs();
  fs.addFile("/taken", encoder.encode("mine"));
  let threw = false;
  try {
    fs.withTemporaryFile("/taken", encoder.encode("x"), () => 0);
  } catch (error: unknown) {
    threw = error instanceof TypeError;
  }
  assertEquals([threw, decoder.decode(fs.readFile("/taken"))], [true, "mine"]);
});

Deno.test("removeFile removes a regular file and nothing else", () => {
  const fs = new MemoryFs();
  fs.addFile("/dir/a.txt", new TextEncoder().encode("a"));
  assertEquals(fs.removeFile("/dir/a.txt"), true);
  assertEquals(fs.readFile("/dir/a.txt"), undefined);
  assertEquals(fs.removeFile("/dir/a.txt"), false);
  assertEquals(fs.removeFile("/dir"), false);
  assertEquals(fs.filePaths().size, 0);
});
