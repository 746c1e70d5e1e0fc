"""The sandbox: run code in one long-lived engine from async code, blocking code, or one call.

Owns checking a call's arguments (runtime, paths, options) before anything reaches the
engine, the concurrency limit, the time budget's backstop, turning the engine's answer
into a `RunResult`, the blocking twin `Sandbox` (a portal thread), and the default sandbox
behind module-level `run_code` / `run_fs`, started on first use and closed at exit.
"""

import atexit
import threading
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import Future
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import TypedDict, TypeVar

import anyio
import anyio.abc
import anyio.to_thread
from anyio.from_thread import BlockingPortal, start_blocking_portal
from pydantic import ValidationError
from typing_extensions import Unpack

from runno_mcp import _host_memory, _sci_imports, derived, langs, packages
from runno_mcp._calls import (
    MAX_CODE_BYTES,
    MAX_INPUT_BYTES,
    MAX_INPUT_FILES,
    FileValue,
    PreparedRun,
    RunKwargs,
    RunOutcome,
    RunRequest,
    check_code,
    input_files,
    outcome_of,
)
from runno_mcp._run_params import (
    MAX_STDIN_BYTES,
    Bounds,
    build_run_params,
    check_options,
    describe_problems,
    is_mounted,
)
from runno_mcp.engine import STARTUP_TIMEOUT, EngineCells, EngineOptions, RunResultWire
from runno_mcp.errors import EngineError, InvalidRequestError, SandboxBusyError
from runno_mcp.models import (
    MAX_MEMORY_LIMIT_MB,
    OutputCallback,
    RunResult,
    Runtime,
    RuntimeInfo,
    resolve_runtime,
    run_default,
)
from runno_mcp.sessions import AsyncSession, Session, SessionBackend, SessionLimits, SessionRegistry
from runno_mcp.streaming import RunStream

__all__ = [
    "MAX_CODE_BYTES",
    "MAX_INPUT_BYTES",
    "MAX_INPUT_FILES",
    "MAX_STDIN_BYTES",
    "AsyncSandbox",
    "FileValue",
    "OutputCallback",
    "RunKwargs",
    "Sandbox",
    "SandboxKwargs",
    "SandboxStats",
    "run_code",
    "run_fs",
]

T = TypeVar("T")


class SandboxKwargs(TypedDict, total=False):
    """The arguments of `AsyncSandbox` and `Sandbox`."""

    max_concurrency: int
    max_queue: int
    max_timeout: float
    max_memory_limit_mb: int
    langs_dir: Path | None
    install: bool
    startup_timeout: float
    warm: Sequence[str]
    snapshot_ahead: Sequence[str] | None
    max_sessions: int
    session_ttl: float
    max_session_bytes: int
    max_session_files: int
    max_live_sessions: int
    max_live_memory_mb: int
    allow_packages: bool
    max_package_bytes: int
    packages_dir: Path | None
    wheelhouse: Path | None


@dataclass(frozen=True)
class SandboxStats:
    """What a sandbox is doing right now, for health checks and metrics."""

    runs_in_flight: int
    """Runs holding a slot (executing in the engine)."""
    runs_waiting: int
    """Calls waiting for a free slot."""
    sessions_open: int
    live_sessions_open: int
    engine_pid: int | None
    """The primary cell's process id while it runs (see `runno_mcp.engine.cells`)."""
    engine_starts: int
    """Cell processes started so far: the first, cells for concurrent runs and live sessions, and each
    that replaced a dead, wedged or retired one."""
    engine_pids: tuple[int, ...] = ()
    """Every running cell's process id."""


DEFAULT_MAX_CONCURRENCY = 4
DEFAULT_MAX_QUEUE = 256  # calls waiting for a slot before further calls are refused as busy
# Runtimes whose snapshot the primary engine takes at start, so even their first run skips the boot.
DEFAULT_SNAPSHOT_AHEAD: tuple[str, ...] = ("python",)
# Seconds: the largest `timeout` a call of the Python API may ask for. Tools bound it lower (see
# tools/_policy.py): a model waits on its call, scripts may run long jobs.
DEFAULT_MAX_TIMEOUT = 300.0
BACKSTOP_GRACE = 5.0  # seconds past a run's timeout before Python gives up on the engine's answer
MAX_SWEEP_INTERVAL = 60.0  # seconds between looks for expired sessions


