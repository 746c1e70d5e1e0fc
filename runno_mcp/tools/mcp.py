"""The MCP server: `run_code`, `run_fs`, `list_runtimes` and the session tools over stdio, streamable HTTP and SSE.

Owns the tool signatures an MCP client sees, the operator's limits (flags and their environment
twins), progress ticks for long runs, the mapping of caller mistakes to `isError` results, and the
`runno-mcp` serve command. Every run goes through one shared `AsyncSandbox`; this module never talks
to the engine itself.
"""

import argparse
import base64
import codecs
import importlib.metadata
import inspect
import logging
import os
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, ContentBlock, ImageContent, TextContent, ToolAnnotations
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from starlette.applications import Starlette

from runno_mcp import models
from runno_mcp.engine.engine import OutputCallback
from runno_mcp.errors import RunnoError
from runno_mcp.models import DEFAULT_MEMORY_LIMIT_MB, RunResult, RuntimeInfo
from runno_mcp.sandbox import AsyncSandbox
from runno_mcp.sessions import AsyncSession, SessionLimits
from runno_mcp.tools import _descriptions
from runno_mcp.tools._http import serve_http
from runno_mcp.tools._images import ImageLimits, attach_images, format_limit
from runno_mcp.tools._inputs import AnyLanguage, CodeLanguage, FileInput, decode_files, payload_bytes
from runno_mcp.tools._ops import LogFormat, Operations, configure_logging
from runno_mcp.tools._service import SandboxService
from runno_mcp.tools.mcp_sessions import add_session_tools, find_session

__all__ = ["Limits", "RuntimeCatalog", "ServerOptions", "create_server", "main"]

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 1.0  # seconds between progress notifications while a run is in flight
PROGRESS_MIN_GAP = 0.25  # seconds: output sends a notification early, but at most this often
PROGRESS_OUTPUT_CHARS = 2000  # the tail of the output each progress notification carries

Transport = Literal["stdio", "streamable-http", "sse"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class ServerOptions(BaseModel):
    """Limits the server's operator sets; every tool call is held to them.

    Attributes:
        default_timeout: Seconds a run may take when the call does not say.
        max_timeout: The most seconds a call may ask for; a call asking for more is refused.
        max_output_bytes: Bytes kept of each of stdout, stderr and tty; the rest is cut and the result says so.
        max_request_bytes: Bytes of code, stdin and decoded file content one call may send.
        max_concurrency: Runs in flight at once; further calls wait for a free slot.
        max_sessions: Sessions open at once, all clients together; creating more is refused.
        session_ttl: Seconds a session may sit unused before it expires with its files.
        max_session_bytes: Bytes of files one session may hold.
        max_live_sessions: Live sessions open at once; each keeps a Python interpreter in memory.
        max_concurrency_per_client: Runs one client may have in flight (0: no limit); its further runs
            wait, so other clients' runs go first.
        max_images: Image files a run wrote that go back as image content, per call (0: none).
        max_image_bytes: Bytes of one image file sent back as image content; a larger one is only in `fs`.
        max_total_image_bytes: Bytes of all the image content of one call.
        allow_packages: Whether Python runs may add pure-Python packages from PyPI (`packages`), resolved
            with pip on this host; without it the tools have no `packages` argument.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    default_timeout: float = Field(default=models.DEFAULT_TIMEOUT, gt=0, allow_inf_nan=False)
    max_timeout: float = Field(default=60.0, gt=0, allow_inf_nan=False)
    max_output_bytes: int = Field(default=16 * 1024, ge=0)  # ~4k tokens per stream: fits a model's context
    max_request_bytes: int = Field(default=4 * 1024 * 1024, gt=0)  # the SDK's HTTP body limit
    max_concurrency: int = Field(default=4, ge=1)
    max_sessions: int = Field(default=SessionLimits().max_sessions, ge=1)
    session_ttl: float = Field(default=SessionLimits().session_ttl, gt=0, allow_inf_nan=False)
    max_session_bytes: int = Field(default=SessionLimits().max_session_bytes, ge=0)
    max_live_sessions: int = Field(default=SessionLimits().max_live_sessions, ge=0)
    max_concurrency_per_client: int = Field(default=0, ge=0)
    max_images: int = Field(default=ImageLimits().max_images, ge=0)
    max_image_bytes: int = Field(default=ImageLimits().max_image_bytes, ge=0)
    max_total_image_bytes: int = Field(default=ImageLimits().max_total_image_bytes, ge=0)

    def image_limits(self) -> ImageLimits:
        """How many image files, and bytes, a call's result carries as image content."""
        return ImageLimits(self.max_images, self.max_image_bytes, self.max_total_image_bytes)

    allow_packages: bool = False

    def session_limits(self) -> SessionLimits:
        """The sandbox's session limits these options set."""
        return SessionLimits(
            max_sessions=self.max_sessions,
            session_ttl=self.session_ttl,
            max_session_bytes=self.max_session_bytes,
            max_live_sessions=self.max_live_sessions,
        )

    @model_validator(mode="after")
    def _check_timeouts(self) -> "ServerOptions":
        if self.default_timeout > self.max_timeout:
            raise ValueError(
                f"default timeout {self.default_timeout:g} s exceeds the maximum timeout {self.max_timeout:g} s"
            )
        return self


class Limits(BaseModel):
    """The limits every run on this server is held to."""

    default_timeout_seconds: float
    max_timeout_seconds: float
    max_output_bytes: int
    """Per stream: stdout and stderr are each cut past this size."""
    max_request_bytes: int
    """Code, stdin and decoded file content of one call, together."""
    memory_limit_mb: int
    max_concurrency: int
    max_sessions: int
    session_idle_timeout_seconds: float
    max_session_bytes: int
    max_live_sessions: int
    max_images: int
    """Image files a run writes that come back as images, per call; others are only in `fs`."""
    max_image_bytes: int
    max_total_image_bytes: int


class RuntimeCatalog(BaseModel):
    """What `list_runtimes` returns: the runtimes available and the limits that apply to all of them."""

    runtimes: list[RuntimeInfo]
    limits: Limits


_ANNOTATIONS = ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False)


