"""Sessions: files that outlive a run, and Python interpreters that keep their variables.

A session's files live here, in Python, not in the engine: each run of the session gets them
all, and what the run created, changed or deleted is applied back. So a session survives an
engine restart, and one session's timeout or crash never costs another session its files.
A live session also keeps one CPython interpreter alive in the engine between its Python runs,
so variables, imports and functions persist like notebook cells; if that interpreter is lost
(a timeout, a crash, an engine restart), the next run starts a fresh one and says so.

Owns the session limits (count, idle time to live, bytes and files per session, live
interpreters), ownership (a caller sees only its own sessions), and the blocking twin `Session`.
"""

import base64
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import PurePosixPath
from types import TracebackType
from typing import Any, Protocol, TypeVar

import anyio
import anyio.abc
from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import Unpack

from runno_mcp._calls import FileValue, RunKwargs, check_code, decode_file, to_result, wire_files, with_output
from runno_mcp.engine._protocol import RunParams, RunResultWire, WireFile
from runno_mcp.engine.engine import OutputCallback
from runno_mcp.errors import (
    InvalidRequestError,
    SessionExpiredError,
    SessionLimitError,
    SessionNotFoundError,
)
from runno_mcp.models import (
    LIVE_RUNTIMES,
    BinaryFile,
    ReturnFs,
    RunResult,
    Runtime,
    StringFile,
    normalize_path,
    resolve_runtime,
)
from runno_mcp.streaming import RunStream

__all__ = [
    "AsyncSession",
    "Session",
    "SessionBackend",
    "SessionFile",
    "SessionLimits",
    "SessionRegistry",
]

T = TypeVar("T")

EXPIRED_IDS_REMEMBERED = 4096  # ids kept after expiry or close, so a late call hears why


class SessionLimits(BaseModel):
    """What the sessions of one sandbox may hold; the operator sets them on the sandbox."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_sessions: int = Field(default=64, ge=1)
    """Open sessions at once; creating one more is refused (nothing is evicted)."""
    session_ttl: float = Field(default=1800.0, gt=0, allow_inf_nan=False)
    """Seconds a session may sit unused before it expires and its files are dropped."""
    max_session_bytes: int = Field(default=32 * 1024 * 1024, ge=0)
    """Bytes of files one session may hold."""
    max_session_files: int = Field(default=5000, ge=0)
    """Files one session may hold."""
    max_live_sessions: int = Field(default=4, ge=0)
    """Live sessions at once: each keeps an interpreter (tens of MB) in the engine."""


class SessionFile(BaseModel):
    """A file held by a session, as `list_files` describes it."""

    path: str
    size: int
    """Bytes."""
    modified: datetime | None = None


Prepare = Callable[[Runtime, str, list[WireFile], RunKwargs, "str | None", "str | None"], Awaitable[RunParams]]
"""Builds a run's wire params: (runtime, entry, files, options, live session id, where to keep the program)."""

COMPILED_RUNTIMES: frozenset[Runtime] = frozenset({"clang", "clangpp"})
"""Runtimes whose linked program a session keeps next to the entry (`/main.c` -> `/main.wasm`)."""
Execute = Callable[[RunParams, OutputCallback | None], Awaitable[RunResultWire]]
CloseLive = Callable[[str], Coroutine[Any, Any, None]]


@dataclass
class SessionBackend:
    """What a session needs from its sandbox."""

    prepare: Prepare
    execute: Execute
    close_live: CloseLive
    task_group: Callable[[], anyio.abc.TaskGroup]


