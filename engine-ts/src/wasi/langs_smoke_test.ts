// Copyright the runno_mcp authors. MIT license.
// Runs the real language binaries when /work/langs-dev is present.

import { assertEquals, exists, fsFromTarGz, LANGS_DIR, runWasm } from "./_test_util.ts";
import { MemoryFs } from "./mod.ts";
import { patchWasiVfsPoll } from "./wasi_vfs.ts";

const encoder = new TextEncoder();
const present = await exists(`${LANGS_DIR}/python-3.11.3.wasm`);

Deno.test({
  name: "python prints hello and writes a file",
  ignore: !present,
  async fn() {
    const fs = await fsFromTarGz(`${LANGS_DIR}/python-3.11.3.tar.gz`);
    fs.addFile(
      "/main.py",
      encoder.encode(
        "import os\nprint('hi')\nopen('/out.txt','w').write('x')\nprint(sorted(os.listdir('/'))[:3])\n",
      ),
    );
    const snapshot = fs.snapshot();
    const result = await runWasm(`${LANGS_DIR}/python-3.11.3.wasm`, {
      args: ["python", "/main.py"],
      fs,
    });
    assertEquals(result.stderr, "");
    assertEquals(result.stdout, "hi\n['dev', 'main.py', 'out.txt']\n");
    assertEquals(result.code, 0);
    assertEquals(fs.changedSince(snapshot).map((e) => e.path), ["/out.txt"]);
  },
});

Deno.test({
  name: "python's time.sleep reaches poll_oneoff once the wasi-vfs shim is patched",
  ignore: !present,
  async fn() {
    const fs = await fsFromTarGz(`${LANGS_DIR}/python-3.11.3.tar.gz`);
    fs.addFile(
      "/main.py",
      encoder.encode(
        "import time\nt = time.monotonic()\ntime.sleep(0.2)\nprint(time.monotonic() - t >= 0.2)\n",
      ),
    );
    const unpatched = await runWasm(`${LANGS_DIR}/python-3.11.3.wasm`, {
      args: ["python", "/main.py"],
      fs,
    });
    assertEquals(unpatched.stderr.includes("OSError: [Errno 58]"), true);
    const patched = await runWasm(`${LANGS_DIR}/python-3.11.3.wasm`, {
      args: ["python", "/main.py"],
      fs,
      patchPoll: true,
    });
    assertEquals([patched.code, patched.stdout, patched.stderr], [0, "True\n", ""]);
  },
});

Deno.test({
  name: "modules without the wasi-vfs shim are left alone",
  ignore: !present,
  async fn() {
    for (const name of ["sqlite.wasm", "wasmedge_quickjs.wasm"]) {
      const bytes = await Deno.readFile(`${LANGS_DIR}/${name}`);
      assertEquals(patchWasiVfsPoll(bytes), undefined, name);
    }
  },
});

Deno.test({
  name: "quickjs prints hello",
  ignore: !present,
  async fn() {
    const fs = new MemoryFs();
    fs.addFile("/main.js", encoder.encode("console.log('hi', 1 + 2)"));
    const result = await runWasm(`${LANGS_DIR}/wasmedge_quickjs.wasm`, {
      args: ["quickjs", "/main.js"],
      fs,
    });
    assertEquals([result.code, result.stdout], [0, "hi 3\n"]);
  },
});

Deno.test({
  name: "sqlite (wasi_unstable) answers a query from stdin",
  ignore: !present,
  async fn() {
    const result = await runWasm(`${LANGS_DIR}/sqlite.wasm`, {
      args: ["sqlite"],
      fs: new MemoryFs(),
      stdin: encoder.encode("select 1 + 1;\n"),
    });
    assertEquals(result.code, 0);
    assertEquals(result.stdout.includes("2\n"), true);
  },
});

Deno.test({
  name: "php reads stdin from /dev/stdin and writes to /dev/stderr and /dev/null",
  ignore: !(await exists(`${LANGS_DIR}/php-cgi-8.2.0.wasm`)),
  async fn() {
    // php-cgi's php://stdin needs dup(), which WASI lacks; /dev/stdin is the way in.
    const fs = new MemoryFs();
    fs.addFile(
      "/main.php",
      encoder.encode(
        '<?php $in = fopen("/dev/stdin", "r");\n' +
          'while (($line = fgets($in)) !== false) echo "[", rtrim($line), "]\\n";\n' +
          'file_put_contents("/dev/stderr", "err\\n");\n' +
          'file_put_contents("/dev/null", "gone");\n',
      ),
    );
    const result = await runWasm(`${LANGS_DIR}/php-cgi-8.2.0.wasm`, {
      args: ["php", "-q", "/main.php"],
      fs,
      stdin: encoder.encode("one\ntwo\n"),
    });
    assertEquals([result.code, result.stdout, result.stderr], [0, "[one]\n[two]\n", "err\n"]);
  },
});