def create_server(
    options: ServerOptions, *, sandbox: AsyncSandbox | None = None, log_level: LogLevel = "INFO"
) -> MCPServer[Any]:
    """Build the MCP server and its tools.

    Args:
        options: The operator's limits.
        sandbox: A running sandbox to share; the caller keeps it open while the server runs. Without
            one, the server's lifespan starts a sandbox in the background (so the client is answered
            at once) and closes it when the server stops.
        log_level: What the server logs to stderr (the engine's own messages are INFO).
    """
    return _create_server(
        options,
        log_level,
        lambda: SandboxService(
            options.max_concurrency,
            options.max_timeout,
            options.session_limits(),
            sandbox,
            allow_packages=options.allow_packages,
        ),
        _operations(options),
        owned=sandbox is None,
    )


def _operations(options: ServerOptions) -> Operations:
    return Operations(max_concurrency_per_client=options.max_concurrency_per_client or None)


def _create_server(
    options: ServerOptions,
    log_level: LogLevel,
    make_service: Callable[[], SandboxService],
    ops: Operations,
    *,
    owned: bool,
) -> MCPServer[SandboxService]:
    @asynccontextmanager
    async def lifespan(server: MCPServer[SandboxService]) -> AsyncGenerator[SandboxService, None]:
        service = make_service()
        ops.service = service
        if not owned:
            yield service
            return
        async with anyio.create_task_group() as tg:
            tg.start_soon(service.serve)
            yield service
            tg.cancel_scope.cancel()

    mcp = MCPServer[SandboxService](
        "runno",
        title="Runno code sandbox",
        version=_version(),
        instructions=_descriptions.SERVER_INSTRUCTIONS,
        lifespan=lifespan,
        log_level=log_level,
    )
    limits = Limits(
        default_timeout_seconds=options.default_timeout,
        max_timeout_seconds=options.max_timeout,
        max_output_bytes=options.max_output_bytes,
        max_request_bytes=options.max_request_bytes,
        memory_limit_mb=DEFAULT_MEMORY_LIMIT_MB,
        max_concurrency=options.max_concurrency,
        max_sessions=options.max_sessions,
        session_idle_timeout_seconds=options.session_ttl,
        max_session_bytes=options.max_session_bytes,
        max_live_sessions=options.max_live_sessions,
        max_images=options.max_images,
        max_image_bytes=options.max_image_bytes,
        max_total_image_bytes=options.max_total_image_bytes,
    )
    timeout_field = Field(
        default=None,
        description=_descriptions.timeout_seconds(options.default_timeout, options.max_timeout),
        json_schema_extra={"exclusiveMinimum": 0, "maximum": options.max_timeout},
    )
    language_field = Field(description=_descriptions.LANGUAGE)
    session_field = Field(default=None, description=_descriptions.SESSION_ID)
    packages_field = Field(default=None, description=_descriptions.PACKAGES, max_length=32)

    @mcp.tool(title="Run code", description=_descriptions.RUN_CODE, annotations=_ANNOTATIONS)
    @_packages_argument(options.allow_packages)
    async def run_code(
        language: Annotated[CodeLanguage, language_field],
        code: Annotated[str, Field(description=_descriptions.CODE)],
        ctx: Context[SandboxService],
        stdin: Annotated[str | None, Field(description=_descriptions.STDIN)] = None,
        timeout_seconds: Annotated[float | None, timeout_field] = None,
        session_id: Annotated[str | None, session_field] = None,
        packages: Annotated[list[str] | None, packages_field] = None,
    ) -> Annotated[CallToolResult, RunResult]:
        _check_request_size(options, payload_bytes(code, stdin))
        timeout = options.default_timeout if timeout_seconds is None else timeout_seconds
        target = await _target(ctx, session_id)

        async def run(on_output: OutputCallback) -> RunResult:
            return await target.run_code(
                language,
                code,
                timeout=timeout,
                stdin=stdin,
                max_output_bytes=options.max_output_bytes,
                on_output=on_output,
                packages=packages,
            )

        return _to_tool_result(await _run_reporting_progress(ctx, language, timeout, run), options.image_limits())

    @mcp.tool(title="Run files", description=_descriptions.RUN_FS, annotations=_ANNOTATIONS)
    @_packages_argument(options.allow_packages)
    async def run_fs(
        language: Annotated[AnyLanguage, language_field],
        entry_path: Annotated[str, Field(description=_descriptions.ENTRY_PATH)],
        files: Annotated[list[FileInput], Field(description=_descriptions.FILES)],
        ctx: Context[SandboxService],
        stdin: Annotated[str | None, Field(description=_descriptions.STDIN)] = None,
        timeout_seconds: Annotated[float | None, timeout_field] = None,
        session_id: Annotated[str | None, session_field] = None,
        packages: Annotated[list[str] | None, packages_field] = None,
    ) -> Annotated[CallToolResult, RunResult]:
        with _caller_errors():
            fs = decode_files(files)
        _check_request_size(options, payload_bytes(stdin, *fs.values()))
        timeout = options.default_timeout if timeout_seconds is None else timeout_seconds
        target = await _target(ctx, session_id)

        async def run(on_output: OutputCallback) -> RunResult:
            return await target.run_fs(
                language,
                entry_path,
                fs,
                timeout=timeout,
                stdin=stdin,
                max_output_bytes=options.max_output_bytes,
                on_output=on_output,
                packages=packages,
            )

        return _to_tool_result(await _run_reporting_progress(ctx, language, timeout, run), options.image_limits())

    @mcp.tool(title="List runtimes", description=_descriptions.LIST_RUNTIMES, annotations=_ANNOTATIONS)
    async def list_runtimes(ctx: Context[SandboxService]) -> Annotated[CallToolResult, RuntimeCatalog]:
        with _caller_errors():
            sandbox = await ctx.request_context.lifespan_context.get()
            runtimes = await sandbox.list_runtimes()
        catalog = RuntimeCatalog(runtimes=runtimes, limits=limits)
        return CallToolResult(
            content=[TextContent(type="text", text=_catalog_text(catalog))],
            structured_content=catalog.model_dump(mode="json"),
        )

    add_session_tools(mcp, options.max_request_bytes, options.max_image_bytes)
    ops.install(mcp)
    return mcp


