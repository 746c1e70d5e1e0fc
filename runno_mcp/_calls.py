"""What one call carries between the public API and the wire, checked on the way in and decoded on the way out.

Owns the run options as keyword arguments (`RunKwargs`), the limits on one call's input (code,
stdin, file count and bytes), turning a caller's `fs` mapping into wire files, and turning the
engine's answer into a `RunResult`.
"""

import base64
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import TypedDict

from runno_mcp.engine._protocol import RunResultWire, WireFile
from runno_mcp.engine.engine import OutputCallback
from runno_mcp.errors import InvalidRequestError
from runno_mcp.models import BinaryFile, ReturnFs, RunResult, Runtime, StringFile, Timestamps, normalize_path

__all__ = [
    "MAX_CODE_BYTES",
    "MAX_INPUT_BYTES",
    "MAX_INPUT_FILES",
    "MAX_STDIN_BYTES",
    "FileValue",
    "RunKwargs",
    "b64",
    "check_code",
    "decode_file",
    "to_bytes",
    "to_result",
    "wire_files",
    "with_output",
]

MAX_CODE_BYTES = 16 * 1024 * 1024  # run_code's source (or a wasi module's bytes)
MAX_STDIN_BYTES = 16 * 1024 * 1024
MAX_INPUT_FILES = 5000  # files one call may send
MAX_INPUT_BYTES = 32 * 1024 * 1024  # all files one call sends, together: base64 of it must fit a 64 MiB frame

FileValue = str | bytes | bytearray | memoryview | StringFile | BinaryFile
"""What `fs` may map a path to: text (UTF-8), bytes, or the seed's file models."""


class RunKwargs(TypedDict, total=False):
    """The options of `run_code` / `run_fs`, as keyword arguments (see `AsyncSandbox.run_code`)."""

    timeout: float | None
    stdin: str | bytes | None
    args: Sequence[str]
    env: Mapping[str, str] | None
    max_output_bytes: int
    memory_limit_mb: int
    return_fs: ReturnFs
    on_output: OutputCallback | None
    packages: Sequence[str] | None


def b64(data: bytes) -> str:
    """Base64 text of `data`, as bytes cross the pipe."""
    return base64.b64encode(data).decode("ascii")


def to_bytes(value: object, what: str) -> bytes:
    """The bytes of `value` (text is UTF-8); `what` names it in the error.

    Raises:
        InvalidRequestError: `value` is neither text nor bytes, or its text is not valid Unicode.
    """
    if isinstance(value, str):
        try:
            return value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidRequestError(f"Cannot send {what}: its text is not valid Unicode: {exc}") from None
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    if isinstance(value, memoryview):
        return value.tobytes()
    raise InvalidRequestError(f"Cannot send {what}: expected str or bytes, got {type(value).__name__}")


def check_code(runtime: Runtime, code: object) -> None:
    """Refuse source that is too large, or a `wasi` module given as text.

    Raises:
        InvalidRequestError: the code cannot be run as given.
    """
    if runtime == "wasi" and isinstance(code, str):
        raise InvalidRequestError("Cannot run wasi code given as text: pass the module's bytes (a .wasm file)")
    size = len(to_bytes(code, "code"))
    if size > MAX_CODE_BYTES:
        raise InvalidRequestError(
            f"Cannot run code of {size} bytes: the limit is {MAX_CODE_BYTES} bytes (MAX_CODE_BYTES)"
        )


def wire_files(fs: Mapping[str, FileValue]) -> list[WireFile]:
    """Check a caller's `fs` (paths, count, total size) and turn it into wire files.

    Raises:
        InvalidRequestError: a path is refused, two keys name one path, or a limit is passed.
    """
    if not isinstance(fs, Mapping):  # pyright: ignore[reportUnnecessaryIsInstance]: callers send JSON
        raise InvalidRequestError(f"Cannot run: fs must map paths to contents, got {type(fs).__name__}")
    if len(fs) > MAX_INPUT_FILES:
        raise InvalidRequestError(
            f"Cannot run with {len(fs)} files: the limit is {MAX_INPUT_FILES} files (MAX_INPUT_FILES)"
        )
    files: dict[str, WireFile] = {}
    total = 0
    for key, value in fs.items():
        path = normalize_path(key)
        if path in files:
            raise InvalidRequestError(f'Cannot run: "{key}" and another key both name "{path}"')
        mtime_ns: str | None = None
        if isinstance(value, StringFile | BinaryFile):
            if value.timestamps is not None:
                mtime_ns = str(int(value.timestamps.modification.timestamp() * 1_000_000) * 1000)
            data = to_bytes(value.content, f'file "{key}"')
        else:
            data = to_bytes(value, f'file "{key}"')
        total += len(data)
        if total > MAX_INPUT_BYTES:
            raise InvalidRequestError(
                f"Cannot run with these files: together they are over the limit of {MAX_INPUT_BYTES} bytes "
                f'(MAX_INPUT_BYTES), reached at "{key}"'
            )
        files[path] = WireFile(path=path, content=b64(data), mtime_ns=mtime_ns)
    return list(files.values())


def decode_file(path: str, data: bytes, mtime_ns: str | None) -> StringFile | BinaryFile:
    """A `StringFile` when `data` is valid UTF-8, else a `BinaryFile`."""
    timestamps = None
    if mtime_ns is not None:
        moment = datetime.fromtimestamp(int(mtime_ns) / 1e9, tz=timezone.utc)
        timestamps = Timestamps(access=moment, modification=moment, change=moment)
    try:
        return StringFile(path=path, content=data.decode("utf-8"), timestamps=timestamps)
    except UnicodeDecodeError:
        return BinaryFile(path=path, content=data, timestamps=timestamps)


def to_result(wire: RunResultWire) -> RunResult:
    """The public `RunResult` of the engine's answer."""
    return RunResult(
        result_type=wire.result_type,
        stdout=wire.stdout,
        stderr=wire.stderr,
        tty=wire.tty,
        exit_code=wire.exit_code,
        fs={file.path: decode_file(file.path, base64.b64decode(file.content), file.mtime_ns) for file in wire.files},
        truncated=wire.truncated,
        warnings=wire.warnings,
        duration_ms=wire.duration_ms,
        error=wire.error,
    )


def with_output(options: RunKwargs, on_output: OutputCallback) -> RunKwargs:
    """`options` with `on_output` set, for a run that streams."""
    return {**options, "on_output": on_output}
