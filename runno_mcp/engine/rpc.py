"""JSON-RPC 2.0 over the engine's pipes.

Owns request-id correlation (the pending table), writing whole frames one at a time, the
receive loop, dispatching `output` notifications, and failing every pending call at once
when the engine's output ends or breaks the protocol.
"""

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio
from anyio.abc import ByteReceiveStream, ByteSendStream
from anyio.streams.buffered import BufferedByteReceiveStream
from anyio.streams.memory import MemoryObjectSendStream
from pydantic import ValidationError

from runno_mcp.engine._framing import encode_frame, read_frame
from runno_mcp.engine._protocol import JsonRpcError
from runno_mcp.errors import EngineError, ProtocolError

logger = logging.getLogger("runno_mcp.engine")

NotificationHandler = Callable[[str, dict[str, Any]], None]


class ConnectionLostError(EngineError):
    """The engine's pipes closed or broke while a call was waiting on them."""


class RpcError(EngineError):
    """A JSON-RPC error answer, carried as `error`; engine.py maps its code to a `RunnoError`."""

    def __init__(self, error: JsonRpcError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass(frozen=True)
class _Reply:
    result: Any
    error: JsonRpcError | None


class RpcClient:
    """Calls methods on the engine; `run()` must be running in a task for replies to arrive."""

    def __init__(
        self, send_stream: ByteSendStream, receive_stream: ByteReceiveStream, on_notification: NotificationHandler
    ) -> None:
        self._send_stream = send_stream
        self._receive_stream = BufferedByteReceiveStream(receive_stream)
        self._on_notification = on_notification
        self._pending: dict[int, MemoryObjectSendStream[_Reply]] = {}
        self._ids = itertools.count(1)
        self._write_lock = anyio.Lock()
        self._closed_reason: str | None = None

    @property
    def closed(self) -> bool:
        return self._closed_reason is not None

    def new_id(self) -> int:
        """Return a request id never used before on this connection."""
        return next(self._ids)

    async def request(self, method: str, params: dict[str, Any], *, request_id: int | None = None) -> Any:
        """Send a request and wait for its answer.

        Raises:
            RpcError: the engine answered with an error.
            ConnectionLostError: the engine's pipes closed before the answer came.
        """
        if self._closed_reason is not None:
            raise ConnectionLostError(self._closed_reason)
        request_id = self.new_id() if request_id is None else request_id
        send, receive = anyio.create_memory_object_stream[_Reply](1)
        self._pending[request_id] = send
        try:
            await self._write({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
            try:
                reply = await receive.receive()
            except anyio.EndOfStream:
                raise ConnectionLostError(self._closed_reason or "the engine stopped") from None
        finally:
            self._pending.pop(request_id, None)  # a late reply is dropped, never leaked
            send.close()
            receive.close()
        if reply.error is not None:
            raise RpcError(reply.error)
        return reply.result

    async def notify(self, method: str, params: dict[str, Any]) -> None:
        """Send a notification (no answer expected)."""
        await self._write({"jsonrpc": "2.0", "method": method, "params": params})

    async def _write(self, message: dict[str, Any]) -> None:
        frame = encode_frame(message)
        async with self._write_lock:
            if self._closed_reason is not None:
                raise ConnectionLostError(self._closed_reason)
            try:
                await self._send_stream.send(frame)
            except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError) as exc:
                raise ConnectionLostError(f"Cannot write to the engine: {exc!r}") from exc

    async def run(self) -> str:
        """Read and dispatch frames until the engine's output ends; return why it ended.

        Every pending call then fails with `ConnectionLostError`. Never raises for what the
        engine sends or how its pipe breaks; the caller decides what to do with the reason.
        """
        reason = "the engine closed its output"
        try:
            while (message := await read_frame(self._receive_stream)) is not None:
                self._dispatch(message)
        except ProtocolError as exc:
            reason = str(exc)
        except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError) as exc:
            reason = f"the engine's output broke: {exc!r}"
        finally:
            self._fan_out_closed(reason)
        return reason

    def _fan_out_closed(self, reason: str) -> None:
        if self._closed_reason is None:
            self._closed_reason = reason
        for send in list(self._pending.values()):
            send.close()  # the waiting receive() raises EndOfStream
        self._pending.clear()

    def _dispatch(self, message: dict[str, Any]) -> None:
        request_id = message.get("id")
        if "method" in message and request_id is None:
            params = message.get("params")
            try:
                self._on_notification(str(message["method"]), params if isinstance(params, dict) else {})  # pyright: ignore[reportUnknownArgumentType]
            except Exception:
                logger.exception("Notification handler failed on %r", message.get("method"))
            return
        error = message.get("error")
        try:
            reply = _Reply(message.get("result"), None if error is None else JsonRpcError.model_validate(error))
        except ValidationError as exc:
            raise ProtocolError(f"Cannot read the engine's answer to request {request_id!r}: {exc}") from exc
        send = self._pending.get(request_id) if isinstance(request_id, int) else None
        if send is None:
            if reply.error is not None:
                logger.warning("The engine reported an error for request %r: %s", request_id, reply.error.message)
            return
        try:
            send.send_nowait(reply)
        except (anyio.WouldBlock, anyio.BrokenResourceError, anyio.ClosedResourceError):
            logger.debug("Dropped a duplicate or late reply to request %r", request_id)
