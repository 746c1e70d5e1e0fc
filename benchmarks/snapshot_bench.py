"""The snapshot engine's benchmark: runno_mcp beside capsule (a wasmtime snapshot of CPython).

Run from the repository root after `make install` (the README's install command plus the `mcp`
extra):

    python benchmarks/snapshot_bench.py                      # every row but the 2,000-run soak, ~3 min on 2 cores
    python benchmarks/snapshot_bench.py --soak               # also engine RSS after 2,000 mixed runs
    python benchmarks/snapshot_bench.py --reference-ms 1400  # CPU-bound row against a fixed baseline
    python benchmarks/snapshot_bench.py --no-capsule --no-sci --runs 30   # quick, offline

The peer is the PyPI package `capsule-run-adapter` 0.3.5: `run_python(code)` sends the code to a
long-lived `capsule worker` process (Rust, wasmtime) that instantiates a componentize-py snapshot
of CPython 3.14 per call. The script installs it once into its own virtual environment under the
user cache (`<user_cache_dir("runno-mcp")>/bench/capsule-venv`) and drives it from a small script
run in that environment, which answers JSON lines; its worker's RSS is read from /proc, as ours is.
The worker compiles its sandboxes once into `.capsule/wasm/` of its working directory
(`bench/capsule-work`), so only the first run ever pays that. Its Python stops a program after a
small compute budget (a 50,000-iteration loop already traps), so the CPU-bound row says it fails.
capsule has no timeout option, no MCP server and no language but Python and JavaScript: those
rows are runno_mcp's only (its JavaScript is used for the memory rows, beside our QuickJS).
Without capsule (`--no-capsule`, or when the install fails: the reason is printed) the table
still has every runno_mcp row.

Latencies are p50 (and p95) of back-to-back calls after one warm-up call, no pause between them;
throughput counts python hellos finished by concurrent callers after 2 s of warm-up; the first
result is the wall time from spawning a fresh Python process to its first line of output. RSS is
the sum of VmRSS over the engine's processes (every cell, `SandboxStats.engine_pids`) and their
children, with the sandbox's default settings, read `--settle` seconds after the last run. The rewrite
runs programs on a derived snapshot binary, so the CPU-bound row runs the same loop, interleaved, on
the language binary it was derived from (a second sandbox without derived files), and prints the
ratio; `--reference-ms` compares with a fixed number instead.

Targets come from the snapshot-engine issue. The script prints one table with each target and
whether it was met, and never asserts: it measures. A row whose measurement fails says why and
the other rows go on.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import platformdirs
from mcp import Client, StdioServerParameters

from runno_mcp import AsyncSandbox
from runno_mcp.derived import DERIVED_DIR_ENV

HELLO: dict[str, str] = {
    "python": 'print("hello")',
    "quickjs": 'console.log("hello")',
    "sqlite": "select 'hello';",
    "php-cgi": '<?php echo "hello\\n";',
    "ruby": 'puts "hello"',
    "clang": '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }',
}
HELLO_TARGET_MS: dict[str, float] = {
    "python": 5,
    "quickjs": 2,
    "sqlite": 3,
    "php-cgi": 5,
    "ruby": 10,
    "clang": 50,
}
SCI_TARGET_MS = 150
THROUGHPUT_TARGET = 150.0  # runs/s
THROUGHPUT_VS_CAPSULE = 0.8  # at least this share of capsule's runs/s
MCP_TARGET_MS = 10
FIRST_RESULT_TARGET_MS = 400
RSS_TARGET_MB = 150
SOAK_RSS_TARGET_MB = 250
SOAK_RUNS = 2000
SOAK_RUNTIMES = ("python", "quickjs", "ruby", "php-cgi", "sqlite")
CPU_RATIO_TARGET = 1.05
AFTER_TIMEOUT_TARGET_MS = 10

CPU_LOOP = "s = 0\nfor i in range(3_000_000):\n    s += i\nprint(s)\n"
CPU_EXPECTED = f"{sum(range(3_000_000))}\n"
# Python calls (fib(27): 300,000 of them) pass call sites in the eval loop, which asyncify
# instruments because the eval loop is on python's gate stack (docs/engine.md).
CPU_CALLS = "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\nprint(fib(27))\n"
CPU_CALLS_EXPECTED = "196418\n"
# Ours time the program inside it, so a booting language binary's boot is not counted against it.
TIMED = (
    "import time as _t\n_t0 = _t.perf_counter()\n{code}"
    "import sys as _s\n_s.stderr.write(f'{{(_t.perf_counter() - _t0) * 1000}}')\n"
)
BUSY_LOOP = "while True:\n    pass\n"

# A small CSV given to the program as a file: 200 rows, four groups.
SCI_CSV = "city,sales\n" + "".join(f"{('Oslo', 'Lima', 'Pune', 'Kobe')[i % 4]},{i * 7 % 101}\n" for i in range(200))
SCI_CODE = "import pandas as pd\ndf = pd.read_csv('/data.csv')\nprint(df.groupby('city')['sales'].sum().to_dict())\n"


def _sci_expected() -> str:
    sums: dict[str, int] = {}
    for line in SCI_CSV.splitlines()[1:]:
        city, sales = line.split(",")
        sums[city] = sums.get(city, 0) + int(sales)
    return str(dict(sorted(sums.items()))) + "\n"


SCI_EXPECTED = _sci_expected()

CAPSULE_REQUIREMENT = "capsule-run-adapter==0.3.5"
CAPSULE_VERSION = "0.3.5"
REPLY = "@@bench "  # prefix of the driver's answers on its stdout

# Runs inside capsule's virtual environment, not type-checked here. One JSON
# command a line on stdin, one REPLY line each on stdout. The adapter's `run` silently falls back
# to one `capsule exec` process per call when its worker fails, so every answer names the
# worker's pids: none means the numbers are the fallback's.
CAPSULE_DRIVER = r"""
import asyncio, json, sys, time
from capsule import worker
from capsule_adapter import run_javascript, run_python