class _Files:
    """A session's files, as wire files (base64 content), with their total size checked."""

    def __init__(self, limits: SessionLimits) -> None:
        self._limits = limits
        self._files: dict[str, WireFile] = {}
        self._sizes: dict[str, int] = {}

    @property
    def total_bytes(self) -> int:
        return sum(self._sizes.values())

    def overlay(self, incoming: list[WireFile]) -> dict[str, WireFile]:
        """The session's files with `incoming` written over them.

        Raises:
            SessionLimitError: the result would hold more files or bytes than the session may.
        """
        merged = {**self._files, **{file.path: file for file in incoming}}
        sizes = {**self._sizes, **{file.path: _size(file) for file in incoming}}
        self._check(len(merged), sum(sizes.values()))
        return merged

    def replace(self, files: dict[str, WireFile]) -> None:
        self._files = dict(files)
        self._sizes = {path: _size(file) for path, file in files.items()}

    def apply(self, changed: list[WireFile], deleted: list[str]) -> list[str]:
        """Apply what a run changed; return warnings naming files that did not fit."""
        for path in deleted:
            self._files.pop(path, None)
            self._sizes.pop(path, None)
        warnings: list[str] = []
        total = self.total_bytes
        for file in sorted(changed, key=lambda file: file.path):
            size = _size(file)
            new_total = total - self._sizes.get(file.path, 0) + size
            new_count = len(self._files) + (file.path not in self._files)
            if new_total > self._limits.max_session_bytes or new_count > self._limits.max_session_files:
                warnings.append(
                    f'file "{file.path}" ({size} bytes) was not kept in the session: a session holds at most '
                    f"{self._limits.max_session_files} files of {self._limits.max_session_bytes} bytes in all"
                )
                continue
            self._files[file.path] = file
            self._sizes[file.path] = size
            total = new_total
        return warnings

    def all(self) -> list[WireFile]:
        return [self._files[path] for path in sorted(self._files)]

    def get(self, path: str) -> WireFile | None:
        return self._files.get(path)

    def _check(self, count: int, total: int) -> None:
        if count > self._limits.max_session_files:
            raise SessionLimitError(
                f"Cannot store {count} files in the session: it holds at most {self._limits.max_session_files} "
                "files (max_session_files)"
            )
        if total > self._limits.max_session_bytes:
            raise SessionLimitError(
                f"Cannot store {total} bytes of files in the session: it holds at most "
                f"{self._limits.max_session_bytes} bytes (max_session_bytes); send less or start a new session"
            )


def _size(file: WireFile) -> int:
    padding = file.content[-2:].count("=")
    return len(file.content) * 3 // 4 - padding


