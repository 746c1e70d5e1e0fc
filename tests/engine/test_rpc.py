"""RpcClient against a peer on the far end of a real socket pair, played with our framing:
replies matched by id, error answers, notifications, the peer's EOF, late replies and
frames that break the protocol."""

import socket
import struct
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import anyio
import pytest
from anyio.abc import SocketStream
from anyio.streams.buffered import BufferedByteReceiveStream
from anyio.streams.memory import MemoryObjectReceiveStream

from runno_mcp.engine._framing import encode_frame, read_frame
from runno_mcp.engine.rpc import ConnectionLostError, RpcClient, RpcError
from runno_mcp.errors import EngineError

WAIT = 10.0  # seconds: a backstop for every test; nothing here should take more than milliseconds


class Peer:
    """The engine's end of the pipe: reads the client's frames and writes its own."""

    def __init__(self, stream: SocketStream) -> None:
        self.stream = stream
        self._reader = BufferedByteReceiveStream(stream)

    async def receive(self) -> dict[str, Any]:
        message = await read_frame(self._reader)
        assert message is not None, "the client closed its end"
        return message

    async def reply(self, request: dict[str, Any], result: Any) -> None:
        await self.send_raw(encode_frame({"jsonrpc": "2.0", "id": request["id"], "result": result}))

    async def send_raw(self, data: bytes) -> None:
        await self.stream.send(data)


@dataclass
class Link:
    client: RpcClient
    peer: Peer
    notifications: MemoryObjectReceiveStream[tuple[str, dict[str, Any]]]
    ended: anyio.Event = field(default_factory=anyio.Event)
    reason: str | None = None
    """What `RpcClient.run()` returned once the peer's output ended."""


@asynccontextmanager
async def linked() -> AsyncGenerator[Link, None]:
    """A client with `run()` pumping in a task, wired to a peer; the peer hangs up on exit."""
    client_socket, peer_socket = socket.socketpair()
    client_stream = await SocketStream.from_socket(client_socket)
    peer_stream = await SocketStream.from_socket(peer_socket)
    send, receive = anyio.create_memory_object_stream[tuple[str, dict[str, Any]]](16)
    client = RpcClient(client_stream, client_stream, lambda method, params: send.send_nowait((method, params)))
    link = Link(client, Peer(peer_stream), receive)

    async def pump() -> None:
        link.reason = await client.run()
        link.ended.set()

    with send, receive:
        try:
            async with anyio.create_task_group() as task_group:
                task_group.start_soon(pump)
                try:
                    yield link
                finally:
                    await peer_stream.aclose()  # EOF for the client: run() returns, the task group ends
        finally:
            await client_stream.aclose()


async def test_replies_are_matched_to_requests_by_id_whatever_their_order() -> None:
    """Two requests answered in reverse order each get their own result."""
    results: dict[str, Any] = {}
    with anyio.fail_after(WAIT):
        async with linked() as link:

            async def call(name: str) -> None:
                results[name] = await link.client.request("echo", {"name": name})

            async with anyio.create_task_group() as task_group:
                task_group.start_soon(call, "first")
                first = await link.peer.receive()
                task_group.start_soon(call, "second")
                second = await link.peer.receive()
                assert first["id"] != second["id"]
                await link.peer.reply(second, {"answer": second["params"]["name"]})
                await link.peer.reply(first, {"answer": first["params"]["name"]})
    assert results == {"first": {"answer": "first"}, "second": {"answer": "second"}}


async def test_an_error_answer_raises_rpc_error_with_its_code() -> None:
    """A JSON-RPC error answer is an RpcError carrying the code and message, caught as an EngineError."""
    with anyio.fail_after(WAIT):
        async with linked() as link, anyio.create_task_group() as task_group:

            async def answer_with_an_error() -> None:
                request = await link.peer.receive()
                error = {"code": -32602, "message": 'Cannot run "x": bad params'}
                await link.peer.send_raw(encode_frame({"jsonrpc": "2.0", "id": request["id"], "error": error}))

            task_group.start_soon(answer_with_an_error)
            with pytest.raises(EngineError) as caught:
                await link.client.request("run", {})
            assert isinstance(caught.value, RpcError)
            assert (caught.value.error.code, str(caught.value)) == (-32602, 'Cannot run "x": bad params')


async def test_a_notification_reaches_the_handler() -> None:
    """A frame with a method and no id is handed to the handler with its params."""
    with anyio.fail_after(WAIT):
        async with linked() as link:
            params = {"run_id": 1, "stream": "stdout", "chunk": "aGk="}
            await link.peer.send_raw(encode_frame({"jsonrpc": "2.0", "method": "output", "params": params}))
            assert await link.notifications.receive() == ("output", params)


async def test_eof_from_the_peer_fails_every_pending_request_then_every_later_one() -> None:
    """When the peer hangs up, both waiting calls fail with ConnectionLostError, and so does the next."""
    failures: list[ConnectionLostError] = []
    with anyio.fail_after(WAIT):
        async with linked() as link:

            async def call() -> None:
                with pytest.raises(ConnectionLostError) as caught:
                    await link.client.request("run", {})
                failures.append(caught.value)

            async with anyio.create_task_group() as task_group:
                task_group.start_soon(call)
                task_group.start_soon(call)
                await link.peer.receive()
                await link.peer.receive()
                await link.peer.stream.aclose()
            await link.ended.wait()
            with pytest.raises(ConnectionLostError) as later:
                await link.client.request("ping", {})
            assert link.reason == "the engine closed its output"
            assert [str(failure) for failure in failures] == [link.reason, link.reason]
            assert str(later.value) == link.reason  # refused before a write is tried
            assert link.client.closed


async def test_a_late_reply_to_a_forgotten_request_is_dropped() -> None:
    """The answer to a cancelled call is dropped, and the next call still gets its own answer."""
    with anyio.fail_after(WAIT):
        async with linked() as link, anyio.create_task_group() as task_group:
            forgotten = anyio.CancelScope()
            gone = anyio.Event()

            async def forget() -> None:
                with forgotten:
                    await link.client.request("run", {})
                gone.set()

            async def answer() -> None:
                await link.peer.reply(await link.peer.receive(), {"fresh": True})

            task_group.start_soon(forget)
            late = await link.peer.receive()
            forgotten.cancel()
            await gone.wait()  # the call has left the pending table
            await link.peer.reply(late, {"late": True})
            task_group.start_soon(answer)
            assert await link.client.request("ping", {}) == {"fresh": True}
            assert not link.client.closed


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        pytest.param(b"\xff\xff\xff\xff", "exceeds the limit of", id="garbage-length"),
        pytest.param(struct.pack(">I", 9) + b"{not json", "the body is not UTF-8 JSON", id="not-json"),
        pytest.param(
            encode_frame({"jsonrpc": "2.0", "id": 1, "error": {"code": "bad"}}),
            "Cannot read the engine's answer to request 1",
            id="malformed-error",
        ),
    ],
)
async def test_a_frame_that_breaks_the_protocol_closes_the_client_with_a_reason(frame: bytes, reason: str) -> None:
    """A broken frame ends the receive loop, failing the waiting call with the reason it ended."""
    with anyio.fail_after(WAIT):
        async with linked() as link, anyio.create_task_group() as task_group:

            async def break_the_protocol() -> None:
                await link.peer.receive()
                await link.peer.send_raw(frame)

            task_group.start_soon(break_the_protocol)
            with pytest.raises(ConnectionLostError, match=reason):
                await link.client.request("run", {})
            await link.ended.wait()
            assert link.reason is not None and reason in link.reason
            assert link.client.closed
