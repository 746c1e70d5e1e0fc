"""The abuse suite: hostile and careless programs in every runtime, each ending as it should.

Each case asserts the exact outcome and then that the shared sandbox still answers a
plain `print(1)`: no guest may crash or wedge the engine. Caps and threats already
covered in test_limits.py and test_security.py are not repeated here.
"""

import hashlib
import os
import random
import re
import uuid
from collections.abc import AsyncIterator

import anyio
import pytest

from runno_mcp import AsyncSandbox, InvalidRequestError, SandboxBusyError
from runno_mcp.sandbox import MAX_CODE_BYTES, MAX_INPUT_BYTES, MAX_INPUT_FILES, MAX_STDIN_BYTES

LOOP_TIMEOUT = 3.0  # seconds given to each endless program
SLACK = 1.0  # seconds the engine may take past a timeout to stop the program
GENEROUS = 60.0  # seconds for runs that compile C/C++ on a loaded machine
FLOOD_CAP = 1000  # max_output_bytes for the output floods
LINE = "y" * 99 + "\n"


async def assert_still_serves(sandbox: AsyncSandbox) -> None:
    """The sandbox runs a trivial program correctly after whatever came before."""
    with anyio.fail_after(GENEROUS):
        result = await sandbox.run_code("python", "print(1)")
    assert (result.result_type, result.exit_code, result.stdout) == ("complete", 0, "1\n")


@pytest.fixture
async def doomed() -> AsyncIterator[AsyncSandbox]:
    """A sandbox of its own for programs that are stopped while busy, closed after the test.

    Deno's Worker.terminate() does not interrupt a busy loop (denoland/deno#35657): a stopped
    guest keeps spinning on a core until its engine process exits. Such guests must not
    share the session's engine, or every later test runs on a starved machine.
    """
    async with AsyncSandbox(max_concurrency=8, snapshot_ahead=()) as own:
        yield own


@pytest.fixture(scope="module", autouse=True)
async def compilers_warm(sandbox: AsyncSandbox) -> None:
    """Compile once in C and C++ so the timeouts below time the programs, not the first compile."""
    with anyio.fail_after(2 * GENEROUS):
        for runtime in ("clang", "clangpp"):
            result = await sandbox.run_code(runtime, "int main(void) { return 0; }", timeout=GENEROUS)
            assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("runtime", "code"),
    [
        pytest.param("python", "while True:\n    pass\n", id="python"),
        pytest.param("ruby", "loop {}\n", id="ruby"),
        pytest.param("quickjs", "for (;;) {}\n", id="quickjs"),
        pytest.param("clang", "int main(void) { volatile int n = 0; for (;;) n++; }\n", id="c"),
        pytest.param("clangpp", "int main() { volatile int n = 0; for (;;) n++; }\n", id="cpp"),
        pytest.param("php-cgi", "<?php while (true) {}\n", id="php"),
        pytest.param(
            "sqlite",
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;\n",
            id="sqlite",
        ),
    ],
)
async def test_an_endless_loop_times_out_within_its_timeout(doomed: AsyncSandbox, runtime: str, code: str) -> None:
    """An endless loop in any runtime is stopped at its timeout (plus a second) as a `timeout` result."""
    if runtime in ("clang", "clangpp"):  # time the program, not this engine's first compile
        with anyio.fail_after(GENEROUS):
            assert (await doomed.run_code(runtime, "int main(void) { return 0; }", timeout=GENEROUS)).exit_code == 0
    with anyio.fail_after(LOOP_TIMEOUT + GENEROUS):
        result = await doomed.run_code(runtime, code, timeout=LOOP_TIMEOUT)
    assert (result.result_type, result.exit_code) == ("timeout", None)
    assert result.duration_ms <= (LOOP_TIMEOUT + SLACK) * 1000
    await assert_still_serves(doomed)