class AsyncSession:
    """Runs that share files, and, for a live session, one Python interpreter.

    Create one with `AsyncSandbox.session()`; use it as an async context manager, or call
    `close()` when done (it also expires after `session_ttl` seconds unused).

    ```python
    async with sandbox.session(live=True) as session:
        await session.write_files({"/data.csv": "a,b\\n1,2\\n"})
        await session.run_code("python", "import csv\\nrows = list(csv.reader(open('/data.csv')))")
        result = await session.run_code("python", "print(len(rows))")  # rows is still defined
    ```

    Calls on one session run one at a time, in the order they were made.
    """

    def __init__(self, session_id: str, *, live: bool, owner: str | None, registry: "SessionRegistry") -> None:
        self.id = session_id
        self.live = live
        self.owner = owner
        self._registry = registry
        self._files = _Files(registry.limits)
        self._lock = anyio.Lock()
        self._closed_reason: str | None = None
        self._interpreter_running = False
        self.last_used = anyio.current_time()

    async def __aenter__(self) -> "AsyncSession":
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @property
    def closed(self) -> bool:
        return self._closed_reason is not None

    @property
    def busy(self) -> bool:
        return self._lock.locked()

    @property
    def total_bytes(self) -> int:
        """Bytes of files the session holds."""
        return self._files.total_bytes

    async def run_code(self, runtime: str, code: str | bytes, **options: Unpack[RunKwargs]) -> RunResult:
        """Write `code` to the runtime's entry file in the session and run it; as `AsyncSandbox.run_code`.

        The entry file stays in the session, like every file the run writes. In a live session,
        Python code runs in the session's interpreter, in the `__main__` namespace earlier runs used.

        Raises:
            SessionExpiredError: the session was closed or expired.
            SessionLimitError: the session would hold too many files or bytes.
            InvalidRequestError, SandboxBusyError, EngineError: as `AsyncSandbox.run_code`.
        """
        resolved = resolve_runtime(runtime)
        check_code(resolved, code)
        entry = self._registry.default_entry(resolved)
        return await self.run_fs(resolved, entry, {entry: code}, **options)

    async def run_fs(
        self, runtime: str, entry_path: str, fs: Mapping[str, FileValue], **options: Unpack[RunKwargs]
    ) -> RunResult:
        """Write `fs` into the session and run `entry_path`, which may be a file the session already holds.

        Takes the options of `AsyncSandbox.run_fs`. `return_fs="all"` returns every file of the
        session after the run; the session keeps what the run wrote either way.

        Raises:
            SessionExpiredError: the session was closed or expired.
            SessionLimitError: the session would hold too many files or bytes.
            InvalidRequestError, SandboxBusyError, EngineError: as `AsyncSandbox.run_fs`.
        """
        resolved = resolve_runtime(runtime)
        incoming = wire_files(fs)
        async with self._use():
            files = self._files.overlay(incoming)
            on_output = options.pop("on_output", None)
            return_fs: ReturnFs = options.pop("return_fs", "changed")
            live_session = self.id if self.live and resolved in LIVE_RUNTIMES else None
            program = _program_path(entry_path) if resolved in COMPILED_RUNTIMES else None
            params = await self._registry.backend.prepare(
                resolved, entry_path, list(files.values()), {**options, "return_fs": "changed"}, live_session, program
            )
            self._files.replace(files)
            had_interpreter = self._interpreter_running
            self._interpreter_running = False  # until the engine says this run ended well
            wire = await self._registry.backend.execute(params, on_output)
            result = to_result(wire)
            warnings = [
                warning + " and is not kept in the session" if warning.startswith("file ") else warning
                for warning in result.warnings
            ]
            warnings += self._files.apply(wire.files, wire.deleted)
            if live_session is not None:
                if wire.live == "started" and had_interpreter:
                    warnings.append(
                        "this run started a fresh Python interpreter: the session's previous one is gone (the "
                        "engine restarted, or the program ended it with os._exit), so variables, imports and "
                        "functions from earlier runs are gone (files are kept)"
                    )
                self._interpreter_running = wire.result_type == "complete"
            # The kept program is the session's, like the entry file: not news for the caller.
            fs_out = (
                {path: file for path, file in result.fs.items() if path != program} if return_fs == "changed" else {}
            )
            if return_fs == "all":
                fs_out = {file.path: _decode(file) for file in self._files.all()}
            return result.model_copy(
                update={"fs": fs_out, "warnings": warnings, "truncated": result.truncated or len(warnings) > 0}
            )

    def stream_code(self, runtime: str, code: str | bytes, **options: Unpack[RunKwargs]) -> RunStream:
        """Run like `run_code`, yielding output chunks as they are written, then the `RunResult`."""

        def start(on_output: OutputCallback) -> Awaitable[RunResult]:
            return self.run_code(runtime, code, **with_output(options, on_output))

        return RunStream(start, self._registry.backend.task_group())

    def stream_fs(
        self, runtime: str, entry_path: str, fs: Mapping[str, FileValue], **options: Unpack[RunKwargs]
    ) -> RunStream:
        """Run like `run_fs`, yielding output chunks as they are written, then the `RunResult`."""

        def start(on_output: OutputCallback) -> Awaitable[RunResult]:
            return self.run_fs(runtime, entry_path, fs, **with_output(options, on_output))

        return RunStream(start, self._registry.backend.task_group())

    async def write_files(self, fs: Mapping[str, FileValue]) -> list[SessionFile]:
        """Add or replace files (paths to text, bytes or file models); return what the session now holds.

        Raises:
            SessionExpiredError: the session was closed or expired.
            SessionLimitError: the session would hold too many files or bytes; nothing is written.
            InvalidRequestError: a path or a value is refused.
        """
        incoming = wire_files(fs)
        async with self._use():
            self._files.replace(self._files.overlay(incoming))
            return self._listing()

    async def read_files(self, paths: Sequence[str] | None = None) -> dict[str, StringFile | BinaryFile]:
        """The session's files at `paths` (all of them when None), keyed by absolute path.

        Raises:
            SessionExpiredError: the session was closed or expired.
            InvalidRequestError: a path is refused or names no file in the session.
        """
        async with self._use():
            if paths is None:
                return {file.path: _decode(file) for file in self._files.all()}
            found: dict[str, StringFile | BinaryFile] = {}
            for key in paths:
                path = normalize_path(key)
                file = self._files.get(path)
                if file is None:
                    held = ", ".join(file.path for file in self._files.all()[:20]) or "none"
                    raise InvalidRequestError(f'Cannot read "{path}": the session holds no such file (it has: {held})')
                found[path] = _decode(file)
            return found

    async def list_files(self) -> list[SessionFile]:
        """Path, size and modification time of every file the session holds, in path order.

        Raises:
            SessionExpiredError: the session was closed or expired.
        """
        async with self._use():
            return self._listing()

    async def close(self) -> None:
        """Drop the session's files and stop its interpreter; later calls raise `SessionExpiredError`."""
        await self._registry.close(self, "it was closed")

    def _listing(self) -> list[SessionFile]:
        listing: list[SessionFile] = []
        for file in self._files.all():
            modified = None
            if file.mtime_ns is not None:
                modified = datetime.fromtimestamp(int(file.mtime_ns) / 1e9, tz=timezone.utc)
            listing.append(SessionFile(path=file.path, size=_size(file), modified=modified))
        return listing

    def _use(self) -> "_InUse":
        return _InUse(self)

    def _check_open(self) -> None:
        if self._closed_reason is not None:
            raise SessionExpiredError(f'Session "{self.id}" is gone: {self._closed_reason}; create a new session')

    def _mark_closed(self, reason: str) -> None:
        self._closed_reason = reason
        self._files.replace({})


