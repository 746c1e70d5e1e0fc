"""LangChain tools: `run_code` and `run_fs` as langchain-core `BaseTool`s, and a toolkit sharing one sandbox.

Owns the tools' argument schemas, the split between what the model reads (compact text) and what the
program gets (the whole `RunResult` as the tool message's artifact), and turning caller mistakes into
`ToolException` so `handle_tool_error` can hand them back to the model. A guest that fails, crashes or
times out is a normal result. Every run goes through the sandbox layer; nothing here talks to the engine.
"""

import base64
import threading
import weakref
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Literal

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

from runno_mcp import models
from runno_mcp.errors import InvalidRequestError, RunnoError, SessionExpiredError
from runno_mcp.models import RunResult
from runno_mcp.sandbox import AsyncSandbox, RunKwargs, Sandbox, SandboxKwargs
from runno_mcp.sessions import AsyncSession, Session
from runno_mcp.tools import _descriptions
from runno_mcp.tools._images import ImageLimits, attach_images
from runno_mcp.tools._inputs import AnyLanguage, CodeLanguage, FileInput, decode_files

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

DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024  # per stream: about 4k tokens, what a model's context can spare
DEFAULT_MAX_TIMEOUT = 60.0  # seconds: the most a model may ask for


SessionMode = Literal["none", "files", "live"]
"""How a toolkit's runs share state: not at all, files, or files and one Python interpreter."""

Content = str | list[TextContentBlock | ImageContentBlock]
"""A tool message's content: the compact text, or (with `images_in_content`) text and image blocks."""


class _ToolSandbox(Sandbox):
    """The blocking `Sandbox`, plus running in a bound session and awaiting runs from any event loop."""

    def __init__(self, session_mode: SessionMode, **options: Unpack[SandboxKwargs]) -> None:
        super().__init__(**options)
        self._session_mode: SessionMode = session_mode
        self._bound: AsyncSession | None = None

    def run(self, call: "Callable[[AsyncSandbox | AsyncSession], Awaitable[RunResult]]") -> RunResult:
        """Run `call` against the bound session (or the sandbox), blocking."""
        return self._call(lambda: self._in_target(call))

    async def arun(self, call: "Callable[[AsyncSandbox | AsyncSession], Awaitable[RunResult]]") -> RunResult:
        """Run `call` from any event loop; cancelling cancels the run."""
        return await self._relay(lambda: self._in_target(call))

    def bound_session(self) -> Session | None:
        """The session the runs share, opened on first use; None when the toolkit keeps no state."""
        if self._session_mode == "none":
            return None
        return Session(self._on_loop(self._target_session), self._call)

    async def _in_target(self, call: "Callable[[AsyncSandbox | AsyncSession], Awaitable[RunResult]]") -> RunResult:
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

    def __init__(
        self,
        max_timeout: float,
        max_concurrency: int,
        session_mode: SessionMode = "none",
        allow_packages: bool = False,
    ) -> None:
        self.sandbox = _ToolSandbox(
            session_mode, max_timeout=max_timeout, max_concurrency=max_concurrency, allow_packages=allow_packages
        )
        # Closes the engine when this object is collected, or at interpreter exit if never closed.
        self._finalizer = weakref.finalize(self, self.sandbox.close)

    def close(self) -> None:
        self.sandbox.close()


class RunCodeInput(BaseModel):
    """Arguments of `run_code`."""

    language: CodeLanguage = Field(description=_descriptions.LANGUAGE)
    code: str = Field(description=_descriptions.CODE)
    stdin: str | None = Field(default=None, description=_descriptions.STDIN)
    timeout_seconds: float | None = Field(
        default=None, description=_descriptions.timeout_seconds(models.DEFAULT_TIMEOUT, DEFAULT_MAX_TIMEOUT)
    )