MALLOC_HOG = (
    "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
    "static char *keep[100000];\n"
    "int main(void) {\n"
    "  for (int i = 0; i < 100000; i++) {\n"
    "    char *p = malloc(1 << 20);\n"
    '    if (!p) { printf("malloc failed\\n"); return 3; }\n'
    "    memset(p, i, 1 << 20); keep[i] = p;\n"
    "  }\n"
    "  return keep[5][0];\n"
    "}\n"
)


@pytest.mark.parametrize(
    ("runtime", "code", "field", "expected", "exit_code"),
    [
        pytest.param(
            "python", "x = []\nwhile True:\n    x.append(bytearray(1 << 20))\n", "stderr", "MemoryError", 1, id="python"
        ),
        pytest.param(
            "quickjs",
            "const x = [];\nfor (;;) x.push(new ArrayBuffer(1 << 20));\n",
            "stderr",
            "InternalError: out of memory",
            1,
            id="quickjs",
        ),
        pytest.param("clang", MALLOC_HOG, "stdout", "malloc failed\n", 3, id="c-malloc-returns-null"),
        pytest.param(
            "clangpp",
            "#include <vector>\n"
            "int main() { std::vector<std::vector<char>> v; for (;;) v.emplace_back(1 << 20, 'a'); }\n",
            "error",
            "memory_limit_mb",
            None,
            id="cpp",
        ),
        pytest.param("sqlite", "SELECT length(randomblob(200000000));\n", "stderr", "out of memory", 1, id="sqlite"),
        pytest.param(
            "ruby",
            "x = []\nloop { x << ('a' * (1 << 20)) }\n",
            "error",
            "memory_limit_mb",
            None,
            id="ruby",
        ),
        pytest.param(
            "php-cgi",
            "<?php $x = []; while (true) { $x[] = str_repeat('a', 1 << 20); }\n",
            "error",
            "memory_limit_mb",
            None,
            id="php",
        ),
    ],
)
async def test_a_memory_hog_ends_as_an_out_of_memory_error_or_a_crash_naming_the_limit(
    sandbox: AsyncSandbox, runtime: str, code: str, field: str, expected: str, exit_code: int | None
) -> None:
    """Allocating without end under memory_limit_mb=64 ends as the language's own out-of-memory
    error, or a crash whose error names memory_limit_mb; never a hang."""
    with anyio.fail_after(GENEROUS + 10):
        result = await sandbox.run_code(runtime, code, memory_limit_mb=64, timeout=GENEROUS)
    summary = (result.result_type, result.exit_code, result.error, result.stdout[-200:], result.stderr[-300:])
    assert result.result_type == ("crash" if field == "error" else "complete"), summary
    assert result.exit_code == exit_code, summary
    assert expected in (getattr(result, field) or ""), summary
    await assert_still_serves(sandbox)


@pytest.mark.parametrize(
    ("runtime", "code", "stream", "expected"),
    [
        pytest.param("python", "def f(n):\n    return f(n + 1)\nf(0)\n", "stderr", "RecursionError", id="python"),
        pytest.param("ruby", "def f(n) = f(n + 1)\nf(0)\n", "stderr", "SystemStackError", id="ruby"),
        pytest.param(
            "quickjs",
            "function f(n) { return f(n + 1); }\nf(0);\n",
            "error",
            # QuickJS keeps its C stack in linear memory: an overflow there is an out-of-bounds trap
            "(stack|out of bounds)",
            id="quickjs",
        ),
        pytest.param(
            "clang",
            "int f(int n) { volatile char b[256]; b[0] = n; return f(n + 1) + b[0]; }\n"
            "int main(void) { return f(0); }\n",
            "error",
            "stack",
            id="c",
        ),
        pytest.param(
            "clangpp",
            "int f(int n) { volatile char b[256]; b[0] = n; return f(n + 1) + b[0]; }\nint main() { return f(0); }\n",
            "error",
            "stack",
            id="cpp",
        ),
        pytest.param(
            "php-cgi", "<?php function f($n) { return f($n + 1); } f(0);\n", "stdout", "Allowed memory size", id="php"
        ),
    ],
)
async def test_unbounded_recursion_is_the_languages_error_or_a_stack_crash(
    sandbox: AsyncSandbox, runtime: str, code: str, stream: str, expected: str
) -> None:
    """Recursing without end is RecursionError/SystemStackError/PHP's memory error, or a crash saying "stack"."""
    with anyio.fail_after(GENEROUS + 10):
        result = await sandbox.run_code(runtime, code, timeout=GENEROUS)
    if stream == "error":
        assert result.result_type == "crash"
        assert re.search(expected, result.error or ""), result.error
    else:
        assert result.result_type in ("complete", "crash")
        assert expected in getattr(result, stream), (result.result_type, result.error)
    await assert_still_serves(sandbox)