async def _target(ctx: Context[SandboxService], session_id: str | None) -> AsyncSandbox | AsyncSession:
    """Where a run goes: the client's session when it names one, else the shared sandbox."""
    if session_id is not None:
        return await find_session(ctx, session_id)
    with _caller_errors():
        return await ctx.request_context.lifespan_context.get()


_Tool = Callable[..., Awaitable[CallToolResult]]


def _packages_argument(allowed: bool) -> Callable[[_Tool], _Tool]:
    """Leave a run tool's `packages` argument out of its schema unless the operator allows packages."""

    def shape(tool: _Tool) -> _Tool:
        if not allowed:
            signature = inspect.signature(tool)
            kept = [parameter for parameter in signature.parameters.values() if parameter.name != "packages"]
            tool.__signature__ = signature.replace(parameters=kept)  # pyright: ignore[reportFunctionMemberAccess]
        return tool

    return shape


def _version() -> str:
    try:
        return importlib.metadata.version("runno-mcp")
    except importlib.metadata.PackageNotFoundError:  # a source tree that was never installed
        return "0.0.0"


@contextmanager
def _caller_errors() -> Generator[None, None, None]:
    """Turn a caller's mistake, or a sandbox that cannot run, into an `isError` tool result."""
    try:
        yield
    except RunnoError as exc:
        raise ToolError(str(exc)) from exc


