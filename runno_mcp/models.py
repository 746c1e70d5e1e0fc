"""Pydantic types of the public API: runtimes and aliases, files, run options, run results.

Owns the rules a caller's input must follow (runtime names, file paths, option ranges)
and the shape of what comes back (`RunResult`, which always serialises to JSON).
"""

import base64
import re
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    computed_field,
    field_serializer,
    field_validator,
    model_validator,
)
from typing_extensions import Self

from runno_mcp._image_sniff import ImageType, sniff_image
from runno_mcp.errors import InvalidRequestError, UnknownRuntimeError

__all__ = [
    "ALIASES",
    "COMPILER_FEATURES",
    "LIVE_RUNTIMES",
    "MAX_ARGS",
    "MAX_ARGS_ENV_BYTES",
    "MAX_COMPILER_FLAGS",
    "MAX_ENV",
    "MAX_MEMORY_LIMIT_MB",
    "RUNTIMES",
    "BinaryFile",
    "File",
    "ImageType",
    "OutputCallback",
    "PrepareStep",
    "ResultType",
    "ReturnFs",
    "RunImage",
    "RunOptions",
    "RunResult",
    "Runtime",
    "RuntimeInfo",
    "StringFile",
    "Timestamps",
    "file_bytes",
    "find_images",
    "normalize_path",
    "resolve_runtime",
    "run_default",
]

Runtime = Literal["clang", "clangpp", "php-cgi", "python", "python-sci", "quickjs", "ruby", "sqlite", "wasi"]
"""A runtime id; `wasi` runs a caller's own WASI preview 1 `.wasm` file; `python-sci` (numpy,
pandas, matplotlib, ...) is installed on request (`runno-mcp install python-sci`)."""

RUNTIMES: tuple[Runtime, ...] = get_args(Runtime)

ALIASES: dict[str, Runtime] = {
    "c": "clang",
    "c++": "clangpp",
    "cpp": "clangpp",
    "javascript": "quickjs",
    "js": "quickjs",
    "php": "php-cgi",
    "sql": "sqlite",
}
"""Other names the API accepts for a runtime."""

LIVE_RUNTIMES: frozenset[Runtime] = frozenset({"python", "python-sci"})
"""Runtimes whose interpreter a live session keeps between runs; other runtimes share its files only."""

ResultType = Literal["complete", "crash", "terminated", "timeout"]
PrepareStep = Literal["compile", "link"]
"""A step that makes a program (clang, clangpp) before it runs."""
ReturnFs = Literal["changed", "all", "none"]

OutputCallback = Callable[[Literal["stdout", "stderr"], bytes], None]
"""Called with the stream and the bytes as a program writes them (`on_output`)."""

MAX_OUTPUT_BYTES_LIMIT = 8 * 1024 * 1024  # per stream: three streams must fit one 64 MiB frame
MAX_MEMORY_LIMIT_MB = 4096  # wasm32 cannot address more
MAX_RETURN_BYTES_LIMIT = 24 * 1024 * 1024  # base64 of it and three capped streams must fit one 64 MiB frame
MAX_RETURN_FILES_LIMIT = 100_000  # no more than the engine lets one run create
MAX_ARGS = 4096  # arguments one run may pass; the engine holds requests to the same (protocol.ts)
MAX_ENV = 4096  # environment variables one run may set
MAX_ARGS_ENV_BYTES = 1024 * 1024  # their UTF-8 bytes together, as exec's "k=v\0" strings: half of Linux's ARG_MAX
MAX_COMPILER_FLAGS = 64  # compiler_flags one run may pass; the engine holds requests to the same (protocol.ts)
MAX_COMPILER_FLAG_CHARS = 256

COMPILER_FEATURES = (
    "builtin",
    "fast-math",
    "inline",
    "omit-frame-pointer",
    "rtti",
    "signed-char",
    "strict-aliasing",
    "unroll-loops",
    "unsigned-char",
    "wrapv",
)
"""The `-f` features (and their `-fno-` forms) `compiler_flags` may switch: code generation and language
choices; the output, target, sysroot and plugins stay the sandbox's, and exceptions stay off (the
sysroot's C++ library has none: docs/engine.md)."""