REPLY = "@@bench "
HELLO_PY = 'print("hello")'
HELLO_JS = 'console.log("hello")'


def pids():
    return [c._process.pid for c in worker._clients.values()
            if c._process is not None and c._process.returncode is None]


async def timed(call, code, expected):
    started = time.perf_counter()
    out = await call(code)
    elapsed = (time.perf_counter() - started) * 1000
    if out.strip() != expected.strip():  # run_javascript's result has no final newline
        raise RuntimeError(f"printed {out!r}, expected {expected!r}")
    return elapsed


async def warm(_):
    py = await timed(run_python, HELLO_PY, "hello\n")
    js = await timed(run_javascript, HELLO_JS, "hello\n")
    return {"python_first_ms": py, "js_first_ms": js}


async def hello(cmd):
    return {"latencies_ms": [await timed(run_python, HELLO_PY, "hello\n") for _ in range(cmd["runs"])]}


async def throughput(cmd):
    done = 0
    failed = 0
    deadline = time.perf_counter() + cmd["seconds"]

    async def caller():
        nonlocal done, failed
        while time.perf_counter() < deadline:
            try:
                if await run_python(HELLO_PY) == "hello\n":
                    done += 1
                else:
                    failed += 1
            except Exception:
                failed += 1

    started = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(cmd["callers"])))
    return {"runs_per_s": done / (time.perf_counter() - started), "failed": failed}


async def cpu(cmd):
    started = time.perf_counter()
    try:
        out = await run_python(cmd["code"])
    except Exception as exc:
        return {"ms": (time.perf_counter() - started) * 1000, "ok": False, "detail": str(exc).splitlines()[0][:200]}
    return {"ms": (time.perf_counter() - started) * 1000, "ok": out == cmd["expected"], "detail": out[:200]}


async def soak(cmd):
    failed = 0
    for i in range(cmd["runs"]):
        call, code = (run_python, HELLO_PY) if i % 2 == 0 else (run_javascript, HELLO_JS)
        try:
            if (await call(code)).strip() != "hello":
                failed += 1
        except Exception:
            failed += 1
    return {"failed": failed}


async def main():
    commands = {"warm": warm, "hello": hello, "throughput": throughput, "cpu": cpu, "soak": soak}
    while True:
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line or not line.strip():
            break
        cmd = json.loads(line)
        if cmd["cmd"] == "quit":
            break
        try:
            reply = await commands[cmd["cmd"]](cmd)
        except Exception as exc:
            reply = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
        reply["pids"] = pids()
        sys.stdout.write(REPLY + json.dumps(reply) + "\n")
        sys.stdout.flush()
    await worker.close_all()


