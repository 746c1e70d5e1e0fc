"""Running real programs in every runtime through the real engine and language files."""

import os
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import anyio
import pytest
import wasmtime

from runno_mcp import AsyncSandbox, BinaryFile, Sandbox, StringFile, derived, run_code, run_fs
from runno_mcp import sandbox as sandbox_module
from runno_mcp.engine import engine as engine_module
from runno_mcp.errors import EngineError, InvalidRequestError, LanguageNotInstalledError, UnknownRuntimeError

GENEROUS = 60.0  # seconds: compiling C++ in WebAssembly on a busy CI machine can take a while

HELLO = [
    pytest.param("python", "print(6 * 7)", id="python"),
    pytest.param("ruby", "puts 6 * 7", id="ruby"),
    pytest.param("quickjs", "console.log(6 * 7)", id="quickjs"),
    pytest.param("clang", '#include <stdio.h>\nint main(void) { printf("%d\\n", 6 * 7); return 0; }', id="c"),
    pytest.param("clangpp", "#include <iostream>\nint main() { std::cout << 6 * 7 << std::endl; }", id="cpp"),
    pytest.param("php-cgi", '<?php echo 6 * 7, "\\n";', id="php"),
    pytest.param("sqlite", "SELECT 6 * 7;", id="sqlite"),
]


@pytest.mark.parametrize(("language", "code"), HELLO)
async def test_each_runtime_prints_to_stdout(sandbox: AsyncSandbox, language: str, code: str) -> None:
    """A one-line program in every runtime exits 0 with its output on stdout."""
    result = await sandbox.run_code(language, code, timeout=GENEROUS)
    assert (result.result_type, result.exit_code, result.stdout, result.stderr) == ("complete", 0, "42\n", "")


REALISTIC = [
    pytest.param(
        "python",
        "import json, collections\n"
        "words = 'the cat and the hat and the bat'.split()\n"
        "counts = collections.Counter(words)\n"
        "print(json.dumps(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]))\n",
        '[["the", 3], ["and", 2]]\n',
        id="python",
    ),
    pytest.param(
        "ruby",
        "words = 'the cat and the hat and the bat'.split\n"
        "counts = words.tally.sort_by { |w, c| [-c, w] }.first(2)\n"
        "puts counts.map { |w, c| \"#{w}=#{c}\" }.join(',')\n",
        "the=3,and=2\n",
        id="ruby",
    ),
    pytest.param(
        "quickjs",
        "class Stack { constructor() { this.items = []; } push(x) { this.items.push(x); return this; } }\n"
        "const s = new Stack().push(3).push(1).push(2);\n"
        "console.log(JSON.stringify([...s.items].sort((a, b) => a - b)));\n",
        "[1,2,3]\n",
        id="quickjs",
    ),
    pytest.param(
        "clang",
        "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
        "static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }\n"
        "int main(void) {\n  int xs[] = {5, 3, 9, 1};\n  qsort(xs, 4, sizeof xs[0], cmp);\n"
        '  char *buf = malloc(64); strcpy(buf, "sorted:");\n'
        '  for (int i = 0; i < 4; i++) sprintf(buf + strlen(buf), " %d", xs[i]);\n'
        "  puts(buf); free(buf); return 0;\n}\n",
        "sorted: 1 3 5 9\n",
        id="c",
    ),
    pytest.param(
        "clangpp",
        "#include <algorithm>\n#include <iostream>\n#include <map>\n#include <string>\n#include <vector>\n"
        'int main() {\n  std::vector<std::string> v{"pear", "apple", "fig"};\n'
        "  std::sort(v.begin(), v.end());\n  std::map<std::string, size_t> len;\n"
        "  for (auto &s : v) len[s] = s.size();\n"
        '  for (auto &s : v) std::cout << s << "=" << len[s] << " ";\n  std::cout << "\\n";\n}\n',
        "apple=5 fig=3 pear=4 \n",
        id="cpp",
    ),
    pytest.param(
        "php-cgi",
        "<?php\n$prices = ['tea' => 3, 'cake' => 5, 'jam' => 2];\narsort($prices);\n"
        'echo implode(\',\', array_keys($prices)), "\\n";\nprintf("%.2f\\n", array_sum($prices) / count($prices));\n',
        "cake,tea,jam\n3.33\n",
        id="php",
    ),
    pytest.param(
        "sqlite",
        "CREATE TABLE sales(region TEXT, amount INT);\n"
        "INSERT INTO sales VALUES ('north', 10), ('south', 5), ('north', 7);\n"
        "SELECT region, SUM(amount) FROM sales GROUP BY region ORDER BY region;\n",
        "north|17\nsouth|5\n",
        id="sqlite",
    ),
]


