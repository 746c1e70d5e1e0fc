"""Engine lifecycle against the scripted peer: handshake failures, broken frames, cancel, restart.

Behaviour with real programs is in tests/test_sandbox.py; these tests need a peer that
misbehaves on cue, which the real engine cannot be made to do.
"""

import base64
import logging
from collections.abc import Callable
from pathlib import Path

import anyio
import pytest

from runno_mcp.engine import Engine, EngineOptions
from runno_mcp.engine._protocol import RunParams, WireFile
from runno_mcp.errors import EngineStartError
from runno_mcp.langs import manifest_path
from runno_mcp.models import RunOptions


def options(deno: Path, startup_timeout: float = 10.0) -> EngineOptions:
    return EngineOptions(
        langs_dir=Path("/nonexistent"),
        manifest_path=manifest_path(),
        memory_limit_mb=RunOptions().memory_limit_mb,
        deno=deno,
        startup_timeout=startup_timeout,
    )


def echo_params(text: str, stream_output: bool = False) -> RunParams:
    content = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return RunParams(
        runtime="python",
        entry="/main.py",
        files=[WireFile(path="/main.py", content=content)],
        stdin=None,
        args=[],
        env={},
        timeout_ms=1000,
        max_output_bytes=1024,
        memory_limit_mb=64,
        return_fs="none",
        max_return_files=0,
        max_return_bytes=0,
        stream_output=stream_output,
    )


async def test_silence_at_startup_is_an_engine_start_error(scripted_deno: Callable[[str], Path]) -> None:
    """An engine that never answers `initialize` fails the start within the startup timeout."""
    async with Engine(options(scripted_deno("silent"), startup_timeout=0.5)) as engine:
        with anyio.fail_after(5), pytest.raises(EngineStartError, match="no answer to initialize within 0.5 s"):
            await engine.start()
        assert engine.pid is None


async def test_an_engine_exiting_at_startup_reports_its_exit_code_and_log(scripted_deno: Callable[[str], Path]) -> None:
    """The start error carries the exit code and the engine's last stderr lines."""
    async with Engine(options(scripted_deno("exit"))) as engine:
        with anyio.fail_after(10), pytest.raises(EngineStartError) as caught:
            await engine.start()
    assert "exited with code" in str(caught.value)
    assert "scripted failure" in str(caught.value)


async def test_a_protocol_version_mismatch_is_refused(scripted_deno: Callable[[str], Path]) -> None:
    """An engine speaking another protocol version is not used."""
    async with Engine(options(scripted_deno("old-protocol"))) as engine:
        with anyio.fail_after(10), pytest.raises(EngineStartError, match="speaks protocol 999"):
            await engine.start()


async def test_a_run_returns_the_result_and_streams_output(scripted_deno: Callable[[str], Path]) -> None:
    """A well-behaved peer's answer comes back, and `output` notifications reach the callback."""
    chunks: list[tuple[str, bytes]] = []
    async with Engine(options(scripted_deno("echo"))) as engine:
        with anyio.fail_after(10):
            result = await engine.run(echo_params("hé\n", stream_output=True), lambda s, b: chunks.append((s, b)))
    assert (result.result_type, result.stdout) == ("complete", "hé\n")
    assert chunks == [("stdout", "hé\n".encode())]


async def test_many_runs_in_flight_get_their_own_answers(scripted_deno: Callable[[str], Path]) -> None:
    """Replies are matched to requests by id, whatever the interleaving."""
    results: dict[int, str] = {}
    async with Engine(options(scripted_deno("echo"))) as engine:

        async def one(index: int) -> None:
            results[index] = (await engine.run(echo_params(f"run {index}"))).stdout

        with anyio.fail_after(10):
            async with anyio.create_task_group() as task_group:
                for index in range(20):
                    task_group.start_soon(one, index)
    assert results == {index: f"run {index}" for index in range(20)}


@pytest.mark.parametrize(
    ("mode", "detail"),
    [
        pytest.param("torn", "after 10 of 100 bytes", id="torn-frame"),
        pytest.param("garbage", "exceeds the limit", id="garbage-length"),
    ],
)
async def test_a_broken_frame_mid_run_is_a_crash_then_a_fresh_engine(
    scripted_deno: Callable[[str], Path], caplog: pytest.LogCaptureFixture, mode: str, detail: str
) -> None:
    """The run in flight ends as `crash`; the next call starts another engine process."""
    caplog.set_level(logging.WARNING, logger="runno_mcp.engine")
    async with Engine(options(scripted_deno(mode))) as engine:
        with anyio.fail_after(20):
            await engine.start()
            first_pid = engine.pid
            result = await engine.run(echo_params("x"))
            assert result.result_type == "crash"
            assert result.error is not None and result.error.startswith("Engine stopped unexpectedly")
            await engine.start()
            assert engine.pid not in (None, first_pid)
    assert detail in caplog.text


async def test_cancelling_the_caller_sends_cancel_to_the_engine(scripted_deno: Callable[[str], Path]) -> None:
    """A caller that gives up on a run tells the engine, which can stop the guest."""
    sent: list[str] = []
    async with Engine(options(scripted_deno("hang"))) as engine:
        await engine.start()
        connection = engine._connection  # pyright: ignore[reportPrivateUsage]
        assert connection is not None
        original = connection.rpc.request

        async def spy(method: str, params: dict[str, object], **kwargs: int | None) -> object:
            sent.append(method)
            return await original(method, params, **kwargs)  # pyright: ignore[reportArgumentType]

        connection.rpc.request = spy  # pyright: ignore[reportAttributeAccessIssue]
        with anyio.fail_after(10):
            with anyio.move_on_after(0.2):
                await engine.run(echo_params("x"))
    assert sent[:2] == ["run", "cancel"]


async def test_closing_the_engine_ends_its_process(scripted_deno: Callable[[str], Path]) -> None:
    """Leaving the context shuts the engine down; no process is left behind."""
    async with Engine(options(scripted_deno("echo"))) as engine:
        await engine.start()
        connection = engine._connection  # pyright: ignore[reportPrivateUsage]
        assert connection is not None
    assert connection.process.returncode is not None