FLOODS = 20_000  # lines of 100 bytes: 2 MB, 2,000 times the cap


@pytest.mark.parametrize(
    ("runtime", "code"),
    [
        pytest.param("python", f"for _ in range({FLOODS}):\n    print('y' * 99)\n", id="python"),
        pytest.param("ruby", f"{FLOODS}.times {{ puts 'y' * 99 }}\n", id="ruby"),
        pytest.param("quickjs", f"for (let i = 0; i < {FLOODS}; i++) console.log('y'.repeat(99));\n", id="quickjs"),
        pytest.param(
            "clang",
            f"#include <stdio.h>\n#include <string.h>\nint main(void) {{ char l[100]; memset(l, 'y', 99); l[99] = 0;"
            f" for (int i = 0; i < {FLOODS}; i++) puts(l); }}\n",
            id="c",
        ),
        pytest.param(
            "clangpp",
            f"#include <iostream>\n#include <string>\nint main() {{ std::string l(99, 'y');"
            f" for (int i = 0; i < {FLOODS}; i++) std::cout << l << '\\n'; }}\n",
            id="cpp",
        ),
        pytest.param(
            "php-cgi", f"<?php for ($i = 0; $i < {FLOODS}; $i++) echo str_repeat('y', 99), \"\\n\";\n", id="php"
        ),
        pytest.param(
            "sqlite",
            f"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {FLOODS})"
            " SELECT printf('%.99c', 'y') FROM c;\n",
            id="sqlite",
        ),
    ],
)
async def test_an_output_flood_keeps_the_head_and_says_what_was_cut(
    sandbox: AsyncSandbox, runtime: str, code: str
) -> None:
    """Two megabytes of output under a 1,000-byte cap: the first 1,000 bytes, `truncated`, and a warning."""
    with anyio.fail_after(GENEROUS + 10):
        result = await sandbox.run_code(runtime, code, max_output_bytes=FLOOD_CAP, timeout=GENEROUS)
    assert (result.result_type, result.exit_code) == ("complete", 0), (result.error, result.stderr[-300:])
    assert result.stdout == (LINE * 10)[:FLOOD_CAP]
    assert result.truncated
    assert any(warning.startswith(f"stdout was cut at {FLOOD_CAP} bytes") for warning in result.warnings)
    await assert_still_serves(sandbox)


async def test_an_endless_flood_to_stderr_times_out_with_its_head_kept(doomed: AsyncSandbox) -> None:
    """A program that writes to stderr forever times out; stderr holds the head, and the cut is reported."""
    code = "import sys\nwhile True:\n    sys.stderr.write('e' * 99 + '\\n')\n"
    with anyio.fail_after(LOOP_TIMEOUT + GENEROUS):
        result = await doomed.run_code("python", code, timeout=LOOP_TIMEOUT, max_output_bytes=FLOOD_CAP)
    assert result.result_type == "timeout"
    assert result.stderr == ("e" * 99 + "\n") * 10
    assert any(warning.startswith(f"stderr was cut at {FLOOD_CAP} bytes") for warning in result.warnings)
    await assert_still_serves(doomed)


CANARY = f"canary-{uuid.uuid4().hex}"


