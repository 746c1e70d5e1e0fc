"""The MCP server's session tools: create_session, close_session, list_files, read_file, write_files.

Owns who may see a session (the MCP client session that created it: over streamable HTTP each
client sees only its own), the shapes these tools return, and finding the session a `run_code` /
`run_fs` call names. The sessions themselves, and their limits, live in the sandbox.
"""

import base64
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Literal, TypeVar

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, ContentBlock, ImageContent, TextContent, ToolAnnotations
from pydantic import BaseModel, Field
from starlette.requests import Request

from runno_mcp.errors import RunnoError
from runno_mcp.models import StringFile, find_images
from runno_mcp.sandbox import AsyncSandbox
from runno_mcp.sessions import AsyncSession, SessionFile
from runno_mcp.tools import _descriptions
from runno_mcp.tools._images import Attachment, ImageLimits, attach_images
from runno_mcp.tools._inputs import FileInput, decode_files, payload_bytes
from runno_mcp.tools._service import SandboxService

__all__ = [
    "FileContent",
    "FileListing",
    "SessionClosed",
    "SessionCreated",
    "add_session_tools",
    "find_session",
    "image_blocks",
    "request_client",
]

# Changes only what the sandbox holds for this client, never the host: not read-only, not open-world.
_SESSION_ANNOTATIONS = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)
_READ_ANNOTATIONS = ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False)

T = TypeVar("T")

STDIO_CLIENT = "stdio"  # a stdio server has exactly one client


def client_key(ctx: Context[SandboxService]) -> str:
    """Who is asking, for filing sessions: the MCP session over streamable HTTP, the SSE connection,
    the one client of a stdio server. A stateless HTTP call has neither: its sessions are shared by
    all such callers, and the unguessable session id is what guards them."""
    return request_client(ctx.request_context.request)


def request_client(request: object) -> str:
    """`client_key` of the transport's request object (a Starlette `Request` over HTTP, None on stdio)."""
    if not isinstance(request, Request):
        return STDIO_CLIENT
    mcp_session = request.headers.get("mcp-session-id")
    if mcp_session:
        return f"http:{mcp_session}"
    sse_session = request.query_params.get("session_id")
    if sse_session:
        return f"sse:{sse_session}"
    return "stateless"


async def find_session(ctx: Context[SandboxService], session_id: str) -> AsyncSession:
    """The session `session_id` of this client.

    Raises:
        ToolError: the session does not exist for this client, expired, or was closed.
    """
    sandbox = await _sandbox(ctx)
    try:
        return sandbox.get_session(session_id, owner=client_key(ctx))
    except RunnoError as exc:
        raise ToolError(str(exc)) from exc


class SessionCreated(BaseModel):
    """What `create_session` returns."""

    session_id: str
    live: bool
    """Whether Python runs keep one interpreter (variables persist)."""
    session_ttl: float
    """The session expires after this long unused."""
    max_bytes: int
    max_files: int


class SessionClosed(BaseModel):
    session_id: str
    closed: bool


class FileEntry(BaseModel):
    path: str
    size: int
    modified: datetime | None = None


class FileListing(BaseModel):
    """The files a session holds."""

    session_id: str
    files: list[FileEntry]
    total_bytes: int


class FileContent(BaseModel):
    """One file read from a session."""

    path: str
    content: str
    encoding: Literal["utf-8", "base64"]
    size: int