asyncio.run(main())
"""

CAPSULE_FIRST_RESULT = (
    "import asyncio\n"
    "from capsule_adapter import run_python\n"
    "print(asyncio.run(run_python('print(\"hello\")')).strip(), flush=True)\n"
)
RUNNO_FIRST_RESULT = (
    "from runno_mcp import Sandbox\n"
    "with Sandbox() as sandbox:\n"
    "    print(sandbox.run_code('python', 'print(\"hello\")').stdout.strip(), flush=True)\n"
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def latency_cell(samples: list[float]) -> str:
    return f"{statistics.median(samples):.1f} ms (p95 {percentile(samples, 0.95):.1f})"


def verdict(misses: list[str]) -> str:
    return "yes" if not misses else "NO: " + ", ".join(misses)


# --- memory ---------------------------------------------------------------------------------------


def _parent_pids() -> dict[int, int]:
    """Every process's parent, from /proc/<pid>/stat."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8")
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def rss_mb(pids: list[int] | tuple[int, ...]) -> float:
    """VmRSS of the processes and all their descendants, summed (threads share their process's)."""
    parents = _parent_pids()
    tree = set(pids)
    grew = True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= children
        grew = bool(children)
    total_kb = 0
    for pid in tree:
        try:
            status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
        except OSError:
            continue  # gone meanwhile
        total_kb += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total_kb / 1024


def engine_rss_mb(sandbox: AsyncSandbox) -> float:
    return rss_mb(sandbox.stats().engine_pids)


# --- the table ------------------------------------------------------------------------------------


@dataclass
class Row:
    what: str
    runno_mcp: str
    capsule: str = ""
    ratio: str = ""
    target: str = ""
    met: str = ""


class Table:
    HEADER = ("what", "runno_mcp", "capsule", "ratio runno/capsule", "target", "met?")

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.raw: dict[str, object] = {}

    def add(self, row: Row) -> None:
        self.rows.append(row)

    def failed(self, what: str, exc: BaseException) -> None:
        log(f"{what}: failed: {exc!r}")
        self.rows.append(Row(what, f"error: {type(exc).__name__}: {str(exc)[:80]}"))

    def print(self) -> None:
        cells = [self.HEADER, *(tuple(asdict(row).values()) for row in self.rows)]
        widths = [max(len(str(row[i])) for row in cells) for i in range(len(self.HEADER))]
        lines = [cells[0], tuple("-" * width for width in widths), *cells[1:]]
        for row in lines:
            print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def ratio_cell(ours: float, theirs: float | None) -> str:
    return "" if theirs is None or theirs <= 0 else f"{ours / theirs:.2f}"


# --- capsule --------------------------------------------------------------------------------------


def bench_cache() -> Path:
    return Path(platformdirs.user_cache_dir("runno-mcp")) / "bench"


def capsule_python() -> tuple[Path | None, str]:
    """The capsule venv's interpreter, installing it once; or None and why not."""
    root = bench_cache() / "capsule-venv"
    python = root / "bin" / "python"
    probe = [
        str(python),
        "-c",
        "import capsule_adapter, importlib.metadata as m; print(m.version('capsule-run-adapter'))",
    ]
    if python.exists():
        done = subprocess.run(probe, capture_output=True, text=True, check=False)
        if done.returncode == 0 and done.stdout.strip() == CAPSULE_VERSION:
            return python, "cached"
    log(f"capsule: installing {CAPSULE_REQUIREMENT} into {root} (once)")
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(root)],
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", CAPSULE_REQUIREMENT],
        probe,
    ]
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, check=False, timeout=900)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, f"{' '.join(step[:4])}: {exc}"
        if done.returncode != 0:
            tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
            return None, f"{' '.join(step[:4])} exited {done.returncode}: {tail}"
    return python, "installed"


def capsule_env(python: Path) -> dict[str, str]:
    """The adapter starts `capsule` from PATH: put the venv's bin first."""
    env = dict(os.environ)
    env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONPATH", None)
    return env


def capsule_workdir() -> Path:
    work = bench_cache() / "capsule-work"
    work.mkdir(parents=True, exist_ok=True)
    return work


class CapsuleDriver:
    """The driver script running in capsule's venv, spoken to in JSON lines."""

    def __init__(self, process: asyncio.subprocess.Process, log_path: Path) -> None:
        self.process = process
        self.log_path = log_path
        self.pids: list[int] = []

    @classmethod
    async def start(cls, python: Path) -> "CapsuleDriver":
        work = capsule_workdir()
        log_path = work / "driver.log"
        with log_path.open("wb") as log_file:  # the child keeps its own copy of the descriptor
            process = await asyncio.create_subprocess_exec(
                str(python),
                "-u",
                "-c",
                CAPSULE_DRIVER,
                cwd=work,
                env=capsule_env(python),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=log_file,
            )
        return cls(process, log_path)

    async def request(self, timeout: float, **command: object) -> dict[str, Any]:
        stdin, stdout = self.process.stdin, self.process.stdout
        if stdin is None or stdout is None:
            raise RuntimeError("capsule driver has no pipes")
        stdin.write((json.dumps(command) + "\n").encode())
        await stdin.drain()
        while True:
            line = await asyncio.wait_for(stdout.readline(), timeout)
            if not line:
                raise RuntimeError(f"capsule driver exited; see {self.log_path}")
            text = line.decode(errors="replace")
            if text.startswith(REPLY):
                reply: dict[str, Any] = json.loads(text[len(REPLY) :])
                self.pids = [int(pid) for pid in reply.get("pids", [])]
                if "error" in reply:
                    raise RuntimeError(f"capsule: {reply['error']}")
                if not self.pids:
                    raise RuntimeError("capsule ran without its worker (the adapter fell back to one process a call)")
                return reply

    async def close(self) -> None:
        if self.process.stdin is not None and self.process.returncode is None:
            self.process.stdin.write(b'{"cmd": "quit"}\n')
            await self.process.stdin.drain()
        try:
            await asyncio.wait_for(self.process.wait(), 10)
        except asyncio.TimeoutError:
            self.process.kill()
            await self.process.wait()