class RunFilesInput(BaseModel):
    """Arguments of `run_fs`."""

    language: AnyLanguage = Field(description=_descriptions.LANGUAGE)
    entry_path: str = Field(description=_descriptions.ENTRY_PATH)
    files: list[FileInput] = Field(description=_descriptions.FILES)
    stdin: str | None = Field(default=None, description=_descriptions.STDIN)
    timeout_seconds: float | None = Field(
        default=None, description=_descriptions.timeout_seconds(models.DEFAULT_TIMEOUT, DEFAULT_MAX_TIMEOUT)
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


class _RunnoTool(BaseTool):
    """What both tools share: the sandbox, the limits, and the error split."""

    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    handle_tool_error: bool | str | Callable[[ToolException], ToolExceptionHandlerOutput] | None = True
    handle_validation_error: bool | str | Callable[[ValidationError | ValidationErrorV1], str] | None = (
        _explain_validation_error
    )
    default_timeout: float = models.DEFAULT_TIMEOUT
    """Seconds a run gets when the model does not say."""
    max_timeout: float = DEFAULT_MAX_TIMEOUT
    """The most seconds a model may ask for; asking for more is a `ToolException`."""
    max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES
    """Bytes kept of each of stdout, stderr and tty; the result says when output was cut."""
    max_concurrency: int = 4
    """Runs in flight at once; further calls wait for a free slot."""
    images_in_content: bool = False
    """Send image files a run wrote to the model as standard image content blocks after the text (for
    chat models that accept images in tool messages); otherwise they are only in the artifact."""
    max_images: int = ImageLimits().max_images
    """With `images_in_content`: image files sent per call; the text names the ones left out."""
    max_image_bytes: int = ImageLimits().max_image_bytes
    """With `images_in_content`: bytes of one image file sent as an image."""
    max_total_image_bytes: int = ImageLimits().max_total_image_bytes
    """With `images_in_content`: bytes of all the images of one call."""
    allow_packages: bool = False
    """Whether Python runs may add pure-Python packages from PyPI (a `packages` argument the model sees)."""

    _shared: _SharedSandbox | None = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _text_description: str = PrivateAttr(default="")
    _image_description: str = PrivateAttr(default="")

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
                self._shared = _SharedSandbox(
                    self.max_timeout, self.max_concurrency, allow_packages=self.allow_packages
                )
            return self._shared.sandbox

    def close(self) -> None:
        """Stop the sandbox's engine, if it started; a later call starts a new one."""
        with self._lock:
            if self._shared is not None:
                self._shared.close()

    def _options(
        self, stdin: str | None, timeout_seconds: float | None, packages: list[str] | None = None
    ) -> RunKwargs:
        timeout = self.default_timeout if timeout_seconds is None else timeout_seconds
        return {"stdin": stdin, "timeout": timeout, "max_output_bytes": self.max_output_bytes, "packages": packages}

    def _answer(self, result: RunResult) -> tuple[Content, RunResult]:
        """The content the model reads and the artifact; image blocks follow the text if asked for."""
        if not self.images_in_content:
            return result.as_text(), result
        limits = ImageLimits(self.max_images, self.max_image_bytes, self.max_total_image_bytes)
        attached, lines = attach_images(
            result.images, result.fs, limits, elsewhere="it is in the tool message's artifact"
        )
        text = result.as_text()
        if lines:
            text += "\n--- images ---\n" + "\n".join(lines)
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

    @model_validator(mode="after")
    def _offer_packages(self) -> "RunCodeTool":
        if self.allow_packages and self.args_schema is RunCodeInput:
            self.args_schema = RunCodePackagesInput
        return self

    def _run(
        self,
        language: str,
        code: str,
        stdin: str | None = None,
        timeout_seconds: float | None = None,
        packages: list[str] | None = None,
        run_manager: CallbackManagerForToolRun | None = None,
    ) -> tuple[Content, RunResult]:
        try:
            options = self._options(stdin, timeout_seconds, packages)
            result = self.sandbox.run(lambda target: target.run_code(language, code, **options))
        except RunnoError as exc:
            raise ToolException(str(exc)) from exc
        return self._answer(result)

    async def _arun(
        self,
        language: str,
        code: str,
        stdin: str | None = None,
        timeout_seconds: float | None = None,
        packages: list[str] | None = None,
        run_manager: AsyncCallbackManagerForToolRun | None = None,
    ) -> tuple[Content, RunResult]:
        try:
            options = self._options(stdin, timeout_seconds, packages)
            result = await self.sandbox.arun(lambda target: target.run_code(language, code, **options))
        except RunnoError as exc:
            raise ToolException(str(exc)) from exc
        return self._answer(result)


class RunFilesTool(_RunnoTool):
    """Run a program with the files it needs; the artifact is the `RunResult`, files written included."""

    name: str = "run_fs"
    description: str = _descriptions.RUN_FS_TEXT
    _text_description: str = PrivateAttr(default=_descriptions.RUN_FS_TEXT)
    _image_description: str = PrivateAttr(default=_descriptions.RUN_FS)
    args_schema: ArgsSchema | None = RunFilesInput  # base-class field type: pyright rejects narrowing

    @model_validator(mode="after")
    def _offer_packages(self) -> "RunFilesTool":
        if self.allow_packages and self.args_schema is RunFilesInput:
            self.args_schema = RunFilesPackagesInput
        return self

    def _run(
        self,
        language: str,
        entry_path: str,
        files: list[FileInput],
        stdin: str | None = None,
        timeout_seconds: float | None = None,
        packages: list[str] | None = None,
        run_manager: CallbackManagerForToolRun | None = None,
    ) -> tuple[Content, RunResult]:
        try:
            fs = decode_files(files)
            options = self._options(stdin, timeout_seconds, packages)
            result = self.sandbox.run(lambda target: target.run_fs(language, entry_path, fs, **options))
        except RunnoError as exc:
            raise ToolException(str(exc)) from exc
        return self._answer(result)

    async def _arun(
        self,
        language: str,
        entry_path: str,
        files: list[FileInput],
        stdin: str | None = None,
        timeout_seconds: float | None = None,
        packages: list[str] | None = None,
        run_manager: AsyncCallbackManagerForToolRun | None = None,
    ) -> tuple[Content, RunResult]:
        try:
            fs = decode_files(files)
            options = self._options(stdin, timeout_seconds, packages)
            result = await self.sandbox.arun(lambda target: target.run_fs(language, entry_path, fs, **options))
        except RunnoError as exc:
            raise ToolException(str(exc)) from exc
        return self._answer(result)


class RunnoToolkit(BaseToolkit):
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

    default_timeout: float = models.DEFAULT_TIMEOUT
    max_timeout: float = DEFAULT_MAX_TIMEOUT
    max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES
    max_concurrency: int = 4
    images_in_content: bool = False
    """Send image files a run wrote to the model as image content blocks (see `RunCodeTool`)."""
    max_images: int = ImageLimits().max_images
    max_image_bytes: int = ImageLimits().max_image_bytes
    max_total_image_bytes: int = ImageLimits().max_total_image_bytes
    session: SessionMode = "none"
    """Whether the tools' runs share state: "none", "files", or "live" (files and a Python interpreter)."""
    allow_packages: bool = False
    """Whether Python runs may add pure-Python packages from PyPI: the tools get a `packages` argument."""

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
            shared = _SharedSandbox(self.max_timeout, self.max_concurrency, self.session, self.allow_packages)
            for tool_type in (RunCodeTool, RunFilesTool):
                tool = tool_type(
                    default_timeout=self.default_timeout,
                    max_timeout=self.max_timeout,
                    max_output_bytes=self.max_output_bytes,
                    max_concurrency=self.max_concurrency,
                    images_in_content=self.images_in_content,
                    max_images=self.max_images,
                    max_image_bytes=self.max_image_bytes,
                    max_total_image_bytes=self.max_total_image_bytes,
                    allow_packages=self.allow_packages,
                )
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
