"""Faults of the real engine process: killed, frozen, orphaned; runs end as `crash`, the next call works.

These tests send signals to a real deno engine owned by each test (never the shared
sandbox's). The scripted-peer versions of some of these live in tests/engine/test_engine.py.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import anyio
import pytest

import runno_mcp.engine.engine as engine_module
import runno_mcp.sandbox as sandbox_module
from runno_mcp import AsyncSandbox, RunResult

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to see processes exit")

GENEROUS = 60.0  # seconds: an engine start plus a run on a loaded machine
LOOPS = {
    "python": "print('go', flush=True)\nwhile True:\n    pass\n",
    "ruby": "$stdout.sync = true\nputs 'go'\nloop {}\n",
    "quickjs": "console.log('go');\nfor (;;) {}\n",
}


def is_reaped(pid: int) -> bool:
    """Whether `pid` is gone from the process table (not even a zombie)."""
    return not Path(f"/proc/{pid}").exists()


def deno_children() -> list[int]:
    """Pids of this process's live children whose command is deno."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8")
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == os.getpid() and fields[0] != "Z" and b"deno" in cmdline.split(b"\0", 1)[0]:
            found.append(int(entry.name))
    return found


async def wait_until(predicate: Callable[[], bool], timeout: float) -> None:
    with anyio.fail_after(timeout):
        # Another process's state has no event to await: poll it.
        while not predicate():  # noqa: ASYNC110
            await anyio.sleep(0.05)


@pytest.fixture
async def own() -> AsyncIterator[AsyncSandbox]:
    """A sandbox with its own engine, which the test may kill."""
    async with AsyncSandbox(max_concurrency=4, snapshot_ahead=()) as sandbox:
        yield sandbox


async def assert_serves(sandbox: AsyncSandbox) -> None:
    with anyio.fail_after(GENEROUS):
        result = await sandbox.run_code("python", "print(1)")
    assert (result.result_type, result.stdout) == ("complete", "1\n")


async def run_until_killed(sandbox: AsyncSandbox, started: list[str]) -> list[RunResult]:
    """Start a busy loop in three runtimes; return their results once each has ended."""
    results: list[RunResult] = []

    async def one(runtime: str) -> None:
        result = await sandbox.run_code(
            runtime, LOOPS[runtime], timeout=GENEROUS, on_output=lambda stream, chunk: started.append(runtime)
        )
        results.append(result)

    async with anyio.create_task_group() as task_group:
        for runtime in LOOPS:
            task_group.start_soon(one, runtime)
    return results


async def test_sigkill_mid_run_ends_every_run_in_flight_as_a_crash_and_the_next_call_works(
    own: AsyncSandbox,
) -> None:
    """Three runs in three runtimes, each in its own cell, end as `crash` saying the engine stopped when
    every cell's process is killed; the old processes are reaped and the next call works."""
    pid = own.engine_pid
    assert pid is not None
    started: list[str] = []
    outcome: list[list[RunResult]] = []
    pids: tuple[int, ...] = ()
    with anyio.fail_after(GENEROUS):
        async with anyio.create_task_group() as task_group:

            async def runs() -> None:
                outcome.append(await run_until_killed(own, started))

            task_group.start_soon(runs)
            await wait_until(lambda: len(set(started)) == len(LOOPS), GENEROUS)
            pids = own.stats().engine_pids
            assert len(pids) == len(LOOPS)
            for cell in pids:
                os.kill(cell, signal.SIGKILL)
    [results] = outcome
    assert [result.result_type for result in results] == ["crash"] * len(LOOPS)
    for result in results:
        assert result.error is not None
        # -9 as a rule; asyncio reports 255 when the status was collected elsewhere first
        assert result.error.startswith("Engine stopped unexpectedly during the run: the engine exited with code")
    for cell in pids:
        await wait_until(lambda cell=cell: is_reaped(cell), 10)
    await assert_serves(own)
    assert own.engine_pid not in (None, pid)