@pytest.mark.parametrize(
    ("runtime", "code", "expected"),
    [
        pytest.param(
            "python",
            "import os\ntry:\n    os.fork()\n    print('forked')\n"
            "except Exception as exc:\n    print(type(exc).__name__)\n",
            "AttributeError\n",
            id="python-fork",
        ),
        pytest.param(
            "python",
            f"import subprocess\ntry:\n    subprocess.run(['echo', '{CANARY}'])\n"
            "except Exception as exc:\n    print(type(exc).__name__)\n",
            "OSError\n",
            id="python-subprocess",
        ),
        pytest.param(
            "python",
            "import socket\ntry:\n    socket.socket()\n    print('socket')\nexcept Exception as exc:\n"
            "    print(type(exc).__name__)\n",
            "OSError\n",
            id="python-socket",
        ),
        pytest.param("ruby", f"system('echo {CANARY}')\nputs 'after'\n", "after\n", id="ruby-system"),
        pytest.param(
            "ruby",
            f"begin\n  `echo {CANARY}`\nrescue Exception => e\n  puts e.class\nend\n",
            "ArgumentError\n",
            id="ruby-backticks",
        ),
        pytest.param(
            "php-cgi", f"<?php var_dump(@shell_exec('echo {CANARY}'));\n", "bool(false)\n", id="php-shell-exec"
        ),
        pytest.param("php-cgi", "<?php var_dump(@fsockopen('1.1.1.1', 80));\n", "bool(false)\n", id="php-socket"),
        pytest.param(
            "quickjs",
            "import * as os from 'os';\nos.exec(['echo', 'x']);\n",
            "",
            id="quickjs-os-module",
        ),
    ],
)
async def test_process_and_socket_attempts_fail_inside_the_guest(
    sandbox: AsyncSandbox, runtime: str, code: str, expected: str
) -> None:
    """Starting a process or opening a socket fails in the guest's own terms; no child ever prints."""
    with anyio.fail_after(GENEROUS):
        result = await sandbox.run_code(runtime, code)
    assert result.result_type == "complete"
    assert result.stdout == expected
    assert CANARY not in result.tty
    await assert_still_serves(sandbox)


@pytest.mark.parametrize(
    ("symbol", "call"),
    [pytest.param("fork", "fork()", id="fork"), pytest.param("system", f'system("echo {CANARY}")', id="system")],
)
async def test_a_c_program_cannot_link_process_calls(sandbox: AsyncSandbox, symbol: str, call: str) -> None:
    """WASI has no fork or system: the build fails naming the function (wasi-libc does not declare fork, so
    clang rejects the call; system is declared and fails to link), and nothing runs."""
    code = f"#include <stdlib.h>\n#include <unistd.h>\nint main(void) {{ return (int){call}; }}\n"
    with anyio.fail_after(GENEROUS):
        result = await sandbox.run_code("c", code, timeout=GENEROUS)
    assert (result.result_type, result.exit_code, result.stdout) == ("complete", 1, "")
    named = {"fork": "call to undeclared function 'fork'", "system": "undefined symbol: system"}
    assert named[symbol] in result.stderr
    await assert_still_serves(sandbox)