# --- runno_mcp measurements -----------------------------------------------------------------------


async def back_to_back(call: Callable[[], Awaitable[str]], expected: str, runs: int) -> list[float]:
    """`runs` calls with no pause after one warm-up call; each must print `expected`."""
    first = await call()
    if first != expected:
        raise RuntimeError(f"printed {first!r}, expected {expected!r}")
    samples: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        out = await call()
        samples.append((time.perf_counter() - started) * 1000)
        if out != expected:
            raise RuntimeError(f"printed {out!r}, expected {expected!r}")
    return samples


def hello_call(sandbox: AsyncSandbox, runtime: str) -> Callable[[], Awaitable[str]]:
    async def call() -> str:
        result = await sandbox.run_code(runtime, HELLO[runtime])
        return result.stdout if result.exit_code == 0 else f"{result.stdout}{result.stderr} ({result.result_type})"

    return call


async def runno_throughput(sandbox: AsyncSandbox, seconds: float, callers: int) -> tuple[float, int]:
    done = 0
    failed = 0
    deadline = time.perf_counter() + seconds

    async def caller() -> None:
        nonlocal done, failed
        while time.perf_counter() < deadline:
            result = await sandbox.run_code("python", HELLO["python"])
            if result.stdout == "hello\n":
                done += 1
            else:
                failed += 1

    started = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(callers)))
    return done / (time.perf_counter() - started), failed


async def first_line_ms(argv: list[str], env: dict[str, str] | None, cwd: Path | None) -> float:
    """Wall time from spawning a process to its first line of output, which must be `hello`."""
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *argv, cwd=cwd, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    if process.stdout is None:
        raise RuntimeError("no stdout pipe")
    line = await asyncio.wait_for(process.stdout.readline(), 120)
    elapsed = (time.perf_counter() - started) * 1000
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    if line.strip() != b"hello":
        raise RuntimeError(f"first line {line!r}, stderr {stderr.decode(errors='replace')[-300:]!r}")
    return elapsed


# --- the rows -------------------------------------------------------------------------------------


async def rows_hello(
    table: Table, sandbox: AsyncSandbox, capsule: CapsuleDriver | None, args: argparse.Namespace
) -> None:
    what = "python hello, back to back"
    log(f"{what}: {args.runs} calls")
    try:
        ours = await back_to_back(hello_call(sandbox, "python"), "hello\n", args.runs)
    except Exception as exc:
        table.failed(what, exc)
        ours = None
    theirs: list[float] | None = None
    capsule_cell = ""
    if capsule is not None:
        try:
            theirs = [float(v) for v in (await capsule.request(300, cmd="hello", runs=args.runs))["latencies_ms"]]
            capsule_cell = latency_cell(theirs)
        except Exception as exc:
            log(f"capsule {what}: {exc!r}")
            capsule_cell = f"error: {str(exc)[:60]}"
    if ours is not None:
        p50 = statistics.median(ours)
        capsule_p50 = statistics.median(theirs) if theirs else None
        misses = [f"> {HELLO_TARGET_MS['python']:g} ms"] if p50 > HELLO_TARGET_MS["python"] else []
        if capsule_p50 is not None and p50 > capsule_p50:
            misses.append("slower than capsule")
        table.raw["python_hello_ms"] = ours
        table.raw["capsule_python_hello_ms"] = theirs
        table.add(
            Row(
                what,
                latency_cell(ours),
                capsule_cell,
                ratio_cell(p50, capsule_p50),
                f"<= {HELLO_TARGET_MS['python']:g} ms, <= capsule",
                verdict(misses),
            )
        )

    for runtime in ("quickjs", "sqlite", "php-cgi", "ruby", "clang"):
        runs = args.clang_runs if runtime == "clang" else args.runs
        what = "C hello (clang: compile, link, run)" if runtime == "clang" else f"{runtime} hello, back to back"
        log(f"{what}: {runs} calls")
        try:
            samples = await back_to_back(hello_call(sandbox, runtime), "hello\n", runs)
        except Exception as exc:
            table.failed(what, exc)
            continue
        target = HELLO_TARGET_MS[runtime]
        p50 = statistics.median(samples)
        table.raw[f"{runtime}_hello_ms"] = samples
        table.add(
            Row(
                what,
                latency_cell(samples),
                "n/a",
                "",
                f"<= {target:g} ms",
                verdict([] if p50 <= target else ["slower"]),
            )
        )


