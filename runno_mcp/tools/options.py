"""What the operator of the MCP server sets: the limits every call is held to, and how it listens.

Owns `ServerOptions` (the tools' `ToolPolicy` plus request size, sessions and per-client limits) and
`Serving` (transport, address, logs, shutdown). Each field's docstring is its `runno-mcp serve` flag's
help, and each flag has an environment twin (see `cli.py`). Kept apart from `tools/mcp.py` so that
the command line can be parsed without importing the MCP SDK.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from runno_mcp.sandbox import DEFAULT_MAX_QUEUE, SandboxKwargs
from runno_mcp.sessions import SessionLimits
from runno_mcp.tools._policy import ToolPolicy

__all__ = ["LogFormat", "LogLevel", "ServerOptions", "Serving", "Transport"]

Transport = Literal["stdio", "streamable-http", "sse"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LogFormat = Literal["text", "json"]


class ServerOptions(ToolPolicy):
    """Limits the server's operator sets; every tool call is held to them."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    max_request_bytes: int = Field(default=4 * 1024 * 1024, gt=0)  # the SDK's HTTP body limit
    """Bytes of code, stdin and decoded file content one call may send."""
    max_concurrency_per_client: int = Field(default=0, ge=0)
    """Runs one client may have in flight; its further runs wait, so other clients' runs go first (0: no limit)."""
    max_queue: int = Field(default=DEFAULT_MAX_QUEUE, ge=0)
    """Runs that may wait for a slot, all clients together, and for one client behind its
    --max-concurrency-per-client; a call past either is refused as busy at once, never queued."""
    max_sessions: int = Field(default=SessionLimits().max_sessions, ge=1)
    """Sessions open at once, all clients together; creating more is refused."""
    session_ttl: float = Field(default=SessionLimits().session_ttl, gt=0, allow_inf_nan=False)
    """Seconds a session may sit unused before it expires with its files."""
    max_session_bytes: int = Field(default=SessionLimits().max_session_bytes, ge=0)
    """Bytes of files one session may hold."""
    max_live_sessions: int = Field(default=SessionLimits().max_live_sessions, ge=0)
    """Live sessions open at once; each keeps a Python interpreter in memory."""
    max_live_memory_mb: int = Field(default=SessionLimits().max_live_memory_mb, ge=1)
    """MiB the live sessions may hold together (each an engine process); past it the least recently used
    idle one is stopped (its session keeps its files, and its next call says so)."""
    file_timestamps: bool = False
    """Give each file a run returns its access, modification and change times in structuredContent (off by
    default: a model rarely needs them and pays for them in tokens on every call)."""

    def sandbox_options(self) -> SandboxKwargs:
        """The sandbox's arguments: the tool policy's, and how many calls may wait."""
        return {**super().sandbox_options(), "max_queue": self.max_queue}

    def session_limits(self) -> SessionLimits:
        """The sandbox's session limits these options set."""
        return SessionLimits(
            max_sessions=self.max_sessions,
            session_ttl=self.session_ttl,
            max_session_bytes=self.max_session_bytes,
            max_live_sessions=self.max_live_sessions,
            max_live_memory_mb=self.max_live_memory_mb,
        )


class Serving(BaseModel):
    """How the serve command listens, logs and stops; the limits are `ServerOptions`."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    transport: Transport = "stdio"
    """How clients connect."""
    host: str = "127.0.0.1"
    """Address to listen on for HTTP transports."""
    port: int = Field(default=8000, ge=0, le=65535)
    """Port to listen on for HTTP; streamable HTTP serves at /mcp, SSE at /sse."""
    stateless_http: bool = False
    """Streamable HTTP without MCP sessions, so any replica can take any call."""
    shutdown_grace: float = Field(default=30.0, ge=0, allow_inf_nan=False)
    """HTTP: seconds calls in progress may take to finish after SIGTERM; then they are stopped."""
    header_timeout: float = Field(default=10.0, gt=0, allow_inf_nan=False)
    """HTTP: seconds a client has to send a request's headers, from connecting or the request's first byte."""
    body_timeout: float = Field(default=60.0, gt=0, allow_inf_nan=False)
    """HTTP: seconds a client has to send a request's whole body once its headers are in."""
    keep_alive_timeout: float = Field(default=5.0, gt=0, allow_inf_nan=False)
    """HTTP: seconds an idle kept-alive connection stays open after a response."""
    max_connections: int = Field(default=1000, ge=1)
    """HTTP: connections open at once, idle and slow ones included; a new one past it gets 503 at once."""
    log_level: LogLevel = "INFO"
    """What the server logs to stderr."""
    log_format: LogFormat = "text"
    """Log lines as plain text or one JSON object each."""