@pytest.mark.parametrize(
    ("runtime", "code"),
    [
        pytest.param("python", "import os\nprint(sorted(os.environ.items()))\n", id="python"),
        pytest.param("ruby", "p ENV.to_h\n", id="ruby"),
        pytest.param(
            "clang",
            "#include <stdio.h>\nextern char **environ;\n"
            "int main(void) { for (char **e = environ; *e; e++) puts(*e); return 0; }\n",
            id="c",
        ),
        pytest.param(
            "clangpp",
            '#include <cstdio>\n#include <cstdlib>\nint main() { std::puts(std::getenv("RUNNO_ABUSE_CANARY") ? '
            '"seen" : "unset"); }\n',
            id="cpp",
        ),
        pytest.param("php-cgi", "<?php var_dump(getenv(), $_SERVER, $_ENV);\n", id="php"),
        pytest.param("quickjs", "console.log(JSON.stringify(Object.getOwnPropertyNames(globalThis)));\n", id="quickjs"),
    ],
)
async def test_no_guest_sees_the_host_environment(
    sandbox: AsyncSandbox, monkeypatch: pytest.MonkeyPatch, runtime: str, code: str
) -> None:
    """A unique variable set in the test process is visible to no guest, whatever it asks."""
    monkeypatch.setenv("RUNNO_ABUSE_CANARY", CANARY)
    with anyio.fail_after(GENEROUS):
        result = await sandbox.run_code(runtime, code, timeout=GENEROUS)
    assert (result.result_type, result.exit_code) == ("complete", 0), result.stderr
    assert CANARY not in result.tty
    assert "RUNNO_ABUSE_CANARY" not in result.tty
    assert os.environ["HOME"] not in result.stdout
    await assert_still_serves(sandbox)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param("print(open('/../../etc/passwd').read())", "PermissionError", id="dotdot-to-etc-passwd"),
        pytest.param("print(open('/etc/passwd').read())", "FileNotFoundError", id="absolute-host-path"),
        pytest.param("print(open('/proc/self/environ').read())", "FileNotFoundError", id="proc-self-environ"),
        pytest.param(
            "import os\nos.symlink('/etc', '/tmp/etc')\nprint(open('/tmp/etc/passwd').read())",
            "FileNotFoundError",
            id="symlink-to-etc",
        ),
        pytest.param(
            "import os\nos.chdir('/usr')\nprint(open('../../../../etc/passwd').read())",
            "NotADirectoryError",
            id="relative-dotdot",
        ),
        pytest.param("print(open('/tmp/' + 'a' * 300, 'w'))", "FileNotFoundError", id="overlong-name"),
    ],
)
async def test_path_tricks_see_nothing_of_the_host(sandbox: AsyncSandbox, code: str, expected: str) -> None:
    """Escapes by `..`, absolute host paths, /proc and symlinks find nothing; an overlong name is refused."""
    with anyio.fail_after(GENEROUS):
        result = await sandbox.run_code("python", code)
    assert (result.result_type, result.exit_code, result.stdout) == ("complete", 1, "")
    assert result.stderr.strip().splitlines()[-1].startswith(expected), result.stderr
    assert "root:" not in result.tty
    await assert_still_serves(sandbox)


async def test_the_guest_root_holds_only_what_the_sandbox_put_there(sandbox: AsyncSandbox) -> None:
    """Listing `/` shows the run's own file and the sandbox's folders (`.runno` holds python's start
    scripts), none of the host's."""
    code = "import os\nprint(sorted(os.listdir('/')), sorted(os.listdir('/.runno')))"
    result = await sandbox.run_code("python", code)
    assert result.stdout == "['.runno', 'dev', 'main.py', 'usr'] ['python_live.py', 'python_start.py']\n"
    await assert_still_serves(sandbox)


async def test_a_non_utf8_file_name_from_c_is_refused_inside_the_guest(sandbox: AsyncSandbox) -> None:
    """A C program creating a file whose name is not UTF-8 gets EILSEQ; the result still serialises."""
    code = (
        "#include <stdio.h>\n"
        'int main(void) { FILE *f = fopen("/tmp/\\xff\\xfe.txt", "w");'
        ' if (!f) { perror("open"); return 2; } fputs("hi", f); fclose(f); return 0; }\n'
    )
    with anyio.fail_after(GENEROUS):
        result = await sandbox.run_code("c", code, timeout=GENEROUS)
    assert (result.result_type, result.exit_code, result.fs) == ("complete", 2, {})
    assert result.stderr == "open: Illegal byte sequence\n"
    result.model_dump_json()
    await assert_still_serves(sandbox)


