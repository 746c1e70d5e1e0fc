"""Serving the MCP app over HTTP with uvicorn: holding slow clients to deadlines, and stopping gracefully.

Owns what a connection may cost: a request's headers and its body must arrive within their deadlines,
an idle kept-alive connection is closed, and connections past a cap are refused at once (uvicorn alone
keeps a client that sends its headers a byte at a time forever).

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
from dataclasses import dataclass
from types import FrameType
from typing import ClassVar, cast

import anyio
import h11
import uvicorn
from starlette.applications import Starlette
from uvicorn.config import LOGGING_CONFIG
from uvicorn.protocols.http.h11_impl import H11Protocol, RequestResponseCycle
from uvicorn.server import ServerState

from runno_mcp.tools._ops import LogFormat, Operations

__all__ = ["serve_http"]

logger = logging.getLogger("runno_mcp.tools.mcp")

CLOSE_TIMEOUT = 2  # seconds uvicorn then waits for connections to close: open streams hold nothing we owe


@dataclass(frozen=True)
class _HttpLimits:
    """What one HTTP connection may cost: the `runno-mcp serve` flags of the same names."""

    header_timeout: float
    body_timeout: float
    keep_alive_timeout: float
    max_connections: int


def _plain_response(status: str, text: str) -> bytes:
    """A whole HTTP/1.1 response that closes the connection, for a client no request cycle serves."""
    body = text.encode("utf-8")
    head = f"HTTP/1.1 {status}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {len(body)}\r\n"
    return head.encode("ascii") + b"connection: close\r\n\r\n" + body


class _GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 connection, held to deadlines for a request's headers and body, and to a cap on connections.

    uvicorn arms its only timer, keep-alive, after a response; until then a connection that sends
    nothing, or a header a byte at a time, or a body a byte at a time, stays open for good, and its
    `limit_concurrency` answers 503 only once a request's headers are in, which such a client never
    sends. So: a deadline armed when a request's first byte is due (the connection opens) or arrives (a
    kept-alive connection), cancelled once its headers are in; another for the body, armed then and
    cancelled at its end. Each is absolute, so trickling bytes does not extend it, and on expiry the
    client gets 408 when no response is under way, and the connection is closed. The timers are
    `loop.call_later` handles, like uvicorn's keep-alive. Connections past the cap get 503 as soon as
    they are accepted, before anything is read. h11 is the protocol uvicorn picks without httptools
    (not a dependency); naming it pins the class these hooks are written against.
    """

    limits: ClassVar[_HttpLimits]
    refusing: ClassVar[bool] = False  # past the cap: warn once per spell, not per connection

    def __init__(
        self,
        config: uvicorn.Config,
        server_state: ServerState,
        app_state: dict[str, object],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.timeout_keep_alive = self.limits.keep_alive_timeout  # uvicorn says int; call_later takes a float
        self._header_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None
        self._refused = False

    def connection_made(self, transport: asyncio.Transport) -> None:
        cls = type(self)
        if len(self.connections) >= self.limits.max_connections:
            if not cls.refusing:
                cls.refusing = True
                logger.warning("Refusing new connections: %d open, the --max-connections cap", len(self.connections))
            self._refused = True
            transport.write(_plain_response("503 Service Unavailable", "Too many open connections; try again"))
            transport.close()
            return
        cls.refusing = False
        super().connection_made(transport)
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._refused:
            return  # never counted, nothing set up
        self._header_timer = _cancel(self._header_timer)
        self._body_timer = _cancel(self._body_timer)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch()  # the next cycle may have started on bytes the client pipelined

    def _watch(self) -> None:
        """Arm or cancel the two deadlines for where the client's request now stands."""
        state = self.conn.their_state
        # Before the first request, or once bytes of the next one are in; idle in between is keep-alive's.
        reading_headers = state is h11.IDLE and (self._first_request or bool(self.conn.trailing_data[0]))
        if not reading_headers:
            self._header_timer = _cancel(self._header_timer)
        elif self._header_timer is None:
            self._header_timer = self.loop.call_later(self.limits.header_timeout, self._headers_late)
        if state is not h11.SEND_BODY:
            self._body_timer = _cancel(self._body_timer)
        elif self._body_timer is None:
            self._body_timer = self.loop.call_later(self.limits.body_timeout, self._body_late)

    @property
    def _first_request(self) -> bool:
        """No request has begun on this connection (uvicorn's `cycle` is None until one does)."""
        return cast("RequestResponseCycle | None", self.cycle) is None

    def _headers_late(self) -> None:
        self._header_timer = None
        self._time_out(f"the request's headers did not arrive within {self.limits.header_timeout:g} s")

    def _body_late(self) -> None:
        self._body_timer = None
        self._time_out(f"the request's body did not arrive within {self.limits.body_timeout:g} s")

    def _time_out(self, reason: str) -> None:
        if self.transport.is_closing():
            return
        logger.debug("Closing a connection from %s: %s", self.client, reason)
        cycle = None if self._first_request else self.cycle
        if cycle is None or cycle.response_complete or not cycle.response_started:
            self.transport.write(_plain_response("408 Request Timeout", f"Request timeout: {reason}"))
        self.transport.close()  # connection_lost tells the app, if it waits for the body, that the client left


def _cancel(timer: asyncio.TimerHandle | None) -> None:
    if timer is not None:
        timer.cancel()


def _guarded_protocol(limits: _HttpLimits) -> type[_GuardedH11Protocol]:
    """The protocol class for one server: its own limits, and its own refusing state."""

    class GuardedH11Protocol(_GuardedH11Protocol):
        pass

    GuardedH11Protocol.limits = limits
    return GuardedH11Protocol


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
    app: Starlette,
    ops: Operations,
    *,
    host: str,
    port: int,
    log_level: str,
    log_format: LogFormat,
    grace: float,
    header_timeout: float,
    body_timeout: float,
    keep_alive_timeout: float,
    max_connections: int,
) -> None:
    """Serve `app` until SIGTERM or SIGINT, then drain for up to `grace` seconds and return.

    Each connection is held to the limits the `runno-mcp serve` flags of the same names set.
    """
    limits = _HttpLimits(header_timeout, body_timeout, keep_alive_timeout, max_connections)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        http=_guarded_protocol(limits),
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