async def test_a_frozen_engine_is_killed_by_the_watchdog_and_its_runs_crash(
    own: AsyncSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGSTOP mid-run: the watchdog's ping goes unanswered, the engine is killed, the run is a `crash`
    saying why, long before its own 60 s timeout; the next call gets a fresh engine."""
    monkeypatch.setattr(engine_module, "WATCHDOG_INTERVAL", 0.2)
    monkeypatch.setattr(engine_module, "WATCHDOG_TIMEOUT", 1.0)
    pid = own.engine_pid
    assert pid is not None

    def freeze(stream: str, chunk: bytes) -> None:
        os.kill(pid, signal.SIGSTOP)

    with anyio.fail_after(20):
        result = await own.run_code("python", LOOPS["python"], timeout=GENEROUS, on_output=freeze)
    assert result.result_type == "crash"
    assert result.error == (
        "Engine stopped unexpectedly during the run: the engine stopped answering for 1 s and was restarted"
    )
    await wait_until(lambda: is_reaped(pid), 10)
    await assert_serves(own)
    assert own.engine_pid not in (None, pid)


async def test_an_idle_frozen_engine_is_replaced_before_the_next_call(
    own: AsyncSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An engine frozen while idle is killed by the watchdog; the next call starts a fresh one at once."""
    monkeypatch.setattr(engine_module, "WATCHDOG_INTERVAL", 0.2)
    monkeypatch.setattr(engine_module, "WATCHDOG_TIMEOUT", 1.0)
    pid = own.engine_pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    await wait_until(lambda: is_reaped(pid), 15)
    await assert_serves(own)


async def test_without_the_watchdog_the_python_backstop_ends_a_frozen_run_and_replaces_the_engine(
    own: AsyncSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the watchdog out of the way, a run on a frozen engine ends at its timeout plus the grace, and
    the unanswered no-op that follows gets the engine killed."""
    monkeypatch.setattr(engine_module, "WATCHDOG_INTERVAL", 3600.0)
    monkeypatch.setattr(engine_module, "CANCEL_TIMEOUT", 0.5)
    monkeypatch.setattr(sandbox_module, "BACKSTOP_GRACE", 0.5)
    pid = own.engine_pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    with anyio.fail_after(15):
        result = await own.run_code("python", "print(1)", timeout=1)
    assert result.result_type == "crash"
    assert result.error == "The engine did not end the run within 0.5 s after its 1 s timeout; the run was cancelled"
    await wait_until(lambda: is_reaped(pid), 10)
    await assert_serves(own)


async def test_closing_a_sandbox_leaves_no_deno_process_behind() -> None:
    """After `async with` ends, even with runs cancelled mid-flight, no deno child of ours is left."""
    before = set(deno_children())
    with anyio.fail_after(GENEROUS):
        async with AsyncSandbox(max_concurrency=2, snapshot_ahead=()) as sandbox:
            pid = sandbox.engine_pid
            assert pid is not None

            async def loop(runtime: str) -> None:
                await sandbox.run_code(runtime, LOOPS[runtime], timeout=GENEROUS)

            with anyio.move_on_after(1.0):
                async with anyio.create_task_group() as task_group:
                    for runtime in LOOPS:
                        task_group.start_soon(loop, runtime)
    assert is_reaped(pid)
    assert set(deno_children()) <= before


ORPHAN_PARENT_MID_RUN = """
import sys, threading
from runno_mcp import Sandbox
sandbox = Sandbox(snapshot_ahead=())
sandbox.start()
print(sandbox._sandbox.engine_pid, flush=True)
sandbox.run_code("python", "print('go', flush=True)\\nwhile True: pass", timeout=120,
                 on_output=lambda stream, chunk: print("running", flush=True))
"""


def test_the_engine_exits_when_its_parent_is_killed_mid_run() -> None:
    """A parent killed with SIGKILL while its engine runs a busy loop: the engine still exits within seconds."""
    parent = subprocess.Popen(
        [sys.executable, "-c", ORPHAN_PARENT_MID_RUN], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True
    )
    try:
        assert parent.stdout is not None
        engine_pid = int(parent.stdout.readline())
        assert parent.stdout.readline() == "running\n"
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 15
        while Path(f"/proc/{engine_pid}/status").exists() and "Z" not in _state(engine_pid):
            assert time.monotonic() < deadline, "the orphaned engine is still running"
            time.sleep(0.05)  # polling another process's exit: nothing to await
    finally:
        parent.kill()
        parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()


def _state(pid: int) -> str:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return "Z"
    return next((line.split()[1] for line in status.splitlines() if line.startswith("State:")), "Z")


async def test_a_timed_out_guest_stops_using_cpu(own: AsyncSandbox) -> None:
    """Busy loops that time out do not run on. A snapshot binary's loop is interrupted: the same
    process serves the next call, idle again. Ruby's cannot be (Deno's `Worker.terminate()` cannot
    stop a busy thread, denoland/deno#35657), so the engine holding it is replaced and its thread
    ends with it."""
    pid = own.engine_pid
    assert pid is not None
    with anyio.fail_after(GENEROUS):
        for _ in range(2):
            assert (await own.run_code("python", "while True: pass", timeout=1)).result_type == "timeout"
        before = _cpu_ticks(pid)
        await anyio.sleep(1.0)
        assert _cpu_ticks(pid) - before < 30  # of 100 per second: no loop left spinning
        assert own.engine_pid == pid
        for _ in range(2):
            assert (await own.run_code("ruby", LOOPS["ruby"], timeout=1)).result_type == "timeout"
        while _state(pid) != "Z":  # noqa: ASYNC110 -- polling /proc: another process has no event to await
            await anyio.sleep(0.1)
        result = await own.run_code("python", "print(1)")
    assert (result.stdout, own.engine_pid != pid) == ("1\n", True)


def _cpu_ticks(pid: int) -> int:
    """The user and system CPU time of process `pid`, in clock ticks (100 a second here)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


async def test_a_timed_out_busy_run_costs_only_its_cell(own: AsyncSandbox) -> None:
    """A busy loop that cannot be interrupted (Ruby's) strands a thread Deno cannot stop: its cell's
    process is retired and exits, while a slow run in the primary cell completes in the same process
    and the next call works."""
    pid = own.engine_pid
    assert pid is not None
    slow: list[RunResult] = []
    looped_cells: list[int] = []
    with anyio.fail_after(GENEROUS):
        async with anyio.create_task_group() as task_group:

            async def slow_run() -> None:
                code = "import time\ntime.sleep(4)\nprint('slow done')"
                slow.append(await own.run_code("python", code, timeout=GENEROUS))

            task_group.start_soon(slow_run)
            await anyio.sleep(0.5)  # the slow run holds the primary cell; the loop gets a cell of its own
            looped = await own.run_code(
                "ruby",
                LOOPS["ruby"],
                timeout=1,
                on_output=lambda stream, chunk: looped_cells.extend(set(own.stats().engine_pids) - {pid}),
            )
            assert looped.result_type == "timeout"
            await assert_serves(own)
            assert not slow, "the slow run should still be going"
            assert own.engine_pid == pid
    [result] = slow
    assert (result.result_type, result.stdout) == ("complete", "slow done\n")
    assert looped_cells
    await wait_until(lambda: is_reaped(looped_cells[0]), 10)