_COMPILER_FLAG = re.compile(
    r"-std=[a-z0-9+:]+"  # the language standard; clang says which it knows
    r"|-O[0-3sgz]?"
    r"|-[DU][A-Za-z_][A-Za-z0-9_]*(=.*)?"  # macros
    r"|-W(?![lap],)[A-Za-z0-9=+_-]+|-w|-pedantic(-errors)?"  # warnings, never -Wl, / -Wa, / -Wp, pass-throughs
    r"|-g[0-3]?"
    rf"|-f(no-)?({'|'.join(re.escape(feature) for feature in COMPILER_FEATURES)})"
    r"|-l[A-Za-z0-9_+.-]+"  # a library the sysroot has; the linker names one it lacks
    r"|-I/[^\0]*",  # an include folder among the run's files
    re.DOTALL,
)
MAX_PATH_BYTES = 4096
MAX_COMPONENT_BYTES = 255


def resolve_runtime(name: str) -> Runtime:
    """Return the runtime id that `name` or its alias stands for.

    Raises:
        UnknownRuntimeError: `name` is neither a runtime id nor an alias.
    """
    key = name.strip().lower()
    for runtime in RUNTIMES:
        if key == runtime:
            return runtime
    if key in ALIASES:
        return ALIASES[key]
    aliases = ", ".join(sorted(ALIASES))
    raise UnknownRuntimeError(
        f'Cannot run "{name}": known runtimes are {", ".join(RUNTIMES)} (also accepted: {aliases})'
    )


def normalize_path(key: str) -> str:
    """Return `key` as an absolute POSIX path inside the sandbox, taking a relative key from `/`.

    Raises:
        InvalidRequestError: the key is empty, holds a NUL byte or a `..` segment, names the
            root or a directory, or has a component over 255 bytes or a length over 4096 bytes.
    """
    if not key:
        raise InvalidRequestError('Cannot use an empty file path: give a path such as "/main.py"')
    if "\0" in key:
        raise InvalidRequestError(f"Cannot use file path {key!r}: it holds a NUL byte")
    segments = [segment for segment in key.split("/") if segment not in ("", ".")]
    if ".." in segments:
        raise InvalidRequestError(f'Cannot use file path "{key}": ".." segments are not allowed')
    if not segments or key.endswith("/"):
        raise InvalidRequestError(f'Cannot use file path "{key}": it names a directory, not a file')
    for segment in segments:
        size = len(segment.encode("utf-8", "surrogatepass"))
        if size > MAX_COMPONENT_BYTES:
            raise InvalidRequestError(
                f'Cannot use file path "{key[:80]}...": a component is {size} bytes, over the limit of '
                f"{MAX_COMPONENT_BYTES}"
            )
    path = "/" + "/".join(segments)
    size = len(path.encode("utf-8", "surrogatepass"))
    if size > MAX_PATH_BYTES:
        raise InvalidRequestError(
            f'Cannot use file path "{key[:80]}...": it is {size} bytes, over the limit of {MAX_PATH_BYTES}'
        )
    return path


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean_text(text: str) -> str:
    """Replace lone surrogates, which no JSON encoder accepts, with U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


class Timestamps(BaseModel):
    """A file's times, as the seed `runno` package carries them."""

    access: datetime
    modification: datetime
    change: datetime


class StringFile(BaseModel):
    """A text file: `content` is its UTF-8 text."""

    path: str
    content: str
    mode: Literal["string"] = "string"
    timestamps: Timestamps | None = None

    @field_validator("content")
    @classmethod
    def _clean_content(cls, value: str) -> str:
        return _clean_text(value)


class BinaryFile(BaseModel):
    """A file of any bytes; JSON carries `content` as base64."""

    path: str
    content: bytes
    mode: Literal["binary"] = "binary"
    timestamps: Timestamps | None = None

    @field_validator("content", mode="before")
    @classmethod
    def _decode_json_base64(cls, value: object, info: ValidationInfo) -> object:
        if info.mode == "json" and isinstance(value, str):
            return base64.b64decode(value, validate=True)
        return value

    @field_serializer("content", when_used="json")
    def _encode_base64(self, value: bytes) -> str:
        return base64.b64encode(value).decode("ascii")