async def _run_reporting_progress(
    ctx: Context[SandboxService],
    language: str,
    timeout: float,
    run: Callable[[OutputCallback], Awaitable[RunResult]],
) -> RunResult:
    """Run, sending progress notifications while the run is in flight: every `PROGRESS_INTERVAL`,
    and soon after the program writes, each carrying the tail of the output so far.

    The SDK drops the notifications when the client sent no progress token. Cancelling the request
    cancels this task, and the sandbox stops the run in the engine.
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


async def _report_progress(ctx: Context[SandboxService], language: str, timeout: float, output: _OutputSoFar) -> None:
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
        # Waiting for a free slot is not part of the run's time, so elapsed may pass the timeout.
        total = timeout if elapsed < timeout else None
        try:
            await ctx.report_progress(round(elapsed, 1), total, message)
        except Exception:
            # A client that cannot take notifications still gets its result.
            logger.debug("Cannot send a progress notification", exc_info=True)
            return


def _to_tool_result(result: RunResult, image_limits: ImageLimits) -> CallToolResult:
    """The compact text, then one image block per image file the run wrote, within the caps."""
    attached, lines = attach_images(result.images, result.fs, image_limits, elsewhere="it is in structuredContent fs")
    text = result.as_text()
    if lines:
        text += "\n--- images ---\n" + "\n".join(lines)
    content: list[ContentBlock] = [TextContent(type="text", text=text)]
    content += [
        ImageContent(type="image", data=base64.b64encode(item.data).decode("ascii"), mime_type=item.image.mime_type)
        for item in attached
    ]
    return CallToolResult(content=content, structured_content=result.model_dump(mode="json"))


def _catalog_text(catalog: RuntimeCatalog) -> str:
    lines = [
        f"{info.id}: {info.language} {info.version}, entry {info.entry}"
        + (f", also accepted: {', '.join(info.aliases)}" if info.aliases else "")
        for info in catalog.runtimes
    ]
    limits = catalog.limits
    lines.append(
        f"limits: timeout {limits.default_timeout_seconds:g} s by default, at most {limits.max_timeout_seconds:g} s; "
        f"output {limits.max_output_bytes} bytes per stream; request {limits.max_request_bytes} bytes; "
        f"memory {limits.memory_limit_mb} MiB; {limits.max_concurrency} runs at once; "
        f"image files written come back as images, at most {limits.max_images} per call, "
        f"{format_limit(limits.max_image_bytes)} each, {format_limit(limits.max_total_image_bytes)} together"
    )
    with_packages = [info.id for info in catalog.runtimes if info.packages_allowed]
    if with_packages:
        lines.append(
            f"packages: pure-Python wheels from PyPI may be added (packages argument) for: {', '.join(with_packages)}"
        )
    live = [info.id for info in catalog.runtimes if info.live_sessions]
    lines.append(
        f"sessions: at most {limits.max_sessions} open ({limits.max_live_sessions} live), each up to "
        f"{limits.max_session_bytes} bytes of files, expiring after {limits.session_idle_timeout_seconds:g} s unused; "
        f"live sessions keep variables for: {', '.join(live) or 'none'}"
    )
    return "\n".join(lines)


def _check_request_size(options: ServerOptions, size: int) -> None:
    if size > options.max_request_bytes:
        raise ToolError(
            f"Cannot run: the call carries {size} bytes of code, stdin and files, over this server's limit of "
            f"{options.max_request_bytes} bytes; send less data"
        )


# --- the serve command ---------------------------------------------------------------------------

_ENV_PREFIX = "RUNNO_MCP_"
_LOOPBACK = ("127.0.0.1", "localhost", "::1")
_LOG_LEVELS: tuple[LogLevel, ...] = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_LOG_FORMATS: tuple[LogFormat, ...] = ("text", "json")
DEFAULT_SHUTDOWN_GRACE = 30.0  # seconds runs in progress may take to finish once the server is asked to stop


@dataclass(frozen=True)
class _Serving:
    """How the serve command listens, logs and stops; the limits are `ServerOptions`."""

    transport: Transport
    host: str
    port: int
    log_level: LogLevel
    log_format: LogFormat
    shutdown_grace: float
    stateless_http: bool


def _yes_no(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected true or false, got {text!r}")


def _build_parser() -> argparse.ArgumentParser:
    defaults = ServerOptions()
    parser = argparse.ArgumentParser(
        prog="runno-mcp",
        description=(
            "Serve the runno sandbox as an MCP server (tools run_code, run_fs, list_runtimes). "
            "Every flag can also be set by the environment variable shown; a flag wins over its variable."
        ),
    )

    def add(flag: str, convert: Callable[[str], Any], default: Any, text: str, **kwargs: Any) -> None:
        env = _ENV_PREFIX + flag.removeprefix("--").replace("-", "_").upper()
        raw = os.environ.get(env)
        value = default
        if raw:
            try:
                value = convert(raw)
            except ValueError:
                kind = "a whole number" if convert is int else "true or false" if convert is _yes_no else "a number"
                parser.error(f'environment variable {env} is "{raw}": expected {kind}')
            if "choices" in kwargs and value not in kwargs["choices"]:
                parser.error(f'environment variable {env} is "{raw}": expected one of {", ".join(kwargs["choices"])}')
        parser.add_argument(flag, type=convert, default=value, help=f"{text} (env {env}; default: {default})", **kwargs)

    add("--transport", str, "stdio", "how clients connect", choices=["stdio", "streamable-http", "sse"])
    add("--host", str, "127.0.0.1", "address to listen on for HTTP transports", metavar="HOST")
    add("--port", int, 8000, "port to listen on for HTTP; streamable HTTP serves at /mcp, SSE at /sse", metavar="N")
    add(
        "--default-timeout", float, defaults.default_timeout, "seconds a run gets if the call does not say", metavar="S"
    )
    add("--max-timeout", float, defaults.max_timeout, "most seconds a call may ask for", metavar="S")
    add("--max-output-bytes", int, defaults.max_output_bytes, "bytes kept of each of stdout and stderr", metavar="N")
    add("--max-request-bytes", int, defaults.max_request_bytes, "bytes of code, stdin and files per call", metavar="N")
    add("--max-concurrency", int, defaults.max_concurrency, "runs in flight at once; more wait", metavar="N")
    add(
        "--max-concurrency-per-client",
        int,
        defaults.max_concurrency_per_client,
        "runs one client may have in flight; its further runs wait (0: no limit)",
        metavar="N",
    )
    add("--max-sessions", int, defaults.max_sessions, "sessions open at once, all clients together", metavar="N")
    add("--session-ttl", float, defaults.session_ttl, "seconds an unused session lives", metavar="S")
    add("--max-session-bytes", int, defaults.max_session_bytes, "bytes of files one session holds", metavar="N")
    add("--max-live-sessions", int, defaults.max_live_sessions, "live Python sessions open at once", metavar="N")
    add("--max-images", int, defaults.max_images, "image files a run wrote sent back as images per call", metavar="N")
    add("--max-image-bytes", int, defaults.max_image_bytes, "bytes of one image sent back as an image", metavar="N")
    add(
        "--max-total-image-bytes",
        int,
        defaults.max_total_image_bytes,
        "bytes of all images sent back by one call",
        metavar="N",
    )
    add(
        "--shutdown-grace",
        float,
        DEFAULT_SHUTDOWN_GRACE,
        "HTTP: seconds calls in progress may take to finish after SIGTERM; then they are stopped",
        metavar="S",
    )
    add(
        "--stateless-http",
        _yes_no,
        False,
        "streamable HTTP without MCP sessions, so any replica can take any call",
        nargs="?",
        const=True,
        metavar="BOOL",
    )
    add(
        "--allow-packages",
        _yes_no,
        False,
        "let Python runs add pure-Python packages from PyPI, resolved with pip on this host (see docs/packages.md)",
        nargs="?",
        const=True,
        metavar="BOOL",
    )
    add("--log-level", str.upper, "INFO", "what the server logs to stderr", choices=list(_LOG_LEVELS))
    add(
        "--log-format", str.lower, "text", "log lines as plain text or one JSON object each", choices=list(_LOG_FORMATS)
    )
    return parser


def main(argv: list[str] | None = None) -> None:
    """Serve MCP until the client disconnects (stdio) or the process is interrupted (HTTP).

    Args:
        argv: Command-line arguments after the program name; `sys.argv[1:]` when None.
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        options = ServerOptions(**{name: getattr(args, name) for name in ServerOptions.model_fields})
    except ValidationError as exc:
        parser.error("; ".join(_flag_error(error["loc"], error["msg"]) for error in exc.errors()))
    if not args.shutdown_grace >= 0:
        parser.error(f"--shutdown-grace: must be 0 or more seconds (got {args.shutdown_grace:g})")
    serving = _Serving(**{name: getattr(args, name) for name in _Serving.__dataclass_fields__})
    configure_logging(serving.log_level, serving.log_format)
    try:
        anyio.run(_serve, options, serving)
    except KeyboardInterrupt:
        pass