class AsyncSandbox:
    """Runs programs in one engine; safe to share between tasks.

    ```python
    async with AsyncSandbox(max_concurrency=4) as sandbox:
        result = await sandbox.run_code("python", "print(6 * 7)")
    ```

    Args:
        max_concurrency: runs executing at once; further calls wait for a slot (waiting is
            not counted in their timeout).
        max_queue: calls that may wait for a slot at once; a call past it raises
            `SandboxBusyError` instead of waiting.
        max_timeout: the largest `timeout`, in seconds, a call may ask for; a call that does not
            say gets `RunOptions`' default, or this if lower.
        max_memory_limit_mb: the largest `memory_limit_mb` a call may ask for (default: what
            wasm32 can address); a call that does not say gets the default, or this if lower.
        langs_dir: folder of language files (default: `RUNNO_MCP_LANGS_DIR`, else the user cache).
        install: install missing language files on start (unless `RUNNO_MCP_OFFLINE=1`).
        startup_timeout: seconds the engine has to answer its handshake.
        warm: runtimes the engine prepares at start, so their first run is fast.
        snapshot_ahead: runtimes whose snapshot is taken when the sandbox starts rather than at
            their first run (default `DEFAULT_SNAPSHOT_AHEAD`). Every run of a runtime marked
            `snapshot` with the default entry, args and env resumes its booted interpreter from
            that snapshot (docs/engine.md); `()` takes each at its first run.
        max_sessions: sessions open at once (default 64); `session()` past it raises
            `SessionLimitError`, and no other session is evicted to make room.
        session_ttl: seconds a session may sit unused before it expires (default 1,800).
        max_session_bytes: bytes of files one session may hold (default 32 MiB).
        max_session_files: files one session may hold (default 5,000).
        max_live_sessions: live sessions open at once (default 4); each keeps a Python
            interpreter in the engine's memory.
        max_live_memory_mb: memory the live sessions may hold together (default 2,048 MiB). Each
            is an engine process (python's ~0.1 GB resident, python-sci's ~0.5 GB); past it the
            least recently used idle one is stopped, and its session's next run starts a fresh
            interpreter and warns (files are kept).
        allow_packages: let calls add pure-Python packages from PyPI (`packages=`), resolved
            with pip on the host and mounted read-only in the guest (off by default).
        max_package_bytes: unpacked bytes of packages one run may mount (default 24 MiB).
        packages_dir: the package cache (default: `RUNNO_MCP_PACKAGES_DIR`, else the user cache).
        wheelhouse: a folder of wheels to resolve packages from, offline (`pip --no-index
            --find-links`); default: `RUNNO_MCP_WHEELHOUSE`, else pip's configured index.
    """

    def __init__(
        self,
        *,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        max_queue: int = DEFAULT_MAX_QUEUE,
        max_timeout: float = DEFAULT_MAX_TIMEOUT,
        max_memory_limit_mb: int = MAX_MEMORY_LIMIT_MB,
        langs_dir: Path | None = None,
        install: bool = True,
        startup_timeout: float = STARTUP_TIMEOUT,
        warm: Sequence[str] = (),
        snapshot_ahead: Sequence[str] | None = None,
        max_sessions: int = SessionLimits().max_sessions,
        session_ttl: float = SessionLimits().session_ttl,
        max_session_bytes: int = SessionLimits().max_session_bytes,
        max_session_files: int = SessionLimits().max_session_files,
        max_live_sessions: int = SessionLimits().max_live_sessions,
        max_live_memory_mb: int = SessionLimits().max_live_memory_mb,
        allow_packages: bool = False,
        max_package_bytes: int = packages.DEFAULT_MAX_PACKAGE_BYTES,
        packages_dir: Path | None = None,
        wheelhouse: Path | None = None,
    ) -> None:
        if max_concurrency < 1:
            raise InvalidRequestError(
                f"Cannot create a sandbox: max_concurrency must be at least 1 (got {max_concurrency})"
            )
        if max_queue < 0:
            raise InvalidRequestError(f"Cannot create a sandbox: max_queue must be at least 0 (got {max_queue})")
        if not max_timeout > 0:
            raise InvalidRequestError(f"Cannot create a sandbox: max_timeout must be above 0 (got {max_timeout})")
        if not 1 <= max_memory_limit_mb <= MAX_MEMORY_LIMIT_MB:
            raise InvalidRequestError(
                f"Cannot create a sandbox: max_memory_limit_mb must be from 1 to {MAX_MEMORY_LIMIT_MB} "
                f"(got {max_memory_limit_mb})"
            )
        try:
            session_limits = SessionLimits(
                max_sessions=max_sessions,
                session_ttl=session_ttl,
                max_session_bytes=max_session_bytes,
                max_session_files=max_session_files,
                max_live_sessions=max_live_sessions,
                max_live_memory_mb=max_live_memory_mb,
            )
        except ValidationError as exc:
            raise InvalidRequestError(f"Cannot create a sandbox: {describe_problems(exc)}") from None
        self.max_concurrency = max_concurrency
        self.max_queue = max_queue
        self.max_timeout = max_timeout
        self.max_memory_limit_mb = max_memory_limit_mb
        self._langs_dir = langs_dir
        self._install = install
        self._startup_timeout = startup_timeout
        self._warm = tuple(resolve_runtime(name) for name in warm)
        self._snapshot_ahead = tuple(
            resolve_runtime(name) for name in (DEFAULT_SNAPSHOT_AHEAD if snapshot_ahead is None else snapshot_ahead)
        )
        self._manifest = langs.load_manifest()
        self.allow_packages = allow_packages
        self.max_package_bytes = max_package_bytes
        self.packages = packages.PackageResolver(
            cache_dir=packages_dir or packages.packages_dir(), wheelhouse=wheelhouse or packages.wheelhouse_dir()
        )
        self._slots = anyio.Semaphore(max_concurrency)
        self._engine: EngineCells | None = None
        self._task_group: anyio.abc.TaskGroup | None = None
        self._sessions = SessionRegistry(
            session_limits,
            SessionBackend(
                prepare=self._prepare, execute=self._execute, close_live=self._close_live, task_group=self._tasks
            ),
            self._default_entry,
        )

    async def __aenter__(self) -> "AsyncSandbox":
        target = self._langs_dir or langs.langs_dir(self._manifest)
        if self._install:
            first_install = bool(langs.missing_files(target, self._manifest))
            await anyio.to_thread.run_sync(langs.ensure_installed, target, self._manifest)
            # Snapshot binaries: with the language files' first download (about a minute more), else
            # in the background, the runtimes missing one booting per run until it lands. Built files
            # (the SQLite shell, minutes) always land in the background; sqlite is not installed until then.
            if first_install:
                await anyio.to_thread.run_sync(lambda: derived.derive(self._manifest, target=target, build=False))
            if derived.missing_derived(self._manifest, target=target):
                derived.derive_in_background(self._manifest, target)
        engine = EngineCells(self._engine_options(target), self.max_concurrency)
        task_group = anyio.create_task_group()
        await task_group.__aenter__()
        try:
            await engine.__aenter__()
            try:
                await engine.start()
            except BaseException as exc:
                await engine.__aexit__(type(exc), exc, exc.__traceback__)
                raise
        except BaseException:
            task_group.cancel_scope.cancel()
            await task_group.__aexit__(None, None, None)
            raise
        self._engine, self._task_group = engine, task_group
        task_group.start_soon(self._sweep_sessions)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        engine, self._engine = self._engine, None
        task_group, self._task_group = self._task_group, None
        self._sessions.close_all("the sandbox was closed")
        try:
            if engine is not None:  # entered after the task group: exited before it
                await engine.__aexit__(exc_type, exc, tb)
        finally:
            if task_group is not None:
                task_group.cancel_scope.cancel()  # the sweeper, and streams whose runs end with the engine
                await task_group.__aexit__(None, None, None)

    def _engine_options(self, langs_dir: Path) -> EngineOptions:
        """How this sandbox starts its engine; the engine's default memory cap is `RunOptions`'."""
        return EngineOptions(
            langs_dir=langs_dir,
            manifest_path=langs.manifest_path(),
            startup_timeout=self._startup_timeout,
            pool_size=self.max_concurrency,
            warm=self._warm,
            snapshot_ahead=self._snapshot_ahead,
            derived_dir=derived.derived_dir(),
            memory_limit_mb=run_default("memory_limit_mb"),
            live_memory_mb=self._sessions.limits.max_live_memory_mb,
        )

    @property
    def engine_pid(self) -> int | None:
        """The engine process's id while one runs (for diagnostics and tests)."""
        return None if self._engine is None else self._engine.pid

    @property
    def session_limits(self) -> SessionLimits:
        """What the sessions of this sandbox may hold."""
        return self._sessions.limits

    def stats(self) -> SandboxStats:
        """Runs in flight and waiting, open sessions, and the engine's process; cheap, never blocks."""
        engine = self._engine
        return SandboxStats(
            runs_in_flight=self.max_concurrency - self._slots.value,
            runs_waiting=self._slots.statistics().tasks_waiting,
            sessions_open=self._sessions.open_count,
            live_sessions_open=self._sessions.live_count,
            engine_pid=None if engine is None else engine.pid,
            engine_starts=0 if engine is None else engine.starts,
            engine_pids=() if engine is None else tuple(engine.pids),
        )

    async def ping(self) -> None:
        """Wait for the engine to answer a no-op; an engine that died is restarted first, as for a run.

        Raises:
            EngineError: the sandbox is not started, or the engine cannot start or answer.
        """
        await self._running().ping()

    async def list_runtimes(self) -> list[RuntimeInfo]:
        """Describe the runtimes whose language files the engine found."""
        info = await self._running().start()
        installed = {runtime.id for runtime in info.runtimes if runtime.installed}
        return [
            runtime.model_copy(update={"packages_allowed": self._packages_allowed(runtime.id)})
            for runtime in langs.runtime_infos(self._manifest)
            if runtime.id in installed
        ]

    def session(self, *, live: bool = False, owner: str | None = None) -> AsyncSession:
        """Open a session: runs that share files, and with `live=True` one Python interpreter.

        Args:
            live: keep a Python interpreter alive between this session's runs of python, and
                another for python-sci, so variables, imports and functions persist; other
                runtimes share the files only. Live sessions together are held to
                `max_live_memory_mb`.
            owner: who may find the session again with `get_session` (servers pass the client).

        Raises:
            SessionLimitError: `max_sessions` sessions (or `max_live_sessions` live ones) are open.
            EngineError: the sandbox is not started.
        """
        self._running()
        return self._sessions.create(live=live, owner=owner)

    def get_session(self, session_id: str, *, owner: str | None = None) -> AsyncSession:
        """The open session `session_id` that `owner` created.

        Raises:
            SessionExpiredError: it was closed or sat unused past `session_ttl`.
            SessionNotFoundError: `owner` has no session with that id.
        """
        return self._sessions.get(session_id, owner=owner)

    def sessions(self, *, owner: str | None = None) -> list[AsyncSession]:
        """The open sessions `owner` created."""
        return self._sessions.owned_by(owner)

    async def run_code(self, runtime: str, code: str | bytes, **options: Unpack[RunKwargs]) -> RunResult:
        """Write `code` to the runtime's default entry file (`/main.py`, ...) and run it.

        Args:
            runtime: a runtime id or alias (`python`, `js`, `c`, ...); for `wasi`, `code` is
                the bytes of a WASI preview 1 module.
            code: the program's source, at most `MAX_CODE_BYTES` (16 MiB) once encoded.
            **options: the fields of `RunOptions`, which holds their defaults and meanings:
                `timeout` (seconds, compile and link included; at most `max_timeout`), `stdin`
                (at most `MAX_STDIN_BYTES`, 16 MiB), `args`, `env` (the host's is never passed),
                `max_output_bytes` (per stream), `memory_limit_mb` (at most
                `max_memory_limit_mb`), `return_fs` ("changed", "all", "none"), `packages`
                (pure-Python requirement strings; only with `allow_packages=True`, for runtimes
                that take them); and `on_output`, called with ("stdout" | "stderr", bytes) as
                the program writes. An option left out, or None, takes its default.

        Raises:
            InvalidRequestError: an argument is out of range or over its limit;
                `UnknownRuntimeError` for an unknown runtime; `PackageError` for packages that
                cannot be added.
            SandboxBusyError: every slot is taken and `max_queue` calls already wait.
            LanguageNotInstalledError: the runtime's files are missing.
            EngineError: the engine cannot be started.
        """
        resolved = resolve_runtime(runtime)
        check_code(resolved, code)
        entry = self._default_entry(resolved)
        return await self.run_fs(resolved, entry, {entry: code}, **options)

    async def run_fs(
        self, runtime: str, entry_path: str, fs: Mapping[str, FileValue], **options: Unpack[RunKwargs]
    ) -> RunResult:
        """Run `entry_path` from the files `fs` (absolute POSIX paths to text, bytes or file models).

        Takes the same options as `run_code`. At most `MAX_INPUT_FILES` (5,000) files of
        `MAX_INPUT_BYTES` (32 MiB) together may be sent; paths follow `normalize_path`'s rules.

        Raises:
            InvalidRequestError: a path, an option or a size is refused, or the entry is not in `fs`.
            SandboxBusyError: every slot is taken and `max_queue` calls already wait.
            LanguageNotInstalledError: the runtime's files are missing.
            EngineError: the engine cannot be started.
        """
        request = RunRequest(resolve_runtime(runtime), entry_path, input_files(fs), options)
        outcome = await self._execute(await self._prepare(request), options.get("on_output"))
        return outcome.result

    def stream_code(self, runtime: str, code: str | bytes, **options: Unpack[RunKwargs]) -> RunStream:
        """Run like `run_code`, yielding `OutputChunk`s as the program writes, then its `RunResult`.

        ```python
        async for event in sandbox.stream_code("python", code):
            print(event.text if isinstance(event, OutputChunk) else event.result_type)
        ```

        The chunks of each stream concatenate to the result's `stdout` / `stderr`. Errors the
        run raises (`InvalidRequestError`, ...) are raised by the iteration.
        """

        def start(on_output: OutputCallback) -> Awaitable[RunResult]:
            return self.run_code(runtime, code, **{**options, "on_output": on_output})

        return RunStream(start, self._tasks())

    def stream_fs(
        self, runtime: str, entry_path: str, fs: Mapping[str, FileValue], **options: Unpack[RunKwargs]
    ) -> RunStream:
        """Run like `run_fs`, yielding `OutputChunk`s as the program writes, then its `RunResult`."""

        def start(on_output: OutputCallback) -> Awaitable[RunResult]:
            return self.run_fs(runtime, entry_path, fs, **{**options, "on_output": on_output})

        return RunStream(start, self._tasks())

    async def _prepare(self, request: RunRequest) -> PreparedRun:
        """Check a run's options and files and build the engine's params, packages mounted; a `python`
        run that imports the data stack goes to python-sci (`_sci_imports`)."""
        options = check_options(request.options, Bounds(self.max_timeout, self.max_memory_limit_mb))
        request, notes = self._routed(request, adds_packages=bool(options.packages))
        spec = self._manifest.runtimes.get(request.runtime)
        mounted = None
        if options.packages:
            mounted = await packages.mount_for_run(
                self.packages,
                options.packages,
                runtime=request.runtime,
                manifest=self._manifest,
                allowed=self.allow_packages,
                live=request.live_session is not None,
                max_bytes=self.max_package_bytes,
            )
        params = build_run_params(
            request.runtime,
            request.entry_path,
            request.files,
            options,
            spec=spec,
            mounted=mounted,
            live_session=request.live_session,
            keep_program=request.keep_program,
        )
        if request.keep_caps is not None:
            files, size = request.keep_caps
            params = params.model_copy(
                update={"return_fs": "changed", "max_return_files": files, "max_return_bytes": size}
            )
        return PreparedRun(params, options, notes)

    def _routed(self, request: RunRequest, *, adds_packages: bool) -> tuple[RunRequest, tuple[str, ...]]:
        """The request on python-sci when it is a `python` run that needs it and python-sci is installed,
        with the warning that says so; else the request as it came."""
        if request.runtime != "python" or not self._installed("python-sci"):
            return request, ()
        if request.follow_sci:
            return replace(request, runtime="python-sci"), (_sci_imports.session_note(),)
        files = {path: file.data for path, file in request.files.items()}
        modules = _sci_imports.sci_imports(files, adds_packages=adds_packages)
        if not modules:
            return request, ()
        return replace(request, runtime="python-sci"), (_sci_imports.routed_note(modules),)

    def _installed(self, runtime: Runtime) -> bool:
        target = self._langs_dir or langs.langs_dir(self._manifest)
        return runtime in self._manifest.runtimes and not langs.missing_files(target, self._manifest, runtime)

    def _noted(self, prepared: PreparedRun, outcome: RunOutcome) -> RunOutcome:
        """The outcome with the run's notes first and, for a `python` run that missed a module python-sci
        has, where to find it."""
        result = outcome.result
        warnings = [*prepared.notes, *result.warnings]
        if prepared.params.runtime == "python" and result.exit_code not in (None, 0):
            hint = _sci_imports.missing_sci_hint(result.stderr, installed=self._installed("python-sci"))
            warnings += [hint] if hint is not None else []
        if len(warnings) == len(result.warnings):
            return outcome
        return replace(outcome, result=result.model_copy(update={"warnings": warnings}))

    async def _execute(self, prepared: PreparedRun, on_output: OutputCallback | None) -> RunOutcome:
        """Run in a free slot, with Python's own timeout as a backstop; mounted packages never come
        back as the run's files."""
        engine = self._running()
        _host_memory.check_host_memory(prepared.params.runtime, self._manifest)
        params = prepared.params.model_copy(update={"stream_output": on_output is not None})
        timeout = params.timeout_ms / 1000
        if self._slots.value == 0 and self._slots.statistics().tasks_waiting >= self.max_queue:
            raise SandboxBusyError(
                f"Cannot run now: all {self.max_concurrency} slots are busy and {self.max_queue} calls already "
                "wait (max_queue); try again later"
            )
        async with self._slots:  # waiting for a slot, or for a cell to start, is not part of the run's time budget
            wire = await engine.run(params, on_output, backstop=timeout + BACKSTOP_GRACE)
        if wire is None:
            await engine.ensure_responsive()  # a wedged engine is replaced before the next run
            wire = RunResultWire(
                result_type="crash",
                error=(
                    f"The engine did not end the run within {BACKSTOP_GRACE:g} s after its {timeout:g} s "
                    "timeout; the run was cancelled"
                ),
            )
        if any(is_mounted(file.path) for file in wire.files) or any(is_mounted(path) for path in wire.deleted):
            wire = wire.model_copy(
                update={
                    "files": [file for file in wire.files if not is_mounted(file.path)],
                    "deleted": [path for path in wire.deleted if not is_mounted(path)],
                }
            )
        return self._noted(prepared, outcome_of(wire))

    def _packages_allowed(self, runtime: str) -> bool:
        entry = self._manifest.runtimes.get(runtime)
        return self.allow_packages and entry is not None and entry.packages

    async def _close_live(self, session_id: str) -> None:
        if self._engine is not None:
            await self._engine.close_live(session_id)

    async def _sweep_sessions(self) -> None:
        interval = min(self._sessions.limits.session_ttl / 4, MAX_SWEEP_INTERVAL)
        while True:
            await anyio.sleep(interval)
            self._sessions.sweep()

    def _tasks(self) -> anyio.abc.TaskGroup:
        if self._task_group is None:
            raise EngineError("Cannot run: the sandbox is not started; use `async with AsyncSandbox() as sandbox:`")
        return self._task_group

    def _running(self) -> EngineCells:
        if self._engine is None:
            raise EngineError("Cannot run: the sandbox is not started; use `async with AsyncSandbox() as sandbox:`")
        return self._engine

    def _default_entry(self, runtime: Runtime) -> str:
        entry = self._manifest.runtimes.get(runtime)
        return langs.WASI_INFO.entry if entry is None else entry.entry


