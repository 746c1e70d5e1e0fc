// Live sessions against the real python.wasm (RUNNO_MCP_LANGS_DIR, else /work/langs-dev):
// state kept between calls, each call's own output, stdin, files and exit codes, and the
// interpreter's end on timeout, crash and close_live.

import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { LIVE_STOPPED } from "./live.ts";
import type { RunParams, RunResultWire, WireFile } from "./protocol.ts";
import { Runner } from "./runner.ts";
import { Runtimes } from "./runtimes.ts";
import { Server } from "./server.ts";
import { exists, LANGS_DIR } from "./wasi/_test_util.ts";
import { WorkerPool } from "./worker_pool.ts";

const MANIFEST = new URL("../../langs/manifest.json", import.meta.url).pathname;
const present = await exists(`${LANGS_DIR}/python-3.11.3.wasm`);

/** Generous: another engineer's tests may share the two cores. */
const TIMEOUT_MS = 60_000;

const encoder = new TextEncoder();
const never = new AbortController().signal;

/** A runner with its own worker pool; `using` closes both. */
async function startRunner(): Promise<{ runner: Runner; [Symbol.dispose](): void }> {
  const runtimes = await Runtimes.load(MANIFEST, LANGS_DIR);
  const pool = new WorkerPool(1);
  const runner = new Runner(runtimes, pool, {
    defaultMemoryMb: 512,
    maxFsBytes: 64 << 20,
  });
  return {
    runner,
    [Symbol.dispose]() {
      runner.close();
      pool.close();
    },
  };
}

function file(path: string, text: string): WireFile {
  return { path, content: encoder.encode(text).toBase64() };
}

function text(wire: WireFile): string {
  return new TextDecoder().decode(Uint8Array.fromBase64(wire.content));
}

/**
 * A python call of `code` as /main.py (plus `overrides.files`), live in session "s" unless
 * `overrides` say otherwise.
 */
function call(code: string, overrides: Partial<RunParams> = {}): RunParams {
  const { files = [], ...rest } = overrides;
  return {
    runtime: "python",
    entry: "/main.py",
    files: [file("/main.py", code), ...files],
    stdin: null,
    args: [],
    env: {},
    timeout_ms: TIMEOUT_MS,
    max_output_bytes: 64 * 1024,
    memory_limit_mb: 512,
    return_fs: "changed",
    max_return_files: 1000,
    max_return_bytes: 16 << 20,
    stream_output: false,
    live_session: "s",
    ...rest,
  };
}

function withStdin(input: string): Partial<RunParams> {
  return { stdin: encoder.encode(input).toBase64() };
}

/** What a caller sees of a complete call, without timing. */
function seen(result: RunResultWire) {
  return {
    result_type: result.result_type,
    exit_code: result.exit_code,
    stdout: result.stdout,
    stderr: result.stderr,
    live: result.live,
  };
}

Deno.test({
  name: "a live session keeps variables, imports and functions, and reports each call's own output",
  ignore: !present,
  async fn() {
    using engine = await startRunner();
    const { runner } = engine;
    const first = await runner.run(
      call("import math, sys\nx = 6\ndef double(n):\n    return 2 * n\nprint('one')\n"),
      never,
    );
    const second = await runner.run(
      call("y = double(x) + 1\nprint('two', file=sys.stderr)\n"),
      never,
    );
    const third = await runner.run(call("print(x, y, math.floor(math.pi))\n"), never);
    assertEquals(seen(first), {
      result_type: "complete",
      exit_code: 0,
      stdout: "one\n",
      stderr: "",
      live: "started",
    });
    assertEquals(seen(second), {
      result_type: "complete",
      exit_code: 0,
      stdout: "",
      stderr: "two\n",
      live: "continued",
    });
    assertEquals(seen(third), {
      result_type: "complete",
      exit_code: 0,
      stdout: "6 13 3\n",
      stderr: "",
      live: "continued",
    });
  },
});

