"""Cells: the unit of a run is an engine process that runs one program at a time.

A run's failure domain is its cell. A program that times out while busy, crashes the engine,
or exhausts the cell's V8 heap (`CELL_HEAP_MB`) ends its cell's process and nothing else:
other callers' runs are in other cells, and each live session has a cell of its own. Why a
process and not a Worker is measured in docs/engine.md ("The unit of a run").

Owns which cell a run goes to, starting cells on demand up to `size`, replacing a cell whose
process died or was retired, giving each live session a cell and stopping it with the session,
keeping the live sessions' cells within their memory budget (`live_memory_mb`, their processes'
resident memory: the least recently used idle one is stopped first, and its session's next run
says `evicted`), and
retiring general cells that sit idle. Each cell is an `Engine`, which already turns its
process's death into a `crash` result and starts a fresh process for the next call.

The first cell is the primary: it gets the sandbox's pre-booted interpreters, so a sequential
workload runs as fast as before and holds one process. Cells started for concurrent runs and
live sessions boot interpreters as runs ask.
"""

import logging
import math
from dataclasses import dataclass, field, replace
from types import TracebackType

import anyio
import anyio.abc

from runno_mcp.engine._protocol import InitializeResult, RunParams, RunResultWire
from runno_mcp.engine.engine import Engine, EngineOptions
from runno_mcp.engine.process import resident_bytes
from runno_mcp.errors import EngineError
from runno_mcp.models import OutputCallback

__all__ = ["CELL_HEAP_MB", "IDLE_CELL_TTL", "EngineCells"]

logger = logging.getLogger("runno_mcp.engine")

CELL_HEAP_MB = 1024
"""V8's old-space limit per cell: JS-heap exhaustion a cap missed ends that cell's process only."""
IDLE_CELL_TTL = 60.0
"""Seconds a cell beyond the primary may sit idle before its process is stopped."""


@dataclass(eq=False)
class _Cell:
    engine: Engine
    stop: anyio.Event = field(default_factory=anyio.Event)
    stopped: anyio.Event = field(default_factory=anyio.Event)
    busy: bool = False
    idle_since: float = 0.0
    restart_wanted: anyio.Event = field(default_factory=anyio.Event)
    served: set[str] = field(default_factory=set[str])
    """Runtimes this cell has run: their modules are compiled and their files loaded in its process."""
    live_memory: int = 0
    """A live cell: the bytes its interpreter's memory held after its last call."""

    def live_cost(self) -> int:
        """What a live cell holds: its process's resident memory, else (no /proc) its interpreter's."""
        pid = self.engine.pid
        resident = None if pid is None else resident_bytes(pid)
        return self.live_memory if resident is None else resident


