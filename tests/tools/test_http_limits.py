"""Slow HTTP clients: deadlines for a request's headers and body, idle keep-alive, and the connection cap.

Every test runs the real `python -m runno_mcp` over streamable HTTP and plays the slow client over a
real socket: headers or a body a byte at a time, a connection left idle, hundreds held open.
"""

from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from itertools import chain, repeat

import anyio
import h11
import httpx2
import pytest
from anyio.abc import SocketStream
from mcp import Client

from tests.tools.conftest import RunningServer, http_server_process

DEADLINE_WAIT = 30.0  # seconds: a generous bound for a deadline of a few seconds on a busy machine
CALL_TIMEOUT = 30.0  # seconds for a prompt client's request
TRICKLE_PACE = 0.2  # seconds between the bytes of a slow client: the slowness under test, not a wait
SHORT_DEADLINES = ["--header-timeout", "1", "--body-timeout", "1", "--keep-alive-timeout", "1"]


@pytest.fixture(scope="module")
async def strict(server_env: dict[str, str]) -> AsyncIterator[RunningServer]:
    """One server whose header, body and keep-alive deadlines are all 1 s."""
    async with http_server_process("streamable-http", "/mcp", server_env, SHORT_DEADLINES) as running:
        yield running


async def connect(server: RunningServer) -> SocketStream:
    return await anyio.connect_tcp("127.0.0.1", int(server.base.rsplit(":", 1)[1]))


def endless(prefix: bytes) -> Iterator[bytes]:
    """`prefix`, then `x` for ever, a byte at a time."""
    return chain((prefix[i : i + 1] for i in range(len(prefix))), repeat(b"x"))


async def trickle(stream: SocketStream, data: Iterator[bytes]) -> None:
    """Send `data` a byte at a time, TRICKLE_PACE apart, until the server closes the connection."""
    try:
        for byte in data:
            await stream.send(byte)
            await anyio.sleep(TRICKLE_PACE)
    except (anyio.BrokenResourceError, anyio.ClosedResourceError):
        return


async def read_until_closed(stream: SocketStream) -> bytes:
    """Everything the server sends until it closes the connection (a reset counts as closed)."""
    received = b""
    try:
        while True:
            received += await stream.receive()
    except (anyio.EndOfStream, anyio.BrokenResourceError):
        return received


async def closed_with(stream: SocketStream, data: Iterator[bytes] | None = None) -> bytes:
    """Trickle `data` (if any) while waiting for the server to close; what it sent before closing."""
    answer: bytes | None = None
    with anyio.fail_after(DEADLINE_WAIT):
        async with anyio.create_task_group() as tg:
            if data is not None:
                tg.start_soon(trickle, stream, data)
            answer = await read_until_closed(stream)
            tg.cancel_scope.cancel()
    assert answer is not None
    return answer


async def request_on(stream: SocketStream, path: str) -> int:
    """One GET on an open connection, kept alive; its status once the whole response is in."""
    conn = h11.Connection(h11.CLIENT)
    request = h11.Request(method="GET", target=path, headers=[("host", "127.0.0.1")])
    await stream.send(conn.send(request) + conn.send(h11.EndOfMessage()))
    status = 0
    with anyio.fail_after(CALL_TIMEOUT):
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                conn.receive_data(await stream.receive())
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.EndOfMessage):
                return status


async def get(server: RunningServer, path: str) -> httpx2.Response:
    http = httpx2.AsyncClient(timeout=CALL_TIMEOUT)
    with anyio.fail_after(CALL_TIMEOUT):
        async with http:
            return await http.get(server.base + path)


async def test_headers_sent_a_byte_at_a_time_are_cut_off_with_408_at_the_header_deadline(strict: RunningServer) -> None:
    """A client trickling endless headers keeps sending, yet gets 408 and a closed connection once
    --header-timeout has passed: the deadline is not pushed back by each byte."""
    async with await connect(strict) as stream:
        answer = await closed_with(stream, endless(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "))
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    assert answer.endswith(b"the request's headers did not arrive within 1 s")


async def test_a_body_sent_a_byte_at_a_time_is_cut_off_with_408_at_the_body_deadline(strict: RunningServer) -> None:
    """An MCP POST whose headers arrive at once but whose body trickles gets 408 and a closed connection
    once --body-timeout has passed."""
    head = (
        b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json, text/event-stream\r\n"
        b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
    )
    async with await connect(strict) as stream:
        await stream.send(head)
        answer = await closed_with(stream, endless(b'{"jsonrpc": "2.0", "id": 1, "method": "ping", "params": "'))
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    assert answer.endswith(b"the request's body did not arrive within 1 s")


async def test_an_idle_kept_alive_connection_is_closed_after_the_keep_alive_timeout(strict: RunningServer) -> None:
    """Prompt requests are served one after another on one connection under 1 s deadlines; once it
    sits idle, the server closes it after --keep-alive-timeout, sending nothing."""
    async with await connect(strict) as stream:
        assert [await request_on(stream, "/healthz") for _ in range(2)] == [200, 200]
        assert await closed_with(stream) == b""


async def test_connections_past_the_cap_get_503_at_once_and_are_served_once_slow_ones_are_shed(
    server_env: dict[str, str],
) -> None:
    """With --max-connections 20 held by clients that never finish their headers, a new connection is
    answered 503 and closed without waiting for any deadline; once the slow ones are cut off at
    --header-timeout, a normal request is served."""
    flags = ["--max-connections", "20", "--header-timeout", "8"]
    async with http_server_process("streamable-http", "/mcp", server_env, flags) as running:
        async with AsyncExitStack() as stack:
            slow = [await stack.enter_async_context(await connect(running)) for _ in range(20)]
            for stream in slow:
                await stream.send(b"GET /healthz HTTP/1.1\r\n")
            # The server accepts in arrival order, so the 21st comes after all 20 are counted.
            async with await connect(running) as extra:
                refused = await closed_with(extra)
            assert refused.startswith(b"HTTP/1.1 503 "), refused
            for stream in slow:
                assert (await closed_with(stream)).startswith(b"HTTP/1.1 408 ")
        assert (await get(running, "/healthz")).status_code == 200


async def test_a_normal_client_is_served_while_two_hundred_slow_connections_are_open(
    server_env: dict[str, str],
) -> None:
    """Two hundred connections stuck mid-header, under the cap and within their deadline, do not hold
    up others: /healthz answers 200 and an MCP client lists the tools; then the two hundred finish
    their headers and each is answered too, so all were open throughout."""
    async with http_server_process("streamable-http", "/mcp", server_env, ["--header-timeout", "60"]) as running:
        async with AsyncExitStack() as stack:
            slow = [await stack.enter_async_context(await connect(running)) for _ in range(200)]
            for stream in slow:
                await stream.send(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            assert (await get(running, "/healthz")).status_code == 200
            with anyio.fail_after(CALL_TIMEOUT):
                async with Client(running.url, mode="legacy") as client:
                    assert (await client.list_tools()).tools
            for stream in slow:
                await stream.send(b"Connection: close\r\n\r\n")
            answers = [await closed_with(stream) for stream in slow]
        assert all(answer.startswith(b"HTTP/1.1 200 ") for answer in answers)
