"""LangChain tools: `run_code` and `run_fs` as langchain-core `BaseTool`s, and a toolkit sharing one sandbox.

Owns the tools' argument schemas, the split between what the model reads (compact text) and what the
program gets (the whole `RunResult` as the tool message's artifact), and turning caller mistakes into
`ToolException` so `handle_tool_error` can hand them back to the model. A guest that fails, crashes or
times out is a normal result. Every run goes through the sandbox layer; nothing here talks to the engine.
"""

import base64
import threading
import weakref
from collections.abc import Awaitable, Callable, Generator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, ClassVar, Literal

import anyio.to_thread
from langchain_core.callbacks import AsyncCallbackManagerForToolRun, CallbackManagerForToolRun
from langchain_core.messages.content import (
    ImageContentBlock,
    TextContentBlock,
    create_image_block,
    create_text_block,
)
from langchain_core.tools import ArgsSchema, BaseTool, BaseToolkit, ToolException
from langchain_core.tools.base import ToolExceptionHandlerOutput
from pydantic import BaseModel, Field, PrivateAttr, ValidationError, model_validator
from pydantic.v1 import ValidationError as ValidationErrorV1
from typing_extensions import Self, Unpack

from runno_mcp.errors import InvalidRequestError, RunnoError, SessionExpiredError
from runno_mcp.models import MAX_COMPILER_FLAGS, RunResult, run_default
from runno_mcp.sandbox import AsyncSandbox, RunKwargs, Sandbox, SandboxKwargs
from runno_mcp.sessions import AsyncSession, Session
from runno_mcp.tools import _descriptions
from runno_mcp.tools._images import result_content
from runno_mcp.tools._inputs import AnyLanguage, CodeLanguage, FileInput, decode_files
from runno_mcp.tools._policy import DEFAULT_TOOL_MAX_TIMEOUT, ToolPolicy

__all__ = [
    "RunCodeInput",
    "RunCodePackagesInput",
    "RunCodeTool",
    "RunFilesInput",
    "RunFilesPackagesInput",
    "RunFilesTool",
    "RunnoToolkit",
    "SessionMode",
]

SessionMode = Literal["none", "files", "live"]
"""How a toolkit's runs share state: not at all, files, or files and one Python interpreter."""

Content = str | list[TextContentBlock | ImageContentBlock]
"""A tool message's content: the compact text, or (with `images_in_content`) text and image blocks."""

Start = Callable[[AsyncSandbox | AsyncSession], Awaitable[RunResult]]
"""A run, started on the sandbox or the toolkit's session."""


class _ToolSandbox(Sandbox):
    """The blocking `Sandbox`, plus running in a bound session and awaiting runs from any event loop."""

    def __init__(self, session_mode: SessionMode, **options: Unpack[SandboxKwargs]) -> None:
        super().__init__(**options)
        self._session_mode: SessionMode = session_mode
        self._bound: AsyncSession | None = None

    def run(self, call: Start) -> RunResult:
        """Run `call` against the bound session (or the sandbox), blocking."""
        return self._call(lambda: self._in_target(call))

    async def arun(self, call: Start) -> RunResult:
        """Run `call` from any event loop; cancelling cancels the run."""
        return await self._relay(lambda: self._in_target(call))

    def bound_session(self) -> Session | None:
        """The session the runs share, opened on first use; None when the toolkit keeps no state."""
        if self._session_mode == "none":
            return None
        return Session(self._on_loop(self._target_session), self._call)

    async def _in_target(self, call: Start) -> RunResult:
        if self._session_mode == "none":
            return await call(self._sandbox)
        bound = self._bound
        if bound is not None and bound.closed:
            self._bound = None
            raise SessionExpiredError(
                f"The tools' session {bound.id} is gone (it sat unused too long, or was closed): files and variables "
                "of earlier calls are lost. Call again to start a new session."
            )
        return await call(self._target_session())

    def _target_session(self) -> AsyncSession:
        if self._bound is None or self._bound.closed:
            self._bound = self._sandbox.session(live=self._session_mode == "live")
        return self._bound


class _SharedSandbox:
    """One sandbox for a tool or a toolkit: its engine starts on first use and stops at close or exit.

    Sync calls (`_run`) and async calls (`_arun`, from any event loop) go to the same engine, which
    runs on its own thread.
    """

    def __init__(self, policy: ToolPolicy, session_mode: SessionMode = "none") -> None:
        self.sandbox = _ToolSandbox(session_mode, **policy.sandbox_options())
        # Closes the engine when this object is collected, or at interpreter exit if never closed.
        self._finalizer = weakref.finalize(self, self.sandbox.close)

    def close(self) -> None:
        self.sandbox.close()


_TIMEOUT = _descriptions.timeout(run_default("timeout"), DEFAULT_TOOL_MAX_TIMEOUT)
_MEMORY = _descriptions.memory_limit_mb(run_default("memory_limit_mb"), ToolPolicy().max_memory_limit_mb)