Deno.test({
  name: "an uncaught exception prints what `python main.py` prints, exits 1, and keeps the state",
  ignore: !present,
  async fn() {
    using engine = await startRunner();
    const { runner } = engine;
    const failing = "def f():\n    raise ValueError('boom')\n\nf()\n";
    await runner.run(call("x = 41\n"), never);
    const failed = await runner.run(call(failing), never);
    const fresh = await runner.run(call(failing, { live_session: null }), never);
    const after = await runner.run(call("print(x + 1)\n"), never);
    assertEquals([failed.result_type, failed.exit_code, failed.live], ["complete", 1, "continued"]);
    assertEquals(
      failed.stderr,
      'Traceback (most recent call last):\n  File "/main.py", line 4, in <module>\n    f()\n' +
        "  File \"/main.py\", line 2, in f\n    raise ValueError('boom')\nValueError: boom\n",
    );
    assertEquals(failed.stderr, fresh.stderr);
    assertEquals(seen(after), {
      result_type: "complete",
      exit_code: 0,
      stdout: "42\n",
      stderr: "",
      live: "continued",
    });
  },
});

Deno.test({
  name: "a syntax error in a cell is reported as python reports it, without a traceback",
  ignore: !present,
  async fn() {
    using engine = await startRunner();
    const { runner } = engine;
    const broken = "x = (\n";
    const live = await runner.run(call(broken), never);
    const fresh = await runner.run(call(broken, { live_session: null }), never);
    assertEquals([live.exit_code, live.stderr], [1, fresh.stderr]);
    match(live.stderr, /^ {2}File "\/main.py", line 1\n/);
  },
});

Deno.test({
  name: "SystemExit sets the exit code and the interpreter stays",
  ignore: !present,
  async fn() {
    using engine = await startRunner();
    const { runner } = engine;
    const three = await runner.run(call("x = 'kept'\nraise SystemExit(3)\n"), never);
    const text = await runner.run(call("import sys\nsys.exit('bye')\n"), never);
    const none = await runner.run(call("sys.exit()\n"), never);
    const after = await runner.run(call("print(x)\n"), never);
    assertEquals([three.exit_code, three.live], [3, "started"]);
    assertEquals([text.exit_code, text.stderr], [1, "bye\n"]);
    assertEquals(none.exit_code, 0);
    assertEquals([after.stdout, after.live], ["kept\n", "continued"]);
  },
});

Deno.test({
  name: "each call reads its own stdin, then EOF",
  ignore: !present,
  async fn() {
    using engine = await startRunner();
    const { runner } = engine;
    const first = await runner.run(call("print(input())\n", withStdin("first\nunread\n")), never);
    const second = await runner.run(
      call("import sys\nprint(sys.stdin.read().split())\n", withStdin("a\nb\n")),
      never,
    );
    // exit() closes sys.stdin; the next call still gets a readable one.
    await runner.run(call("exit()\n"), never);
    const empty = await runner.run(call("print(repr(sys.stdin.read()))\n"), never);
    assertEquals(first.stdout, "first\n");
    assertEquals(second.stdout, "['a', 'b']\n");
    assertEquals(empty.stdout, "''\n");
  },
});

Deno.test({
  name: "a file written in one call is readable in the next and reported once, as changed",
  ignore: !present,
  async fn() {
    using engine = await startRunner();
    const { runner } = engine;
    const write = await runner.run(call("open('/data.txt', 'w').write('hello')\n"), never);
    const read = await runner.run(call("print(open('/data.txt').read())\n"), never);
    assertEquals(write.files.map((wire) => [wire.path, text(wire)]), [["/data.txt", "hello"]]);
    assertEquals([read.stdout, read.files], ["hello\n", []]);
  },
});

