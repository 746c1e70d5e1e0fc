"""The sandbox: run code in one long-lived engine from async code, blocking code, or one call.

Owns checking a call's arguments (runtime, paths, options) before anything reaches the
engine, the concurrency limit, the time budget's backstop, turning the engine's answer
into a `RunResult`, the blocking twin `Sandbox` (a portal thread), and the default sandbox
behind module-level `run_code` / `run_fs`, started on first use and closed at exit.
"""

import atexit
import base64
import threading
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import Future
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any, TypedDict, TypeVar

import anyio
import anyio.to_thread
from anyio.from_thread import BlockingPortal, start_blocking_portal
from pydantic import ValidationError
from typing_extensions import Unpack

from runno_mcp import langs
from runno_mcp.engine import Engine, EngineOptions
from runno_mcp.engine._protocol import RunParams, RunResultWire, WireFile
from runno_mcp.engine.engine import STARTUP_TIMEOUT, OutputCallback
from runno_mcp.errors import EngineError, InvalidRequestError, SandboxBusyError
from runno_mcp.models import (
    DEFAULT_MAX_OUTPUT_BYTES,
    DEFAULT_MEMORY_LIMIT_MB,
    DEFAULT_TIMEOUT,
    BinaryFile,
    ReturnFs,
    RunOptions,
    RunResult,
    Runtime,
    RuntimeInfo,
    StringFile,
    Timestamps,
    normalize_path,
    resolve_runtime,
)

__all__ = ["AsyncSandbox", "OutputCallback", "RunKwargs", "Sandbox", "SandboxKwargs", "run_code", "run_fs"]

T = TypeVar("T")
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


class SandboxKwargs(TypedDict, total=False):
    """The arguments of `AsyncSandbox` and `Sandbox`."""

    max_concurrency: int
    max_queue: int
    max_timeout: float
    langs_dir: Path | None
    install: bool
    startup_timeout: float
    warm: Sequence[str]
    preboot: Mapping[str, int] | None