File = Annotated[StringFile | BinaryFile, Field(discriminator="mode")]
"""A file in `RunResult.fs`: text that is valid UTF-8, bytes otherwise."""


def file_bytes(file: StringFile | BinaryFile) -> bytes:
    """The bytes of `file`: its text as UTF-8, or its binary content."""
    return file.content.encode("utf-8") if isinstance(file, StringFile) else file.content


class RunImage(BaseModel):
    """An image file a run wrote; its bytes are `RunResult.fs[path]`."""

    path: str
    mime_type: ImageType
    """Found from the file's first bytes (its signature), never from its name."""
    size_bytes: int
    width: int | None = None
    """Pixels, read from the file's header; None when the header is cut short."""
    height: int | None = None


def find_images(fs: dict[str, StringFile | BinaryFile]) -> list[RunImage]:
    """The PNG, JPEG, GIF and WebP files among `fs`, by their first bytes, sorted by path."""
    images: list[RunImage] = []
    for path, file in sorted(fs.items()):
        # PNG and JPEG signatures are never valid UTF-8; GIF and WebP ones are ASCII, so a tiny one could be text.
        if isinstance(file, StringFile) and not file.content.startswith(("GIF8", "RIFF")):
            continue
        data = file_bytes(file)
        found = sniff_image(data)
        if found is not None:
            mime_type, size = found
            width, height = size if size is not None else (None, None)
            images.append(RunImage(path=path, mime_type=mime_type, size_bytes=len(data), width=width, height=height))
    return images