Deno.test({
  name: "a module sent in a later call can be imported, and an unchanged input keeps its mtime",
  ignore: !present,
  async fn() {
    using engine = await startRunner();
    const { runner } = engine;
    const data = file("/data.txt", "same");
    // The first call looks up a module in / that is not there yet: a stale listing would stick.
    await runner.run(
      call(
        "import os\ntry:\n    import helper\nexcept ImportError:\n    pass\n" +
          "held = open('/data.txt')\nmtime = os.stat('/data.txt').st_mtime_ns\n",
        { files: [data] },
      ),
      never,
    );
    const later = await runner.run(
      call(
        "import helper\nprint(helper.VALUE, held.read(), os.stat('/data.txt').st_mtime_ns == mtime)\n",
        { files: [data, file("/helper.py", "VALUE = 7\n")] },
      ),
      never,
    );
    assertEquals([later.stderr, later.stdout], ["", "7 same True\n"]);
  },
});

Deno.test({
  name: "deleted lists the files a program removed, live or not",
  ignore: !present,
  async fn() {
    using engine = await startRunner();
    const { runner } = engine;
    const remove = "import os\nos.remove('/input.txt')\nopen('/kept.txt', 'w').close()\n";
    const files = [file("/input.txt", "x")];
    const fresh = await runner.run(call(remove, { files, live_session: null }), never);
    const quiet = await runner.run(
      call(remove, { files, live_session: null, return_fs: "none" }),
      never,
    );
    const live = await runner.run(call(remove, { files }), never);
    const again = await runner.run(call("os.remove('/kept.txt')\n"), never);
    assertEquals([fresh.deleted, fresh.live, fresh.files.map((wire) => wire.path)], [
      ["/input.txt"],
      null,
      ["/kept.txt"],
    ]);
    assertEquals(quiet.deleted, []);
    assertEquals(live.deleted, ["/input.txt"]);
    assertEquals(again.deleted, ["/kept.txt"]);
  },
});

Deno.test({
  name:
    "the driver leaves no trace: argv, environment, / and __main__ are what python main.py sees",
  ignore: !present,
  async fn() {
    using engine = await startRunner();
    const { runner } = engine;
    const probe = "import os, sys\n" +
      "print(sys.argv, dict(os.environ), sorted(os.listdir('/')), sys.path[0])\n" +
      "print(__name__, __file__, sys.modules['__main__'].__dict__ is globals())\n";
    const options = { args: ["a"], env: { ONE: "1" } };
    const fresh = await runner.run(call(probe, { ...options, live_session: null }), never);
    const first = await runner.run(call(probe, options), never);
    const second = await runner.run(call(probe, { args: [], env: { TWO: "2" } }), never);
    const all = await runner.run(call("pass\n", { return_fs: "all" }), never);
    assertEquals(first.stdout, fresh.stdout);
    assertEquals(
      second.stdout.split("\n")[0],
      "['/main.py'] {'TWO': '2'} ['.runno', 'dev', 'main.py', 'usr'] /",
    );
    ok(all.files.every((wire) => !wire.path.includes("runno-live")), "no control file");
  },
});

Deno.test({
  name: "a timeout ends the interpreter; the next call starts a fresh one with the caller's files",
  ignore: !present,
  async fn() {
    using engine = await startRunner();
    const { runner } = engine;
    await runner.run(call("x = 1\n"), never);
    // A sleep, not a busy loop: terminate() cannot stop a busy guest (denoland/deno#35657).
    const slow = await runner.run(call("import time\ntime.sleep(3)\n", { timeout_ms: 500 }), never);
    const next = await runner.run(
      call("print('x' in globals(), open('/extra.txt').read())\n", {
        files: [file("/extra.txt", "sent")],
      }),
      never,
    );
    assertEquals([slow.result_type, slow.live], ["timeout", "continued"]);
    assertEquals(slow.error, `Run timed out after 0.5 s; ${LIVE_STOPPED}`);
    assertEquals(seen(next), {
      result_type: "complete",
      exit_code: 0,
      stdout: "False sent\n",
      stderr: "",
      live: "started",
    });
  },
});

