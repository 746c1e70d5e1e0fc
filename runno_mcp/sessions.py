"""Sessions: files that outlive a run, and Python interpreters that keep their variables.

A session's files live here, in Python, not in the engine: each run of the session gets them
all, and what the run created, changed or deleted is applied back. So a session survives an
engine restart, and one session's timeout or crash never costs another session its files.
A live session also keeps a Python interpreter alive in the engine between its runs (one for
python, one for python-sci), so variables, imports and functions persist like notebook cells;
if that interpreter is lost (a timeout, a crash, an engine restart, the live memory budget),
the next run starts a fresh one and says so.

Owns the session limits (count, idle time to live, bytes and files per session, live
interpreters), ownership (a caller sees only its own sessions), and the blocking twin `Session`.
"""

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

from runno_mcp._calls import (
    FileValue,
    PreparedRun,
    RunKwargs,
    RunOutcome,
    RunRequest,
    cap_files,
    check_code,
    decode_file,
    input_files,
)
from runno_mcp._session_files import SessionFiles
from runno_mcp.errors import (
    InvalidRequestError,
    SessionExpiredError,
    SessionLimitError,
    SessionNotFoundError,
)
from runno_mcp.models import (
    LIVE_RUNTIMES,
    MAX_RETURN_BYTES_LIMIT,
    BinaryFile,
    OutputCallback,
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
    """Live sessions at once: each keeps an interpreter in the engine (python's tens of MB, python-sci's
    hundreds)."""
    max_live_memory_mb: int = Field(default=2048, ge=1)
    """Memory the live sessions may hold together (each is an engine process: python's ~0.1 GB,
    python-sci's ~0.5 GB resident); past it the least recently used idle one is stopped, and its next
    call starts a fresh interpreter and says so (files are kept)."""


class SessionFile(BaseModel):
    """A file held by a session, as `list_files` describes it."""

    path: str
    size: int
    """Bytes."""
    modified: datetime | None = None


COMPILED_RUNTIMES: frozenset[Runtime] = frozenset({"clang", "clangpp"})
"""Runtimes whose linked program a session keeps next to the entry (`/main.c` -> `/main.wasm`)."""


@dataclass
class SessionBackend:
    """What a session needs from its sandbox: check a run (before the session's files change), execute it."""

    prepare: Callable[[RunRequest], Awaitable[PreparedRun]]
    execute: Callable[[PreparedRun, OutputCallback | None], Awaitable[RunOutcome]]
    close_live: Callable[[str], Coroutine[Any, Any, None]]
    task_group: Callable[[], anyio.abc.TaskGroup]


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
        self._files = SessionFiles(
            max_files=registry.limits.max_session_files, max_bytes=registry.limits.max_session_bytes
        )
        self._lock = anyio.Lock()
        self._closed_reason: str | None = None
        self._interpreters: set[str] = set()
        """The runtimes whose live interpreter holds this session's variables (ended well last time)."""
        self._python_on_sci = False
        """A `python` run of this session moved to python-sci: later ones follow, to its variables."""
        self.last_used = registry.clock()

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
        incoming = input_files(fs)
        async with self._use():
            files = self._files.overlay(incoming)
            live_session = self.id if self.live and resolved in LIVE_RUNTIMES else None
            program = _program_path(entry_path) if resolved in COMPILED_RUNTIMES else None
            limits = self._registry.limits
            # The engine brings back every changed file the session could keep; the caller's caps apply after.
            keep_caps = (limits.max_session_files, MAX_RETURN_BYTES_LIMIT)
            follow_sci = self._python_on_sci and resolved == "python"
            request = RunRequest(resolved, entry_path, files, options, live_session, program, keep_caps, follow_sci)
            prepared = await self._registry.backend.prepare(request)
            ran_on = prepared.params.runtime
            self._python_on_sci = self._python_on_sci or (resolved == "python" and ran_on == "python-sci")
            asked = prepared.options
            self._files.replace(files)
            had_interpreter = ran_on in self._interpreters
            self._interpreters.discard(ran_on)  # until the engine says this run ended well
            outcome = await self._registry.backend.execute(prepared, options.get("on_output"))
            result = outcome.result
            warnings = [self._unkept(warning, keep_caps) for warning in result.warnings]
            unkept = self._files.apply(outcome.changed, outcome.deleted)
            warnings += unkept
            if live_session is not None:
                if outcome.live == "evicted":
                    warnings.append(
                        "this run started a fresh interpreter: the session's previous one was stopped to keep the "
                        f"live sessions within {self._registry.limits.max_live_memory_mb} MiB of memory "
                        "(max_live_memory_mb), so variables, imports and functions from earlier runs are gone "
                        "(files are kept)"
                    )
                elif outcome.live == "started" and had_interpreter:
                    warnings.append(
                        "this run started a fresh Python interpreter: the session's previous one is gone (the "
                        "engine restarted, or the program ended it with os._exit), so variables, imports and "
                        "functions from earlier runs are gone (files are kept)"
                    )
                if result.result_type == "complete":
                    self._interpreters.add(ran_on)
            capped = cap_files(self._returned(asked.return_fs, result, program), asked)
            if capped.omitted_files:
                warnings.append(capped.warning(asked))
            return result.model_copy(
                update={
                    "fs": capped.kept,
                    "warnings": warnings,
                    "truncated": result.truncated or bool(unkept) or capped.omitted_files > 0,
                    "omitted_files": result.omitted_files + capped.omitted_files,
                    "omitted_bytes": result.omitted_bytes + capped.omitted_bytes,
                }
            )

    @staticmethod
    def _unkept(warning: str, keep_caps: tuple[int, int]) -> str:
        """The engine's note on files it did not bring back, as a session says it: they are not kept."""
        if "(max_return_files)" not in warning:
            return warning
        counted, _, named = warning.partition(" were not returned: ")
        _, _, left_out = named.partition("; left out: ")
        return (
            f"{counted} were not kept in the session: one run brings back at most {keep_caps[0]} files "
            f"(max_session_files) of {keep_caps[1]} bytes (max_session_bytes, and at most "
            f"{MAX_RETURN_BYTES_LIMIT} per run, what the engine's pipe carries); left out: {left_out}"
        )

    def _returned(
        self, return_fs: ReturnFs, result: RunResult, program: str | None
    ) -> list[tuple[str, StringFile | BinaryFile]]:
        """What a session's run offers its caller, in order: the files it changed (the kept program is the
        session's, like the entry file: not news), then with "all" the session's other files."""
        if return_fs == "none":
            return []
        changed = sorted((path, file) for path, file in result.fs.items() if path != program)
        if return_fs == "changed":
            return changed
        first = {path for path, _ in changed}
        rest = [(path, decode_file(path, file)) for path, file in self._files.items() if path not in first]
        return [*changed, *rest]

    def stream_code(self, runtime: str, code: str | bytes, **options: Unpack[RunKwargs]) -> RunStream:
        """Run like `run_code`, yielding output chunks as they are written, then the `RunResult`."""

        def start(on_output: OutputCallback) -> Awaitable[RunResult]:
            return self.run_code(runtime, code, **{**options, "on_output": on_output})

        return RunStream(start, self._registry.backend.task_group())

    def stream_fs(
        self, runtime: str, entry_path: str, fs: Mapping[str, FileValue], **options: Unpack[RunKwargs]
    ) -> RunStream:
        """Run like `run_fs`, yielding output chunks as they are written, then the `RunResult`."""

        def start(on_output: OutputCallback) -> Awaitable[RunResult]:
            return self.run_fs(runtime, entry_path, fs, **{**options, "on_output": on_output})

        return RunStream(start, self._registry.backend.task_group())

    async def write_files(self, fs: Mapping[str, FileValue]) -> list[SessionFile]:
        """Add or replace files (paths to text, bytes or file models); return what the session now holds.

        Raises:
            SessionExpiredError: the session was closed or expired.
            SessionLimitError: the session would hold too many files or bytes; nothing is written.
            InvalidRequestError: a path or a value is refused.
        """
        incoming = input_files(fs)
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
                return {path: decode_file(path, file) for path, file in self._files.items()}
            found: dict[str, StringFile | BinaryFile] = {}
            for key in paths:
                path = normalize_path(key)
                file = self._files.get(path)
                if file is None:
                    held = ", ".join(path for path, _ in self._files.items()[:20]) or "none"
                    raise InvalidRequestError(f'Cannot read "{path}": the session holds no such file (it has: {held})')
                found[path] = decode_file(path, file)
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
        return [
            SessionFile(
                path=path,
                size=len(file.data),
                modified=None
                if file.mtime_ns is None
                else datetime.fromtimestamp(file.mtime_ns / 1e9, tz=timezone.utc),
            )
            for path, file in self._files.items()
        ]

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
        session.last_used = session._registry.clock()  # pyright: ignore[reportPrivateUsage]
        await session._lock.acquire()  # pyright: ignore[reportPrivateUsage]
        try:
            session._check_open()  # pyright: ignore[reportPrivateUsage]  # closed while we waited
        except BaseException:
            session._lock.release()  # pyright: ignore[reportPrivateUsage]
            raise

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._session.last_used = self._session._registry.clock()  # pyright: ignore[reportPrivateUsage]
        self._session._lock.release()  # pyright: ignore[reportPrivateUsage]


def _program_path(entry_path: str) -> str:
    """Where a session keeps the linked program of `entry_path`: beside it, ending in `.wasm`."""
    return str(PurePosixPath(normalize_path(entry_path)).with_suffix(".wasm"))


@dataclass
class SessionRegistry:
    """The sessions of one sandbox: creation under the limits, lookup by id and owner, expiry."""

    limits: SessionLimits
    backend: SessionBackend
    default_entry: Callable[[Runtime], str]
    clock: Callable[[], float] = anyio.current_time
    """Seconds on a monotonic clock, for idle expiry (tests pass one they move by hand)."""
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
        deadline = self.clock() - self.limits.session_ttl
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