@pytest.mark.parametrize(("language", "code", "stdout"), REALISTIC)
async def test_each_runtime_runs_a_realistic_program(
    sandbox: AsyncSandbox, language: str, code: str, stdout: str
) -> None:
    """Standard-library work (collections, sorting, formatting, SQL) gives the expected output."""
    result = await sandbox.run_code(language, code, timeout=GENEROUS)
    assert (result.result_type, result.stderr, result.stdout, result.exit_code) == ("complete", "", stdout, 0)


STDIN = [
    pytest.param("python", "a, b = map(int, input().split())\nprint(a + b)", id="python"),
    pytest.param("ruby", "a, b = gets.split.map(&:to_i)\nputs a + b", id="ruby"),
    pytest.param(
        "quickjs",
        "import * as std from 'std';\nconst [a, b] = std.in.getline().split(' ').map(Number);\nconsole.log(a + b);",
        id="quickjs",
    ),
    pytest.param(
        "clang",
        '#include <stdio.h>\nint main(void) { int a, b; scanf("%d %d", &a, &b); printf("%d\\n", a + b); }',
        id="c",
    ),
    pytest.param(
        "clangpp",
        "#include <iostream>\nint main() { int a, b; std::cin >> a >> b; std::cout << a + b << '\\n'; }",
        id="cpp",
    ),
    pytest.param(
        "php-cgi",
        '<?php [$a, $b] = explode(" ", trim(fgets(fopen("php://stdin", "r")))); echo $a + $b, "\\n";',
        id="php",
    ),
]


@pytest.mark.parametrize(("language", "code"), STDIN)
async def test_each_runtime_reads_stdin(sandbox: AsyncSandbox, language: str, code: str) -> None:
    """What the caller passes as stdin is what the program reads."""
    result = await sandbox.run_code(language, code, stdin="3 4\n", timeout=GENEROUS)
    assert (result.result_type, result.stdout, result.stderr) == ("complete", "7\n", "")


async def test_sqlite_runs_its_script_without_waiting_for_stdin(sandbox: AsyncSandbox) -> None:
    """No stdin means end of input at once: sqlite prints its result and exits, no banner, no prompt."""
    with anyio.fail_after(10):
        result = await sandbox.run_code(
            "sql", "CREATE TABLE t(x); INSERT INTO t VALUES (1), (2); SELECT SUM(x) FROM t;"
        )
    assert (result.result_type, result.stdout, result.exit_code) == ("complete", "3\n", 0)


FAILING = [
    pytest.param("python", "import sys\nprint('bye')\nsys.exit(3)", 3, "", id="python"),
    pytest.param("ruby", "puts 'bye'\nexit 3", 3, "", id="ruby"),
    pytest.param("clang", '#include <stdio.h>\nint main(void) { puts("bye"); return 3; }', 3, "", id="c"),
    pytest.param("clangpp", '#include <cstdio>\nint main() { std::puts("bye"); return 3; }', 3, "", id="cpp"),
    pytest.param("php-cgi", '<?php echo "bye\\n"; exit(3);', 3, "", id="php"),
]