Deno.test({
  name: "a crash ends the interpreter and says so",
  ignore: !present,
  async fn() {
    using engine = await startRunner();
    const { runner } = engine;
    // abort() is a wasm `unreachable`: the instance traps.
    const crash = await runner.run(call("import os\nos.abort()\n"), never);
    const next = await runner.run(call("print('fresh')\n"), never);
    assertEquals([crash.result_type, crash.live], ["crash", "started"]);
    ok(crash.error?.endsWith(`; ${LIVE_STOPPED}`), crash.error ?? "no error");
    assertEquals([next.stdout, next.live], ["fresh\n", "started"]);
  },
});

Deno.test({
  name: "two sessions do not share state",
  ignore: !present,
  async fn() {
    using engine = await startRunner();
    const { runner } = engine;
    await runner.run(call("x = 'a'\n", { live_session: "a" }), never);
    const other = await runner.run(call("print('x' in globals())\n", { live_session: "b" }), never);
    const own = await runner.run(call("print(x)\n", { live_session: "a" }), never);
    assertEquals([other.stdout, other.live], ["False\n", "started"]);
    assertEquals([own.stdout, own.live], ["a\n", "continued"]);
  },
});

Deno.test({
  name: "a live call streams its output to the listener",
  ignore: !present,
  async fn() {
    using engine = await startRunner();
    const { runner } = engine;
    const chunks: string[] = [];
    const decoder = new TextDecoder();
    await runner.run(call("x = 2\n"), never);
    const result = await runner.run(
      call("print(x * 21, flush=True)\n", { stream_output: true }),
      never,
      (stream, bytes) => chunks.push(`${stream}:${decoder.decode(bytes)}`),
    );
    assertEquals([result.stdout, chunks], ["42\n", ["stdout:42\n"]]);
  },
});

/** A Server over a fresh runner, and the replies it sent, by request id. */
async function startServer() {
  const engine = await startRunner();
  const runtimes = await Runtimes.load(MANIFEST, LANGS_DIR);
  const replies = new Map<number, PromiseWithResolvers<Record<string, unknown>>>();
  const reply = (id: number) => {
    let waiting = replies.get(id);
    if (!waiting) replies.set(id, waiting = Promise.withResolvers());
    return waiting;
  };
  const server = new Server({
    runtimes,
    runner: engine.runner,
    send: (message) => {
      const response = message as Record<string, unknown>;
      if (typeof response.id === "number") reply(response.id).resolve(response);
    },
  });
  let nextId = 0;
  return {
    /** Sends a request and waits for its reply. */
    request(method: string, params: unknown): Promise<Record<string, unknown>> {
      const id = ++nextId;
      const body = JSON.stringify({ jsonrpc: "2.0", id, method, params });
      server.handleFrame(encoder.encode(body));
      return reply(id).promise;
    },
    [Symbol.dispose]() {
      engine[Symbol.dispose]();
    },
  };
}

Deno.test({
  name: "close_live stops an interpreter once; bad requests are INVALID_PARAMS",
  ignore: !present,
  async fn() {
    using server = await startServer();
    const first = await server.request("run", call("x = 1\n"));
    const running = server.request("run", call("import time\ntime.sleep(0.5)\n"));
    const overlapping = await server.request("run", call("print(x)\n"));
    await running;
    const closed = await server.request("close_live", { session: "s" });
    const closedAgain = await server.request("close_live", { session: "s" });
    const noSession = await server.request("close_live", {});
    const ruby = await server.request("run", { ...call("puts 1"), runtime: "ruby" });
    const after = await server.request("run", call("print('x' in globals())\n"));
    assertEquals((first.result as RunResultWire).live, "started");
    assertEquals(overlapping.error, {
      code: -32602,
      message: "a call is already running in live session s",
    });
    assertEquals([closed.result, closedAgain.result], [{ closed: true }, { closed: false }]);
    assertEquals((noSession.error as { code: number }).code, -32602);
    assertEquals(ruby.error, {
      code: -32602,
      message: 'live sessions support only python and python-sci, not "ruby"',
    });
    const afterResult = after.result as RunResultWire;
    assertEquals([afterResult.stdout, afterResult.live], ["False\n", "started"]);
  },
});
