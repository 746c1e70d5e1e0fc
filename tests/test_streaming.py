"""Streaming runs through the real engine: chunks as the program writes them, then the result."""

import anyio
import pytest

from runno_mcp import AsyncSandbox, RunResult
from runno_mcp.errors import InvalidRequestError
from runno_mcp.streaming import OutputChunk

TICKS = """import sys, time
for i in range(3):
    print('tick', i, flush=True)
    time.sleep(0.3)
print('err', file=sys.stderr)
"""


async def test_chunks_arrive_while_the_program_runs_then_the_result(sandbox: AsyncSandbox) -> None:
    """Each tick arrives before the program ends; the chunks of each stream concatenate to its output."""
    started = anyio.current_time()
    seen = [(anyio.current_time() - started, event) async for event in sandbox.stream_code("python", TICKS, timeout=20)]
    *chunks, (end, result) = seen
    assert isinstance(result, RunResult) and result.result_type == "complete"
    assert all(isinstance(event, OutputChunk) for _, event in chunks)
    stdout = "".join(event.text for _, event in chunks if isinstance(event, OutputChunk) and event.stream == "stdout")
    stderr = "".join(event.text for _, event in chunks if isinstance(event, OutputChunk) and event.stream == "stderr")
    assert (stdout, stderr) == (result.stdout, result.stderr) == ("tick 0\ntick 1\ntick 2\n", "err\n")
    first_tick = next(at for at, event in chunks if isinstance(event, OutputChunk) and "tick 0" in event.text)
    assert end - first_tick > 0.4  # the first tick came long before the end: it was streamed, not batched


async def test_a_character_split_across_writes_arrives_whole(sandbox: AsyncSandbox) -> None:
    code = """import sys
b = 'é€'.encode()
for i in range(len(b)):
    sys.stdout.buffer.write(b[i : i + 1])
    sys.stdout.flush()
"""
    texts = [event.text async for event in sandbox.stream_code("python", code) if isinstance(event, OutputChunk)]
    assert "".join(texts) == "é€"
    assert "\ufffd" not in "".join(texts)


async def test_a_refused_call_raises_from_the_iteration(sandbox: AsyncSandbox) -> None:
    with pytest.raises(InvalidRequestError, match="timeout"):
        async for _ in sandbox.stream_code("python", "print(1)", timeout=-1):
            pass


async def test_leaving_early_stops_the_run(sandbox: AsyncSandbox) -> None:
    """Closing the stream after the first chunk cancels the endless program; the sandbox serves on."""
    code = "import time\nwhile True:\n    print('x', flush=True)\n    time.sleep(0.05)"
    with anyio.fail_after(20):
        async with sandbox.stream_code("python", code, timeout=60) as events:
            async for event in events:
                assert isinstance(event, OutputChunk)
                break
    result = await sandbox.run_code("python", "print('still here')")
    assert result.stdout == "still here\n"


async def test_a_session_streams_too(sandbox: AsyncSandbox) -> None:
    async with sandbox.session() as session:
        await session.write_files({"/name.txt": "session"})
        events = [event async for event in session.stream_code("python", "print(open('/name.txt').read())")]
    assert events[0] == OutputChunk("stdout", "session\n")
    assert isinstance(events[-1], RunResult) and events[-1].stdout == "session\n"