class EngineCells:
    """Engine processes that each run one program at a time; the same face as `Engine`.

    Args:
        options: How to start a cell; the primary cell takes its snapshots ahead, the others at
            their first run of each runtime.
        size: General cells at most, one per run in flight (the sandbox's `max_concurrency`).
    """

    def __init__(self, options: EngineOptions, size: int) -> None:
        heap = options.max_old_space_mb or CELL_HEAP_MB
        self._primary_options = replace(options, pool_size=2, max_old_space_mb=heap)
        self._lean_options = replace(options, pool_size=1, snapshot_ahead=(), warm=(), max_old_space_mb=heap)
        self._size = size
        self._primary: _Cell | None = None
        self._general: list[_Cell] = []
        self._live: dict[str, _Cell] = {}
        self._live_budget = None if options.live_memory_mb is None else options.live_memory_mb * 2**20
        self._evicted: set[str] = set()
        """Live sessions whose interpreter was stopped for the budget, until their next run."""
        self._primary_lock = anyio.Lock()
        self._task_group: anyio.abc.TaskGroup | None = None
        self._closing = False
        self._retired_starts = 0

    async def __aenter__(self) -> "EngineCells":
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
            await task_group.__aexit__(None, None, None)
        return None

    @property
    def pid(self) -> int | None:
        """The primary cell's process id while it runs."""
        return None if self._primary is None else self._primary.engine.pid

    @property
    def pids(self) -> list[int]:
        """Every running cell's process id."""
        return [pid for cell in self._cells() if (pid := cell.engine.pid) is not None]

    @property
    def starts(self) -> int:
        """Cell processes started so far, including those of cells since stopped."""
        return self._retired_starts + sum(cell.engine.starts for cell in self._cells())

    async def start(self) -> InitializeResult:
        """Start the primary cell unless it runs; return its `initialize` answer."""
        return await (await self._primary_cell()).engine.start()

    async def ping(self) -> None:
        """Wait for the primary cell to answer a no-op, starting it if it is not running."""
        await (await self._primary_cell()).engine.ping()

    async def run(
        self, params: RunParams, on_output: OutputCallback | None = None, *, backstop: float = math.inf
    ) -> RunResultWire | None:
        """Run one program in a cell of its own: a live session's, else an idle one or a new one.

        The cell's process is started first (within the engine's `startup_timeout`): a start-up is
        not part of the run's time. None when the cell did not answer within `backstop` seconds of
        the run's start; the caller then checks the cells with `ensure_responsive`.
        """
        if params.live_session is not None:
            return await self._run_live(params.live_session, params, on_output, backstop)
        cell = await self._take(params.runtime)
        restart = True
        try:
            result = await self._run_in(cell, params, on_output, backstop)
            # A run that died with its process, or left a thread busy (its process retires), needs
            # a new process; a stopped or crashed program leaves its process serving.
            restart = result is None or cell.engine.pid is None
            return result
        finally:
            cell.busy = False
            cell.idle_since = anyio.current_time()
            if restart:
                # The run retired or ended the cell's process: start its next one now, so the call
                # after it does not wait for a start-up.
                cell.restart_wanted.set()

    async def _run_in(
        self, cell: _Cell, params: RunParams, on_output: OutputCallback | None, backstop: float
    ) -> RunResultWire | None:
        """Run `params` in `cell`, its process started and the runtime's snapshot taken first (neither
        is the run's time); None when the cell did not answer within `backstop`."""
        await cell.engine.start()
        if params.runtime not in cell.served:
            if not await self._prepare(cell, params.runtime, backstop):
                return None
            cell.served.add(params.runtime)
        with anyio.move_on_after(backstop):
            return await cell.engine.run(params, on_output)
        return None

    async def _prepare(self, cell: _Cell, runtime: str, patience: float) -> bool:
        """Have `cell` take `runtime`'s snapshot; False when its engine stopped answering.

        Taking python-sci's takes seconds, longer than some runs' backstop: while the engine still
        answers a no-op within `patience`, the wait goes on.
        """
        while True:
            with anyio.move_on_after(patience):
                await cell.engine.prepare(runtime)
                return True
            with anyio.move_on_after(patience):
                await cell.engine.ping()
                continue
            return False

    async def _run_live(
        self, session: str, params: RunParams, on_output: OutputCallback | None, backstop: float
    ) -> RunResultWire | None:
        cell = self._live.get(session)
        if cell is None:
            await self._keep_live_budget(keep=None)
            cell = self._live[session] = await self._open(self._lean_options)
        cell.busy = True
        try:
            result = await self._run_in(cell, params, on_output, backstop)
            if result is None:
                return None
            if result.live_memory_bytes is not None:
                cell.live_memory = result.live_memory_bytes
            if result.live == "started" and session in self._evicted:
                result = result.model_copy(update={"live": "evicted"})
            self._evicted.discard(session)
            return result
        finally:
            cell.busy = False
            cell.idle_since = anyio.current_time()
            # The live dict is in order of last use: this session moves to its end.
            if self._live.get(session) is cell:
                self._live[session] = self._live.pop(session)
                await self._keep_live_budget(keep=cell)

    async def _keep_live_budget(self, keep: _Cell | None) -> None:
        """Stop idle live cells, least recently used first, while the live cells hold more than the
        budget. `keep` (the cell just used) stays even if it alone is over."""
        if self._live_budget is None:
            return
        costs = {session: cell.live_cost() for session, cell in self._live.items()}
        held = sum(costs.values())
        for session, cell in list(self._live.items()):
            if held <= self._live_budget:
                return
            if cell is keep or cell.busy:
                continue
            held -= costs[session]
            logger.info("Stopping live session %s's interpreter: live interpreters are over their budget", session)
            await self.close_live(session)
            self._evicted.add(session)

    async def close_live(self, session: str) -> bool:
        """Stop live session `session`'s interpreter and its cell; whether it had one."""
        self._evicted.discard(session)
        cell = self._live.pop(session, None)
        if cell is None:
            return False
        try:
            return await cell.engine.close_live(session)
        finally:
            await self._stop(cell)

    async def ensure_responsive(self) -> None:
        """Kill any cell that does not answer a no-op at once; its next call starts afresh."""
        async with anyio.create_task_group() as task_group:
            for cell in self._cells():
                task_group.start_soon(cell.engine.ensure_responsive)

    async def aclose(self) -> None:
        """Stop every cell; never cancelled."""
        self._closing = True
        with anyio.CancelScope(shield=True):
            cells = self._cells()
            self._primary, self._general, self._live = None, [], {}
            for cell in cells:
                cell.stop.set()
            for cell in cells:
                await cell.stopped.wait()

    def _cells(self) -> list[_Cell]:
        return [*([self._primary] if self._primary else []), *self._general, *self._live.values()]

    async def _primary_cell(self) -> _Cell:
        async with self._primary_lock:
            if self._primary is None:
                self._primary = await self._open(self._primary_options)
            return self._primary

    async def _take(self, runtime: str) -> _Cell:
        """An idle cell, else a new one. Among idle cells: one whose process runs (no start-up to wait
        for), then one that has run `runtime` (its module compiled), then the primary, then the last used."""
        primary = await self._primary_cell()
        idle = [cell for cell in (primary, *reversed(self._general)) if not cell.busy]
        idle.sort(key=lambda cell: (cell.engine.pid is None, runtime not in cell.served))
        if idle:
            cell = idle[0]
        else:
            if len(self._general) + 1 >= self._size:
                # The sandbox's slots bound runs in flight to `size`, so this is a bug, not load.
                raise EngineError(f"Cannot run: all {self._size} cells are busy")
            cell = await self._open(self._lean_options)
            self._general.append(cell)
        cell.busy = True
        return cell

    async def _live_cell(self, session: str) -> _Cell:
        cell = self._live.get(session)
        if cell is None:
            cell = self._live[session] = await self._open(self._lean_options)
        return cell

    async def _open(self, options: EngineOptions) -> _Cell:
        """A new cell whose engine is entered in a task of its own, so any task may later stop it."""
        if self._closing or self._task_group is None:
            raise EngineError("Cannot use the engine: it has been closed")
        cell: _Cell = await self._task_group.start(self._hold, options)
        cell.idle_since = anyio.current_time()
        return cell

    async def _hold(self, options: EngineOptions, *, task_status: anyio.abc.TaskStatus[_Cell]) -> None:
        cell = _Cell(Engine(options))
        try:
            async with cell.engine, anyio.create_task_group() as restarts:
                # Restarts run in this task's scope: cancelled before the engine is left, never during.
                restarts.start_soon(self._restart_when_wanted, cell)
                task_status.started(cell)
                if options is self._lean_options:
                    await self._stop_when_idle(cell)
                else:
                    await cell.stop.wait()
                restarts.cancel_scope.cancel()
        finally:
            self._retired_starts += cell.engine.starts
            cell.stopped.set()

    async def _stop_when_idle(self, cell: _Cell) -> None:
        """Wait for `stop`, or stop a general cell that sat idle IDLE_CELL_TTL (live cells never idle out)."""
        while True:
            with anyio.move_on_after(IDLE_CELL_TTL / 4):
                await cell.stop.wait()
                return
            idle_for = anyio.current_time() - cell.idle_since
            if cell in self._general and not cell.busy and idle_for >= IDLE_CELL_TTL:
                self._general.remove(cell)
                logger.debug("Stopping a cell idle for %.0f s", idle_for)
                return

    async def _restart_when_wanted(self, cell: _Cell) -> None:
        while True:
            await cell.restart_wanted.wait()
            cell.restart_wanted = anyio.Event()
            try:
                await cell.engine.start()
            except EngineError:
                logger.warning("Could not start a cell's next process; its next run tries again", exc_info=True)

    async def _stop(self, cell: _Cell) -> None:
        cell.stop.set()
        with anyio.CancelScope(shield=True):
            await cell.stopped.wait()