async def cpu_sample(sandbox: AsyncSandbox, code: str, expected: str) -> float:
    """Milliseconds the program itself took, timed inside it."""
    result = await sandbox.run_code("python", TIMED.format(code=code), timeout=120)
    if result.stdout != expected:
        raise RuntimeError(f"printed {result.stdout!r} ({result.result_type}), stderr {result.stderr[-200:]!r}")
    return float(result.stderr)


async def row_cpu(table: Table, sandbox: AsyncSandbox, capsule: CapsuleDriver | None, args: argparse.Namespace) -> None:
    """Each CPU-bound program on the snapshot binary, interleaved with it on the language binary it
    was derived from (a sandbox whose derived folder is empty), after one warm-up call on each."""
    log(f"CPU-bound python: {args.cpu_runs} calls each on the snapshot binary and on the language binary, interleaved")
    try:
        with tempfile.TemporaryDirectory() as empty:
            previous = os.environ.get(DERIVED_DIR_ENV)
            os.environ[DERIVED_DIR_ENV] = empty
            try:
                language_binary = AsyncSandbox(snapshot_ahead=(), install=False)  # no derive into the empty folder
                await language_binary.__aenter__()
            finally:
                if previous is None:
                    os.environ.pop(DERIVED_DIR_ENV, None)
                else:
                    os.environ[DERIVED_DIR_ENV] = previous
            try:
                for what, code, expected in (
                    ("CPU-bound python, 3,000,000-iteration loop", CPU_LOOP, CPU_EXPECTED),
                    ("CPU-bound python, fib(27): 300,000 calls", CPU_CALLS, CPU_CALLS_EXPECTED),
                ):
                    await cpu_row(table, sandbox, language_binary, capsule, args, what, code, expected)
            finally:
                await language_binary.__aexit__(None, None, None)
    except Exception as exc:
        table.failed("CPU-bound python", exc)


async def cpu_row(
    table: Table,
    sandbox: AsyncSandbox,
    language_binary: AsyncSandbox,
    capsule: CapsuleDriver | None,
    args: argparse.Namespace,
    what: str,
    code: str,
    expected: str,
) -> None:
    samples: list[float] = []
    plain: list[float] = []
    await cpu_sample(sandbox, code, expected)
    await cpu_sample(language_binary, code, expected)
    for _ in range(args.cpu_runs):
        samples.append(await cpu_sample(sandbox, code, expected))
        plain.append(await cpu_sample(language_binary, code, expected))
    ms = statistics.median(samples)
    reference = args.reference_ms or statistics.median(plain)
    table.raw[f"{what} ms"] = samples
    table.raw[f"{what} language binary ms"] = plain
    capsule_cell = ""
    capsule_ms: float | None = None
    if capsule is not None:
        try:
            reply = await capsule.request(300, cmd="cpu", code=code, expected=expected)
            if reply["ok"]:
                capsule_ms = float(reply["ms"])
                capsule_cell = f"{capsule_ms:.0f} ms"
            else:
                capsule_cell = f"fails: wasm trap after {float(reply['ms']):.0f} ms"
                log(f"capsule {what}: {reply['detail']}")
        except Exception as exc:
            capsule_cell = f"error: {str(exc)[:60]}"
    ratio = ms / reference
    source = f"ref {args.reference_ms:g} ms" if args.reference_ms else f"language binary {reference:.0f} ms"
    met = f"{ratio:.3f} x {source}: {verdict([] if ratio <= CPU_RATIO_TARGET else ['slower'])}"
    table.add(
        Row(
            what,
            f"{ms:.0f} ms (median of {len(samples)}, timed inside)",
            capsule_cell,
            ratio_cell(ms, capsule_ms),
            f"<= {CPU_RATIO_TARGET:g} x the language binary",
            met,
        )
    )


