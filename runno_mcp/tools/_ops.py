"""What a platform sees of the MCP server from outside the protocol: health, readiness, metrics, logs.

Owns `/healthz`, `/readyz` and `/metrics` (Prometheus text, `prometheus-client`), the log line each
tool call ends with (a request id, the tool, the language, the outcome, the duration), the optional
limit on runs in flight per client, and draining: refusing new runs and waiting for the calls in
progress when the server is asked to stop. All of it hangs on the SDK's seams: custom routes and
server middleware; runs still go through the sandbox only.
"""

import hashlib
import json
import logging
import sys
import time
import uuid
from collections.abc import AsyncGenerator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import anyio
from mcp.server.context import CallNext, HandlerResult, ServerMiddleware, ServerRequestContext
from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult, TextContent
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from runno_mcp.errors import RunnoError
from runno_mcp.models import resolve_runtime
from runno_mcp.sandbox import DEFAULT_MAX_QUEUE, AsyncSandbox
from runno_mcp.tools._service import SandboxService
from runno_mcp.tools.mcp_sessions import request_client
from runno_mcp.tools.options import LogFormat

__all__ = ["CLIENT_HEADER", "LogFormat", "Operations", "configure_logging"]

logger = logging.getLogger("runno_mcp.calls")

CLIENT_HEADER = "runno-client"
"""A stable id a client without an MCP session may send: its key for per-client limits, and for the
load balancer's affinity (see deploy/nginx.conf)."""
HEALTH_TIMEOUT = 5.0  # seconds the engine has to answer a health check's ping
STARTING = "the sandbox is starting (installing language files if needed, then the engine)"
CANCEL_WAIT = 5.0  # seconds for calls stopped at the end of the grace period to send their error
RUN_TOOLS = frozenset({"run_code", "run_fs"})
NEW_WORK_TOOLS = RUN_TOOLS | {"create_session"}
"""Refused while draining; reading, writing and closing a session's files still work."""
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)


@dataclass
class _ClientSlots:
    slots: anyio.Semaphore
    users: int = 0


