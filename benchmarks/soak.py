"""Soak test (not run in CI): many mixed runs, abusive ones included, from concurrent callers.

Reports lost results (a call that neither returned the expected result nor raised the
expected error: must be 0), wrong answers, engine restarts, and the engine's resident
memory over time, read from /proc.

    RUNNO_MCP_LANGS_DIR=... python benchmarks/soak.py --runs 10000 --callers 4
"""

import argparse
import json
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import anyio
import wasmtime

from runno_mcp import AsyncSandbox, InvalidRequestError, RunResult

Check = Callable[[RunResult], bool]


@dataclass(frozen=True)
class Job:
    name: str
    weight: int
    runtime: str
    code: str | bytes
    options: dict[str, object]
    check: Check | None  # None: the call must raise InvalidRequestError


def _stdout(expected: str) -> Check:
    return lambda result: (result.result_type, result.stdout) == ("complete", expected)


def _wasm(wat: str) -> bytes:
    return bytes(wasmtime.wat2wasm(wat))


_START = '(memory (export "memory") 1) (func (export "_start"))'
# The modules that aborted or bloated the whole engine before the feature set (tests/test_wasm_features.py).
_GC_ARRAYS = _wasm(
    '(module (type $a (array (mut i8))) (table $t 1 anyref) (memory (export "memory") 1)'
    ' (func (export "_start") (loop $l (drop (table.grow $t (array.new_default $a (i32.const 1048576))'
    " (i32.const 1))) (br $l))))"
)
_TABLES = _wasm("(module " + " ".join("(table 10000000 funcref)" for _ in range(100)) + f" {_START})")
_MEMORIES = _wasm("(module " + " ".join("(memory 1)" for _ in range(15)) + f" {_START})")
_FORGED_COUNT = bytes([0x00, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 0x05, 0x06, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20])


JOBS = [
    Job("python", 30, "python", "print(sum(range(1000)))", {}, _stdout("499500\n")),
    Job("ruby", 10, "ruby", "puts (1..10).sum", {}, _stdout("55\n")),
    Job("quickjs", 15, "quickjs", "console.log([1, 2, 3].map((x) => x * 2).join(','))", {}, _stdout("2,4,6\n")),
    Job("php", 8, "php-cgi", '<?php echo 6 * 7, "\\n";', {}, _stdout("42\n")),
    Job("sqlite", 8, "sqlite", "SELECT 6 * 7;", {}, _stdout("42\n")),
    Job("c", 3, "clang", '#include <stdio.h>\nint main(void) { puts("c"); }', {"timeout": 60}, _stdout("c\n")),
    Job(
        "python-files",
        5,
        "python",
        "import os\nopen('/out.txt', 'w').write(open('/main.py').read()[:5])\nprint(len(os.listdir('/')))",
        {},
        lambda result: result.result_type == "complete" and "/out.txt" in result.fs,
    ),
    Job("loop", 3, "python", "while True: pass", {"timeout": 1}, lambda result: result.result_type == "timeout"),
    Job("js-loop", 2, "quickjs", "for (;;) {}", {"timeout": 1}, lambda result: result.result_type == "timeout"),
    Job(
        "memory-hog",
        3,
        "python",
        "x = []\nwhile True: x.append(bytearray(1 << 20))",
        {"memory_limit_mb": 64, "timeout": 30},
        lambda result: "MemoryError" in result.stderr or result.result_type == "crash",
    ),
    Job(
        "flood",
        3,
        "python",
        "for _ in range(20000): print('y' * 99)",
        {"max_output_bytes": 1000, "timeout": 30},
        lambda result: result.truncated and len(result.stdout) == 1000,
    ),
    Job(
        "recursion",
        2,
        "quickjs",
        "function f(n) { return f(n + 1); } f(0);",
        {"timeout": 30},
        lambda result: result.result_type == "crash",
    ),
    Job(
        "file-flood",
        2,
        "python",
        "import errno, os\nos.mkdir('/f')\ni = 0\ntry:\n    while True:\n        open(f'/f/{i}', 'w').close(); i += 1\n"
        "except OSError as exc:\n    print(errno.errorcode[exc.errno])",
        {"timeout": 60},
        lambda result: result.stdout == "ENOSPC\n" and result.omitted_files > 0 and len(result.fs) <= 1000,
    ),
    Job(
        "name-flood",
        2,
        "python",
        "import errno, os\ni = 0\ntry:\n    while True:\n        os.symlink('t' * 4000, f'/l{i}'); i += 1\n"
        "except OSError as exc:\n    print(errno.errorcode[exc.errno])",
        {"timeout": 60, "return_fs": "none"},
        _stdout("ENOSPC\n"),
    ),
    Job("gc-arrays", 1, "wasi", _GC_ARRAYS, {}, None),
    Job("100-tables", 1, "wasi", _TABLES, {}, None),
    Job("16-memories", 1, "wasi", _MEMORIES, {}, None),
    Job("forged-count", 1, "wasi", _FORGED_COUNT, {}, None),
    Job("args-flood", 1, "python", "print(1)", {"args": ["a" * 10] * 300_000}, None),
    Job(
        "deep-tree",
        1,
        "python",
        "import os\nos.mkdir('/w')\nfd = os.open('/w', os.O_RDONLY)\nfor _ in range(20_000):\n"
        "    os.mkdir('d', dir_fd=fd)\n    below = os.open('d', os.O_RDONLY, dir_fd=fd)\n    os.close(fd)\n"
        "    fd = below\nprint('deep')",
        {"timeout": 60, "return_fs": "none"},
        _stdout("deep\n"),
    ),
    Job("dev-file", 1, "python", "", {"fs_key": "/dev/x"}, None),
    Job("bad-path", 3, "python", "", {"fs_key": "/../etc/passwd"}, None),
    Job("bad-timeout", 2, "python", "print(1)", {"timeout": -1}, None),
    Job("cancelled", 4, "python", "import time\ntime.sleep(5)", {"cancel_after": 0.3}, None),
]