async def row_throughput(
    table: Table, sandbox: AsyncSandbox, capsule: CapsuleDriver | None, args: argparse.Namespace
) -> None:
    what = f"python hello, {args.callers} concurrent callers, runs/s"
    log(f"{what}: {args.throughput_seconds:g} s (after 2 s of warm-up)")
    try:
        await runno_throughput(sandbox, 2.0, args.callers)  # start the cells a concurrent load needs
        ours, failed = await runno_throughput(sandbox, args.throughput_seconds, args.callers)
    except Exception as exc:
        table.failed(what, exc)
        return
    if failed:
        log(f"{what}: {failed} runs did not print hello")
    theirs: float | None = None
    capsule_cell = ""
    if capsule is not None:
        try:
            await capsule.request(60, cmd="throughput", seconds=2.0, callers=args.callers)
            reply = await capsule.request(
                args.throughput_seconds + 60, cmd="throughput", seconds=args.throughput_seconds, callers=args.callers
            )
            theirs = float(reply["runs_per_s"])
            capsule_cell = f"{theirs:.1f}/s" + (f" ({reply['failed']} failed)" if reply["failed"] else "")
        except Exception as exc:
            capsule_cell = f"error: {str(exc)[:60]}"
    misses = [f"< {THROUGHPUT_TARGET:g}/s"] if ours < THROUGHPUT_TARGET else []
    if theirs is not None and ours < THROUGHPUT_VS_CAPSULE * theirs:
        misses.append(f"< {THROUGHPUT_VS_CAPSULE:g} x capsule")
    table.raw["throughput"] = ours
    table.raw["capsule_throughput"] = theirs
    table.add(
        Row(
            what,
            f"{ours:.1f}/s" + (f" ({failed} failed)" if failed else ""),
            capsule_cell,
            ratio_cell(ours, theirs),
            f">= {THROUGHPUT_TARGET:g}/s, >= {THROUGHPUT_VS_CAPSULE:g} x capsule",
            verdict(misses),
        )
    )


async def row_after_timeout(table: Table, sandbox: AsyncSandbox, args: argparse.Namespace) -> None:
    what = "python hello right after a timed-out run"
    log(f"{what}: {args.timeout_rounds} rounds of a 1 s timeout")
    samples: list[float] = []
    try:
        for _ in range(args.timeout_rounds):
            stuck = await sandbox.run_code("python", BUSY_LOOP, timeout=1)
            if stuck.result_type != "timeout":
                raise RuntimeError(f"the busy loop ended as {stuck.result_type}, not timeout")
            started = time.perf_counter()
            result = await sandbox.run_code("python", HELLO["python"])
            samples.append((time.perf_counter() - started) * 1000)
            if result.stdout != "hello\n":
                raise RuntimeError(f"printed {result.stdout!r} ({result.result_type})")
            await asyncio.sleep(1.0)  # each round starts settled
    except Exception as exc:
        table.failed(what, exc)
        return
    ms = statistics.median(samples)
    table.raw["after_timeout_ms"] = samples
    table.add(
        Row(
            what,
            f"{ms:.1f} ms (median of {len(samples)}, max {max(samples):.0f})",
            "n/a (no timeout option)",
            "",
            f"<= {AFTER_TIMEOUT_TARGET_MS:g} ms",
            verdict([] if ms <= AFTER_TIMEOUT_TARGET_MS else ["slower"]),
        )
    )


async def row_sci(table: Table, args: argparse.Namespace) -> None:
    what = "python-sci pandas read_csv + groupby, back to back"
    if args.no_sci:
        table.add(Row(what, "skipped (--no-sci)"))
        return
    try:
        async with AsyncSandbox() as sandbox:
            installed = {runtime.id for runtime in await sandbox.list_runtimes()}
            if "python-sci" not in installed:
                table.add(Row(what, "not installed (runno-mcp install python-sci)", "", "", f"<= {SCI_TARGET_MS} ms"))
                return
            log(f"{what}: 1 cold call, then {args.sci_runs} calls")
            files = {"/main.py": SCI_CODE, "/data.csv": SCI_CSV}

            async def call() -> str:
                result = await sandbox.run_fs("python-sci", "/main.py", files, timeout=120)
                return result.stdout if result.exit_code == 0 else f"{result.stdout}{result.stderr[-300:]}"

            started = time.perf_counter()
            samples = await back_to_back(call, SCI_EXPECTED, args.sci_runs)
            cold = (time.perf_counter() - started) * 1000 - sum(samples)
            log(f"{what}: the cold first call took {cold:.0f} ms")
    except Exception as exc:
        table.failed(what, exc)
        return
    p50 = statistics.median(samples)
    table.raw["sci_ms"] = samples
    table.raw["sci_cold_ms"] = cold
    table.add(
        Row(
            what,
            latency_cell(samples),
            "n/a",
            "",
            f"<= {SCI_TARGET_MS} ms",
            verdict([] if p50 <= SCI_TARGET_MS else ["slower"]),
        )
    )


