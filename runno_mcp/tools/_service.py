"""The MCP server's sandbox, started in the background so the server answers a client at once.

Owns the sandbox's lifetime inside a server: start it without holding up `initialize`, let calls
wait for it, and turn a failed start into an error each call reports until one succeeds.
"""

import logging

import anyio

from runno_mcp.errors import RunnoError
from runno_mcp.sandbox import AsyncSandbox, SandboxKwargs
from runno_mcp.sessions import SessionLimits

__all__ = ["SandboxService"]

logger = logging.getLogger("runno_mcp.tools.mcp")


class SandboxService:
    """The server's one sandbox, started in the background so the server answers a client at once.

    A call waits until the engine is up. If it cannot start (language files missing offline, no
    deno), the call fails with the reason as an `isError` result, and the next call tries again.
    """

    def __init__(
        self,
        sandbox_options: SandboxKwargs,
        session_limits: SessionLimits | None = None,
        sandbox: AsyncSandbox | None = None,
    ) -> None:
        self._sandbox_options = sandbox_options
        self._session_limits = session_limits or SessionLimits()
        self._sandbox = sandbox
        self._ready = anyio.Event()
        self._error: RunnoError | None = None
        self._retry: anyio.Event | None = None
        if sandbox is not None:
            self._ready.set()

    async def serve(self) -> None:
        """Keep a sandbox running until cancelled; after a failed start, wait for a call to retry."""
        while True:
            error = await self._serve_once()
            logger.error("Cannot start the sandbox: %s", error)
            self._error, self._retry = error, anyio.Event()
            self._ready.set()
            await self._retry.wait()

    async def _serve_once(self) -> RunnoError:
        try:
            # The session limits' fields are the sandbox's session arguments.
            async with AsyncSandbox(**self._sandbox_options, **self._session_limits.model_dump()) as sb:
                self._sandbox = sb
                self._ready.set()
                await anyio.sleep_forever()
        except RunnoError as exc:
            return exc
        raise AssertionError("unreachable: sleep_forever returned")

    def status(self) -> AsyncSandbox | RunnoError | None:
        """The running sandbox, the error its last start ended with, or None while it starts; never waits."""
        if not self._ready.is_set():
            return None
        return self._sandbox if self._sandbox is not None else self._error

    async def get(self) -> AsyncSandbox:
        """The running sandbox, once it is up.

        Raises:
            RunnoError: the sandbox could not start (`LanguageNotInstalledError`, `EngineError`); the
                message says why and what to do.
        """
        if self._retry is not None:
            self._retry.set()
            self._ready, self._error, self._retry = anyio.Event(), None, None
        await self._ready.wait()
        if self._sandbox is None:
            assert self._error is not None
            raise self._error
        return self._sandbox
