"""The engine as one long-lived service: process + RPC + restart.

Owns the bounded `initialize` handshake, mapping wire error codes to `runno_mcp.errors`
(in one table, `ERROR_CLASSES`), routing `output` notifications to the run they belong to,
telling the engine to cancel a run whose caller gave up, a watchdog that pings the engine and
kills it when a ping goes unanswered (a wedged engine), turning the engine's death into a
`crash` result for the runs in flight, and starting a fresh engine on the next call.
"""

import base64
import logging
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import anyio
import anyio.abc
from pydantic import ValidationError

from runno_mcp.engine._protocol import (
    PROTOCOL_VERSION,
    CancelResult,
    CloseLiveParams,
    CloseLiveResult,
    ErrorCode,
    InitializeParams,
    InitializeResult,
    JsonRpcError,
    OutputParams,
    PrepareParams,
    PrepareResult,
    RunParams,
    RunResultWire,
)
from runno_mcp.engine.process import EngineProcess, deno_run_args, engine_dir, engine_env, find_deno
from runno_mcp.engine.rpc import ConnectionLostError, RpcClient, RpcError
from runno_mcp.errors import (
    EngineError,
    EngineStartError,
    InvalidRequestError,
    LanguageNotInstalledError,
    ProtocolError,
    RunnoError,
    UnknownRuntimeError,
)
from runno_mcp.models import OutputCallback

logger = logging.getLogger("runno_mcp.engine")

STARTUP_TIMEOUT = 30.0  # seconds: cold deno start, transpiling the engine, reading the manifest
CANCEL_TIMEOUT = 2.0  # seconds to deliver a `cancel` for a run whose caller gave up
EXIT_WAIT = 3.0  # seconds to let a dying engine be reaped so its exit code can be reported
WATCHDOG_INTERVAL = 5.0  # seconds between the watchdog's pings
WATCHDOG_TIMEOUT = 20.0  # seconds a ping may go unanswered before the engine is killed as wedged

ERROR_CLASSES: dict[ErrorCode, type[RunnoError]] = {
    ErrorCode.PARSE_ERROR: ProtocolError,
    ErrorCode.INVALID_REQUEST: ProtocolError,
    ErrorCode.METHOD_NOT_FOUND: ProtocolError,
    ErrorCode.INVALID_PARAMS: InvalidRequestError,
    ErrorCode.INTERNAL_ERROR: EngineError,
    ErrorCode.FRAME_TOO_LARGE: InvalidRequestError,
    ErrorCode.UNKNOWN_RUNTIME: UnknownRuntimeError,
    ErrorCode.RUNTIME_NOT_INSTALLED: LanguageNotInstalledError,
    ErrorCode.SHUTTING_DOWN: EngineError,
}
"""The exception each wire error code becomes; tests check every code of protocol.ts is here."""


def error_from_wire(error: JsonRpcError) -> RunnoError:
    """Return the exception that a JSON-RPC error answer stands for."""
    try:
        cls = ERROR_CLASSES[ErrorCode(error.code)]
    except ValueError:
        return ProtocolError(f"The engine answered with unknown error code {error.code}: {error.message}")
    return cls(error.message)


@dataclass(frozen=True)
class EngineOptions:
    """How to start the engine."""

    langs_dir: Path
    manifest_path: Path
    memory_limit_mb: int
    """A run's default `memory_limit_mb`, from `RunOptions`; snapshots and warmed modules are made at it."""
    deno: Path | None = None
    startup_timeout: float = STARTUP_TIMEOUT
    pool_size: int | None = None
    warm: tuple[str, ...] = ()
    snapshot_ahead: tuple[str, ...] = ()
    """Runtimes whose snapshot the engine takes at start, not at their first run (docs/engine.md)."""
    derived_dir: Path | None = None
    """The derived snapshot binaries (`runno_mcp.derived`); None: every run boots."""
    max_old_space_mb: int | None = None
    live_memory_mb: int | None = None
    """Memory the live sessions' cells may hold together (`SessionLimits.max_live_memory_mb`);
    `EngineCells` stops the least recently used past it. None: no budget."""

    def args(self) -> list[str]:
        """Return the engine's argv (see `process.deno_run_args`)."""
        return deno_run_args(
            self.deno or find_deno(),
            engine_dir(),
            self.langs_dir,
            self.manifest_path,
            memory_limit_mb=self.memory_limit_mb,
            pool_size=self.pool_size,
            warm=self.warm,
            snapshot_ahead=self.snapshot_ahead,
            derived=self.derived_dir,
            max_old_space_mb=self.max_old_space_mb,
        )