def _flag_error(loc: tuple[int | str, ...], message: str) -> str:
    message = message.removeprefix("Value error, ")
    return f"--{str(loc[0]).replace('_', '-')}: {message}" if loc else message


async def _serve(options: ServerOptions, serving: _Serving) -> None:
    if serving.transport != "stdio" and serving.host not in _LOOPBACK:
        logger.warning(
            "Serving on %s without authentication: anyone who can reach it can run programs here", serving.host
        )
    # One sandbox for the whole process, even for SSE, which enters the server's lifespan per connection.
    async with anyio.create_task_group() as tg:
        service = SandboxService(
            options.max_concurrency,
            options.max_timeout,
            options.session_limits(),
            allow_packages=options.allow_packages,
        )
        tg.start_soon(service.serve)
        ops = _operations(options)
        ops.service = service
        server = _create_server(options, serving.log_level, lambda: service, ops, owned=False)
        match serving.transport:
            case "stdio":
                await server.run_stdio_async()
            case "streamable-http":
                app = server.streamable_http_app(
                    host=serving.host, max_request_body_size=_body_limit(options), stateless_http=serving.stateless_http
                )
                await _serve_app(app, ops, serving)
            case "sse":
                await _serve_app(
                    server.sse_app(host=serving.host, max_request_body_size=_body_limit(options)), ops, serving
                )
        tg.cancel_scope.cancel()


async def _serve_app(app: Starlette, ops: Operations, serving: _Serving) -> None:
    await serve_http(
        app,
        ops,
        host=serving.host,
        port=serving.port,
        log_level=serving.log_level,
        log_format=serving.log_format,
        grace=serving.shutdown_grace,
    )


def _body_limit(options: ServerOptions) -> int:
    # base64 grows file content by a third; leave room for the JSON-RPC envelope too.
    return options.max_request_bytes * 4 // 3 + 64 * 1024
