"""Warm-run latency, throughput and memory of runno_mcp, side by side with the PyPI `runno` CLI.

Run from the repository root after the README's install command:

    python benchmarks/bench.py                 # everything but the 2,000-run memory soak
    python benchmarks/bench.py --soak          # also RSS at run 100 and run 2,000
    python benchmarks/bench.py --runno-cli PATH  # compare with the predecessor's binary

The predecessor (`runno` 0.2.1, Python >= 3.13 only) ships a 210 MB binary in its wheel; without
`--runno-cli` the script fetches that wheel once with `pip download` into the user cache and
unpacks the binary. Pass `--no-compare` to skip it (offline machines).

Targets come from the performance issue; the script prints a table with the ratio of each
measurement to its target and to the predecessor, and never asserts: it measures.
"""

import argparse
import asyncio
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Awaitable, Callable
from pathlib import Path

import platformdirs
from mcp import Client, StdioServerParameters

from runno_mcp import AsyncSandbox

HELLO: dict[str, tuple[str, str]] = {
    "python": ("/main.py", 'print("hello")'),
    "quickjs": ("/main.js", 'console.log("hello")'),
    "php-cgi": ("/main.php", '<?php echo "hello\\n";'),
    "sqlite": ("/main.sql", "select 'hello';"),
    "ruby": ("/main.rb", 'puts "hello"'),
    "clang": ("/main.c", '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }'),
    "clangpp": ("/main.cpp", '#include <iostream>\nint main() { std::cout << "hello" << std::endl; }'),
}

# Targets in milliseconds (runs/s and MB where the row says so), from the performance issue.
TARGET_MS: dict[str, float] = {
    "python": 25,
    "quickjs": 5,
    "php-cgi": 15,
    "sqlite": 15,
    "ruby": 60,
    "clang": 300,
    "clangpp": 1500,
}
MCP_TARGET_MS = 40
FIRST_RESULT_TARGET_MS = 1500
THROUGHPUT_TARGET = 30  # runs/s
RSS_TARGET_MB = 350

RUNNO_WHEEL = "runno==0.2.1"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def time_async(call: Callable[[], Awaitable[object]], runs: int, gap: float) -> list[float]:
    samples: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(gap)
    return samples


def runno_cli_path(explicit: str | None) -> Path:
    """The predecessor's binary: given, or unpacked once from its PyPI wheel."""
    if explicit:
        return Path(explicit)
    cache = Path(platformdirs.user_cache_dir("runno-mcp")) / "bench" / "runno-0.2.1"
    binary = cache / "runno"
    if binary.exists():
        return binary
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
            + ["--python-version", "3.13", RUNNO_WHEEL, "-d", tmp],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        wheel = next(Path(tmp).glob("runno-*.whl"))
        with zipfile.ZipFile(wheel) as archive, archive.open("runno/runno") as src, binary.open("wb") as dst:
            shutil.copyfileobj(src, dst)
    binary.chmod(0o755)
    return binary


RUNNO_CLI_TIMEOUT = 30.0  # seconds: its sqlite waits for stdin that never comes, so it never returns


def run_runno_cli(binary: Path, runtime: str, entry: str, code: str) -> float | None:
    """One call the way `runno.run_code` makes it: a tar.gz of the files on stdin, JSON out.

    Returns the milliseconds it took, or None when it did not finish within RUNNO_CLI_TIMEOUT.
    """
    buffer = io.BytesIO()
    with tarfile.open(mode="w:gz", fileobj=buffer) as tar:
        data = code.encode()
        info = tarfile.TarInfo(name=entry)
        info.size = len(data)
        info.mtime = int(time.time())
        tar.addfile(info, io.BytesIO(data))
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [str(binary), runtime, entry, "--filesystem-stdin", "--json"],
            input=buffer.getvalue(),
            capture_output=True,
            cwd=binary.parent,
            check=True,
            timeout=RUNNO_CLI_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return None
    elapsed = (time.perf_counter() - started) * 1000
    result = json.loads(done.stdout)
    if "hello" not in result.get("stdout", ""):
        raise RuntimeError(f"runno CLI gave no hello for {runtime}: {result}")
    return elapsed


