"""Wire models and error codes: the Python mirror of engine-ts/src/protocol.ts.

Keys are snake_case, spelled as the TypeScript fields; bytes cross the pipe as base64.
tests/engine/test_protocol.py checks this file against protocol.ts.
"""

from enum import IntEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from runno_mcp.models import PrepareStep, ResultType, ReturnFs

PROTOCOL_VERSION = 1


class ErrorCode(IntEnum):
    """JSON-RPC error codes the engine answers with."""

    PARSE_ERROR = -32700
    INVALID_REQUEST = -32600
    METHOD_NOT_FOUND = -32601
    INVALID_PARAMS = -32602
    INTERNAL_ERROR = -32603
    FRAME_TOO_LARGE = -32001
    UNKNOWN_RUNTIME = -32002
    RUNTIME_NOT_INSTALLED = -32003
    SHUTTING_DOWN = -32004


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")


class WireFile(_Wire):
    """A file crossing the pipe; `content` is base64 of the exact bytes."""

    path: str
    content: str
    mtime_ns: str | None = None

    @model_serializer(mode="wrap")
    def _omit_unset_mtime(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("mtime_ns") is None:
            data.pop("mtime_ns", None)  # the engine takes a missing key, not null
        return data


class InitializeParams(_Wire):
    protocol_version: int = PROTOCOL_VERSION


class EngineRuntime(_Wire):
    """A runtime as the engine sees it after reading the manifest."""

    id: str
    installed: bool


class InitializeResult(_Wire):
    protocol_version: int
    engine_version: str
    deno_version: str
    runtimes: list[EngineRuntime]


class RunParams(_Wire):
    runtime: str
    entry: str
    files: list[WireFile]
    stdin: str | None
    args: list[str]
    env: dict[str, str]
    timeout_ms: int
    max_output_bytes: int
    memory_limit_mb: int
    return_fs: ReturnFs
    max_return_files: int
    max_return_bytes: int
    stream_output: bool
    live_session: str | None = None
    """Run in the engine's live interpreter with this id (python, python-sci), started on first use."""
    keep_program: str | None = None
    """For clang/clangpp: also save the linked program at this path (a stale one there is removed first)."""
    compiler_flags: list[str] = Field(default_factory=list[str])
    """For clang/clangpp: the caller's flags, checked by `RunOptions`; `-l` ones go to the link step."""


LiveState = Literal["started", "continued", "evicted"]
"""How a live run found its interpreter: a fresh one, one kept from earlier calls, or a fresh one because
the session's last was stopped to keep live interpreters within their memory budget (set by `EngineCells`,
never by the engine)."""


class RunResultWire(_Wire):
    """`run` result: one shape for every outcome."""

    result_type: ResultType
    exit_code: int | None = None
    failed_step: PrepareStep | None = None
    stdout: str = ""
    stderr: str = ""
    tty: str = ""
    files: list[WireFile] = Field(default_factory=list[WireFile])
    truncated: bool = False
    warnings: list[str] = Field(default_factory=list[str])
    omitted_files: int = 0
    omitted_bytes: int = 0
    duration_ms: float = 0.0
    error: str | None = None
    deleted: list[str] = Field(default_factory=list[str])
    """Regular files there when the program started and gone at its end, sorted."""
    live: LiveState | None = None
    live_memory_bytes: int | None = None
    """A live interpreter still running after the call: its linear memory's size (for the live budget)."""
    resumed: bool = False
    """Whether the program resumed its runtime's snapshot instead of booting (docs/engine.md)."""
    stopped: bool = False
    """For a timeout or cancel: whether the program is known to have stopped (engine-ts/src/wasm_interrupt.ts);
    when not, it may hold a thread busy and the engine process is replaced."""


class CancelParams(_Wire):
    id: int


class CancelResult(_Wire):
    """Sent once the cancelled run has ended."""

    cancelled: bool
    stopped: bool = False
    """The run's program is known to have stopped (see `RunResultWire.stopped`)."""


class CloseLiveParams(_Wire):
    session: str


class CloseLiveResult(_Wire):
    closed: bool


class PrepareParams(_Wire):
    runtime: str


class PrepareResult(_Wire):
    snapshot: bool
    """Whether the runtime's runs resume a snapshot in that engine process."""


class PingResult(_Wire):
    """`ping` result: empty; the watchdog sends `ping` to check the engine still answers."""


class OutputParams(_Wire):
    run_id: int
    stream: Literal["stdout", "stderr"]
    chunk: str


class JsonRpcError(_Wire):
    code: int
    message: str
    data: Any = None