DEFAULT_MAX_CONCURRENCY = 4
DEFAULT_MAX_QUEUE = 256  # calls waiting for a slot before further calls are refused as busy
MAX_CODE_BYTES = 16 * 1024 * 1024  # run_code's source (or a wasi module's bytes)
MAX_STDIN_BYTES = 16 * 1024 * 1024
MAX_INPUT_FILES = 5000  # files one call may send
MAX_INPUT_BYTES = 32 * 1024 * 1024  # all files one call sends, together: base64 of it must fit a 64 MiB frame
# Booted interpreters kept waiting: the runtimes whose start-up dominates a small program.
DEFAULT_PREBOOT: Mapping[str, int] = {"python": 2, "quickjs": 1, "php-cgi": 1, "sqlite": 1, "ruby": 1}
DEFAULT_MAX_TIMEOUT = 300.0  # seconds: the largest `timeout` a call may ask for
BACKSTOP_GRACE = 5.0  # seconds past a run's timeout before Python gives up on the engine's answer


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
        max_timeout: the largest `timeout`, in seconds, a call may ask for.
        langs_dir: folder of language files (default: `RUNNO_MCP_LANGS_DIR`, else the user cache).
        install: install missing language files on start (unless `RUNNO_MCP_OFFLINE=1`).
        startup_timeout: seconds the engine has to answer its handshake.
        warm: runtimes the engine prepares at start, so their first run is fast.
        preboot: interpreters kept booted ahead of requests, per runtime (default
            `DEFAULT_PREBOOT`); a run with default entry, args, env and memory limit takes one
            and skips the interpreter's start-up. `{}` turns it off.
    """

    def __init__(
        self,
        *,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        max_queue: int = DEFAULT_MAX_QUEUE,
        max_timeout: float = DEFAULT_MAX_TIMEOUT,
        langs_dir: Path | None = None,
        install: bool = True,
        startup_timeout: float = STARTUP_TIMEOUT,
        warm: Sequence[str] = (),
        preboot: Mapping[str, int] | None = None,
    ) -> None:
        if max_concurrency < 1:
            raise InvalidRequestError(
                f"Cannot create a sandbox: max_concurrency must be at least 1 (got {max_concurrency})"
            )
        if max_queue < 0:
            raise InvalidRequestError(f"Cannot create a sandbox: max_queue must be at least 0 (got {max_queue})")
        if not max_timeout > 0:
            raise InvalidRequestError(f"Cannot create a sandbox: max_timeout must be above 0 (got {max_timeout})")
        self.max_concurrency = max_concurrency
        self.max_queue = max_queue
        self.max_timeout = max_timeout
        self._langs_dir = langs_dir
        self._install = install
        self._startup_timeout = startup_timeout
        self._warm = tuple(resolve_runtime(name) for name in warm)
        self._preboot = {
            resolve_runtime(name): count for name, count in (DEFAULT_PREBOOT if preboot is None else preboot).items()
        }
        self._manifest = langs.load_manifest()
        self._slots = anyio.Semaphore(max_concurrency)
        self._engine: Engine | None = None

    async def __aenter__(self) -> "AsyncSandbox":
        target = self._langs_dir or langs.langs_dir(self._manifest)
        if self._install:
            await anyio.to_thread.run_sync(langs.ensure_installed, target, self._manifest)
        engine = Engine(
            EngineOptions(
                langs_dir=target,
                manifest_path=langs.manifest_path(),
                startup_timeout=self._startup_timeout,
                pool_size=self.max_concurrency,
                warm=self._warm,
                preboot=self._preboot,
            )
        )
        await engine.__aenter__()
        try:
            await engine.start()
        except BaseException as exc:
            await engine.__aexit__(type(exc), exc, exc.__traceback__)
            raise
        self._engine = engine
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        engine, self._engine = self._engine, None
        if engine is not None:
            await engine.__aexit__(exc_type, exc, tb)

    @property
    def engine_pid(self) -> int | None:
        """The engine process's id while one runs (for diagnostics and tests)."""
        return None if self._engine is None else self._engine.pid

    async def list_runtimes(self) -> list[RuntimeInfo]:
        """Describe the runtimes whose language files the engine found."""
        info = await self._running().start()
        installed = {runtime.id for runtime in info.runtimes if runtime.installed}
        return [runtime for runtime in langs.runtime_infos(self._manifest) if runtime.id in installed]

    async def run_code(
        self,
        runtime: str,
        code: str | bytes,
        *,
        timeout: float | None = None,
        stdin: str | bytes | None = None,
        args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
        memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB,
        return_fs: ReturnFs = "changed",
        on_output: OutputCallback | None = None,
    ) -> RunResult:
        """Write `code` to the runtime's default entry file (`/main.py`, ...) and run it.

        Args:
            runtime: a runtime id or alias (`python`, `js`, `c`, ...); for `wasi`, `code` is
                the bytes of a WASI preview 1 module.
            code: the program's source, at most `MAX_CODE_BYTES` (16 MiB) once encoded.
            timeout: seconds for the whole run, compile and link included (default 10).
            stdin: what the program reads on standard input, at most `MAX_STDIN_BYTES` (16 MiB).
            args: extra arguments after the entry file.
            env: the guest's environment variables; the host's are never passed.
            max_output_bytes: bytes kept of each of stdout, stderr and tty.
            memory_limit_mb: cap on the guest's linear memory.
            return_fs: which files come back: "changed" (created or changed), "all", "none".
            on_output: called with ("stdout" | "stderr", bytes) as the program writes.

        Raises:
            InvalidRequestError: an argument is out of range or over its limit;
                `UnknownRuntimeError` for an unknown runtime.
            SandboxBusyError: every slot is taken and `max_queue` calls already wait.
            LanguageNotInstalledError: the runtime's files are missing.
            EngineError: the engine cannot be started.
        """
        resolved = resolve_runtime(runtime)
        if resolved == "wasi" and isinstance(code, str):
            raise InvalidRequestError("Cannot run wasi code given as text: pass the module's bytes (a .wasm file)")
        size = len(_to_bytes(code, "code"))
        if size > MAX_CODE_BYTES:
            raise InvalidRequestError(
                f"Cannot run code of {size} bytes: the limit is {MAX_CODE_BYTES} bytes (MAX_CODE_BYTES)"
            )
        entry = self._default_entry(resolved)
        return await self.run_fs(
            resolved,
            entry,
            {entry: code},
            timeout=timeout,
            stdin=stdin,
            args=args,
            env=env,
            max_output_bytes=max_output_bytes,
            memory_limit_mb=memory_limit_mb,
            return_fs=return_fs,
            on_output=on_output,
        )

    async def run_fs(
        self,
        runtime: str,
        entry_path: str,
        fs: Mapping[str, FileValue],
        *,
        timeout: float | None = None,
        stdin: str | bytes | None = None,
        args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
        memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB,
        return_fs: ReturnFs = "changed",
        on_output: OutputCallback | None = None,
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
        resolved = resolve_runtime(runtime)
        options = self._options(
            timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
            stdin=stdin,
            args=list(args),
            env=dict(env or {}),
            max_output_bytes=max_output_bytes,
            memory_limit_mb=memory_limit_mb,
            return_fs=return_fs,
        )
        files = _wire_files(fs)
        entry = normalize_path(entry_path)
        if entry not in {file.path for file in files}:
            given = ", ".join(sorted(file.path for file in files)[:10]) or "none"
            raise InvalidRequestError(f'Cannot run "{entry}": it is not among the files given ({given})')
        stdin_bytes = None if options.stdin is None else _to_bytes(options.stdin, "stdin")
        if stdin_bytes is not None and len(stdin_bytes) > MAX_STDIN_BYTES:
            raise InvalidRequestError(
                f"Cannot send stdin of {len(stdin_bytes)} bytes: the limit is {MAX_STDIN_BYTES} bytes "
                "(MAX_STDIN_BYTES); write the data to a file instead"
            )
        params = RunParams(
            runtime=resolved,
            entry=entry,
            files=files,
            stdin=None if stdin_bytes is None else _b64(stdin_bytes),
            args=options.args,
            env=options.env,
            timeout_ms=max(1, round(options.timeout * 1000)),
            max_output_bytes=options.max_output_bytes,
            memory_limit_mb=options.memory_limit_mb,
            return_fs=options.return_fs,
            stream_output=on_output is not None,
        )
        engine = self._running()
        wire: RunResultWire | None = None
        if self._slots.value == 0 and self._slots.statistics().tasks_waiting >= self.max_queue:
            raise SandboxBusyError(
                f"Cannot run now: all {self.max_concurrency} slots are busy and {self.max_queue} calls already "
                "wait (max_queue); try again later"
            )
        async with self._slots:  # waiting for a slot is not part of the run's time budget
            with anyio.move_on_after(options.timeout + BACKSTOP_GRACE):
                wire = await engine.run(params, on_output)
        if wire is None:
            await engine.ensure_responsive()  # a wedged engine is replaced before the next run
            return RunResult(
                result_type="crash",
                error=(
                    f"The engine did not end the run within {BACKSTOP_GRACE:g} s after its {options.timeout:g} s "
                    "timeout; the run was cancelled"
                ),
            )
        return _to_result(wire)

    def _running(self) -> Engine:
        if self._engine is None:
            raise EngineError("Cannot run: the sandbox is not started; use `async with AsyncSandbox() as sandbox:`")
        return self._engine

    def _default_entry(self, runtime: Runtime) -> str:
        entry = self._manifest.runtimes.get(runtime)
        return langs.WASI_INFO.entry if entry is None else entry.entry

    def _options(self, **values: Any) -> RunOptions:
        timeout = values["timeout"]
        if not isinstance(timeout, int | float) or not 0 < timeout <= self.max_timeout:
            raise InvalidRequestError(
                f"Cannot run with timeout {timeout!r}: it must be more than 0 and at most {self.max_timeout:g} seconds"
            )
        try:
            return RunOptions(**values)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
            )
            raise InvalidRequestError(f"Cannot run with these options: {problems}") from None


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


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _to_bytes(value: object, what: str) -> bytes:
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