def add_session_tools(mcp: MCPServer[SandboxService], max_request_bytes: int, image_limits: ImageLimits) -> None:
    """Register the session tools on `mcp`; `read_file` sends an image file within `image_limits` as an image."""
    one_image = ImageLimits(1, image_limits.max_image_bytes, image_limits.max_image_bytes)
    session_id_field = Field(description="The id create_session returned.")

    @mcp.tool(title="Create session", description=_descriptions.CREATE_SESSION, annotations=_SESSION_ANNOTATIONS)
    async def create_session(
        ctx: Context[SandboxService],
        live: Annotated[bool, Field(description=_descriptions.LIVE)] = False,
    ) -> Annotated[CallToolResult, SessionCreated]:
        sandbox = await _sandbox(ctx)
        try:
            session = sandbox.session(live=live, owner=client_key(ctx))
        except RunnoError as exc:
            raise ToolError(str(exc)) from exc
        limits = sandbox.session_limits
        created = SessionCreated(
            session_id=session.id,
            live=live,
            session_ttl=limits.session_ttl,
            max_bytes=limits.max_session_bytes,
            max_files=limits.max_session_files,
        )
        kind = "live session (Python variables persist)" if live else "session (files persist)"
        text = (
            f"Created {kind} {session.id}; pass session_id={session.id!r} to run_code, run_fs and the file tools. "
            f"It expires after {limits.session_ttl:g} s unused."
        )
        return _result(text, created)

    @mcp.tool(title="Close session", description=_descriptions.CLOSE_SESSION, annotations=_SESSION_ANNOTATIONS)
    async def close_session(
        session_id: Annotated[str, session_id_field], ctx: Context[SandboxService]
    ) -> Annotated[CallToolResult, SessionClosed]:
        session = await find_session(ctx, session_id)
        await session.close()
        return _result(f"Closed session {session_id}.", SessionClosed(session_id=session_id, closed=True))

    @mcp.tool(title="List files", description=_descriptions.LIST_FILES, annotations=_READ_ANNOTATIONS)
    async def list_files(
        session_id: Annotated[str, session_id_field], ctx: Context[SandboxService]
    ) -> Annotated[CallToolResult, FileListing]:
        session = await find_session(ctx, session_id)
        files = await _call(session.list_files)
        return _listing(session_id, files)

    @mcp.tool(title="Read file", description=_descriptions.READ_FILE, annotations=_READ_ANNOTATIONS)
    async def read_file(
        session_id: Annotated[str, session_id_field],
        path: Annotated[str, Field(description=_descriptions.READ_PATH)],
        ctx: Context[SandboxService],
    ) -> Annotated[CallToolResult, FileContent]:
        session = await find_session(ctx, session_id)
        files = await _call(lambda: session.read_files([path]))
        [file] = files.values()
        if isinstance(file, StringFile):
            content = FileContent(
                path=file.path, content=file.content, encoding="utf-8", size=len(file.content.encode("utf-8"))
            )
            text = f"{file.path} ({content.size} bytes):\n{file.content}"
        else:
            content = FileContent(
                path=file.path,
                content=base64.b64encode(file.content).decode("ascii"),
                encoding="base64",
                size=len(file.content),
            )
            text = f"{file.path} ({content.size} bytes, binary; base64 in the structured result)"
        attached, lines = attach_images(
            find_images({file.path: file}),
            {file.path: file},
            one_image,
            elsewhere="its content is in the structured result",
        )
        if lines:
            text = lines[0]
        return _result(text, content, image_blocks(attached))

    @mcp.tool(title="Write files", description=_descriptions.WRITE_FILES, annotations=_SESSION_ANNOTATIONS)
    async def write_files(
        session_id: Annotated[str, session_id_field],
        files: Annotated[list[FileInput], Field(description="The files to upload.")],
        ctx: Context[SandboxService],
    ) -> Annotated[CallToolResult, FileListing]:
        try:
            fs = decode_files(files)
        except RunnoError as exc:
            raise ToolError(str(exc)) from exc
        size = payload_bytes(*fs.values())
        if size > max_request_bytes:
            raise ToolError(
                f"Cannot write files: the call carries {size} bytes, over this server's limit of "
                f"{max_request_bytes} bytes; send less data per call"
            )
        session = await find_session(ctx, session_id)
        listing = await _call(lambda: session.write_files(fs))
        return _listing(session_id, listing)


async def _sandbox(ctx: Context[SandboxService]) -> AsyncSandbox:
    try:
        return await ctx.request_context.lifespan_context.get()
    except RunnoError as exc:
        raise ToolError(str(exc)) from exc


async def _call(func: Callable[[], Awaitable[T]]) -> T:
    """Await `func`, turning a caller's mistake into an `isError` result."""
    try:
        return await func()
    except RunnoError as exc:
        raise ToolError(str(exc)) from exc


def _listing(session_id: str, files: list[SessionFile]) -> CallToolResult:
    listing = FileListing(
        session_id=session_id,
        files=[FileEntry(path=file.path, size=file.size, modified=file.modified) for file in files],
        total_bytes=sum(file.size for file in files),
    )
    lines = [f"{file.path} ({file.size} bytes)" for file in files] or ["(no files)"]
    return _result(f"Session {session_id} holds {len(files)} file(s):\n" + "\n".join(lines), listing)


def image_blocks(attached: list[Attachment]) -> list[ContentBlock]:
    """MCP image content for the images chosen to go back, in order (run results and `read_file` alike)."""
    return [
        ImageContent(type="image", data=base64.b64encode(item.data).decode("ascii"), mime_type=item.image.mime_type)
        for item in attached
    ]


def _result(text: str, model: BaseModel, images: list[ContentBlock] | None = None) -> CallToolResult:
    return CallToolResult(
        content=[TextContent(type="text", text=text), *(images or [])], structured_content=model.model_dump(mode="json")
    )
