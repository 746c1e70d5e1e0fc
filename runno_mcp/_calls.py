"""What one call carries between the public API and the engine, checked on the way in and decoded on the way out.

Owns the run options as keyword arguments (`RunKwargs`, a mirror of `RunOptions` plus
`on_output`), the limits on one call's input (code, file count and bytes), a caller's `fs`
turned into bytes (`FileData`), the run a sandbox or session asks for (`RunRequest`), and the
engine's answer turned into a `RunResult` plus what sessions need of it (`RunOutcome`).
"""

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TypedDict

from runno_mcp.engine import LiveState, RunParams, RunResultWire
from runno_mcp.errors import InvalidRequestError
from runno_mcp.models import (
    BinaryFile,
    OutputCallback,
    ReturnFs,
    RunOptions,
    RunResult,
    Runtime,
    StringFile,
    Timestamps,
    normalize_path,
)

__all__ = [
    "MAX_CODE_BYTES",
    "MAX_INPUT_BYTES",
    "MAX_INPUT_FILES",
    "FileData",
    "FileValue",
    "PreparedRun",
    "RunKwargs",
    "RunOutcome",
    "RunRequest",
    "cap_files",
    "check_code",
    "decode_file",
    "input_files",
    "outcome_of",
    "to_bytes",
]

MAX_CODE_BYTES = 16 * 1024 * 1024  # run_code's source (or a wasi module's bytes)
MAX_INPUT_FILES = 5000  # files one call may send
MAX_INPUT_BYTES = 32 * 1024 * 1024  # all files one call sends, together: base64 of it must fit a 64 MiB frame

FileValue = str | bytes | bytearray | memoryview | StringFile | BinaryFile
"""What `fs` may map a path to: text (UTF-8), bytes, or the seed's file models."""


class RunKwargs(TypedDict, total=False):
    """The options of `run_code` / `run_fs` as keyword arguments: the fields of `RunOptions`, where
    their defaults and meanings live, plus `on_output`. An option left out (or None) takes its default."""

    timeout: float | None
    stdin: str | bytes | None
    args: Sequence[str]
    env: Mapping[str, str] | None
    max_output_bytes: int
    memory_limit_mb: int | None
    return_fs: ReturnFs
    max_return_files: int | None
    max_return_bytes: int | None
    packages: Sequence[str] | None
    compiler_flags: Sequence[str] | None
    on_output: OutputCallback | None


@dataclass(frozen=True)
class FileData:
    """A file's exact bytes and, when known, its modification time in nanoseconds since the epoch."""

    data: bytes
    mtime_ns: int | None = None


@dataclass(frozen=True)
class RunRequest:
    """One run as a sandbox or a session asks for it; the sandbox checks it and builds the engine's params."""

    runtime: Runtime
    entry_path: str
    files: Mapping[str, FileData]
    options: RunKwargs
    live_session: str | None = None
    """Run in the engine's live interpreter with this id (python, python-sci), started on first use."""
    keep_program: str | None = None
    """For clang/clangpp: also keep the linked program at this path."""
    keep_caps: tuple[int, int] | None = None
    """For a session, which keeps more than its caller gets back: the files and bytes the engine returns
    (changed files only), instead of the caller's `max_return_files` / `max_return_bytes`."""
    follow_sci: bool = False
    """For a session whose `python` runs moved to python-sci before: a `python` run goes there too, where
    the session's variables are."""


@dataclass(frozen=True)
class PreparedRun:
    """A checked run, ready for the engine (packages mounted); what a session hands back to execute."""

    params: RunParams
    options: RunOptions
    """The caller's options, checked and with their defaults."""
    notes: tuple[str, ...] = ()
    """Warnings the result carries first: why the run went to another runtime than the one asked for."""


@dataclass(frozen=True)
class RunOutcome:
    """What a run produced: the public result, and the file changes a session applies."""

    result: RunResult
    changed: dict[str, FileData] = field(default_factory=dict[str, FileData])
    """The files the run created or changed (what `result.fs` holds), as exact bytes and times."""
    deleted: list[str] = field(default_factory=list[str])
    """Regular files there when the program started and gone at its end, sorted."""
    live: LiveState | None = None
    """For a live run: whether it started a fresh interpreter or continued one."""


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