@pytest.mark.parametrize(("language", "code", "exit_code", "stderr"), FAILING)
async def test_a_non_zero_exit_is_a_complete_result_with_its_code(
    sandbox: AsyncSandbox, language: str, code: str, exit_code: int, stderr: str
) -> None:
    """Exiting with a status is an outcome, not an exception; output before it is kept."""
    result = await sandbox.run_code(language, code, timeout=GENEROUS)
    assert (result.result_type, result.exit_code, result.stdout, result.stderr) == (
        "complete",
        exit_code,
        "bye\n",
        stderr,
    )


@pytest.mark.parametrize(
    ("language", "code", "message"),
    [
        pytest.param("python", "raise ValueError('boom')", "ValueError: boom", id="python"),
        pytest.param("ruby", "raise 'boom'", "boom", id="ruby"),
        pytest.param(
            "quickjs",
            "throw new Error('boom');",
            "boom",
            id="quickjs",
        ),
        pytest.param(
            "php-cgi",
            "<?php throw new Exception('boom');",
            "boom",
            id="php",
            marks=pytest.mark.xfail(reason="engine: php-cgi writes errors to stdout despite display_errors=stderr"),
        ),
        pytest.param("sqlite", "SELECT * FROM missing;", "no such table: missing", id="sqlite"),
    ],
)
async def test_an_uncaught_error_exits_non_zero_with_the_error_on_stderr(
    sandbox: AsyncSandbox, language: str, code: str, message: str
) -> None:
    """Uncaught exceptions and SQL errors end `complete` with a non-zero code and a plain-text message."""
    result = await sandbox.run_code(language, code, timeout=GENEROUS)
    assert result.result_type == "complete"
    assert result.exit_code not in (0, None)
    assert message in result.stderr
    assert "<br" not in result.stderr and "Content-type" not in result.stdout


@pytest.mark.parametrize(
    ("language", "code"),
    [
        pytest.param("python", "print('héllo wörld 🎉 ✓')", id="python"),
        pytest.param("ruby", "puts 'héllo wörld 🎉 ✓'", id="ruby"),
        pytest.param("quickjs", "console.log('héllo wörld 🎉 ✓')", id="quickjs"),
        pytest.param("clang", '#include <stdio.h>\nint main(void) { puts("héllo wörld 🎉 ✓"); }', id="c"),
        pytest.param("php-cgi", '<?php echo "héllo wörld 🎉 ✓\\n";', id="php"),
        pytest.param("sqlite", "SELECT 'héllo wörld 🎉 ✓';", id="sqlite"),
    ],
)
async def test_unicode_output_arrives_intact(sandbox: AsyncSandbox, language: str, code: str) -> None:
    """Multi-byte UTF-8 text in source and output survives the trip both ways."""
    result = await sandbox.run_code(language, code, timeout=GENEROUS)
    assert (result.result_type, result.stdout) == ("complete", "héllo wörld 🎉 ✓\n")


BINARY = bytes(range(256)) * 3 + b"\xff\xfe\x00\x80"


