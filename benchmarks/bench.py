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


def run_runno_cli(binary: Path, runtime: str, entry: str, code: str) -> float:
    """One call the way `runno.run_code` makes it: a tar.gz of the files on stdin, JSON out."""
    buffer = io.BytesIO()
    with tarfile.open(mode="w:gz", fileobj=buffer) as tar:
        data = code.encode()
        info = tarfile.TarInfo(name=entry)
        info.size = len(data)
        info.mtime = int(time.time())
        tar.addfile(info, io.BytesIO(data))
    started = time.perf_counter()
    done = subprocess.run(
        [str(binary), runtime, entry, "--filesystem-stdin", "--json"],
        input=buffer.getvalue(),
        capture_output=True,
        cwd=binary.parent,
        check=True,
    )
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
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str]] = []

    def add(
        self,
        what: str,
        measured: float,
        unit: str,
        target: float,
        lower_is_better: bool = True,
        runno: float | None = None,
    ) -> None:
        ratio = measured / target if lower_is_better else target / measured
        verdict = "ok" if ratio <= 1 else "MISS"
        vs_runno = f"{runno / measured:.0f}x faster" if runno else ""
        self.rows.append((what, f"{measured:.1f} {unit}", f"{target:g} {unit}", f"{ratio:.2f} {verdict}", vs_runno))

    def print(self) -> None:
        header = ("measurement", "measured", "target", "measured/target", "vs runno CLI")
        widths = [max(len(row[i]) for row in [header, *self.rows]) for i in range(5)]
        for row in [header, tuple("-" * w for w in widths), *self.rows]:
            print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


async def bench_runtimes(sandbox: AsyncSandbox, runs: int, gap: float) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {}
    for runtime, (_, code) in HELLO.items():
        await sandbox.run_code(runtime, code)  # warm: compile and cache once
        await asyncio.sleep(1.0)  # let the pool refill after the warm-up
        n = runs if runtime not in ("clang", "clangpp") else max(5, runs // 3)

        async def call(runtime: str = runtime, code: str = code) -> None:
            result = await sandbox.run_code(runtime, code)
            if result.stdout.strip() != "hello":
                raise RuntimeError(f"{runtime} printed {result.stdout!r}, stderr {result.stderr!r}")

        samples[runtime] = await time_async(call, n, gap)
    return samples


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
    print(f"warm runs: p50 of {args.runs} calls, {args.gap:g} s idle between calls", file=sys.stderr)

    async with AsyncSandbox(max_concurrency=4) as sandbox:
        samples = await bench_runtimes(sandbox, args.runs, args.gap)
        pid = sandbox.engine_pid
        assert pid is not None
        await asyncio.sleep(3.0)
        idle_rss = rss_mb(pid)
        throughput = await bench_throughput(sandbox, args.throughput_seconds, 4)
        soak = await bench_soak(sandbox, pid) if args.soak else None

    for runtime, values in samples.items():
        entry, code = HELLO[runtime]
        runno_ms = None
        if runno is not None:
            runno_ms = statistics.median(run_runno_cli(runno, runtime, entry, code) for _ in range(args.runno_runs))
        p50 = statistics.median(values)
        table.add(
            f"{runtime} hello (p50, p95 {percentile(values, 0.95):.0f} ms)",
            p50,
            "ms",
            TARGET_MS[runtime],
            runno=runno_ms,
        )

    mcp_samples = await bench_mcp(args.runs, args.gap)
    table.add("MCP tools/call python hello, stdio (p50)", statistics.median(mcp_samples), "ms", MCP_TARGET_MS)
    table.add("first result in a fresh process", bench_first_result(), "ms", FIRST_RESULT_TARGET_MS)
    table.add("python hello throughput, 4 callers", throughput, "runs/s", THROUGHPUT_TARGET, lower_is_better=False)
    table.add("engine RSS, idle, all runtimes ready", idle_rss, "MB", RSS_TARGET_MB)
    if soak is not None:
        _, at_100, at_2000 = soak
        growth = (at_2000 - at_100) / at_100 * 100
        table.add("RSS growth, run 100 -> run 2,000", max(growth, 0.01), "%", 10)
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