class Operations:
    """Health, readiness, metrics, call logs, per-client limits and draining for one server.

    Args:
        max_concurrency_per_client: runs one client may have in flight; its further runs wait, so
            other clients' runs go first. None: no limit beyond the sandbox's own.
        max_client_queue: runs one client may have waiting behind that limit; past it a run is
            refused as busy at once, as the sandbox refuses past its `max_queue`, so no client's
            backlog grows without bound.
    """

    def __init__(
        self, *, max_concurrency_per_client: int | None = None, max_client_queue: int = DEFAULT_MAX_QUEUE
    ) -> None:
        self.registry = CollectorRegistry()
        self.service: SandboxService | None = None
        self.draining = False
        self._per_client_limit = max_concurrency_per_client
        self._max_client_queue = max_client_queue
        self._clients: dict[str, _ClientSlots] = {}
        self._in_progress: set[anyio.CancelScope] = set()
        self._idle = anyio.Event()
        self._idle.set()
        self._grace = 0.0
        self._tools: frozenset[str] | None = None
        self._runs = Counter(
            "runno_runs",
            "Runs (run_code, run_fs) by runtime and result: complete, crash, terminated, timeout; "
            "error for a call refused before it ran; cancelled when the client gave up",
            ["runtime", "result_type"],
            registry=self.registry,
        )
        self._run_seconds = Histogram(
            "runno_run_duration_seconds",
            "Seconds from a run call's arrival to its result, waiting for a slot included",
            ["runtime"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self._tool_calls = Counter(
            "runno_tool_calls",
            "Tool calls by tool and outcome: ok, error, cancelled",
            ["tool", "outcome"],
            registry=self.registry,
        )
        self.registry.register(_SandboxCollector(self))
        ProcessCollector(registry=self.registry)  # this Python process; the engine's memory is runno_engine_*

    def install(self, mcp: MCPServer[Any]) -> None:
        """Add the routes `/healthz`, `/readyz`, `/metrics` and the call middleware to `mcp`."""
        mcp.custom_route("/healthz", methods=["GET"], include_in_schema=False)(self.healthz)
        mcp.custom_route("/readyz", methods=["GET"], include_in_schema=False)(self.readyz)
        mcp.custom_route("/metrics", methods=["GET"], include_in_schema=False)(self.metrics)
        mcp.middleware.append(self._middleware_for(mcp))

    # --- HTTP routes ---------------------------------------------------------------------------

    async def healthz(self, request: Request) -> Response:
        """Liveness: 503 only when restarting the process is the cure; "not ready yet" is `/readyz`'s to say.

        200 `starting` while the sandbox starts (installing language files can take a while, and a
        liveness probe that failed then would restart the start); 200 `ok` when the engine answers a
        ping (an engine that died is restarted first). 503 `unresponsive` when it does not answer
        within HEALTH_TIMEOUT, and 503 `failed` when the sandbox cannot be started: such a process
        cannot run a single call, and a restart retries the start, which cures a transient cause (a
        download cut off, an engine out of memory). In Kubernetes liveness is only probed once the
        startup probe (`/readyz`) passed, so a start that never succeeds is the startup probe's to
        restart, with back-off; Docker's HEALTHCHECK marks such a container unhealthy.
        """
        sandbox = self.status()
        if sandbox is None:
            return JSONResponse({"status": "starting", "reason": STARTING, "draining": self.draining})
        if isinstance(sandbox, RunnoError):
            return _unavailable("failed", sandbox)
        started = time.perf_counter()
        try:
            with anyio.fail_after(HEALTH_TIMEOUT):
                await sandbox.ping()
        except TimeoutError:
            return _unavailable("unresponsive", f"the engine did not answer a ping within {HEALTH_TIMEOUT:g} s")
        except RunnoError as exc:
            return _unavailable("failed", exc)
        stats = sandbox.stats()
        return JSONResponse(
            {
                "status": "ok",
                "ping_ms": round((time.perf_counter() - started) * 1000, 1),
                "engine_pid": stats.engine_pid,
                "runs_in_flight": stats.runs_in_flight,
                "runs_waiting": stats.runs_waiting,
                "draining": self.draining,
            }
        )

    async def readyz(self, request: Request) -> Response:
        """200 once the language files are installed and the engine has started; 503 before, or while draining."""
        sandbox = self.status()
        if self.draining:
            return _unavailable("draining", "the server is shutting down and takes no new runs")
        if not isinstance(sandbox, AsyncSandbox):
            return _unavailable("starting" if sandbox is None else "failed", sandbox)
        return JSONResponse({"status": "ready"})

    async def metrics(self, request: Request) -> Response:
        """The Prometheus text exposition of this server's metrics."""
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)

    def status(self) -> AsyncSandbox | RunnoError | None:
        """The sandbox if it runs, the error its start ended with, or None while it starts."""
        return None if self.service is None else self.service.status()

    # --- draining ------------------------------------------------------------------------------

    @property
    def calls_in_progress(self) -> int:
        return len(self._in_progress)

    async def drain(self, grace: float) -> None:
        """Refuse new runs, wait up to `grace` seconds for the calls in progress, then stop the rest.

        A call stopped this way answers with an `isError` result that says the server shut down.
        """
        self.draining = True
        self._grace = grace
        if self._in_progress:
            logger.info("Draining: waiting up to %g s for %d call(s) in progress", grace, len(self._in_progress))
        with anyio.move_on_after(grace):
            await self._idle.wait()
        if self._in_progress:
            logger.warning("Grace period of %g s over: stopping %d call(s)", grace, len(self._in_progress))
            for scope in list(self._in_progress):
                scope.cancel()
            with anyio.move_on_after(CANCEL_WAIT):
                await self._idle.wait()

    # --- the middleware every MCP message passes -----------------------------------------------

    def _middleware_for(self, mcp: MCPServer[Any]) -> ServerMiddleware[Any]:
        async def middleware(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
            if ctx.method != "tools/call":
                return await call_next(ctx)
            if self._tools is None:
                self._tools = frozenset(tool.name for tool in await mcp.list_tools())
            return await self._tool_call(ctx, call_next)

        return middleware

    async def _tool_call(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        params: Mapping[str, Any] = ctx.params or {}
        name = params.get("name")
        tool = name if isinstance(name, str) and self._tools is not None and name in self._tools else "unknown"
        arguments: object = params.get("arguments")
        language = cast(Mapping[str, object], arguments).get("language") if isinstance(arguments, Mapping) else None
        runtime = _runtime_label(language) if tool in RUN_TOOLS else None
        client = _limit_key(ctx.request)
        request_id = uuid.uuid4().hex[:16]
        started = time.perf_counter()
        outcome = "cancelled"
        error: str | None = None
        try:
            if self.draining and tool in NEW_WORK_TOOLS:
                result: HandlerResult = _refused(
                    "Cannot start this call: the server is shutting down; call again in a moment "
                    "(another replica will take it; sessions held by this server end with it)"
                )
            else:
                result = await self._call_tracked(ctx, call_next, client if tool in RUN_TOOLS else None)
            answer = _as_tool_result(result)
            if answer is not None and answer.is_error:
                outcome, error = "error", _error_text(answer)
            elif runtime is not None and answer is not None and answer.structured_content is not None:
                outcome = str(answer.structured_content.get("result_type", "ok"))
            else:
                outcome = "ok"
            return result
        except Exception as exc:
            outcome, error = "error", repr(exc)
            raise
        finally:
            duration = time.perf_counter() - started
            kind = outcome if outcome in ("ok", "error", "cancelled") else "ok"
            self._tool_calls.labels(tool, kind).inc()
            if runtime is not None:
                self._runs.labels(runtime, outcome).inc()
                self._run_seconds.labels(runtime).observe(duration)
            fields: dict[str, Any] = {
                "request_id": request_id,
                "tool": tool,
                "language": language if isinstance(language, str) else None,
                "result": outcome,
                "duration_ms": round(duration * 1000, 1),
                "client": _digest(client),
            }
            if error is not None:
                fields["error"] = error
            logger.info(
                "call %s",
                " ".join(f"{key}={value!r}" if key == "error" else f"{key}={value}" for key, value in fields.items()),
                extra={"fields": fields},
            )

    async def _call_tracked(
        self, ctx: ServerRequestContext[Any, Any], call_next: CallNext, client: str | None
    ) -> HandlerResult:
        """Call the tool as a call in progress, stoppable at the end of a drain, within the client's limit."""
        with anyio.CancelScope() as scope:
            self._in_progress.add(scope)
            self._idle = anyio.Event() if len(self._in_progress) == 1 else self._idle
            try:
                if self._client_backlog_full(client):
                    return _refused(
                        f"Cannot run now: this client already has {self._per_client_limit} runs in flight and "
                        f"{self._max_client_queue} waiting (--max-concurrency-per-client); wait for them, then "
                        "call again"
                    )
                async with self._client_slot(client):
                    return await call_next(ctx)
            finally:
                self._in_progress.discard(scope)
                if not self._in_progress:
                    self._idle.set()
        return _refused(
            f"The server shut down before this call ended: calls still running {self._grace:g} s after it was "
            "asked to stop (--shutdown-grace) are stopped; call again and another replica will take it"
        )

    def _client_backlog_full(self, client: str | None) -> bool:
        entry = None if client is None else self._clients.get(client)
        return entry is not None and entry.slots.statistics().tasks_waiting >= self._max_client_queue

    @asynccontextmanager
    async def _client_slot(self, client: str | None) -> AsyncGenerator[None, None]:
        if client is None or self._per_client_limit is None:
            yield
            return
        entry = self._clients.get(client)
        if entry is None:
            entry = self._clients[client] = _ClientSlots(anyio.Semaphore(self._per_client_limit))
        entry.users += 1
        try:
            async with entry.slots:  # FIFO: a client's runs start in the order they came
                yield
        finally:
            entry.users -= 1
            if not entry.users:
                del self._clients[client]

    def held_by_client_limit(self) -> int:
        """Runs waiting because their client already has its most runs in flight."""
        return sum(entry.slots.statistics().tasks_waiting for entry in self._clients.values())


class _SandboxCollector(Collector):
    """Read at each scrape: runs in flight and waiting, sessions, engine restarts and memory."""

    def __init__(self, ops: Operations) -> None:
        self._ops = ops

    def collect(self) -> Iterable[Any]:
        sandbox = self._ops.status()
        stats = sandbox.stats() if isinstance(sandbox, AsyncSandbox) else None
        ready = 1 if stats is not None and not self._ops.draining else 0
        yield GaugeMetricFamily("runno_ready", "1 when the server takes runs (what /readyz says)", value=ready)
        yield GaugeMetricFamily(
            "runno_tool_calls_in_progress", "Tool calls being handled", value=self._ops.calls_in_progress
        )
        yield GaugeMetricFamily(
            "runno_runs_held_by_client_limit",
            "Runs waiting because their client has --max-concurrency-per-client runs in flight",
            value=self._ops.held_by_client_limit(),
        )
        if stats is None:
            return
        yield GaugeMetricFamily("runno_runs_in_flight", "Runs executing in the engine", value=stats.runs_in_flight)
        yield GaugeMetricFamily("runno_runs_queued", "Runs waiting for a free engine slot", value=stats.runs_waiting)
        yield GaugeMetricFamily("runno_sessions_open", "Sessions open, live ones included", value=stats.sessions_open)
        yield GaugeMetricFamily("runno_live_sessions_open", "Live sessions open", value=stats.live_sessions_open)
        yield CounterMetricFamily(
            "runno_engine_restarts",
            "Engine processes (cells) started after the first: for concurrent runs and live sessions, and "
            "replacing one that died, hung, or held stopped runs",
            value=max(0, stats.engine_starts - 1),
        )
        sizes = [rss for pid in stats.engine_pids if (rss := _rss_bytes(pid)) is not None]
        if sizes:
            yield GaugeMetricFamily(
                "runno_engine_resident_memory_bytes",
                "Resident memory of the engine's processes together",
                value=sum(sizes),
            )


def _rss_bytes(pid: int | None) -> int | None:
    """VmRSS of `pid` from /proc (Linux); None elsewhere or once the process is gone."""
    if pid is None:
        return None
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024  # reported in kB
    return None


def _limit_key(request: object) -> str:
    """Who a run counts against for per-client limits: the MCP session or SSE connection, else the
    `Runno-Client` header, else the peer's address."""
    client = request_client(request)
    if client != "stateless" or not isinstance(request, Request):
        return client
    named = request.headers.get(CLIENT_HEADER)
    if named:
        return f"client:{named}"
    return f"peer:{request.client.host}" if request.client is not None else client


def _runtime_label(language: object) -> str:
    """The runtime id a call's language names (aliases resolved); "unknown" keeps labels bounded."""
    if not isinstance(language, str):
        return "unknown"
    try:
        return resolve_runtime(language)
    except RunnoError:
        return "unknown"


def _digest(client: str) -> str:
    """A short, stable stand-in for a client key in logs: MCP session ids are not written out."""
    return hashlib.sha256(client.encode("utf-8")).hexdigest()[:12]


def _as_tool_result(result: HandlerResult) -> CallToolResult | None:
    if isinstance(result, CallToolResult):
        return result
    if isinstance(result, dict):
        try:
            return CallToolResult.model_validate(result)
        except ValidationError:
            return None
    return None


def _error_text(result: CallToolResult) -> str:
    text = " ".join(block.text for block in result.content if isinstance(block, TextContent))
    return text.splitlines()[0][:200] if text.strip() else ""


def _refused(message: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=message)], is_error=True)


def _unavailable(status: str, reason: object) -> JSONResponse:
    return JSONResponse({"status": status, "reason": str(STARTING if reason is None else reason)}, status_code=503)


class _JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, and a tool call's fields."""

    converter = time.gmtime

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", None)
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": "tool call" if isinstance(fields, dict) else record.getMessage(),
        }
        if isinstance(fields, dict):
            entry.update(cast(dict[str, Any], fields))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str, log_format: LogFormat) -> None:
    """Log to stderr at `level`, one line per record: plain text, or one JSON object."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