@pytest.mark.parametrize(
    ("language", "entry", "code"),
    [
        pytest.param(
            "python",
            "/main.py",
            "data = open('/data/in.bin', 'rb').read()\n"
            "open('/out/rev.bin', 'wb').write(data[::-1])\n"
            "text = open('/data/notes.txt', encoding='utf-8').read()\n"
            "open('/out/notes.txt', 'w', encoding='utf-8').write(text.upper())\n",
            id="python",
        ),
        pytest.param(
            "ruby",
            "/main.rb",
            "data = File.binread('/data/in.bin')\nFile.binwrite('/out/rev.bin', data.reverse)\n"
            "File.write('/out/notes.txt', File.read('/data/notes.txt', encoding: 'UTF-8').upcase)\n",
            id="ruby",
        ),
        pytest.param(
            "clang",
            "/main.c",
            "#include <stdio.h>\n#include <ctype.h>\n"
            'int main(void) {\n  unsigned char buf[2048]; FILE *in = fopen("/data/in.bin", "rb");\n'
            "  size_t n = fread(buf, 1, sizeof buf, in); fclose(in);\n"
            '  FILE *out = fopen("/out/rev.bin", "wb");\n'
            "  for (size_t i = 0; i < n; i++) fputc(buf[n - 1 - i], out);\n  fclose(out);\n"
            '  FILE *t = fopen("/data/notes.txt", "rb"); FILE *u = fopen("/out/notes.txt", "wb"); int c;\n'
            "  while ((c = fgetc(t)) != EOF) fputc(c < 128 ? toupper(c) : c, u);\n"
            "  fclose(t); fclose(u); return 0;\n}\n",
            id="c",
        ),
    ],
)
async def test_files_go_in_and_come_out_byte_for_byte(
    sandbox: AsyncSandbox, language: str, entry: str, code: str
) -> None:
    """Binary and text inputs reach the guest exactly; what it writes comes back exactly, inputs left out."""
    fs = {entry: code, "/data/in.bin": BINARY, "/data/notes.txt": StringFile(path="/data/notes.txt", content="abc\n")}
    result = await sandbox.run_fs(language, entry, {**fs, "/out/keep": b""}, timeout=GENEROUS)
    assert (result.result_type, result.exit_code, result.stderr) == ("complete", 0, "")
    assert result.fs["/out/rev.bin"] == BinaryFile(
        path="/out/rev.bin", content=BINARY[::-1], timestamps=result.fs["/out/rev.bin"].timestamps
    )
    assert isinstance(result.fs["/out/notes.txt"], StringFile)
    assert result.fs["/out/notes.txt"].content == "ABC\n"
    assert not {"/data/in.bin", "/data/notes.txt", entry, "/out/keep"} & set(result.fs)
    assert not [path for path in result.fs if path.endswith((".o", ".wasm")) or "__pycache__" in path]


async def test_return_fs_all_and_none(sandbox: AsyncSandbox) -> None:
    """`all` returns the inputs too; `none` returns nothing."""
    code = "open('/o.txt', 'w').write('x')"
    every = await sandbox.run_fs("python", "/main.py", {"/main.py": code, "/in.txt": "i"}, return_fs="all")
    assert {"/main.py", "/in.txt", "/o.txt"} <= set(every.fs)
    nothing = await sandbox.run_fs("python", "/main.py", {"/main.py": code}, return_fs="none")
    assert nothing.fs == {}


@pytest.mark.parametrize(
    ("language", "code"),
    [
        pytest.param("clang", "int main(void) { return undefined_name; }", id="c"),
        pytest.param("clangpp", "int main() { std::vector<int> v = undefined_name; }", id="cpp"),
    ],
)
async def test_a_compile_error_is_complete_with_diagnostics_and_exit_1(
    sandbox: AsyncSandbox, language: str, code: str
) -> None:
    """The compiler's diagnostics are on stderr, as a terminal shows them, and nothing runs."""
    result = await sandbox.run_code(language, code, timeout=GENEROUS)
    assert (result.result_type, result.exit_code, result.stdout) == ("complete", 1, "")
    assert "error:" in result.stderr
    assert "/main." in result.stderr


async def test_args_and_env_reach_the_program(sandbox: AsyncSandbox) -> None:
    """Extra argv follows the entry file; the guest sees only the environment it is given."""
    code = "import sys, os\nprint(sys.argv[1:])\nprint(sorted(os.environ.items()))"
    result = await sandbox.run_code("python", code, args=["a b", "--x"], env={"GREETING": "hi"})
    assert result.stdout.splitlines()[0] == "['a b', '--x']"
    assert "('GREETING', 'hi')" in result.stdout.splitlines()[1]
    assert "PATH" not in result.stdout and "HOME" not in result.stdout


