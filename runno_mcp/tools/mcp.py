"""The MCP server: `run_code`, `run_fs`, `list_runtimes` and the session tools over stdio, streamable HTTP and SSE.

Owns the tool signatures an MCP client sees, the mapping of caller mistakes to `isError` results,
and serving on a transport (`serve`). The operator's limits are `ServerOptions`; the command line
that sets them is in `cli.py`. Every run goes through one shared `AsyncSandbox`; this module never
talks to the engine itself.
"""

import importlib.metadata
import inspect
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from contextlib import asynccontextmanager, contextmanager
from typing import Annotated, Any

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field
from starlette.applications import Starlette

from runno_mcp.errors import RunnoError
from runno_mcp.models import MAX_COMPILER_FLAGS, OutputCallback, RunResult, RuntimeInfo
from runno_mcp.sandbox import AsyncSandbox, RunKwargs
from runno_mcp.sessions import AsyncSession
from runno_mcp.tools import _descriptions
from runno_mcp.tools._http import serve_http
from runno_mcp.tools._images import format_limit, result_content
from runno_mcp.tools._inputs import AnyLanguage, CodeLanguage, FileInput, decode_files, payload_bytes
from runno_mcp.tools._ops import Operations, configure_logging
from runno_mcp.tools._progress import run_reporting_progress
from runno_mcp.tools._service import SandboxService
from runno_mcp.tools.mcp_results import ToolRunResult
from runno_mcp.tools.mcp_sessions import add_session_tools, find_session, image_blocks
from runno_mcp.tools.options import LogLevel, ServerOptions, Serving

__all__ = ["Limits", "RuntimeCatalog", "ServerOptions", "Serving", "ToolRunResult", "create_server", "serve"]

logger = logging.getLogger(__name__)

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


class Limits(BaseModel):
    """The limits every run on this server is held to; each is named as the option or flag that sets it."""

    default_timeout: float
    """Seconds."""
    max_timeout: float
    max_output_bytes: int
    """Per stream: stdout and stderr are each cut past this size."""
    max_return_files: int
    """Files one result carries; the rest are counted and named."""
    max_return_bytes: int
    max_request_bytes: int
    """Code, stdin and decoded file content of one call, together."""
    default_memory_limit_mb: int
    max_memory_limit_mb: int
    max_concurrency: int
    max_sessions: int
    session_ttl: float
    """Seconds a session may sit unused."""
    max_session_bytes: int
    max_live_sessions: int
    max_images: int
    """Image files a run writes that come back as images, per call; others are only in `fs`."""
    max_image_bytes: int
    max_total_image_bytes: int

    @classmethod
    def of(cls, options: ServerOptions) -> "Limits":
        return cls.model_validate(
            {
                **{name: getattr(options, name) for name in cls.model_fields if name in ServerOptions.model_fields},
                "default_memory_limit_mb": options.default_memory_limit_mb,
            }
        )


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
        lambda: SandboxService(options.sandbox_options(), options.session_limits(), sandbox),
        _operations(options),
        owned=sandbox is None,
    )


def _operations(options: ServerOptions) -> Operations:
    return Operations(
        max_concurrency_per_client=options.max_concurrency_per_client or None, max_client_queue=options.max_queue
    )


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
    limits = Limits.of(options)
    timeout_field = Field(
        default=None,
        description=_descriptions.timeout(options.default_timeout, options.max_timeout),
        json_schema_extra={"exclusiveMinimum": 0, "maximum": options.max_timeout},
    )
    memory_field = Field(
        default=None,
        description=_descriptions.memory_limit_mb(options.default_memory_limit_mb, options.max_memory_limit_mb),
        json_schema_extra={"minimum": 1, "maximum": options.max_memory_limit_mb},
    )
    language_field = Field(description=_descriptions.LANGUAGE)
    session_field = Field(default=None, description=_descriptions.SESSION_ID)
    packages_field = Field(default=None, description=_descriptions.PACKAGES, max_length=32)
    flags_field = Field(default=None, description=_descriptions.COMPILER_FLAGS, max_length=MAX_COMPILER_FLAGS)

    async def run_tool(
        ctx: Context[SandboxService],
        language: str,
        session_id: str | None,
        asked: dict[str, Any],
        start: Callable[[AsyncSandbox | AsyncSession, RunKwargs], Awaitable[RunResult]],
    ) -> CallToolResult:
        """Run with the options the model `asked` for (stdin, timeout, memory, packages) in the client's session
        or the shared sandbox, reporting progress; the result as tool content."""
        run_options = options.run_options(**asked)
        target = await _target(ctx, session_id)

        def run(on_output: OutputCallback) -> Awaitable[RunResult]:
            return start(target, {**run_options, "on_output": on_output})

        timeout = run_options.get("timeout") or options.default_timeout
        return _to_tool_result(await run_reporting_progress(ctx, language, timeout, run), options)

    @mcp.tool(title="Run code", description=_descriptions.RUN_CODE, annotations=_ANNOTATIONS)
    @_packages_argument(options.allow_packages)
    async def run_code(
        language: Annotated[CodeLanguage, language_field],
        code: Annotated[str, Field(description=_descriptions.CODE)],
        ctx: Context[SandboxService],
        stdin: Annotated[str | None, Field(description=_descriptions.STDIN)] = None,
        timeout: Annotated[float | None, timeout_field] = None,
        memory_limit_mb: Annotated[int | None, memory_field] = None,
        session_id: Annotated[str | None, session_field] = None,
        packages: Annotated[list[str] | None, packages_field] = None,
        compiler_flags: Annotated[list[str] | None, flags_field] = None,
    ) -> Annotated[CallToolResult, ToolRunResult]:
        _check_request_size(options, payload_bytes(code, stdin))
        asked = _asked(stdin, timeout, memory_limit_mb, packages, compiler_flags)
        return await run_tool(ctx, language, session_id, asked, lambda on, kw: on.run_code(language, code, **kw))

    @mcp.tool(title="Run files", description=_descriptions.RUN_FS, annotations=_ANNOTATIONS)
    @_packages_argument(options.allow_packages)
    async def run_fs(
        language: Annotated[AnyLanguage, language_field],
        entry_path: Annotated[str, Field(description=_descriptions.ENTRY_PATH)],
        files: Annotated[list[FileInput], Field(description=_descriptions.FILES)],
        ctx: Context[SandboxService],
        stdin: Annotated[str | None, Field(description=_descriptions.STDIN)] = None,
        timeout: Annotated[float | None, timeout_field] = None,
        memory_limit_mb: Annotated[int | None, memory_field] = None,
        session_id: Annotated[str | None, session_field] = None,
        packages: Annotated[list[str] | None, packages_field] = None,
        compiler_flags: Annotated[list[str] | None, flags_field] = None,
    ) -> Annotated[CallToolResult, ToolRunResult]:
        with _caller_errors():
            fs = decode_files(files)
        _check_request_size(options, payload_bytes(stdin, *fs.values()))
        asked = _asked(stdin, timeout, memory_limit_mb, packages, compiler_flags)
        return await run_tool(
            ctx, language, session_id, asked, lambda on, kw: on.run_fs(language, entry_path, fs, **kw)
        )

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

    add_session_tools(mcp, options.max_request_bytes, options.image_limits())
    ops.install(mcp)
    return mcp


