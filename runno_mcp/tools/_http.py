"""Serving the MCP app over HTTP with uvicorn, and stopping it gracefully.

Owns the order of a graceful stop. On the first SIGTERM (or Ctrl-C): close the listening socket so
no new connection arrives (a load balancer retries elsewhere), answer `/readyz` with 503, refuse new
runs on open connections, let the calls in progress finish for up to the grace period, stop those
still running with an `isError` result that says so, then shut uvicorn down. A second signal stops
at once.
"""

import asyncio
import logging
import signal
from collections.abc import Callable
from types import FrameType

import anyio
import uvicorn
from starlette.applications import Starlette
from uvicorn.config import LOGGING_CONFIG

from runno_mcp.tools._ops import LogFormat, Operations

__all__ = ["serve_http"]

logger = logging.getLogger("runno_mcp.tools.mcp")

CLOSE_TIMEOUT = 2  # seconds uvicorn then waits for connections to close: open streams hold nothing we owe


class _DrainingServer(uvicorn.Server):
    """uvicorn, but its first stop signal starts a drain instead of stopping; a second stops at once."""

    def __init__(self, config: uvicorn.Config, on_stop: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_stop = on_stop
        self._stopping = False

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self._stopping:
            logger.warning("Second %s: stopping now", signal.Signals(sig).name)
            self.should_exit = self.force_exit = True
            return
        self._stopping = True
        self._on_stop()

    def stop_accepting(self) -> None:
        """Close the listening sockets; open connections keep working."""
        for server in getattr(self, "servers", []):
            server.close()


async def serve_http(
    app: Starlette, ops: Operations, *, host: str, port: int, log_level: str, log_format: LogFormat, grace: float
) -> None:
    """Serve `app` until SIGTERM or SIGINT, then drain for up to `grace` seconds and return."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level.lower(),
        timeout_graceful_shutdown=CLOSE_TIMEOUT,
        # JSON: uvicorn's loggers propagate to the root handler; text: uvicorn's own format, as before.
        log_config=None if log_format == "json" else LOGGING_CONFIG,
    )
    stop = anyio.Event()
    loop = asyncio.get_running_loop()

    def on_stop() -> None:  # runs in the signal handler: hand over to the event loop
        loop.call_soon_threadsafe(stop.set)

    server = _DrainingServer(config, on_stop)

    async def drain_on_stop() -> None:
        await stop.wait()
        logger.info("Stopping: no new connections; %d call(s) in progress", ops.calls_in_progress)
        server.stop_accepting()
        await ops.drain(grace)
        server.should_exit = True

    async with anyio.create_task_group() as tg:
        tg.start_soon(drain_on_stop)
        await server.serve()
        tg.cancel_scope.cancel()