class RunCodeInput(BaseModel):
    """Arguments of `run_code`."""

    language: CodeLanguage = Field(description=_descriptions.LANGUAGE)
    code: str = Field(description=_descriptions.CODE)
    stdin: str | None = Field(default=None, description=_descriptions.STDIN)
    timeout: float | None = Field(default=None, description=_TIMEOUT)
    memory_limit_mb: int | None = Field(default=None, description=_MEMORY)
    compiler_flags: list[str] | None = Field(
        default=None, description=_descriptions.COMPILER_FLAGS, max_length=MAX_COMPILER_FLAGS
    )


class RunFilesInput(BaseModel):
    """Arguments of `run_fs`."""

    language: AnyLanguage = Field(description=_descriptions.LANGUAGE)
    entry_path: str = Field(description=_descriptions.ENTRY_PATH)
    files: list[FileInput] = Field(description=_descriptions.FILES)
    stdin: str | None = Field(default=None, description=_descriptions.STDIN)
    timeout: float | None = Field(default=None, description=_TIMEOUT)
    memory_limit_mb: int | None = Field(default=None, description=_MEMORY)
    compiler_flags: list[str] | None = Field(
        default=None, description=_descriptions.COMPILER_FLAGS, max_length=MAX_COMPILER_FLAGS
    )


class RunCodePackagesInput(RunCodeInput):
    """Arguments of `run_code` when packages are allowed."""

    packages: list[str] | None = Field(default=None, description=_descriptions.PACKAGES, max_length=32)


class RunFilesPackagesInput(RunFilesInput):
    """Arguments of `run_fs` when packages are allowed."""

    packages: list[str] | None = Field(default=None, description=_descriptions.PACKAGES, max_length=32)


def _explain_validation_error(error: ValidationError | ValidationErrorV1) -> str:
    """Say which arguments were wrong, in words a model can act on."""
    if isinstance(error, ValidationErrorV1):
        return f"Cannot run: the arguments do not fit the tool's schema: {error}"
    problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'arguments'}: {e['msg']}" for e in error.errors())
    return f"Cannot run: fix these arguments and call again: {problems}"


@contextmanager
def _tool_errors() -> Generator[None, None, None]:
    """A caller's mistake, or a sandbox that cannot run, as the `ToolException` the model is shown."""
    try:
        yield
    except RunnoError as exc:
        raise ToolException(str(exc)) from exc


class _RunnoTool(ToolPolicy, BaseTool):
    """What both tools share: the operator's policy, the sandbox, one call path, and the error split."""

    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    handle_tool_error: bool | str | Callable[[ToolException], ToolExceptionHandlerOutput] | None = True
    handle_validation_error: bool | str | Callable[[ValidationError | ValidationErrorV1], str] | None = (
        _explain_validation_error
    )
    images_in_content: bool = False
    """Send image files a run wrote to the model as standard image content blocks after the text (for
    chat models that accept images in tool messages); otherwise they are only in the artifact. The
    policy's image caps bound them."""

    _shared: _SharedSandbox | None = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _text_description: str = PrivateAttr(default="")
    _image_description: str = PrivateAttr(default="")

    _packages_schema: ClassVar[type[BaseModel]]
    """The arguments with `packages`, offered instead of `args_schema` when the operator allows packages."""

    @model_validator(mode="after")
    def _offer_packages(self) -> Self:
        # A caller's own schema is kept; only the tool's default one gains `packages`.
        if self.allow_packages and self.args_schema is type(self).model_fields["args_schema"].default:
            self.args_schema = self._packages_schema
        return self

    @model_validator(mode="after")
    def _describe_images(self) -> Self:
        # Tell the model that images come back only when they do; a caller's own description is kept.
        if self.images_in_content and self.description == self._text_description:
            self.description = self._image_description
        return self

    @property
    def sandbox(self) -> _ToolSandbox:
        """The sandbox this tool runs in (shared when the tool came from a `RunnoToolkit`)."""
        with self._lock:
            if self._shared is None:
                self._shared = _SharedSandbox(self.policy())
            return self._shared.sandbox

    def close(self) -> None:
        """Stop the sandbox's engine, if it started; a later call starts a new one."""
        with self._lock:
            if self._shared is not None:
                self._shared.close()

    def _run(self, run_manager: CallbackManagerForToolRun | None = None, **arguments: Any) -> tuple[Content, RunResult]:
        with _tool_errors():
            return self._answer(self.sandbox.run(self._start(arguments)))

    async def _arun(
        self, run_manager: AsyncCallbackManagerForToolRun | None = None, **arguments: Any
    ) -> tuple[Content, RunResult]:
        with _tool_errors():
            return self._answer(await self.sandbox.arun(self._start(arguments)))

    def _start(self, arguments: dict[str, Any]) -> Start:
        """The run the model's (already validated) arguments ask for."""
        raise NotImplementedError

    def _run_options(self, call: RunCodePackagesInput | RunFilesPackagesInput) -> RunKwargs:
        return self.run_options(
            stdin=call.stdin,
            timeout=call.timeout,
            memory_limit_mb=call.memory_limit_mb,
            packages=call.packages,
            compiler_flags=call.compiler_flags,
        )

    def _answer(self, result: RunResult) -> tuple[Content, RunResult]:
        """The content the model reads and the artifact; image blocks follow the text if asked for."""
        if not self.images_in_content:
            return result.as_text(), result
        text, attached = result_content(result, self.image_limits(), elsewhere="it is in the tool message's artifact")
        content: list[TextContentBlock | ImageContentBlock] = [create_text_block(text)]
        for item in attached:
            data = base64.b64encode(item.data).decode("ascii")
            content.append(create_image_block(base64=data, mime_type=item.image.mime_type))
        return content, result