def _asked(
    stdin: str | None,
    timeout: float | None,
    memory_limit_mb: int | None,
    packages: list[str] | None,
    compiler_flags: list[str] | None,
) -> dict[str, Any]:
    """The run options a model asked for, by `ToolPolicy.run_options`' names."""
    return {
        "stdin": stdin,
        "timeout": timeout,
        "memory_limit_mb": memory_limit_mb,
        "packages": packages,
        "compiler_flags": compiler_flags,
    }


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


def _to_tool_result(result: RunResult, options: ServerOptions) -> CallToolResult:
    """The compact text, then one image block per image file the run wrote, within the caps."""
    text, attached = result_content(result, options.image_limits(), elsewhere="it is in structuredContent fs")
    return CallToolResult(
        content=[TextContent(type="text", text=text), *image_blocks(attached)],
        structured_content=ToolRunResult.of(result, timestamps=options.file_timestamps).structured(),
    )


def _catalog_text(catalog: RuntimeCatalog) -> str:
    lines = [
        f"{info.id}: {info.language} {info.version}, entry {info.entry}"
        + (f", also accepted: {', '.join(info.aliases)}" if info.aliases else "")
        + (f"; {_descriptions.RUNTIME_NOTES[info.id]}" if info.id in _descriptions.RUNTIME_NOTES else "")
        for info in catalog.runtimes
    ]
    limits = catalog.limits
    lines.append(
        f"limits: timeout {limits.default_timeout:g} s by default, at most {limits.max_timeout:g} s; "
        f"output {limits.max_output_bytes} bytes per stream; files back {limits.max_return_files} of "
        f"{limits.max_return_bytes} bytes at most; request {limits.max_request_bytes} bytes; "
        f"memory {limits.default_memory_limit_mb} MiB by default, at most {limits.max_memory_limit_mb} MiB; "
        f"{limits.max_concurrency} runs at once; "
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
        f"{limits.max_session_bytes} bytes of files, expiring after {limits.session_ttl:g} s unused; "
        f"live sessions keep variables for: {', '.join(live) or 'none'}"
    )
    return "\n".join(lines)


def _check_request_size(options: ServerOptions, size: int) -> None:
    if size > options.max_request_bytes:
        raise ToolError(
            f"Cannot run: the call carries {size} bytes of code, stdin and files, over this server's limit of "
            f"{options.max_request_bytes} bytes; send less data"
        )


async def serve(options: ServerOptions, serving: Serving) -> None:
    """Serve MCP until the client disconnects (stdio) or the process is asked to stop (HTTP)."""
    configure_logging(serving.log_level, serving.log_format)
    if serving.transport != "stdio" and serving.host not in _LOOPBACK:
        logger.warning(
            "Serving on %s without authentication: anyone who can reach it can run programs here", serving.host
        )
    # One sandbox for the whole process, even for SSE, which enters the server's lifespan per connection.
    async with anyio.create_task_group() as tg:
        service = SandboxService(options.sandbox_options(), options.session_limits())
        tg.start_soon(service.serve)
        ops = _operations(options)
        ops.service = service
        server = _create_server(options, serving.log_level, lambda: service, ops, owned=False)
        body_limit = options.max_request_bytes * 4 // 3 + 64 * 1024  # base64 grows files by a third; the envelope
        match serving.transport:
            case "stdio":
                await server.run_stdio_async()
            case "streamable-http":
                app = server.streamable_http_app(
                    host=serving.host, max_request_body_size=body_limit, stateless_http=serving.stateless_http
                )
                await _serve_app(app, ops, serving)
            case "sse":
                await _serve_app(server.sse_app(host=serving.host, max_request_body_size=body_limit), ops, serving)
        tg.cancel_scope.cancel()


async def _serve_app(app: Starlette, ops: Operations, serving: Serving) -> None:
    await serve_http(
        app,
        ops,
        host=serving.host,
        port=serving.port,
        log_level=serving.log_level,
        log_format=serving.log_format,
        grace=serving.shutdown_grace,
        header_timeout=serving.header_timeout,
        body_timeout=serving.body_timeout,
        keep_alive_timeout=serving.keep_alive_timeout,
        max_connections=serving.max_connections,
    )
