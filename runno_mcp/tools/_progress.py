"""Progress notifications for a run in flight over MCP: a tick every second, and soon after the program writes.

Owns the notification's words (elapsed time, the limit, the tail of the output so far) and its pace.
The SDK drops the notifications when the client sent no progress token; cancelling the request
cancels the run with it.
"""

import codecs
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError

from runno_mcp.errors import RunnoError
from runno_mcp.models import OutputCallback, RunResult

__all__ = ["PROGRESS_INTERVAL", "PROGRESS_MIN_GAP", "PROGRESS_OUTPUT_CHARS", "run_reporting_progress"]

logger = logging.getLogger("runno_mcp.tools.mcp")

PROGRESS_INTERVAL = 1.0  # seconds between progress notifications while a run is in flight
PROGRESS_MIN_GAP = 0.25  # seconds: output sends a notification early, but at most this often
PROGRESS_OUTPUT_CHARS = 2000  # the tail of the output each progress notification carries


async def run_reporting_progress(
    ctx: Context[Any],
    language: str,
    timeout: float,
    run: Callable[[OutputCallback], Awaitable[RunResult]],
) -> RunResult:
    """Run, sending progress notifications while the run is in flight.

    Raises:
        ToolError: the run raised a `RunnoError` (a caller's mistake, a sandbox that cannot run).
    """
    output = _OutputSoFar()
    outcome: RunResult | RunnoError | None = None
    async with anyio.create_task_group() as tg:
        tg.start_soon(_report_progress, ctx, language, timeout, output)
        try:
            outcome = await run(output.add)
        except RunnoError as exc:  # raised outside the task group, or anyio would wrap it in a group
            outcome = exc
        tg.cancel_scope.cancel()
    if isinstance(outcome, RunnoError):
        raise ToolError(str(outcome)) from outcome
    assert outcome is not None  # the task group only ends early by raising
    return outcome


class _OutputSoFar:
    """The last `PROGRESS_OUTPUT_CHARS` characters a run wrote, and an event set when more arrive."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.tail = ""
        self.changed = anyio.Event()

    def add(self, stream: str, chunk: bytes) -> None:
        self.tail = (self.tail + self._decoder.decode(chunk))[-PROGRESS_OUTPUT_CHARS:]
        self.changed.set()


async def _report_progress(ctx: Context[Any], language: str, timeout: float, output: _OutputSoFar) -> None:
    started = anyio.current_time()
    while True:
        with anyio.move_on_after(PROGRESS_INTERVAL):
            await output.changed.wait()
            await anyio.sleep(PROGRESS_MIN_GAP)  # gather a burst of writes into one notification
        output.changed = anyio.Event()
        elapsed = anyio.current_time() - started
        message = f"Running {language}: {elapsed:.0f} s of at most {timeout:g} s"
        if output.tail:
            message += f"; output so far:\n{output.tail}"
        # Every tick carries the run's timeout as its total; waiting for a free slot is not part of the
        # run's time, so progress may pass it, which the protocol allows (total is an estimate).
        try:
            await ctx.report_progress(round(elapsed, 1), timeout, message)
        except Exception:
            # A client that cannot take notifications still gets its result.
            logger.debug("Cannot send a progress notification", exc_info=True)
            return