async def test_a_timeout_keeps_partial_output_and_the_next_run_works(sandbox: AsyncSandbox) -> None:
    """An endless loop ends as `timeout` soon after its limit, with what it printed; the engine keeps serving."""
    code = "print('started', flush=True)\nwhile True:\n    pass"
    with anyio.fail_after(3.0 + 1.0):
        result = await sandbox.run_code("python", code, timeout=3.0)
    assert (result.result_type, result.exit_code) == ("timeout", None)
    assert result.stdout == "started\n"
    after = await sandbox.run_code("python", "print('still here')")
    assert after.stdout == "still here\n"


async def test_eight_concurrent_mixed_runs_each_get_their_own_output(sandbox: AsyncSandbox) -> None:
    """Runs in flight at once never mix their outputs or files."""
    programs = [
        ("python", "print('py', {n})"),
        ("quickjs", "console.log('js', {n})"),
        ("ruby", 'puts "rb #{{{n}}}"'),
        ("sqlite", "SELECT 'sql', {n};"),
    ]
    expected = {0: "py 0", 1: "js 1", 2: "rb 2", 3: "sql|3", 4: "py 4", 5: "js 5", 6: "rb 6", 7: "sql|7"}
    outputs: dict[int, str] = {}

    async def one(n: int) -> None:
        language, template = programs[n % 4]
        result = await sandbox.run_code(language, template.format(n=n))
        outputs[n] = result.stdout.strip()

    with anyio.fail_after(60):
        async with anyio.create_task_group() as task_group:
            for n in range(8):
                task_group.start_soon(one, n)
    assert outputs == expected


async def test_output_is_streamed_while_the_program_runs(sandbox: AsyncSandbox) -> None:
    """`on_output` receives the bytes written, split anywhere, that add up to stdout."""
    chunks: list[tuple[str, bytes]] = []
    result = await sandbox.run_code(
        "python", "import sys\nprint('a')\nprint('é', file=sys.stderr)", on_output=lambda s, b: chunks.append((s, b))
    )
    assert b"".join(b for s, b in chunks if s == "stdout").decode() == result.stdout == "a\n"
    assert b"".join(b for s, b in chunks if s == "stderr").decode() == "é\n"


async def test_killing_a_cell_mid_run_is_a_crash_then_it_recovers() -> None:
    """The run in flight in a killed cell ends as `crash` naming the engine's death; the next call starts a
    fresh process for the cell."""
    async with AsyncSandbox(max_concurrency=2) as own:
        pid = own.engine_pid
        assert pid is not None
        killed_once: list[int] = []

        def on_started(stream: str, chunk: bytes) -> None:
            if not killed_once:
                killed_once.append(pid)
                os.kill(pid, signal.SIGKILL)

        with anyio.fail_after(30):
            killed = await own.run_code(
                "python", "print('go', flush=True)\nwhile True: pass", timeout=20, on_output=on_started
            )
            assert killed.result_type == "crash"
            assert killed.error is not None and killed.error.startswith("Engine stopped unexpectedly")
            after = await own.run_code("python", "print('back')")
        assert after.stdout == "back\n"
        assert own.engine_pid not in (None, pid)


async def test_caller_mistakes_are_invalid_request_errors(sandbox: AsyncSandbox) -> None:
    """Unknown runtime, bad paths, a missing entry and out-of-range options say what to change."""
    with pytest.raises(UnknownRuntimeError, match="known runtimes are"):
        await sandbox.run_code("cobol", "")
    with pytest.raises(InvalidRequestError, match='".." segments'):
        await sandbox.run_fs("python", "/main.py", {"/main.py": "", "/../etc/passwd": ""})
    with pytest.raises(InvalidRequestError, match="not among the files given"):
        await sandbox.run_fs("python", "/nope.py", {"/main.py": ""})
    with pytest.raises(InvalidRequestError, match="at most 300 seconds"):
        await sandbox.run_code("python", "", timeout=301)
    with pytest.raises(InvalidRequestError, match="more than 0"):
        await sandbox.run_code("python", "", timeout=0)
    with pytest.raises(InvalidRequestError, match="memory_limit_mb"):
        await sandbox.run_code("python", "", memory_limit_mb=0)
    with pytest.raises(InvalidRequestError, match="pass the module's bytes"):
        await sandbox.run_code("wasi", "(module)")