class RunOptions(BaseModel):
    """The options of one run: the one place their defaults and bounds are written.

    `run_code`, `run_fs`, sessions, the MCP tools, the LangChain tools, `runno-mcp run` and
    the engine's pre-booted interpreters all take their defaults from these fields
    (`run_default`); a sandbox may bound `timeout` and `memory_limit_mb` further
    (`max_timeout`, `max_memory_limit_mb`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    timeout: float = Field(default=10.0, gt=0, allow_inf_nan=False)
    """Seconds for the whole run, compile and link included."""
    stdin: str | bytes | None = None
    """What the program reads on standard input; none means end of input at once."""
    args: list[str] = Field(default_factory=list[str])
    """Extra arguments for the program, after its entry file."""
    env: dict[str, str] = Field(default_factory=dict[str, str])
    """The guest's environment variables; the host's are never passed."""
    max_output_bytes: int = Field(default=64 * 1024, ge=0, le=MAX_OUTPUT_BYTES_LIMIT)
    """Bytes kept of each of stdout, stderr and tty; the rest is dropped and `truncated` set."""
    memory_limit_mb: int = Field(default=512, ge=1, le=MAX_MEMORY_LIMIT_MB)
    """Cap on the guest program's linear memory, in MiB; the compiler step has its own allowance."""
    return_fs: ReturnFs = "changed"
    """Which files come back: those the run created or changed, all, or none."""
    max_return_files: int = Field(default=1000, ge=0, le=MAX_RETURN_FILES_LIMIT)
    """Files the result carries at most: changed files first, each group in path order; the rest are
    counted in `omitted_files` and named in `warnings`."""
    max_return_bytes: int = Field(default=16 * 1024 * 1024, ge=0, le=MAX_RETURN_BYTES_LIMIT)
    """Bytes of file content the result carries at most; a file that would pass it is left out (counted
    in `omitted_bytes`), a smaller one after it may still fit."""
    packages: list[str] | None = None
    """Pure-Python packages from PyPI to import, as requirement strings (`["rich>=13"]`), with their
    dependencies; only where the sandbox allows them (see `runno_mcp.packages` for their limits)."""
    compiler_flags: list[str] = Field(default_factory=list[str])
    """For clang and clangpp: flags added to the compile (and, for `-l`, the link) after the runtime's own, so
    they win: `-std=c++17`, `-O0`..`-O3`/`-Os`/`-Oz`, `-DNAME[=value]`, `-UNAME`, `-W<warning>`, `-w`,
    `-pedantic[-errors]`, `-g`, `-f[no-]<feature>` of `COMPILER_FEATURES`, `-l<library>` and `-I/<folder>`.
    Flags that would move the output, the target or the sysroot are refused."""

    @field_validator("args")
    @classmethod
    def _check_args(cls, value: list[str]) -> list[str]:
        if len(value) > MAX_ARGS:
            raise ValueError(f"{len(value)} arguments are over the limit of {MAX_ARGS}; pass data in a file or stdin")
        for arg in value:
            if "\0" in arg:
                raise ValueError(f"argument {arg[:40]!r} holds a NUL byte")
        return value

    @field_validator("env")
    @classmethod
    def _check_env(cls, value: dict[str, str]) -> dict[str, str]:
        if len(value) > MAX_ENV:
            raise ValueError(f"{len(value)} environment variables are over the limit of {MAX_ENV}")
        for name, setting in value.items():
            if not name or "=" in name or "\0" in name:
                raise ValueError(f'variable name "{name[:40]}" must be non-empty, without "=" or NUL')
            if "\0" in setting:
                raise ValueError(f'the value of "{name[:40]}" holds a NUL byte')
        return value

    @field_validator("compiler_flags")
    @classmethod
    def _check_compiler_flags(cls, value: list[str]) -> list[str]:
        if len(value) > MAX_COMPILER_FLAGS:
            raise ValueError(f"{len(value)} flags are over the limit of {MAX_COMPILER_FLAGS}")
        for flag in value:
            if len(flag) > MAX_COMPILER_FLAG_CHARS or "\0" in flag:
                raise ValueError(f"flag {flag[:40]!r} is longer than {MAX_COMPILER_FLAG_CHARS} characters or holds NUL")
            if _COMPILER_FLAG.fullmatch(flag) is None:
                raise ValueError(
                    f"flag {flag!r} is not one the sandbox passes on: use -std=, -O<level>, -D, -U, -W<warning>, -w, "
                    f"-pedantic, -g, -f[no-]<{'|'.join(COMPILER_FEATURES)}>, -l<library> or -I/<folder>, each "
                    "as one item (-DNAME=value, not -D NAME); the sandbox chooses the output, target and sysroot"
                )
        return value

    @model_validator(mode="after")
    def _check_args_env_bytes(self) -> Self:
        size = sum(len(arg.encode("utf-8", "surrogatepass")) + 1 for arg in self.args) + sum(
            len(f"{name}={setting}".encode("utf-8", "surrogatepass")) + 1 for name, setting in self.env.items()
        )
        if size > MAX_ARGS_ENV_BYTES:
            raise ValueError(
                f"args and env take {size} bytes, over the limit of {MAX_ARGS_ENV_BYTES}; pass data in a file or stdin"
            )
        return self


def run_default(option: str) -> Any:
    """The default of the `RunOptions` field `option`, read when called: one edit of the model moves it everywhere."""
    return RunOptions.model_fields[option].get_default(call_default_factory=True)