async def test_non_utf8_output_comes_back_replaced_and_serialisable(sandbox: AsyncSandbox) -> None:
    """Raw bytes that are not UTF-8 on stdout become U+FFFD; the result's JSON never fails."""
    code = '#include <unistd.h>\nint main(void) { write(1, "a\\xff\\xfe\\x80" "b\\n", 6); return 0; }\n'
    with anyio.fail_after(GENEROUS):
        result = await sandbox.run_code("c", code, timeout=GENEROUS)
    assert result.stdout.startswith("a\ufffd") and result.stdout.endswith("b\n")
    assert '"result_type":"complete"' in result.model_dump_json()
    await assert_still_serves(sandbox)


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("/data\0.txt", id="nul"),
        pytest.param("/../../etc/passwd", id="dotdot"),
        pytest.param("/" + "a" * 256, id="component-over-255-bytes"),
        pytest.param("/a" * 2100, id="path-over-4096-bytes"),
        pytest.param("", id="empty"),
        pytest.param("/dir/", id="directory"),
    ],
)
async def test_a_bad_file_key_is_refused_before_the_engine_sees_it(sandbox: AsyncSandbox, key: str) -> None:
    """NUL, `..`, overlong and empty keys are InvalidRequestError naming the problem."""
    with pytest.raises(InvalidRequestError, match="Cannot use (an empty )?file path"):
        await sandbox.run_fs("python", "/main.py", {"/main.py": "print(1)", key: "x"})
    await assert_still_serves(sandbox)


async def test_stdin_over_its_limit_is_refused_and_under_it_arrives_whole(sandbox: AsyncSandbox) -> None:
    """stdin past MAX_STDIN_BYTES is InvalidRequestError naming the limit; 4 MiB arrives byte for byte."""
    with pytest.raises(InvalidRequestError, match="MAX_STDIN_BYTES"):
        await sandbox.run_code("python", "print(1)", stdin=b"x" * (MAX_STDIN_BYTES + 1))
    code = "import sys, hashlib\ndata = sys.stdin.buffer.read()\nprint(len(data), hashlib.sha256(data).hexdigest())"
    payload = random.Random(1).randbytes(4 * 1024 * 1024)
    with anyio.fail_after(GENEROUS):
        result = await sandbox.run_code("python", code, stdin=payload, timeout=GENEROUS)
    assert result.stdout == f"{len(payload)} {hashlib.sha256(payload).hexdigest()}\n"
    await assert_still_serves(sandbox)


async def test_code_over_its_limit_is_refused(sandbox: AsyncSandbox) -> None:
    """Source past MAX_CODE_BYTES is InvalidRequestError naming the limit."""
    with pytest.raises(InvalidRequestError, match="MAX_CODE_BYTES"):
        await sandbox.run_code("python", "#" * (MAX_CODE_BYTES + 1))
    await assert_still_serves(sandbox)


async def test_ten_thousand_files_are_refused_by_count(sandbox: AsyncSandbox) -> None:
    """More than MAX_INPUT_FILES files is InvalidRequestError naming the limit."""
    fs = {f"/data/{index}.txt": "x" for index in range(10_000)} | {"/main.py": "print(1)"}
    assert len(fs) > MAX_INPUT_FILES
    with pytest.raises(InvalidRequestError, match="MAX_INPUT_FILES"):
        await sandbox.run_fs("python", "/main.py", fs)
    await assert_still_serves(sandbox)