async def test_a_relative_entry_and_keys_are_taken_from_root(sandbox: AsyncSandbox) -> None:
    result = await sandbox.run_fs(
        "python", "app/main.py", {"app/main.py": "import helper", "app/helper.py": "print(1)"}
    )
    assert result.stderr == "" or "helper" not in result.stderr  # the entry ran from /app
    assert result.result_type == "complete"


async def test_list_runtimes_names_every_installed_runtime(sandbox: AsyncSandbox) -> None:
    runtimes = {info.id for info in await sandbox.list_runtimes()}
    assert {"python", "ruby", "quickjs", "clang", "clangpp", "php-cgi", "sqlite"} <= runtimes


async def test_an_unstarted_sandbox_says_how_to_start_it() -> None:
    with pytest.raises(EngineError, match="async with AsyncSandbox"):
        await AsyncSandbox().run_code("python", "print(1)")


def test_the_blocking_sandbox_is_shared_between_threads() -> None:
    """Sandbox runs from several threads at once, each getting its own answer."""
    with Sandbox(max_concurrency=4) as blocking, ThreadPoolExecutor(4) as pool:

        def double(n: int) -> str:
            return blocking.run_code("js", f"console.log({n} * 2)").stdout

        answers = list(pool.map(double, range(4)))
    assert answers == ["0\n", "2\n", "4\n", "6\n"]


WASM_HELLO = """(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hi from wasm\\0a")
  (func (export "_start")
    (drop (call $args_sizes_get (i32.const 100) (i32.const 104)))
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 13))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (i32.load (i32.const 100)))))"""


async def test_wasi_runs_a_callers_own_module(sandbox: AsyncSandbox) -> None:
    """A preview 1 module runs as the entry; here its exit code is its argc (argv[0] plus the args)."""
    module = bytes(wasmtime.wat2wasm(WASM_HELLO))
    result = await sandbox.run_code("wasi", module)
    assert (result.result_type, result.stdout, result.exit_code) == ("complete", "hi from wasm\n", 1)
    result = await sandbox.run_fs("wasi", "/bin/tool.wasm", {"/bin/tool.wasm": module}, args=["a", "b"])
    assert (result.stdout, result.exit_code) == ("hi from wasm\n", 3)


async def test_module_level_run_code_and_run_fs_use_a_default_sandbox() -> None:
    """The seed-compatible functions work without creating a sandbox first."""
    with anyio.fail_after(60):
        first = await run_code("python", "print(1 + 1)", timeout=5)
        second = await run_fs("js", "/app.js", {"/app.js": "console.log('fs')"})
    assert (first.stdout, second.stdout) == ("2\n", "fs\n")


async def test_python_sleep_works(sandbox: AsyncSandbox) -> None:
    """`time.sleep` returns (upstream's WASI raised OSError 58 here)."""
    result = await sandbox.run_code("python", "import time\ntime.sleep(0.2)\nprint('rested')")
    assert (result.result_type, result.stdout, result.stderr) == ("complete", "rested\n", "")


async def test_two_thousand_files_go_in_and_come_back(sandbox: AsyncSandbox) -> None:
    """Many small files are all visible to the guest, and all it writes come back."""
    fs: dict[str, str | bytes] = {f"/data/{n:04}.txt": f"{n}\n" for n in range(2000)}
    code = (
        "import os\n"
        "names = sorted(os.listdir('/data'))\n"
        "total = sum(int(open('/data/' + n).read()) for n in names)\n"
        "os.mkdir('/out')\n"
        "for n in names[:500]:\n"
        "    open('/out/' + n, 'w').write('x')\n"
        "print(len(names), total)\n"
    )
    result = await sandbox.run_fs("python", "/main.py", {**fs, "/main.py": code}, timeout=GENEROUS)
    assert (result.result_type, result.stdout) == ("complete", f"2000 {sum(range(2000))}\n")
    assert len([path for path in result.fs if path.startswith("/out/")]) == 500