class RunResult(BaseModel):
    """What one run produced; a guest that fails, traps or times out is a result, not an exception."""

    # The schema shows what the JSON holds: `images` (computed from `fs`) and binary content as base64 text.
    model_config = ConfigDict(json_schema_mode_override="serialization")

    result_type: ResultType
    """"complete" (the program exited), "timeout", "crash" (trap, engine death) or "terminated"."""
    stdout: str = ""
    stderr: str = ""
    tty: str = ""
    """stdout and stderr interleaved, as a terminal shows them."""
    exit_code: int | None = None
    failed_step: PrepareStep | None = None
    """"compile" or "link" when that step failed and the program never ran (a compile error: its
    messages are in stderr, `exit_code` is the compiler's); None when the program itself ran."""
    fs: dict[str, File] = Field(default_factory=dict[str, StringFile | BinaryFile])
    """Files the run created or changed (by default), keyed by absolute path."""
    truncated: bool = False
    """Whether any output or file was cut by a cap; `warnings` says what."""
    omitted_files: int = 0
    """Files the run wrote that `max_return_files` / `max_return_bytes` left out of `fs`."""
    omitted_bytes: int = 0
    """Their bytes."""
    warnings: list[str] = Field(default_factory=list[str])
    duration_ms: float = 0.0
    error: str | None = None
    """Why a crash or termination happened; None otherwise."""

    @computed_field
    @property
    def images(self) -> list[RunImage]:
        """The image files among `fs` (PNG, JPEG, GIF, WebP), found by their first bytes, sorted by path.

        Computed from `fs` whenever read or serialised; the bytes are only in `fs`.
        """
        return find_images(self.fs)

    @field_validator("stdout", "stderr", "tty", "error")
    @classmethod
    def _clean_streams(cls, value: str | None) -> str | None:
        return None if value is None else _clean_text(value)

    def as_text(self) -> str:
        """Return a compact plain-text account of the run, for a model that reads only text."""
        lines: list[str] = []
        match self.result_type:
            case "complete" if self.failed_step is not None:
                lines.append(
                    f"result: {self.failed_step} error (exit code {self.exit_code}), the program did not run"
                    + _quoted(_first_error_line(self.stderr))
                )
            case "complete" if self.exit_code:
                lines.append(f"result: failed, exit code {self.exit_code}" + _quoted(_last_error_line(self.stderr)))
            case "complete":
                lines.append(f"result: complete, exit code {self.exit_code}")
            case "timeout":
                lines.append("result: timeout: the program did not finish within its time limit (output so far below)")
            case "crash" | "terminated":
                lines.append(f"result: {self.result_type}: {self.error or 'no detail'}")
        if self.stdout:
            lines += ["--- stdout ---", self.stdout.rstrip("\n")]
        if self.stderr:
            lines += ["--- stderr ---", self.stderr.rstrip("\n")]
        if not self.stdout and not self.stderr:
            lines.append("(no output)")
        if self.fs:
            lines.append("--- files ---")
            images = {image.path: image for image in self.images}
            for path, file in sorted(self.fs.items()):
                size = len(file_bytes(file))
                kind = "text" if isinstance(file, StringFile) else "binary"
                image = images.get(path)
                if image is not None:
                    kind = image.mime_type
                    if image.width is not None and image.height is not None:
                        kind += f", {image.width}x{image.height}"
                lines.append(f"{path} ({kind}, {size} bytes)")
        lines.extend(f"note: {warning}" for warning in self.warnings)
        return "\n".join(lines)


_QUOTED_LINE_CHARS = 200


def _quoted(line: str | None) -> str:
    if not line:
        return ""
    return ": " + (line if len(line) <= _QUOTED_LINE_CHARS else line[: _QUOTED_LINE_CHARS - 3] + "...")


def _first_error_line(stderr: str) -> str | None:
    """A compiler's first diagnostic ("/main.c:3:5: error: ..."), else its first line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return next((line for line in lines if "error" in line), lines[0] if lines else None)


def _last_error_line(stderr: str) -> str | None:
    """What a failed program said last at the margin: Python's exception line, Ruby's message, the
    error of a JavaScript stack trace (its indented "at" lines skipped)."""
    lines = [line.rstrip() for line in stderr.splitlines() if line.strip() and not line[0].isspace()]
    return lines[-1] if lines else None


class RuntimeInfo(BaseModel):
    """A runtime as `list_runtimes` describes it."""

    id: Runtime
    language: str
    version: str
    entry: str
    """The file `run_code` writes the code to."""
    aliases: list[str]
    live_sessions: bool = False
    """Whether a live session keeps this runtime's interpreter between runs, so variables persist."""
    preinstalled: list[str] = []
    """Packages the runtime can import as it is, as `name==version` (python-sci's data stack)."""
    optional: bool = False
    """Installed only on request (`runno-mcp install <id>`), not with the main language files."""
    packages_allowed: bool = False
    """Whether runs may add pure-Python packages from PyPI (`packages=`): the runtime takes them and
    the sandbox's operator enabled them."""