class RunCodeTool(_RunnoTool):
    """Run one source file in the sandbox; the model reads compact text, the artifact is the `RunResult`.

    Example:
        ```python
        tool = RunCodeTool()
        message = tool.invoke(
            {"type": "tool_call", "id": "1", "name": "run_code", "args": {"language": "python", "code": "print(6 * 7)"}}
        )
        message.content  # 'result: complete, exit code 0\\n--- stdout ---\\n42'
        message.artifact  # RunResult(result_type='complete', stdout='42\\n', ...)
        ```
    """

    name: str = "run_code"
    description: str = _descriptions.RUN_CODE_TEXT
    _text_description: str = PrivateAttr(default=_descriptions.RUN_CODE_TEXT)
    _image_description: str = PrivateAttr(default=_descriptions.RUN_CODE)
    args_schema: ArgsSchema | None = RunCodeInput  # base-class field type: pyright rejects narrowing

    _packages_schema: ClassVar[type[BaseModel]] = RunCodePackagesInput

    def _start(self, arguments: dict[str, Any]) -> Start:
        call = self._packages_schema.model_validate(arguments)
        assert isinstance(call, RunCodePackagesInput)
        return lambda target: target.run_code(call.language, call.code, **self._run_options(call))


class RunFilesTool(_RunnoTool):
    """Run a program with the files it needs; the artifact is the `RunResult`, files written included."""

    name: str = "run_fs"
    description: str = _descriptions.RUN_FS_TEXT
    _text_description: str = PrivateAttr(default=_descriptions.RUN_FS_TEXT)
    _image_description: str = PrivateAttr(default=_descriptions.RUN_FS)
    args_schema: ArgsSchema | None = RunFilesInput  # base-class field type: pyright rejects narrowing

    _packages_schema: ClassVar[type[BaseModel]] = RunFilesPackagesInput

    def _start(self, arguments: dict[str, Any]) -> Start:
        call = self._packages_schema.model_validate(arguments)
        assert isinstance(call, RunFilesPackagesInput)
        fs = decode_files(call.files)
        return lambda target: target.run_fs(call.language, call.entry_path, fs, **self._run_options(call))


class RunnoToolkit(ToolPolicy, BaseToolkit):
    """`run_code` and `run_fs` sharing one sandbox, whose engine starts on first use.

    Use it as a context manager to decide when the engine stops; left open, it stops when the
    toolkit is collected or the interpreter exits.

    With `session="files"` every run of the toolkit's tools shares one session: files a run
    writes are there for the next. With `session="live"`, Python runs also share one interpreter,
    so variables, imports and functions persist between the model's calls. The model never
    handles a session id; your program reaches the files through `toolkit.session`.

    Example:
        ```python
        with RunnoToolkit() as toolkit:
            agent = create_agent(model, tools=toolkit.get_tools())
            agent.invoke({"messages": [("user", "What is the 20th Fibonacci number?")]})
        ```
    """

    images_in_content: bool = False
    """Send image files a run wrote to the model as image content blocks (see `RunCodeTool`)."""
    session: SessionMode = "none"
    """Whether the tools' runs share state: "none", "files", or "live" (files and a Python interpreter)."""

    _shared: _SharedSandbox | None = PrivateAttr(default=None)
    _tools: list[_RunnoTool] = PrivateAttr(default_factory=list[_RunnoTool])

    def bound_session(self) -> Session:
        """The session the tools share (opened on first use): `write_files` before, `read_files` after.

        Raises:
            InvalidRequestError: the toolkit was made with `session="none"`.
        """
        self.get_tools()
        assert self._shared is not None
        bound = self._shared.sandbox.bound_session()
        if bound is None:
            raise InvalidRequestError('This toolkit keeps no session: create it with session="files" or "live"')
        return bound

    def get_tools(self) -> list[BaseTool]:
        """The toolkit's tools, `run_code` then `run_fs`, all running in the toolkit's sandbox."""
        if not self._tools:
            policy = self.policy()
            shared = _SharedSandbox(policy, self.session)
            for tool_type in (RunCodeTool, RunFilesTool):
                tool = tool_type(**dict(policy), images_in_content=self.images_in_content)
                tool._shared = shared  # pyright: ignore[reportPrivateUsage]
                self._tools.append(tool)
            self._shared = shared
        return list(self._tools)

    def close(self) -> None:
        """Stop the engine, if it started; a later call starts a new one."""
        if self._shared is not None:
            self._shared.close()

    def __enter__(self) -> "RunnoToolkit":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    async def __aenter__(self) -> "RunnoToolkit":
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._shared is not None:
            await anyio.to_thread.run_sync(self._shared.close)