async def row_mcp(table: Table, args: argparse.Namespace) -> None:
    what = "MCP tools/call python hello, stdio"
    log(f"{what}: {args.runs} calls")
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "runno_mcp", "serve", "--log-level", "WARNING"], env=dict(os.environ)
    )
    arguments = {"language": "python", "code": HELLO["python"]}
    try:
        async with Client(params) as client:

            async def call() -> str:
                result = await client.call_tool("run_code", arguments)
                if result.is_error:
                    return f"isError: {result.content!r}"[:300]
                return (
                    "hello\n"
                    if any("hello" in getattr(block, "text", "") for block in result.content)
                    else repr(result)
                )

            samples = await back_to_back(call, "hello\n", args.runs)
    except Exception as exc:
        table.failed(what, exc)
        return
    p50 = statistics.median(samples)
    table.raw["mcp_ms"] = samples
    table.add(
        Row(
            what,
            latency_cell(samples),
            "n/a",
            "",
            f"<= {MCP_TARGET_MS} ms",
            verdict([] if p50 <= MCP_TARGET_MS else ["slower"]),
        )
    )


async def row_first_result(table: Table, capsule_py: Path | None, args: argparse.Namespace) -> None:
    what = "first result in a fresh process (Sandbox() + python hello)"
    log(f"{what}: {args.first_runs} processes each")
    try:
        ours = [
            await first_line_ms([sys.executable, "-c", RUNNO_FIRST_RESULT], None, None) for _ in range(args.first_runs)
        ]
    except Exception as exc:
        table.failed(what, exc)
        return
    theirs: float | None = None
    capsule_cell = ""
    if capsule_py is not None:
        try:
            samples = [
                await first_line_ms(
                    [str(capsule_py), "-c", CAPSULE_FIRST_RESULT], capsule_env(capsule_py), capsule_workdir()
                )
                for _ in range(args.first_runs)
            ]
            theirs = statistics.median(samples)
            capsule_cell = f"{theirs:.0f} ms"
            table.raw["capsule_first_result_ms"] = samples
        except Exception as exc:
            capsule_cell = f"error: {str(exc)[:60]}"
    ms = statistics.median(ours)
    table.raw["first_result_ms"] = ours
    table.add(
        Row(
            what,
            f"{ms:.0f} ms (median of {len(ours)})",
            capsule_cell,
            ratio_cell(ms, theirs),
            f"<= {FIRST_RESULT_TARGET_MS} ms",
            verdict([] if ms <= FIRST_RESULT_TARGET_MS else ["slower"]),
        )
    )


async def rows_rss(
    table: Table, capsule: CapsuleDriver | None, capsule_rss: float | None, args: argparse.Namespace
) -> None:
    what = "engine RSS after one python + one quickjs run"
    soak_what = f"engine RSS after {args.soak_runs:,} mixed runs"
    log(f"{what}" + (f", then {soak_what}" if args.soak else ""))
    try:
        async with AsyncSandbox() as sandbox:
            for runtime in ("python", "quickjs"):
                result = await sandbox.run_code(runtime, HELLO[runtime])
                if result.stdout != "hello\n":
                    raise RuntimeError(f"{runtime} printed {result.stdout!r}")
            await asyncio.sleep(args.settle)  # let background work (pre-boots, snapshots) finish
            ours = engine_rss_mb(sandbox)
            table.raw["rss_mb"] = ours
            table.add(
                Row(
                    what + " (sandbox defaults)",
                    f"{ours:.0f} MB ({len(sandbox.stats().engine_pids)} cell)",
                    "" if capsule_rss is None else f"{capsule_rss:.0f} MB (python + js)",
                    ratio_cell(ours, capsule_rss),
                    f"<= {RSS_TARGET_MB} MB",
                    verdict([] if ours <= RSS_TARGET_MB else ["more"]),
                )
            )
            if not args.soak:
                return
            failed = 0
            started = time.perf_counter()
            for i in range(args.soak_runs - 2):  # the two runs above count
                runtime = SOAK_RUNTIMES[i % len(SOAK_RUNTIMES)]
                result = await sandbox.run_code(runtime, HELLO[runtime])
                failed += result.stdout != "hello\n"
            log(f"{soak_what}: {time.perf_counter() - started:.0f} s, {failed} without hello")
            await asyncio.sleep(args.settle)
            soaked = engine_rss_mb(sandbox)
            cells = len(sandbox.stats().engine_pids)
    except Exception as exc:
        table.failed(what, exc)
        return
    theirs: float | None = None
    capsule_cell = ""
    if capsule is not None:
        try:
            reply = await capsule.request(1800, cmd="soak", runs=args.soak_runs - 2)
            await asyncio.sleep(args.settle)
            theirs = rss_mb(capsule.pids)
            capsule_cell = f"{theirs:.0f} MB (python/js)" + (f", {reply['failed']} failed" if reply["failed"] else "")
        except Exception as exc:
            capsule_cell = f"error: {str(exc)[:60]}"
    table.raw["soak_rss_mb"] = soaked
    table.add(
        Row(
            soak_what,
            f"{soaked:.0f} MB ({cells} cell{'s' if cells != 1 else ''})" + (f", {failed} failed" if failed else ""),
            capsule_cell,
            ratio_cell(soaked, theirs),
            f"<= {SOAK_RSS_TARGET_MB} MB",
            verdict([] if soaked <= SOAK_RSS_TARGET_MB else ["more"]),
        )
    )