class _InUse:
    """Holds a session's lock for one call, keeping its idle clock from running out meanwhile."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def __aenter__(self) -> None:
        session = self._session
        session._check_open()  # pyright: ignore[reportPrivateUsage]
        session.last_used = anyio.current_time()
        await session._lock.acquire()  # pyright: ignore[reportPrivateUsage]
        try:
            session._check_open()  # pyright: ignore[reportPrivateUsage]  # closed while we waited
        except BaseException:
            session._lock.release()  # pyright: ignore[reportPrivateUsage]
            raise

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._session.last_used = anyio.current_time()
        self._session._lock.release()  # pyright: ignore[reportPrivateUsage]


def _program_path(entry_path: str) -> str:
    """Where a session keeps the linked program of `entry_path`: beside it, ending in `.wasm`."""
    return str(PurePosixPath(normalize_path(entry_path)).with_suffix(".wasm"))


def _decode(file: WireFile) -> StringFile | BinaryFile:
    return decode_file(file.path, base64.b64decode(file.content), file.mtime_ns)


@dataclass
class SessionRegistry:
    """The sessions of one sandbox: creation under the limits, lookup by id and owner, expiry."""

    limits: SessionLimits
    backend: SessionBackend
    default_entry: Callable[[Runtime], str]
    _sessions: dict[str, AsyncSession] = field(default_factory=dict[str, AsyncSession])
    _gone: "OrderedDict[str, str]" = field(default_factory=lambda: OrderedDict[str, str]())

    def create(self, *, live: bool, owner: str | None) -> AsyncSession:
        """Open a session.

        Raises:
            SessionLimitError: `max_sessions` sessions (or `max_live_sessions` live ones) are open.
        """
        self.sweep()
        if len(self._sessions) >= self.limits.max_sessions:
            raise SessionLimitError(
                f"Cannot create a session: {len(self._sessions)} are open, the most this sandbox allows "
                "(max_sessions); close one you no longer need"
            )
        if live:
            live_count = sum(session.live for session in self._sessions.values())
            if live_count >= self.limits.max_live_sessions:
                raise SessionLimitError(
                    f"Cannot create a live session: {live_count} are open, the most this sandbox allows "
                    "(max_live_sessions); close one, or use a session without live=True (files are kept, "
                    "variables are not)"
                )
        session_id = secrets.token_urlsafe(12)
        session = AsyncSession(session_id, live=live, owner=owner, registry=self)
        self._sessions[session_id] = session
        return session

    def get(self, session_id: str, *, owner: str | None) -> AsyncSession:
        """The open session `session_id` of `owner`.

        Raises:
            SessionExpiredError: it was closed or expired.
            SessionNotFoundError: no session of `owner` has that id.
        """
        self.sweep()
        session = self._sessions.get(session_id)
        if session is not None and session.owner == owner:
            return session
        reason = self._gone.get(f"{owner}\0{session_id}")
        if reason is not None:
            raise SessionExpiredError(f'Session "{session_id}" is gone: {reason}; create a new session')
        raise SessionNotFoundError(f'No session "{session_id}": create one first (sessions are per client)')

    def owned_by(self, owner: str | None) -> list[AsyncSession]:
        self.sweep()
        return [session for session in self._sessions.values() if session.owner == owner]

    @property
    def live_count(self) -> int:
        return sum(session.live for session in self._sessions.values())

    @property
    def open_count(self) -> int:
        return len(self._sessions)

    def sweep(self) -> None:
        """Expire sessions unused for `session_ttl` seconds (never one in the middle of a call)."""
        deadline = anyio.current_time() - self.limits.session_ttl
        for session in list(self._sessions.values()):
            if session.last_used < deadline and not session.busy:
                reason = f"it expired after {self.limits.session_ttl:g} s unused (session_ttl)"
                self._forget(session, reason)
                if session.live:
                    self.backend.task_group().start_soon(self.backend.close_live, session.id)

    async def close(self, session: AsyncSession, reason: str) -> None:
        if session.closed:
            return
        self._forget(session, reason)
        if session.live:
            await self.backend.close_live(session.id)

    def close_all(self, reason: str) -> None:
        """Mark every session gone (the engine, and its interpreters, are going away)."""
        for session in list(self._sessions.values()):
            self._forget(session, reason)

    def _forget(self, session: AsyncSession, reason: str) -> None:
        self._sessions.pop(session.id, None)
        session._mark_closed(reason)  # pyright: ignore[reportPrivateUsage]
        self._gone[f"{session.owner}\0{session.id}"] = reason
        while len(self._gone) > EXPIRED_IDS_REMEMBERED:
            self._gone.popitem(last=False)


class _Caller(Protocol):
    def __call__(self, func: Callable[[], Awaitable[T]]) -> T: ...


class Session:
    """The blocking twin of `AsyncSession`, from `Sandbox.session()`; use `with` or call `close()`."""

    def __init__(self, session: AsyncSession, call: _Caller) -> None:
        self._session = session
        self._call = call

    @property
    def id(self) -> str:
        return self._session.id

    @property
    def live(self) -> bool:
        return self._session.live

    def __enter__(self) -> "Session":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def run_code(self, runtime: str, code: str | bytes, **options: Unpack[RunKwargs]) -> RunResult:
        """As `AsyncSession.run_code`, blocking until the run ends."""
        return self._call(lambda: self._session.run_code(runtime, code, **options))

    def run_fs(
        self, runtime: str, entry_path: str, fs: Mapping[str, FileValue], **options: Unpack[RunKwargs]
    ) -> RunResult:
        """As `AsyncSession.run_fs`, blocking until the run ends."""
        return self._call(lambda: self._session.run_fs(runtime, entry_path, fs, **options))

    def write_files(self, fs: Mapping[str, FileValue]) -> list[SessionFile]:
        """As `AsyncSession.write_files`."""
        return self._call(lambda: self._session.write_files(fs))

    def read_files(self, paths: Sequence[str] | None = None) -> dict[str, StringFile | BinaryFile]:
        """As `AsyncSession.read_files`."""
        return self._call(lambda: self._session.read_files(paths))

    def list_files(self) -> list[SessionFile]:
        """As `AsyncSession.list_files`."""
        return self._call(self._session.list_files)

    def close(self) -> None:
        """As `AsyncSession.close`."""
        self._call(self._session.close)