async def test_a_character_split_across_two_writes_survives(sandbox: AsyncSandbox) -> None:
    """Output is bytes until the end: a UTF-8 sequence written in two halves arrives whole."""
    code = (
        "#include <stdio.h>\n#include <unistd.h>\n"
        'int main(void) { write(1, "\\xc3", 1); write(1, "\\xa9\\n", 2); return 0; }\n'
    )
    result = await sandbox.run_code("c", code, timeout=GENEROUS)
    assert (result.result_type, result.stdout) == ("complete", "é\n")


async def test_an_engine_that_never_answers_a_run_is_a_crash_after_the_backstop(
    scripted_deno: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """If the engine misses a run's timeout by more than the grace, Python gives up with a `crash`."""
    monkeypatch.setenv("RUNNO_MCP_DENO", str(scripted_deno("hang")))
    monkeypatch.setattr(sandbox_module, "BACKSTOP_GRACE", 0.2)
    async with AsyncSandbox(install=False, langs_dir=tmp_path) as stuck:
        with anyio.fail_after(5):
            result = await stuck.run_code("python", "print(1)", timeout=0.3)
    assert result.result_type == "crash"
    assert result.error == "The engine did not end the run within 0.2 s after its 0.3 s timeout; the run was cancelled"


async def test_a_wedged_engine_is_replaced_after_the_backstop(
    scripted_deno: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An engine that answers nothing, not even a no-op, is stopped; the next call gets a fresh one."""
    monkeypatch.setenv("RUNNO_MCP_DENO", str(scripted_deno("wedged")))
    monkeypatch.setattr(sandbox_module, "BACKSTOP_GRACE", 0.2)
    monkeypatch.setattr(engine_module, "CANCEL_TIMEOUT", 0.3)
    async with AsyncSandbox(install=False, langs_dir=tmp_path) as stuck:
        first = stuck.engine_pid
        with anyio.fail_after(10):
            result = await stuck.run_code("python", "print(1)", timeout=0.3)
            assert result.result_type == "crash"
            await stuck.list_runtimes()
        assert stuck.engine_pid not in (None, first)


async def test_offline_without_language_files_says_what_to_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """RUNNO_MCP_OFFLINE=1 and an empty language folder: starting fails with the command that fixes it."""
    monkeypatch.setenv("RUNNO_MCP_OFFLINE", "1")
    with pytest.raises(LanguageNotInstalledError, match="run `runno-mcp install`"):
        async with AsyncSandbox(langs_dir=tmp_path):
            pass


async def test_a_runtime_whose_files_are_missing_is_not_installed_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started without installing, a run in a runtime with no files raises, naming the fix."""
    monkeypatch.setenv(derived.DERIVED_DIR_ENV, str(tmp_path / "derived"))  # nor the built SQLite shell
    async with AsyncSandbox(langs_dir=tmp_path, install=False) as bare:
        with anyio.fail_after(30), pytest.raises(LanguageNotInstalledError, match="runno-mcp install"):
            await bare.run_code("python", "print(1)")
        assert [info.id for info in await bare.list_runtimes()] == ["wasi"]  # needs no language files


async def test_a_file_python_could_not_see_is_refused_with_the_reason(sandbox: AsyncSandbox) -> None:
    """python.wasm serves /usr from inside its binary: a file sent there would vanish, so the call says so."""
    with pytest.raises(InvalidRequestError, match=r'"/usr/lib/helper.py": python serves /usr from inside its own'):
        await sandbox.run_fs("python", "/main.py", {"/main.py": "print(1)", "/usr/lib/helper.py": "X = 1"})
    ruby = await sandbox.run_fs("ruby", "/main.rb", {"/main.rb": "p File.exist?('/usr/x.rb')", "/usr/x.rb": "X = 1"})
    assert ruby.stdout == "true\n"
