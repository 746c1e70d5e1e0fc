"""A run's failure domain is its cell: what ends one run's engine process ends nothing else.

Each test runs a hostile or failing run beside a run in flight and a live session, and checks that
those carry on untouched: a busy run that times out (Deno cannot stop its thread, so its process
is retired), a cell killed mid-run (what a V8 abort looks like from outside), and a run at its
memory cap, with every process of the engine measured.
"""

import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import pytest

from runno_mcp import AsyncSandbox, AsyncSession, RunResult
from runno_mcp.engine.cells import CELL_HEAP_MB

RSS_MARGIN_MB = 160  # beyond the cap, measured 80-140 MB at the run's end: its worker's isolate, its FS and V8's caches


@pytest.fixture
async def own() -> AsyncIterator[AsyncSandbox]:
    async with AsyncSandbox(max_concurrency=3) as sandbox:
        yield sandbox


async def live_with_a_variable(sandbox: AsyncSandbox) -> AsyncSession:
    session = sandbox.session(live=True)
    assert (await session.run_code("python", "kept = 41\nprint('set')")).stdout == "set\n"
    return session


async def assert_live_session_kept_its_variable(session: AsyncSession) -> None:
    result = await session.run_code("python", "print(kept + 1)")
    assert (result.stdout, result.stderr) == ("42\n", "")


async def test_a_busy_run_that_times_out_leaves_a_run_in_flight_and_a_live_session_untouched(
    own: AsyncSandbox,
) -> None:
    session = await live_with_a_variable(own)
    results: dict[str, RunResult] = {}

    async def run(name: str, code: str, timeout: float) -> None:
        results[name] = await own.run_code("python", code, timeout=timeout)

    with anyio.fail_after(60):
        async with anyio.create_task_group() as tg:
            tg.start_soon(run, "busy", "while True:\n    pass", 2)
            tg.start_soon(run, "neighbour", "import time\ntime.sleep(3)\nprint('done')", 30)
    assert results["busy"].result_type == "timeout"
    assert (results["neighbour"].result_type, results["neighbour"].stdout) == ("complete", "done\n")
    await assert_live_session_kept_its_variable(session)
    await session.close()


async def test_a_cell_killed_mid_run_ends_only_that_run(own: AsyncSandbox) -> None:
    """SIGKILL of the process running one program: that run is a crash, the other run and the live
    session finish as if nothing happened, and the next run gets a fresh cell."""
    session = await live_with_a_variable(own)
    await own.run_code("python", "print('warm')")  # the primary cell now runs python without a start-up
    victim_pid = own.stats().engine_pid
    assert victim_pid is not None
    results: dict[str, RunResult] = {}

    async def run(name: str, code: str) -> None:
        results[name] = await own.run_code("python", code, timeout=30)

    with anyio.fail_after(60):
        async with anyio.create_task_group() as tg:
            tg.start_soon(run, "victim", "import time\nprint('started', flush=True)\ntime.sleep(10)")
            await anyio.sleep(1.5)  # the victim holds the primary cell; the neighbour gets a cell of its own
            tg.start_soon(run, "neighbour", "import time\ntime.sleep(2)\nprint('done')")
            await anyio.sleep(0.5)
            os.kill(victim_pid, signal.SIGKILL)
    assert results["victim"].result_type == "crash"
    assert results["victim"].error is not None and "Engine stopped unexpectedly" in results["victim"].error
    assert (results["neighbour"].result_type, results["neighbour"].stdout) == ("complete", "done\n")
    await assert_live_session_kept_its_variable(session)
    assert (await own.run_code("python", "print('fresh')")).stdout == "fresh\n"
    await session.close()


def argv_of(pid: int) -> list[bytes]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")


def rss_mb(pids: tuple[int, ...]) -> float:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


async def test_a_run_at_its_memory_cap_raises_the_engines_memory_by_at_most_the_cap() -> None:
    """Every process of the engine together: a run that fills its 128 MiB grows them by its cap and a
    margin, whatever it tries; the live session carries on. (No pre-booting here: a replacement
    interpreter booting for the next run would be counted too.)"""
    async with AsyncSandbox(max_concurrency=3, snapshot_ahead=()) as own:
        await memory_cap_holds(own)


async def memory_cap_holds(own: AsyncSandbox) -> None:
    session = await live_with_a_variable(own)
    await own.run_code("python", "print('warm')")
    before = rss_mb(own.stats().engine_pids)
    hog = "chunks = []\nwhile True:\n    chunks.append(bytearray(2**20))"
    result = await own.run_code("python", hog, memory_limit_mb=128, timeout=30)
    assert result.result_type in ("complete", "crash") and "MemoryError" in result.stderr + (result.error or "")
    grown = rss_mb(own.stats().engine_pids) - before
    assert grown <= 128 + RSS_MARGIN_MB, f"the engine grew by {grown:.0f} MB for a run capped at 128 MiB"
    await assert_live_session_kept_its_variable(session)
    await session.close()


async def test_each_cell_holds_its_v8_heap_to_a_limit(own: AsyncSandbox) -> None:
    """A heap exhaustion nothing else caught aborts one cell's process, not the engine: V8 is told the limit."""
    pids = own.stats().engine_pids
    assert pids
    for pid in pids:
        flags = next(arg for arg in argv_of(pid) if arg.startswith(b"--v8-flags="))
        assert f"--max-old-space-size={CELL_HEAP_MB}".encode() in flags