def rss_mb(pid: int) -> float:
    """Resident memory of `pid` and its children (the engine and its worker threads share one)."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return kb / 1024


class Table:
    """Rows of measurement, value, target and ratio; printed aligned."""

    HEADER = ("measurement", "p50", "p95", "runs/s", "target", "p50/target", "runno CLI p50", "speedup")

    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def add_latency(self, what: str, samples: list[float], target: float, runno: list[float] | None = None) -> None:
        p50 = statistics.median(samples)
        ratio = p50 / target
        runno_p50 = statistics.median(runno) if runno else None
        self.rows.append(
            (
                what,
                f"{p50:.1f} ms",
                f"{percentile(samples, 0.95):.1f} ms",
                f"{1000 / statistics.mean(samples):.1f}",
                f"{target:g} ms",
                f"{ratio:.2f} {'ok' if ratio <= 1 else 'MISS'}",
                f"{runno_p50:.0f} ms" if runno_p50 else "",
                f"{runno_p50 / p50:.0f}x" if runno_p50 else "",
            )
        )

    def add_value(self, what: str, measured: float, unit: str, target: float, lower_is_better: bool = True) -> None:
        ratio = measured / target if lower_is_better else target / measured
        verdict = "ok" if ratio <= 1 else "MISS"
        self.rows.append(
            (what, f"{measured:.1f} {unit}", "", "", f"{target:g} {unit}", f"{ratio:.2f} {verdict}", "", "")
        )

    def print(self) -> None:
        widths = [max(len(row[i]) for row in [self.HEADER, *self.rows]) for i in range(len(self.HEADER))]
        for row in [self.HEADER, tuple("-" * w for w in widths), *self.rows]:
            print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


async def bench_runtimes(
    sandbox: AsyncSandbox, runs: int, gap: float, runno: Path | None, runno_runs: int
) -> dict[str, tuple[list[float], list[float]]]:
    """Per runtime: our warm samples and, interleaved with them, the runno CLI's."""
    samples: dict[str, tuple[list[float], list[float]]] = {}
    hung: set[str] = set()
    for runtime, (entry, code) in HELLO.items():
        await sandbox.run_code(runtime, code)  # warm: compile and cache once
        await asyncio.sleep(1.0)  # let the pool refill after the warm-up
        n = runs if runtime not in ("clang", "clangpp") else max(5, runs // 3)
        ours: list[float] = []
        theirs: list[float] = []
        for i in range(n):
            started = time.perf_counter()
            result = await sandbox.run_code(runtime, code)
            ours.append((time.perf_counter() - started) * 1000)
            if result.stdout.strip() != "hello":
                raise RuntimeError(f"{runtime} printed {result.stdout!r}, stderr {result.stderr!r}")
            if runno is not None and i < runno_runs and runtime not in hung:
                elapsed = await asyncio.to_thread(run_runno_cli, runno, runtime, entry, code)
                if elapsed is None:
                    hung.add(runtime)
                    print(f"runno CLI: {runtime} did not finish in {RUNNO_CLI_TIMEOUT:g} s", file=sys.stderr)
                else:
                    theirs.append(elapsed)
            await asyncio.sleep(gap)
        samples[runtime] = (ours, theirs)
    return samples


async def bench_sessions(sandbox: AsyncSandbox, runs: int, gap: float) -> tuple[list[float], list[float]]:
    """Warm calls in sessions: python hello in a live session's interpreter, and a C program
    compiled once and run again from the session as `wasi` (no compile)."""
    live: list[float] = []
    kept: list[float] = []
    async with sandbox.session(live=True) as session:
        await session.run_code("python", "greeting = 'hello'")
        for _ in range(runs):
            started = time.perf_counter()
            result = await session.run_code("python", "print(greeting)")
            live.append((time.perf_counter() - started) * 1000)
            if result.stdout != "hello\n":
                raise RuntimeError(f"live session printed {result.stdout!r}, stderr {result.stderr!r}")
            await asyncio.sleep(gap)
        await session.run_code("clang", HELLO["clang"][1])
        for _ in range(runs):
            started = time.perf_counter()
            result = await session.run_fs("wasi", "/main.wasm", {})
            kept.append((time.perf_counter() - started) * 1000)
            if result.stdout.strip() != "hello":
                raise RuntimeError(f"kept C program printed {result.stdout!r}, stderr {result.stderr!r}")
            await asyncio.sleep(gap)
    return live, kept


async def bench_throughput(sandbox: AsyncSandbox, seconds: float, callers: int) -> float:
    done = 0
    deadline = time.perf_counter() + seconds

    async def caller() -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            result = await sandbox.run_code("python", HELLO["python"][1])
            if result.stdout.strip() == "hello":
                done += 1

    started = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(callers)))
    return done / (time.perf_counter() - started)