def rss_kib(pid: int | None) -> int | None:
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


async def soak(runs: int, callers: int, max_concurrency: int, seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    plan = rng.choices(JOBS, weights=[job.weight for job in JOBS], k=runs)
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    pids: list[int] = []
    rss: list[tuple[float, int]] = []
    started = time.monotonic()
    done = 0

    async with AsyncSandbox(max_concurrency=max_concurrency) as sandbox:

        def note_pid() -> None:
            pid = sandbox.engine_pid
            if pid is not None and (not pids or pids[-1] != pid):
                pids.append(pid)

        async def sample() -> None:
            while True:
                note_pid()
                sizes = [value for pid in sandbox.stats().engine_pids if (value := rss_kib(pid)) is not None]
                if sizes:
                    rss.append((time.monotonic() - started, sum(sizes)))
                await anyio.sleep(1.0)

        async def one(job: Job) -> None:
            options = dict(job.options)
            fs_key = options.pop("fs_key", None)
            cancel_after = options.pop("cancel_after", None)
            try:
                if cancel_after is not None:
                    with anyio.move_on_after(float(str(cancel_after))) as scope:
                        await sandbox.run_code(job.runtime, job.code, **options)  # pyright: ignore[reportArgumentType]
                    outcomes["cancelled" if scope.cancelled_caught else "lost"] += 1
                    return
                if fs_key is not None:
                    await sandbox.run_fs(job.runtime, "/main.py", {"/main.py": str(job.code), str(fs_key): "x"})
                else:
                    result = await sandbox.run_code(job.runtime, job.code, **options)  # pyright: ignore[reportArgumentType]
                    if job.check is not None and job.check(result):
                        outcomes["ok"] += 1
                        return
                    outcomes["wrong"] += 1
                    failures.append(f"{job.name}: {result.result_type} {result.error!r} {result.stdout[:80]!r}")
                    return
                outcomes["lost"] += 1  # an invalid call was accepted
                failures.append(f"{job.name}: accepted")
            except InvalidRequestError:
                outcomes["refused" if job.check is None else "lost"] += 1
            except Exception as exc:  # a soak counts every unexpected exception instead of stopping
                outcomes["lost"] += 1
                failures.append(f"{job.name}: {type(exc).__name__}: {exc}")

        async def caller(index: int) -> None:
            nonlocal done
            for job in plan[index::callers]:
                await one(job)
                done += 1
                if done % 500 == 0:
                    elapsed = time.monotonic() - started
                    print(
                        f"{done} runs, {elapsed:.0f} s, engine RSS {rss[-1][1] // 1024 if rss else '?'} MiB", flush=True
                    )

        async with anyio.create_task_group() as task_group:
            task_group.start_soon(sample)
            async with anyio.create_task_group() as workers:
                for index in range(callers):
                    workers.start_soon(caller, index)
            note_pid()
            task_group.cancel_scope.cancel()
        sandbox_starts = [sandbox.stats().engine_starts]

    elapsed = time.monotonic() - started
    values = [value for _, value in rss]
    return {
        "runs": runs,
        "callers": callers,
        "seconds": round(elapsed, 1),
        "runs_per_second": round(runs / elapsed, 1),
        "outcomes": dict(outcomes),
        "lost": outcomes["lost"],
        "wrong": outcomes["wrong"],
        "primary_cell_restarts": len(pids) - 1,
        "cell_starts": sandbox_starts[0],
        "engine_rss_mib": {
            "first": values[0] // 1024 if values else None,
            "max": max(values) // 1024 if values else None,
            "last": values[-1] // 1024 if values else None,
            "by_minute": [value // 1024 for moment, value in rss if int(moment) % 60 == 0],
        },
        "job_mix": Counter(job.name for job in plan),
        "failures": failures[:20],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Soak test: many mixed runs from concurrent callers")
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--callers", type=int, default=4)
    parser.add_argument("--max-concurrency", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    report = anyio.run(soak, args.runs, args.callers, args.max_concurrency, args.seed)
    print(json.dumps(report, indent=2))
    raise SystemExit(1 if report["lost"] or report["wrong"] else 0)


if __name__ == "__main__":
    main()