async def test_files_over_the_total_size_limit_are_refused(sandbox: AsyncSandbox) -> None:
    """Files that together pass MAX_INPUT_BYTES are InvalidRequestError naming the limit."""
    chunk = b"\0" * (MAX_INPUT_BYTES // 4)
    fs: dict[str, str | bytes] = {f"/blob{index}.bin": chunk for index in range(5)}
    fs["/main.py"] = "print(1)"
    with pytest.raises(InvalidRequestError, match="MAX_INPUT_BYTES"):
        await sandbox.run_fs("python", "/main.py", fs)
    await assert_still_serves(sandbox)


GARBAGE = bytes(random.Random(7).randrange(256) for _ in range(2000))


@pytest.mark.parametrize(
    "runtime", ["python", "ruby", "quickjs", "clang", "clangpp", "sqlite", "php-cgi"], ids=lambda runtime: runtime
)
async def test_binary_garbage_as_code_is_a_result_not_an_exception(sandbox: AsyncSandbox, runtime: str) -> None:
    """Random bytes as the program end as a complete or crash result in every runtime; the engine serves on."""
    with anyio.fail_after(GENEROUS + 10):
        result = await sandbox.run_code(runtime, GARBAGE, timeout=GENEROUS)
    assert result.result_type in ("complete", "crash"), (result.result_type, result.error)
    result.model_dump_json()
    await assert_still_serves(sandbox)


MIXED: list[tuple[str, str, str]] = [
    ("python", "print(sum(range({n})))", "{sum}\n"),
    ("ruby", "puts (0...{n}).sum", "{sum}\n"),
    ("quickjs", "let s = 0; for (let i = 0; i < {n}; i++) s += i; console.log(s);", "{sum}\n"),
    ("php-cgi", '<?php echo array_sum(range(0, {n} - 1)), "\\n";', "{sum}\n"),
    ("sqlite", "SELECT {sum};", "{sum}\n"),
    (
        "clang",
        "#include <stdio.h>\n"
        'int main(void) {{ long s = 0; for (long i = 0; i < {n}; i++) s += i; printf("%ld\\n", s); }}',
        "{sum}\n",
    ),
]


async def test_fifty_concurrent_mixed_runs_are_all_correct(sandbox: AsyncSandbox) -> None:
    """Fifty runs across six runtimes at once each get exactly their own answer."""
    results: dict[int, tuple[str, str]] = {}

    async def one(index: int) -> None:
        runtime, template, expected = MIXED[index % len(MIXED)]
        n = 1000 + index
        sums = n * (n - 1) // 2
        result = await sandbox.run_code(runtime, template.format(n=n, sum=sums), timeout=GENEROUS)
        results[index] = (result.stdout, expected.format(sum=sums))

    with anyio.fail_after(4 * GENEROUS):
        async with anyio.create_task_group() as task_group:
            for index in range(50):
                task_group.start_soon(one, index)
    assert len(results) == 50
    assert all(got == want for got, want in results.values()), [
        (index, got, want) for index, (got, want) in results.items() if got != want
    ]
    await assert_still_serves(sandbox)


async def test_a_cancellation_storm_leaves_the_engine_serving(doomed: AsyncSandbox) -> None:
    """Thirty runs cancelled at random points leave no stuck slot or worker: a normal run answers promptly,
    from the same primary engine process (each cancelled program, busy or asleep, was interrupted)."""
    rng = random.Random(11)
    pid = doomed.engine_pid
    cancelled = 0

    async def one(index: int) -> None:
        nonlocal cancelled
        with anyio.move_on_after(rng.uniform(0.0, 2.0)) as scope:
            code = "import time\nprint('start', flush=True)\ntime.sleep(30)" if index % 2 else "while True: pass"
            await doomed.run_code("python", code, timeout=40)
        cancelled += scope.cancelled_caught

    with anyio.fail_after(GENEROUS):
        async with anyio.create_task_group() as task_group:
            for index in range(30):
                task_group.start_soon(one, index)
    assert cancelled == 30
    with anyio.fail_after(20):
        for _ in range(doomed.max_concurrency + 1):  # every slot must be free again
            await assert_still_serves(doomed)
    assert doomed.engine_pid == pid


async def test_calls_past_the_queue_limit_are_refused_as_busy() -> None:
    """With one slot and a queue of one, a third concurrent call gets SandboxBusyError; the others finish."""
    async with AsyncSandbox(max_concurrency=1, max_queue=1, snapshot_ahead=()) as own:
        outcomes: list[str] = []

        async def slow() -> None:
            result = await own.run_code("python", "import time\ntime.sleep(1.5)\nprint('slow')", timeout=30)
            outcomes.append(result.stdout)

        async def queued() -> None:
            result = await own.run_code("python", "print('queued')", timeout=30)
            outcomes.append(result.stdout)

        with anyio.fail_after(GENEROUS):
            async with anyio.create_task_group() as task_group:
                task_group.start_soon(slow)
                await anyio.wait_all_tasks_blocked()  # `slow` holds the only slot
                task_group.start_soon(queued)
                await anyio.wait_all_tasks_blocked()
                with pytest.raises(SandboxBusyError, match="max_queue"):
                    await own.run_code("python", "print('third')")
        assert sorted(outcomes) == ["queued\n", "slow\n"]
        await assert_still_serves(own)