async def bench_mcp(runs: int, gap: float) -> list[float]:
    params = StdioServerParameters(command=sys.executable, args=["-m", "runno_mcp"], env=dict(os.environ))
    async with Client(params) as client:
        arguments = {"language": "python", "code": HELLO["python"][1]}
        await client.call_tool("run_code", arguments)
        await asyncio.sleep(1.0)
        return await time_async(lambda: client.call_tool("run_code", arguments), runs, gap)


def bench_first_result() -> float:
    """A fresh Python process: import, start a Sandbox, run python hello (languages cached)."""
    code = (
        "import time; t = time.perf_counter()\n"
        "from runno_mcp import Sandbox\n"
        "with Sandbox() as sb: r = sb.run_code('python', 'print(1)')\n"
        "assert r.stdout == '1\\n', r\n"
        "print((time.perf_counter() - t) * 1000)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


async def bench_soak(sandbox: AsyncSandbox, pid: int) -> tuple[float, float, float]:
    idle = rss_mb(pid)
    at_100 = at_2000 = 0.0
    for i in range(1, 2001):
        await sandbox.run_code("python", HELLO["python"][1])
        if i == 100:
            at_100 = rss_mb(pid)
        if i == 2000:
            await asyncio.sleep(2.0)
            at_2000 = rss_mb(pid)
    return idle, at_100, at_2000


async def main_async(args: argparse.Namespace) -> None:
    table = Table()
    runno = None if args.no_compare else runno_cli_path(args.runno_cli)
    print(f"warm runs: {args.runs} calls per runtime, {args.gap:g} s idle between calls", file=sys.stderr)

    async with AsyncSandbox(max_concurrency=4) as sandbox:
        samples = await bench_runtimes(sandbox, args.runs, args.gap, runno, args.runno_runs)
        live, kept = await bench_sessions(sandbox, args.runs, args.gap)
        pid = sandbox.engine_pid
        assert pid is not None
        await asyncio.sleep(3.0)
        idle_rss = rss_mb(pid)
        throughput = await bench_throughput(sandbox, args.throughput_seconds, 4)
        soak = await bench_soak(sandbox, pid) if args.soak else None

    for runtime, (ours, theirs) in samples.items():
        table.add_latency(f"{runtime} hello", ours, TARGET_MS[runtime], theirs or None)
    table.add_latency("python hello, live session call", live, TARGET_MS["python"])
    table.add_latency("C hello, kept program re-run (wasi)", kept, TARGET_MS["clang"])
    table.add_latency("MCP tools/call python hello, stdio", await bench_mcp(args.runs, args.gap), MCP_TARGET_MS)
    table.add_value("first result in a fresh process", bench_first_result(), "ms", FIRST_RESULT_TARGET_MS)
    table.add_value(
        "python hello, 4 concurrent callers", throughput, "runs/s", THROUGHPUT_TARGET, lower_is_better=False
    )
    table.add_value("engine RSS, idle, interpreters booted", idle_rss, "MB", RSS_TARGET_MB)
    if soak is not None:
        _, at_100, at_2000 = soak
        table.add_value("RSS growth, run 100 -> run 2,000", max((at_2000 - at_100) / at_100 * 100, 0.01), "%", 10)
    table.print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="calls per warm measurement (default 30)")
    parser.add_argument("--gap", type=float, default=0.2, help="idle seconds between calls (default 0.2)")
    parser.add_argument("--runno-cli", help="path to the runno 0.2.1 binary (default: fetch its wheel)")
    parser.add_argument("--runno-runs", type=int, default=3, help="calls per runtime to the runno CLI (default 3)")
    parser.add_argument("--no-compare", action="store_true", help="skip the runno CLI")
    parser.add_argument("--throughput-seconds", type=float, default=10.0)
    parser.add_argument("--soak", action="store_true", help="also run 2,000 calls and report RSS growth")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