def _wire_files(fs: Mapping[str, FileValue]) -> list[WireFile]:
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
            data = _to_bytes(value.content, f'file "{key}"')
        else:
            data = _to_bytes(value, f'file "{key}"')
        total += len(data)
        if total > MAX_INPUT_BYTES:
            raise InvalidRequestError(
                f"Cannot run with these files: together they are over the limit of {MAX_INPUT_BYTES} bytes "
                f'(MAX_INPUT_BYTES), reached at "{key}"'
            )
        files[path] = WireFile(path=path, content=_b64(data), mtime_ns=mtime_ns)
    return list(files.values())


def _to_result(wire: RunResultWire) -> RunResult:
    fs: dict[str, StringFile | BinaryFile] = {}
    for file in wire.files:
        data = base64.b64decode(file.content)
        timestamps = None
        if file.mtime_ns is not None:
            moment = datetime.fromtimestamp(int(file.mtime_ns) / 1e9, tz=timezone.utc)
            timestamps = Timestamps(access=moment, modification=moment, change=moment)
        try:
            fs[file.path] = StringFile(path=file.path, content=data.decode("utf-8"), timestamps=timestamps)
        except UnicodeDecodeError:
            fs[file.path] = BinaryFile(path=file.path, content=data, timestamps=timestamps)
    return RunResult(
        result_type=wire.result_type,
        stdout=wire.stdout,
        stderr=wire.stderr,
        tty=wire.tty,
        exit_code=wire.exit_code,
        fs=fs,
        truncated=wire.truncated,
        warnings=wire.warnings,
        duration_ms=wire.duration_ms,
        error=wire.error,
    )