@dataclass
class _Connection:
    process: EngineProcess
    rpc: RpcClient
    outputs: dict[int, OutputCallback] = field(default_factory=dict[int, OutputCallback])
    closed: anyio.Event = field(default_factory=anyio.Event)
    info: InitializeResult | None = None
    stop_reason: str | None = None
    """Why we killed the engine ourselves, for the crash results of its runs."""
    in_flight: int = 0
    stranded: int = 0
    """Runs stopped while their program may still be busy: Deno's `Worker.terminate()` does not
    interrupt a busy loop (denoland/deno#35657), so such a thread runs on until the process exits."""
    retired: bool = False
    """New calls no longer come here; the process shuts down once its last run is over."""
    retiring: bool = False
    """Its shutdown has been scheduled."""

    def on_notification(self, method: str, params: dict[str, Any]) -> None:
        if method != "output":
            logger.debug("Ignoring notification %r from the engine", method)
            return
        output = OutputParams.model_validate(params)
        callback = self.outputs.get(output.run_id)
        if callback is not None:
            callback(output.stream, base64.b64decode(output.chunk))


class Engine:
    """One engine process at a time, started on demand and restarted after it dies.

    Use as an async context manager; `run` may be called from many tasks at once.
    """

    def __init__(self, options: EngineOptions) -> None:
        self._options = options
        self._connection: _Connection | None = None
        self._start_lock = anyio.Lock()
        self._task_group: anyio.abc.TaskGroup | None = None
        self._closing = False
        self.starts = 0
        """Engine processes started so far; every one after the first replaced a dead, wedged or retired one."""

    async def __aenter__(self) -> "Engine":
        self._task_group = anyio.create_task_group()
        await self._task_group.__aenter__()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool | None:
        task_group, self._task_group = self._task_group, None
        assert task_group is not None
        try:
            await self.aclose()
        finally:
            task_group.cancel_scope.cancel()
            # The body's own exception is not the task group's business: it propagates as is.
            await task_group.__aexit__(None, None, None)
        return None

    @property
    def pid(self) -> int | None:
        """The engine process's id, or None when none is running."""
        connection = self._connection
        return None if connection is None or connection.closed.is_set() else connection.process.pid

    async def start(self) -> InitializeResult:
        """Start the engine unless it is running; return its `initialize` answer.

        Raises:
            EngineNotFoundError: there is no deno binary.
            EngineStartError: the engine exited or did not answer within `startup_timeout`.
        """
        connection = await self._connect()
        assert connection.info is not None
        return connection.info

    async def prepare(self, runtime: str) -> bool:
        """Make `runtime` ready for its first run in this process: its snapshot taken (a boot of its
        interpreter: seconds for python-sci), else its module compiled. Whether its runs resume a
        snapshot. A run's own clock and backstop start after this.

        Raises:
            InvalidRequestError: the engine does not know the runtime.
            EngineError: the engine cannot be started or spoken to.
        """
        connection = await self._connect()
        try:
            answer = await connection.rpc.request("prepare", PrepareParams(runtime=runtime).model_dump())
        except ConnectionLostError:
            return False  # the run that follows reports the engine's end
        except RpcError as exc:
            raise error_from_wire(exc.error) from None
        try:
            return PrepareResult.model_validate(answer).snapshot
        except ValidationError as exc:
            raise ProtocolError(f"Cannot read the engine's prepare result: {exc}") from exc

    async def ping(self) -> None:
        """Wait for the engine to answer a no-op, starting one if none runs.

        Raises:
            EngineError: the engine cannot be started, or stopped before it answered.
        """
        connection = await self._connect_shielded()
        try:
            await connection.rpc.request("ping", {})
        except RpcError as exc:
            raise error_from_wire(exc.error) from None

    async def run(self, params: RunParams, on_output: OutputCallback | None = None) -> RunResultWire:
        """Run one program; the engine's death during the run is a `crash` result.

        Raises:
            InvalidRequestError: the engine refused the parameters.
            LanguageNotInstalledError: the runtime's files are missing.
            EngineError: the engine cannot be started or spoken to.
        """
        connection = await self._connect()
        run_id = connection.rpc.new_id()
        if on_output is not None:
            connection.outputs[run_id] = on_output
        connection.in_flight += 1
        try:
            result = await connection.rpc.request("run", params.model_dump(), request_id=run_id)
            wire = RunResultWire.model_validate(result)
            if wire.result_type in ("timeout", "terminated") and not wire.stopped:
                connection.stranded += 1  # its program may still hold a thread
            return wire
        except ConnectionLostError:
            return await self._crash_result(connection)
        except RpcError as exc:
            raise error_from_wire(exc.error) from None
        except ValidationError as exc:
            raise ProtocolError(f"Cannot read the engine's run result: {exc}") from exc
        except anyio.get_cancelled_exc_class():
            if not await self._cancel(connection, run_id):
                connection.stranded += 1  # its program may still hold a thread
            raise
        finally:
            connection.outputs.pop(run_id, None)
            connection.in_flight -= 1
            self._retire_if_stranded(connection)

    async def close_live(self, session: str) -> bool:
        """Stop the engine's live interpreter `session` (see `RunParams.live_session`); whether it had one.

        Never starts an engine: with none running, or the engine gone, there is nothing to close.

        Raises:
            InvalidRequestError: the engine refused the parameters.
        """
        connection = self._connection
        if connection is None or connection.rpc.closed:
            return False
        try:
            answer = await connection.rpc.request("close_live", CloseLiveParams(session=session).model_dump())
        except ConnectionLostError:
            return False
        except RpcError as exc:
            raise error_from_wire(exc.error) from None
        try:
            return CloseLiveResult.model_validate(answer).closed
        except ValidationError as exc:
            raise ProtocolError(f"Cannot read the engine's close_live result: {exc}") from exc

    def _retire_if_stranded(self, connection: _Connection) -> None:
        """Replace an engine that holds stopped-but-busy threads.

        New calls go to a fresh engine at once; the old one finishes the runs it has, then shuts
        down, and its threads end with its process.
        """
        if not connection.stranded or self._task_group is None or self._closing:
            return
        if connection is self._connection:
            self._connection = None
            connection.retired = True
            logger.info("Replacing the engine: %d stopped run(s) may still hold a thread", connection.stranded)
        if connection.retired and not connection.in_flight and not connection.retiring:
            connection.retiring = True
            self._task_group.start_soon(self._retire, connection)

    async def _retire(self, connection: _Connection) -> None:
        with anyio.CancelScope(shield=True):
            with anyio.move_on_after(CANCEL_TIMEOUT):
                try:
                    await connection.rpc.request("shutdown", {})
                except EngineError:
                    logger.debug("The retired engine did not acknowledge shutdown", exc_info=True)
            await connection.process.stop()
            await connection.closed.wait()

    async def ensure_responsive(self) -> None:
        """Kill the engine if it does not answer a no-op within CANCEL_TIMEOUT; the next call starts afresh."""
        connection = self._connection
        if connection is None or connection.rpc.closed:
            return
        with anyio.move_on_after(CANCEL_TIMEOUT) as probe:
            try:
                await connection.rpc.request("cancel", {"id": -1})  # no such run: a no-op that needs an answer
            except EngineError:
                return  # answered (with an error) or already gone: nothing to do
        if probe.cancelled_caught:
            logger.warning("The engine did not answer within %s s: stopping it", CANCEL_TIMEOUT)
            connection.process.kill()
            await self._wait_closed(connection)

    async def aclose(self) -> None:
        """Ask the engine to shut down, then stop its process; never cancelled."""
        self._closing = True
        connection, self._connection = self._connection, None
        if connection is None:
            return
        with anyio.CancelScope(shield=True):
            if not connection.rpc.closed:
                with anyio.move_on_after(CANCEL_TIMEOUT):
                    try:
                        await connection.rpc.request("shutdown", {})
                    except EngineError:
                        logger.debug("The engine did not acknowledge shutdown", exc_info=True)
            await connection.process.stop()
            await connection.closed.wait()

    async def _connect_shielded(self) -> _Connection:
        # A start is not abandoned with an impatient caller (a health probe's deadline): runs may be
        # waiting for it, and `startup_timeout` bounds it anyway.
        with anyio.CancelScope(shield=True):
            return await self._connect()
        raise AssertionError("unreachable: a shielded scope is not cancelled")

    async def _connect(self) -> _Connection:
        async with self._start_lock:
            connection = self._connection
            if connection is not None and not connection.rpc.closed:
                return connection
            if self._closing or self._task_group is None:
                raise EngineError("Cannot use the engine: it has been closed")
            self._connection = await self._start()
            return self._connection

    async def _start(self) -> _Connection:
        assert self._task_group is not None
        process = await EngineProcess.spawn(self._options.args(), engine_env())
        self.starts += 1
        assert process.process.stdin is not None and process.process.stdout is not None
        holder: list[_Connection] = []
        rpc = RpcClient(process.process.stdin, process.process.stdout, lambda m, p: holder[0].on_notification(m, p))
        connection = _Connection(process, rpc)
        holder.append(connection)
        self._task_group.start_soon(self._serve, connection)
        logger.info("Started the engine (pid %d)", process.pid)
        try:
            with anyio.fail_after(self._options.startup_timeout):
                answer = await rpc.request("initialize", InitializeParams().model_dump())
            connection.info = InitializeResult.model_validate(answer)
        except TimeoutError:
            process.kill()
            await self._wait_closed(connection)
            raise EngineStartError(
                f"Cannot start the engine: no answer to initialize within {self._options.startup_timeout} s; "
                f"{process.describe_exit()}"
            ) from None
        except (ConnectionLostError, RpcError, ValidationError) as exc:
            process.kill()
            await self._wait_closed(connection)
            raise EngineStartError(f"Cannot start the engine: {exc}; {process.describe_exit()}") from exc
        except BaseException:
            process.kill()  # cancelled: _serve reaps the process as the task group unwinds
            raise
        if connection.info.protocol_version != PROTOCOL_VERSION:
            process.kill()
            await self._wait_closed(connection)
            raise EngineStartError(
                f"Cannot start the engine: it speaks protocol {connection.info.protocol_version}, "
                f"this package speaks {PROTOCOL_VERSION}; reinstall runno-mcp"
            )
        self._task_group.start_soon(self._watch, connection)
        return connection

    async def _watch(self, connection: _Connection) -> None:
        """Ping the engine every WATCHDOG_INTERVAL; kill it if a ping waits past WATCHDOG_TIMEOUT."""
        while True:
            with anyio.move_on_after(WATCHDOG_INTERVAL):
                await connection.closed.wait()
                return
            with anyio.move_on_after(WATCHDOG_TIMEOUT) as probe:
                try:
                    await connection.rpc.request("ping", {})
                except EngineError:
                    pass  # answered with an error, or gone: the reader has seen to it
            if probe.cancelled_caught and not connection.rpc.closed:
                logger.warning("The engine left a ping unanswered for %s s: stopping it", WATCHDOG_TIMEOUT)
                connection.stop_reason = f"the engine stopped answering for {WATCHDOG_TIMEOUT:g} s and was restarted"
                connection.process.kill()
                return

    async def _serve(self, connection: _Connection) -> None:
        """Pump the connection until the engine's output ends, then make sure the process is gone."""
        try:
            async with anyio.create_task_group() as task_group:
                task_group.start_soon(connection.process.drain_stderr)
                reason = await connection.rpc.run()
                if not self._closing and not connection.retired:
                    logger.warning("The engine stopped: %s", reason)
                    connection.process.kill()
                await connection.process.stop()
        finally:
            with anyio.CancelScope(shield=True):
                connection.process.kill()  # cancelled mid-way: the process must not outlive us
                await connection.process.process.aclose()
            connection.closed.set()

    async def _cancel(self, connection: _Connection, run_id: int) -> bool:
        """Cancel run `run_id`; whether its program is known to have stopped (the engine answers once
        the run has ended: an interrupted program within its grace period)."""
        with anyio.CancelScope(shield=True), anyio.move_on_after(CANCEL_TIMEOUT):
            try:
                answer = await connection.rpc.request("cancel", {"id": run_id})
                return CancelResult.model_validate(answer).stopped
            except (EngineError, ValidationError):
                logger.debug("Could not cancel run %d", run_id, exc_info=True)
        return False

    async def _wait_closed(self, connection: _Connection) -> None:
        with anyio.move_on_after(EXIT_WAIT):
            await connection.closed.wait()

    async def _crash_result(self, connection: _Connection) -> RunResultWire:
        await self._wait_closed(connection)
        reason = connection.stop_reason or connection.process.describe_exit()
        return RunResultWire(result_type="crash", error=f"Engine stopped unexpectedly during the run: {reason}")
