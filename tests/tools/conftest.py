"""Fixtures for the tool layers: a real `runno-mcp` server as a subprocess, over stdio and streamable HTTP.

Each server is the real `python -m runno_mcp` with the real engine behind it; tests talk to it with
the `mcp` SDK's own `Client`, as any MCP host would.
"""

import os
import socket
import sys
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio
import pytest
from anyio.abc import Process
from anyio.streams.text import TextReceiveStream
from mcp import Client, StdioServerParameters

STARTUP_TIMEOUT = 60.0  # seconds: a cold deno plus the first compile of each language module
SERVER_FLAGS = ["--max-timeout", "120", "--max-concurrency", "4", "--max-request-bytes", "200000"]


@pytest.fixture(scope="session")
def server_env() -> dict[str, str]:
    """runno's own variables (RUNNO_MCP_LANGS_DIR, RUNNO_MCP_OFFLINE); the SDK adds PATH, HOME and the like."""
    return {name: value for name, value in os.environ.items() if name.startswith("RUNNO_MCP_")}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
async def stdio_client(server_env: dict[str, str]) -> AsyncIterator[Client]:
    """A client connected over stdio to one server process, shared by a test module."""
    params = StdioServerParameters(command=sys.executable, args=["-m", "runno_mcp", *SERVER_FLAGS], env=server_env)
    async with Client(params) as client:
        yield client


async def wait_until_listening(process: Process, ready: anyio.Event, log: list[str]) -> None:
    """Drain the server's stderr into `log`, setting `ready` once uvicorn says it is serving."""
    assert process.stderr is not None
    async for line in TextReceiveStream(process.stderr):
        log.append(line)
        if "Uvicorn running on" in "".join(log[-2:]):
            ready.set()


@dataclass
class RunningServer:
    """A `python -m runno_mcp` HTTP server process: its endpoint, its process, and its stderr so far."""

    url: str
    base: str
    process: Process
    log: list[str]


@asynccontextmanager
async def http_server_process(
    transport: str, path: str, env: dict[str, str], flags: Sequence[str] = ()
) -> AsyncGenerator[RunningServer, None]:
    """Run `python -m runno_mcp` on a free loopback port with SERVER_FLAGS and `flags`; stop it after.

    The server is stopped with SIGTERM (a graceful stop) unless the test already ended it.
    """
    port = free_port()
    argv = [sys.executable, "-m", "runno_mcp", "--transport", transport, "--port", str(port), *SERVER_FLAGS, *flags]
    log: list[str] = []
    async with await anyio.open_process(argv, env={**os.environ, **env}, stdout=None) as process:
        async with anyio.create_task_group() as tg:
            ready = anyio.Event()
            tg.start_soon(wait_until_listening, process, ready, log)
            try:
                with anyio.fail_after(STARTUP_TIMEOUT):
                    await ready.wait()
            except TimeoutError:
                raise RuntimeError("the server did not start listening:\n" + "".join(log)) from None
            base = f"http://127.0.0.1:{port}"
            try:
                yield RunningServer(f"{base}{path}", base, process, log)
            finally:  # also when the test failed: a server left running would hold this up for good
                if process.returncode is None:
                    process.terminate()
                with anyio.fail_after(10):
                    await process.wait()


@asynccontextmanager
async def http_server(transport: str, path: str, env: dict[str, str]) -> AsyncGenerator[str, None]:
    """Run `python -m runno_mcp` on a free loopback port; yield its endpoint's URL."""
    async with http_server_process(transport, path, env) as server:
        yield server.url


@pytest.fixture(scope="module")
async def http_url(server_env: dict[str, str]) -> AsyncIterator[str]:
    """The streamable HTTP endpoint (/mcp) of one server process on a free loopback port."""
    async with http_server("streamable-http", "/mcp", server_env) as url:
        yield url


@pytest.fixture(scope="module")
async def sse_url(server_env: dict[str, str]) -> AsyncIterator[str]:
    """The SSE endpoint (/sse) of one server process on a free loopback port."""
    async with http_server("sse", "/sse", server_env) as url:
        yield url