async def main_async(args: argparse.Namespace, capsule_py: Path | None) -> Table:
    table = Table()
    capsule: CapsuleDriver | None = None
    capsule_rss: float | None = None
    if capsule_py is not None:
        try:
            capsule = await CapsuleDriver.start(capsule_py)
            warm = await capsule.request(600, cmd="warm")  # its first ever call compiles the sandboxes (~10 s)
            log(f"capsule: first python {warm['python_first_ms']:.0f} ms, first js {warm['js_first_ms']:.0f} ms")
            await asyncio.sleep(args.settle)
            capsule_rss = rss_mb(capsule.pids)
        except Exception as exc:
            log(f"capsule: cannot drive it, its rows are left out: {exc!r}")
            if capsule is not None:
                await capsule.close()
            capsule = None
            capsule_py = None
    try:
        async with AsyncSandbox() as sandbox:
            await rows_hello(table, sandbox, capsule, args)
            await row_cpu(table, sandbox, capsule, args)
            await row_throughput(table, sandbox, capsule, args)
            await row_after_timeout(table, sandbox, args)
        await row_mcp(table, args)
        await row_first_result(table, capsule_py, args)
        await rows_rss(table, capsule, capsule_rss, args)
        await row_sci(table, args)
    finally:
        if capsule is not None:
            await capsule.close()
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=100, help="back-to-back calls per hello row (default 100)")
    parser.add_argument("--clang-runs", type=int, default=20, help="calls of the C hello row (default 20)")
    parser.add_argument("--sci-runs", type=int, default=10, help="calls of the python-sci row (default 10)")
    parser.add_argument("--no-sci", action="store_true", help="skip the python-sci row")
    parser.add_argument("--cpu-runs", type=int, default=5, help="calls of the CPU-bound row; the median counts")
    parser.add_argument(
        "--reference-ms", type=float, help="compare the CPU-bound row with these milliseconds, not the language binary"
    )
    parser.add_argument("--throughput-seconds", type=float, default=10.0, help="seconds of the throughput row")
    parser.add_argument("--callers", type=int, default=4, help="concurrent callers of the throughput row")
    parser.add_argument("--first-runs", type=int, default=5, help="fresh processes of the first-result row")
    parser.add_argument("--timeout-rounds", type=int, default=5, help="rounds of the after-a-timeout row")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds before reading RSS (default 2)")
    parser.add_argument("--soak", action="store_true", help="also engine RSS after --soak-runs mixed runs")
    parser.add_argument("--soak-runs", type=int, default=SOAK_RUNS, help=f"runs of the soak (default {SOAK_RUNS:,})")
    parser.add_argument("--no-capsule", action="store_true", help="skip capsule (no install, no capsule column)")
    parser.add_argument("--json", type=Path, help="also write every sample to this file")
    args = parser.parse_args()

    started = time.perf_counter()
    capsule_py: Path | None = None
    capsule_note = "skipped (--no-capsule)"
    if not args.no_capsule:
        capsule_py, capsule_note = capsule_python()
        if capsule_py is None:
            print(f"capsule: not measured, the install failed: {capsule_note}", file=sys.stderr)
    table = asyncio.run(main_async(args, capsule_py))
    elapsed = time.perf_counter() - started
    print(
        f"runno_mcp from {Path(__file__).resolve().parent.parent}; capsule: {CAPSULE_REQUIREMENT} ({capsule_note}); "
        f"{args.runs} back-to-back calls per hello row; {os.cpu_count()} CPUs; took {elapsed:.0f} s"
    )
    table.print()
    if args.json:
        rows = [asdict(row) for row in table.rows]
        args.json.write_text(json.dumps({"rows": rows, "samples": table.raw}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