def input_files(fs: Mapping[str, FileValue]) -> dict[str, FileData]:
    """Check a caller's `fs` (paths, count, total size) and return its files by normalised path.

    Raises:
        InvalidRequestError: a path is refused, two keys name one path, or a limit is passed.
    """
    if not isinstance(fs, Mapping):  # pyright: ignore[reportUnnecessaryIsInstance]: callers send JSON
        raise InvalidRequestError(f"Cannot run: fs must map paths to contents, got {type(fs).__name__}")
    if len(fs) > MAX_INPUT_FILES:
        raise InvalidRequestError(
            f"Cannot run with {len(fs)} files: the limit is {MAX_INPUT_FILES} files (MAX_INPUT_FILES)"
        )
    files: dict[str, FileData] = {}
    total = 0
    for key, value in fs.items():
        path = normalize_path(key)
        if path in files:
            raise InvalidRequestError(f'Cannot run: "{key}" and another key both name "{path}"')
        mtime_ns: int | None = None
        if isinstance(value, StringFile | BinaryFile):
            if value.timestamps is not None:
                mtime_ns = int(value.timestamps.modification.timestamp() * 1_000_000) * 1000
            data = to_bytes(value.content, f'file "{key}"')
        else:
            data = to_bytes(value, f'file "{key}"')
        total += len(data)
        if total > MAX_INPUT_BYTES:
            raise InvalidRequestError(
                f"Cannot run with these files: together they are over the limit of {MAX_INPUT_BYTES} bytes "
                f'(MAX_INPUT_BYTES), reached at "{key}"'
            )
        files[path] = FileData(data, mtime_ns)
    return files


def decode_file(path: str, file: FileData) -> StringFile | BinaryFile:
    """A `StringFile` when the bytes are valid UTF-8, else a `BinaryFile`."""
    timestamps = None
    if file.mtime_ns is not None:
        moment = datetime.fromtimestamp(file.mtime_ns / 1e9, tz=timezone.utc)
        timestamps = Timestamps(access=moment, modification=moment, change=moment)
    try:
        return StringFile(path=path, content=file.data.decode("utf-8"), timestamps=timestamps)
    except UnicodeDecodeError:
        return BinaryFile(path=path, content=file.data, timestamps=timestamps)


def outcome_of(wire: RunResultWire) -> RunOutcome:
    """The `RunOutcome` of the engine's answer: its files decoded from base64 once."""
    changed = {
        file.path: FileData(base64.b64decode(file.content), None if file.mtime_ns is None else int(file.mtime_ns))
        for file in wire.files
    }
    result = RunResult(
        result_type=wire.result_type,
        stdout=wire.stdout,
        stderr=wire.stderr,
        tty=wire.tty,
        exit_code=wire.exit_code,
        failed_step=wire.failed_step,
        fs={path: decode_file(path, file) for path, file in changed.items()},
        truncated=wire.truncated,
        warnings=wire.warnings,
        omitted_files=wire.omitted_files,
        omitted_bytes=wire.omitted_bytes,
        duration_ms=wire.duration_ms,
        error=wire.error,
    )
    return RunOutcome(result, changed, wire.deleted, wire.live)


@dataclass(frozen=True)
class CappedFiles:
    """Files within a result's caps, and what was left out: counted, the first few named."""

    kept: dict[str, StringFile | BinaryFile]
    omitted_files: int = 0
    omitted_bytes: int = 0
    examples: list[str] = field(default_factory=list[str])

    def warning(self, options: RunOptions) -> str:
        """The words the engine uses for the same cut (engine-ts/src/run_outcome.ts `omittedWarning`)."""
        more = self.omitted_files - len(self.examples)
        named = ", ".join(f'"{path}"' for path in self.examples) + (f" and {more} more" if more > 0 else "")
        return (
            f"{self.omitted_files} file(s) the run wrote ({self.omitted_bytes} bytes) were not returned: a result "
            f"carries at most {options.max_return_files} files (max_return_files) of {options.max_return_bytes} "
            f"bytes in all (max_return_bytes), changed files first, then by path; left out: {named}"
        )


OMITTED_EXAMPLES = 5  # paths of omitted files named in the warning, as the engine does


def cap_files(ordered: list[tuple[str, StringFile | BinaryFile]], options: RunOptions) -> CappedFiles:
    """Keep files in the given order while `max_return_files` and `max_return_bytes` allow, as the engine
    does for a run's result; used where Python assembles a result itself (a session's files)."""
    kept: dict[str, StringFile | BinaryFile] = {}
    omitted = omitted_bytes = 0
    examples: list[str] = []
    budget = options.max_return_bytes
    for path, file in ordered:
        size = len(file.content.encode("utf-8") if isinstance(file, StringFile) else file.content)
        if len(kept) >= options.max_return_files or size > budget:
            omitted, omitted_bytes = omitted + 1, omitted_bytes + size
            if len(examples) < OMITTED_EXAMPLES:
                examples.append(path)
            continue
        budget -= size
        kept[path] = file
    return CappedFiles(kept, omitted, omitted_bytes, examples)