class Sandbox:
    """The blocking twin of `AsyncSandbox`, for scripts and threads; safe to share between threads.

    Its engine lives on an event loop in a background thread. `on_output` callbacks are
    called in that thread.

    ```python
    with Sandbox() as sandbox:
        result = sandbox.run_code("quickjs", "console.log(6 * 7)")
    ```

    Takes the same arguments as `AsyncSandbox`.
    """

    def __init__(self, **options: Unpack[SandboxKwargs]) -> None:
        self._sandbox = AsyncSandbox(**options)
        self._lock = threading.Lock()
        self._portal_cm: AbstractContextManager[BlockingPortal] | None = None
        self._portal: BlockingPortal | None = None
        self._sandbox_cm: AbstractContextManager[AsyncSandbox] | None = None

    def __enter__(self) -> "Sandbox":
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start(self) -> None:
        """Start the engine thread and the engine; does nothing if already started.

        Raises:
            LanguageNotInstalledError: language files are missing and cannot be installed.
            EngineError: the engine cannot be started.
        """
        with self._lock:
            if self._portal is not None:
                return
            portal_cm = start_blocking_portal()
            portal = portal_cm.__enter__()
            sandbox_cm = portal.wrap_async_context_manager(self._sandbox)
            try:
                sandbox_cm.__enter__()
            except BaseException as exc:
                portal_cm.__exit__(type(exc), exc, exc.__traceback__)
                raise
            self._portal_cm, self._portal, self._sandbox_cm = portal_cm, portal, sandbox_cm

    def close(self) -> None:
        """Stop the engine and its thread; a later call starts them again."""
        with self._lock:
            portal_cm, sandbox_cm = self._portal_cm, self._sandbox_cm
            self._portal_cm = self._portal = self._sandbox_cm = None
            if sandbox_cm is not None:
                sandbox_cm.__exit__(None, None, None)
            if portal_cm is not None:
                portal_cm.__exit__(None, None, None)

    def list_runtimes(self) -> list[RuntimeInfo]:
        """Describe the runtimes whose language files the engine found."""
        return self._call(self._sandbox.list_runtimes)

    def run_code(self, runtime: str, code: str | bytes, **options: Unpack[RunKwargs]) -> RunResult:
        """Run `code` like `AsyncSandbox.run_code`, blocking until it ends."""
        return self._call(lambda: self._sandbox.run_code(runtime, code, **options))

    def run_fs(
        self, runtime: str, entry_path: str, fs: Mapping[str, FileValue], **options: Unpack[RunKwargs]
    ) -> RunResult:
        """Run `entry_path` from `fs` like `AsyncSandbox.run_fs`, blocking until it ends."""
        return self._call(lambda: self._sandbox.run_fs(runtime, entry_path, fs, **options))

    def session(self, *, live: bool = False, owner: str | None = None) -> Session:
        """Open a session like `AsyncSandbox.session`; its methods block."""
        return Session(self._on_loop(lambda: self._sandbox.session(live=live, owner=owner)), self._call)

    def get_session(self, session_id: str, *, owner: str | None = None) -> Session:
        """The open session `session_id`, like `AsyncSandbox.get_session`."""
        return Session(self._on_loop(lambda: self._sandbox.get_session(session_id, owner=owner)), self._call)

    def _on_loop(self, func: Callable[[], T]) -> T:
        """Call `func` on the sandbox's event loop thread (the sessions' clock lives there)."""

        async def call() -> T:
            return func()

        return self._call(call)

    def _submit(self, func: Callable[[], Awaitable[T]]) -> "Future[T]":
        self.start()
        portal = self._portal
        if portal is None:
            raise EngineError("Cannot run: the sandbox was closed while starting")
        return portal.start_task_soon(func)

    def _call(self, func: Callable[[], Awaitable[T]]) -> T:
        return self._submit(func).result()

    async def _relay(self, func: Callable[[], Awaitable[T]]) -> T:
        """Await `func` on this sandbox's thread from another event loop; cancelling cancels the run."""
        future = await anyio.to_thread.run_sync(self._submit, func)
        try:
            return await anyio.to_thread.run_sync(future.result, abandon_on_cancel=True)
        except anyio.get_cancelled_exc_class():
            future.cancel()
            raise


_default: Sandbox | None = None
_default_lock = threading.Lock()


def _default_sandbox() -> Sandbox:
    global _default
    with _default_lock:
        if _default is None:
            _default = Sandbox()
            atexit.register(_default.close)
        return _default


async def run_code(runtime: str, code: str | bytes, **options: Unpack[RunKwargs]) -> RunResult:
    """Run `code` in the default sandbox, started on first use and closed at exit.

    Takes the options of `AsyncSandbox.run_code`; raises what it raises.
    """
    sandbox = _default_sandbox()
    return await sandbox._relay(lambda: sandbox._sandbox.run_code(runtime, code, **options))  # pyright: ignore[reportPrivateUsage]


async def run_fs(runtime: str, entry_path: str, fs: Mapping[str, FileValue], **options: Unpack[RunKwargs]) -> RunResult:
    """Run `entry_path` from `fs` in the default sandbox, started on first use and closed at exit.

    Takes the options of `AsyncSandbox.run_fs`; raises what it raises.
    """
    sandbox = _default_sandbox()
    return await sandbox._relay(lambda: sandbox._sandbox.run_fs(runtime, entry_path, fs, **options))  # pyright: ignore[reportPrivateUsage]
