"""Load test (not run in CI): runno-mcp replicas behind Debian's nginx, driven by concurrent MCP clients.

Starts three `runno-mcp --transport streamable-http` replicas on loopback ports and nginx with
deploy/nginx.conf (its `server` lines pointed at those ports; run as a child process with its files
in a temporary folder, never as the system service), then drives them with concurrent MCP clients,
each an agent working in steps: a stateless run, then in its own runno session write a file, run a
program that reads it and writes another, and read that back. Every answer is checked.

Phase 1 is steady load. Phase 2 is the same load while one replica is killed (SIGKILL) halfway: the
script reports what the clients of that replica saw and that the others saw nothing. `--single`
instead drives one replica directly, without nginx, for the single-machine numbers.

Handshake-era clients (`mode="legacy"`, with an Mcp-Session-Id) send no extra header; clients of the
2026-07-28 protocol send `Runno-Client: agent-N`, as deploy/nginx.conf asks of clients that use
sessions. nginx adds a `Runno-Upstream` header to each answer, so the script sees which replica
answered every call and checks that a client's calls all went to one replica.

    apt-get install -y nginx        # once, if missing
    RUNNO_MCP_LANGS_DIR=... python scripts/three_replicas.py --clients 16 --duration 20
    RUNNO_MCP_LANGS_DIR=... python scripts/three_replicas.py --single --clients 16 --duration 20
"""

import argparse
import logging
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncGenerator, Collection, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import anyio
import anyio.abc
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp_types import CallToolResult, TextContent

ROOT = Path(__file__).resolve().parents[1]
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
STARTUP_TIMEOUT = 90.0  # seconds for a replica's engine to start on a busy machine
CALL_TIMEOUT = 120.0  # seconds: generous, so a slow answer is measured rather than counted as lost
RUN_TIMEOUT = 60  # seconds a run may take
MODERN = "2026-07-28"


@dataclass
class Op:
    """One tool call as a client saw it."""

    agent: int
    kind: str
    started: float
    seconds: float
    ok: bool
    error: str | None = None
    upstream: str | None = None


@dataclass
class Agent:
    index: int
    protocol: str  # "legacy" or MODERN
    upstreams: list[str] = field(default_factory=list[str])
    """Which replica answered each request of the current connection."""
    epochs: list[set[str]] = field(default_factory=list[set[str]])
    """Per connection (a new one after an error): the replicas that answered its session calls."""
    reconnects: int = 0
    requests: int = 0
    """Answers that came through nginx."""
    hops: int = 0
    """Replicas nginx tried before the one that answered (a 404 for a session it does not hold)."""


@dataclass
class Replica:
    port: int
    process: anyio.abc.Process
    log: Path

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


class CallFailed(Exception):
    """A tool call answered isError, or with a wrong result."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@asynccontextmanager
async def replicas(count: int, flags: Sequence[str], folder: Path) -> AsyncGenerator[list[Replica], None]:
    """Start `count` replicas on free loopback ports; stop those still running at the end (SIGTERM)."""
    started: list[Replica] = []
    try:
        for index in range(count):
            port = free_port()
            log = folder / f"replica-{index + 1}.log"
            argv = [sys.executable, "-m", "runno_mcp", "--transport", "streamable-http", "--port", str(port), *flags]
            with log.open("wb") as sink:
                process = await anyio.open_process(argv, stdout=sink, stderr=sink, cwd=ROOT)
            started.append(Replica(port, process, log))
        with anyio.fail_after(STARTUP_TIMEOUT):
            for replica in started:
                while not await _ready(replica.address):  # noqa: ASYNC110 - the state is in another process
                    await anyio.sleep(0.2)
        yield started
    finally:
        with anyio.CancelScope(shield=True):
            for replica in started:
                if replica.process.returncode is None:
                    replica.process.terminate()
            for replica in started:
                with anyio.move_on_after(40):
                    await replica.process.wait()
                if replica.process.returncode is None:
                    replica.process.kill()


async def _ready(address: str) -> bool:
    http = httpx2.AsyncClient(timeout=5)
    async with http:
        try:
            return (await http.get(f"http://{address}/readyz")).status_code == 200
        except httpx2.HTTPError:
            return False


def nginx_config(template: str, upstreams: Sequence[str], port: int, folder: Path, *, walk: bool = True) -> str:
    """deploy/nginx.conf with its servers at `upstreams`, listening on loopback `port`, its files in `folder`;
    without `walk`, a replica's 404 is passed to the client instead of trying the next replica."""
    servers = iter(upstreams)
    text, count = re.subn(r"server runno-\d+:8000", lambda _: f"server {next(servers)}", template)
    if count != len(upstreams):
        raise SystemExit(f"{NGINX_CONF} has {count} upstream servers; this script needs {len(upstreams)}")
    text = text.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    if not walk:
        text = text.replace("proxy_next_upstream error http_404 non_idempotent;", "proxy_next_upstream error;")
    paths = "\n".join(
        f"    {name}_temp_path {folder / name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    text = text.replace("http {\n", f"http {{\n{paths}\n", 1)
    return f"pid {folder / 'nginx.pid'};\nerror_log {folder / 'nginx-error.log'} warn;\n{text}"


def write_nginx_config(upstreams: Sequence[str], port: int, folder: Path, walk: bool) -> tuple[str, Path]:
    """Write and check the configuration; return nginx's binary and the configuration's path."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise SystemExit("nginx is not installed: apt-get install -y nginx")
    folder.chmod(0o755)  # nginx's workers run as another user and need its temporary folders
    conf = folder / "nginx.conf"
    text = nginx_config(NGINX_CONF.read_text(encoding="utf-8"), upstreams, port, folder, walk=walk)
    conf.write_text(text, encoding="utf-8")
    check = subprocess.run([binary, "-t", "-c", str(conf), "-p", str(folder)], capture_output=True, text=True)
    if check.returncode != 0:
        raise SystemExit(f"nginx rejects the configuration:\n{check.stderr}")
    return binary, conf


@asynccontextmanager
async def nginx(upstreams: Sequence[str], folder: Path, *, walk: bool) -> AsyncGenerator[str, None]:
    """Run nginx in the foreground as a child process; yield its MCP endpoint."""
    port = free_port()
    binary, conf = await anyio.to_thread.run_sync(write_nginx_config, upstreams, port, folder, walk)
    process = await anyio.open_process(
        [binary, "-c", str(conf), "-p", str(folder), "-g", "daemon off;"], stdout=None, stderr=None
    )
    try:
        with anyio.fail_after(10):
            while True:
                try:
                    async with await anyio.connect_tcp("127.0.0.1", port):
                        break
                except OSError:
                    await anyio.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        with anyio.CancelScope(shield=True):
            process.send_signal(signal.SIGQUIT)  # nginx's graceful stop
            with anyio.move_on_after(10):
                await process.wait()
            if process.returncode is None:
                process.kill()


@asynccontextmanager
async def connect(url: str, agent: Agent) -> AsyncGenerator[Client, None]:
    """An MCP client for `agent` whose http client notes which replica answered each request."""
    headers = {"runno-client": f"agent-{agent.index}"} if agent.protocol == MODERN else None
    http = httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30, read=CALL_TIMEOUT))

    async def note_upstream(response: httpx2.Response) -> None:
        answered = response.headers.get("runno-upstream")
        if answered:
            tried = [address.strip() for address in answered.split(",")]  # nginx lists every replica it tried
            agent.upstreams.append(tried[-1])
            agent.hops += len(tried) - 1
            agent.requests += 1

    http.event_hooks["response"].append(note_upstream)
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(http)
        transport = streamable_http_client(url, http_client=http)
        client = await stack.enter_async_context(Client(transport, mode=agent.protocol))
        yield client


def text_of(result: CallToolResult) -> str:
    return " ".join(block.text for block in result.content if isinstance(block, TextContent))


async def drive_agent(url: str, agent: Agent, deadline: float, ops: list[Op]) -> None:
    """Work in steps until `deadline`; after an error, note it, reconnect and go on, as a sturdy agent does."""
    rng = random.Random(agent.index)
    while time.monotonic() < deadline:
        agent.upstreams.clear()
        session_upstreams: set[str] = set()
        agent.epochs.append(session_upstreams)
        try:
            async with connect(url, agent) as client:
                await client.list_tools()
                created = await call(client, agent, ops, "create_session", {})
                session_id = created["session_id"]
                while time.monotonic() < deadline:
                    await one_step(client, agent, ops, session_id, rng.randrange(1, 10**6), session_upstreams)
        except Exception as exc:  # what the client saw is the measurement
            if not isinstance(innermost(exc), CallFailed):  # a failed call is already noted by `call`
                ops.append(Op(agent.index, "connect", time.monotonic(), 0.0, False, describe(exc)))
        if time.monotonic() < deadline:
            agent.reconnects += 1


async def one_step(
    client: Client, agent: Agent, ops: list[Op], session_id: str, n: int, session_upstreams: set[str]
) -> None:
    """A stateless run, then write, run and read in the session; every answer checked."""
    language, code = ("python", f"print({n} * 2)") if n % 2 else ("quickjs", f"console.log({n} * 2)")
    await call(client, agent, ops, "run", {"language": language, "code": code}, expect=("stdout", f"{n * 2}\n"))
    marker = len(agent.upstreams)
    files = [{"path": "/in.txt", "content": str(n)}]
    await call(client, agent, ops, "write_files", {"session_id": session_id, "files": files})
    code = "print(int(open('/in.txt').read()) + 1, file=open('/out.txt', 'w'))"
    arguments = {"language": "python", "code": code, "session_id": session_id}
    await call(client, agent, ops, "session_run", arguments, expect=("result_type", "complete"))
    arguments = {"session_id": session_id, "path": "/out.txt"}
    await call(client, agent, ops, "read_file", arguments, expect=("content", f"{n + 1}\n"))
    session_upstreams.update(agent.upstreams[marker:])


async def call(
    client: Client,
    agent: Agent,
    ops: list[Op],
    kind: str,
    arguments: dict[str, Any],
    *,
    expect: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """Call a tool and note it in `ops`: its latency, and whether the answer was right.

    Raises:
        CallFailed: the call raised, answered isError, or answered something else than `expect`.
    """
    run = kind in ("run", "session_run")
    name = "run_code" if run else kind
    if run:
        arguments = {**arguments, "timeout": RUN_TIMEOUT}
    started = time.monotonic()
    marker = len(agent.upstreams)
    error: str | None = None
    structured: dict[str, Any] = {}
    try:
        with anyio.fail_after(CALL_TIMEOUT):
            result = await client.call_tool(name, arguments)
    except Exception as exc:
        error = describe(exc)
    else:
        if result.is_error or result.structured_content is None:
            error = text_of(result)
        else:
            structured = result.structured_content
            if expect is not None and structured.get(expect[0]) != expect[1]:
                error = f"wrong result: {expect[0]} is {structured.get(expect[0])!r}, not {expect[1]!r}"
    upstream = agent.upstreams[-1] if len(agent.upstreams) > marker else None
    ops.append(Op(agent.index, kind, started, time.monotonic() - started, error is None, error, upstream))
    if error is not None:
        raise CallFailed(error)
    return structured


def innermost(exc: BaseException) -> BaseException:
    """The one exception inside nested exception groups of one (task groups wrap what they raise)."""
    while True:
        inner = cast("tuple[BaseException, ...] | None", getattr(exc, "exceptions", None))
        if not inner or len(inner) != 1:
            return exc
        exc = inner[0]


def describe(exc: BaseException) -> str:
    exc = innermost(exc)
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:160]


# --- reports -------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def table(rows: list[list[str]], align: str) -> str:
    """A text table; `align` has one letter per column, l or r."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.rjust(width) if side == "r" else cell.ljust(width)
            for cell, width, side in zip(row, widths, align, strict=True)
        ).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def latency_table(ops: list[Op], seconds: float) -> str:
    rows = [["call", "ok", "errors", "per s", "p50 ms", "p95 ms", "p99 ms", "max ms"]]
    kinds = ["run", "session_run", "write_files", "read_file", "create_session"]
    for kind in [*kinds, "all runs"]:
        chosen = [op for op in ops if (op.kind in ("run", "session_run") if kind == "all runs" else op.kind == kind)]
        good = [op.seconds * 1000 for op in chosen if op.ok]
        rows.append(
            [
                kind,
                str(len(good)),
                str(len(chosen) - len(good)),
                f"{len(good) / seconds:.1f}",
                *(f"{percentile(good, q):.0f}" for q in (50, 95, 99)),
                f"{max(good, default=math.nan):.0f}",
            ]
        )
    return table(rows, "lrrrrrrr")


def error_table(ops: list[Op]) -> str:
    errors = Counter((op.kind, op.error or "") for op in ops if not op.ok)
    if not errors:
        return "errors: 0"
    rows = [["count", "call", "what the client saw"]]
    rows += [[str(count), kind, error] for (kind, error), count in errors.most_common()]
    return f"errors: {errors.total()}\n" + table(rows, "rll")


def routing_report(agents: Sequence[Agent], ops: list[Op], exclude: Collection[int] = ()) -> str:
    """Whether each client connection's session calls were all answered by one replica, and no call was
    answered 'No session' (clients in `exclude`, whose replica was killed, lost their sessions with it)."""
    mixed = sum(1 for agent in agents for epoch in agent.epochs if len(epoch) > 1)
    no_session = sum(1 for op in ops if not op.ok and "No session" in (op.error or "") and op.agent not in exclude)
    per_replica = Counter(op.upstream for op in ops if op.ok and op.upstream)
    requests = sum(agent.requests for agent in agents)
    hops = sum(agent.hops for agent in agents)
    return "\n".join(
        [
            f"session routing: {sum(len(agent.epochs) for agent in agents)} client connections, "
            f"{mixed} with session calls answered by more than one replica; "
            f"'No session' answers: {no_session}",
            f"  {requests} answers through nginx, {hops} extra hops (a replica answered 404 for a session it "
            "does not hold and nginx tried the next)",
            "  tool calls answered per replica: "
            + ", ".join(f"{address} {count}" for address, count in sorted(per_replica.items())),
        ]
    )


def print_phase(title: str, agents: Sequence[Agent], ops: list[Op], seconds: float) -> None:
    runs = [op for op in ops if op.kind in ("run", "session_run") and op.ok]
    print(f"\n=== {title}: {len(agents)} clients, {seconds:g} s ===")
    print(f"throughput: {len(runs) / seconds:.1f} runs/s, {sum(op.ok for op in ops) / seconds:.1f} tool calls/s")
    print(latency_table(ops, seconds))
    print(error_table(ops))


async def load(url: str, agents: list[Agent], seconds: float) -> list[Op]:
    for agent in agents:
        agent.epochs.clear()
        agent.requests = agent.hops = agent.reconnects = 0
    ops: list[Op] = []
    deadline = time.monotonic() + seconds
    async with anyio.create_task_group() as tg:
        for agent in agents:
            tg.start_soon(drive_agent, url, agent, deadline, ops)
    return ops


async def kill_phase(url: str, agents: list[Agent], seconds: float, fleet: list[Replica]) -> None:
    """Load for `seconds`, killing the replica that serves the most clients halfway."""
    start = time.monotonic()
    killed: dict[str, Any] = {}

    async def kill_later() -> None:
        await anyio.sleep(seconds / 2)
        serving = Counter(agent.upstreams[-1] for agent in agents if agent.upstreams)
        address = serving.most_common(1)[0][0]
        victim = next(replica for replica in fleet if replica.address == address)
        in_flight = await _in_flight(address)
        victim.process.kill()  # SIGKILL: no drain, as when a machine dies
        killed.update(
            address=address,
            at=time.monotonic(),
            clients={agent.index for agent in agents if agent.upstreams and agent.upstreams[-1] == address},
            in_flight=in_flight,
        )
        print(
            f"-- t={time.monotonic() - start:.1f} s: SIGKILL replica {address}, serving "
            f"{len(killed['clients'])} of {len(agents)} clients, {in_flight} tool call(s) in progress",
            flush=True,
        )

    ops: list[Op] = []
    async with anyio.create_task_group() as tg:
        tg.start_soon(kill_later)
        ops = await load(url, agents, seconds)
    hit: set[int] = killed["clients"]
    print_phase("phase 2: one replica killed halfway", agents, ops, seconds)
    print(routing_report(agents, ops, exclude=hit))
    after = [op for op in ops if op.started >= killed["at"]]
    hit_errors = [op for op in ops if op.agent in hit and not op.ok]
    other_errors = [op for op in ops if op.agent not in hit and not op.ok]
    first_ok: dict[int, float] = {}
    for op in sorted(after, key=lambda op: op.started + op.seconds):
        if op.agent in hit and op.ok and op.agent not in first_ok:
            first_ok[op.agent] = op.started + op.seconds - killed["at"]
    recovery = f", {min(first_ok.values()):.2f}-{max(first_ok.values()):.2f} s after the kill" if first_ok else ""
    print(
        f"clients of the killed replica ({len(hit)}): {len(hit_errors)} failed calls, shown above; "
        f"{len(first_ok)} of {len(hit)} reconnected and succeeded again{recovery}"
    )
    print(f"clients of the other replicas ({len(agents) - len(hit)}): {len(other_errors)} failed calls")
    print(f"calls that started after the kill: {len(after)}, {sum(op.ok for op in after)} succeeded")


async def _in_flight(address: str) -> int:
    http = httpx2.AsyncClient(timeout=5)
    async with http:
        try:
            text = (await http.get(f"http://{address}/metrics")).text
        except httpx2.HTTPError:
            return -1
    match = re.search(r"^runno_tool_calls_in_progress (\S+)$", text, re.MULTILINE)
    return int(float(match.group(1))) if match else -1


async def main_async(args: argparse.Namespace) -> None:
    flags = ["--log-level", "WARNING", "--max-concurrency", str(args.max_concurrency), "--max-sessions", "256"]
    modern = args.modern_clients
    agents = [Agent(i, MODERN if i < modern else "legacy") for i in range(args.clients)]
    with tempfile.TemporaryDirectory(prefix="runno-replicas-") as tmp:
        folder = Path(tmp)
        count = 1 if args.single else 3
        print(f"starting {count} replica(s) with --max-concurrency {args.max_concurrency} ...", flush=True)
        async with replicas(count, flags, folder) as fleet:
            if args.single:
                url = f"http://{fleet[0].address}/mcp"
                print(f"one replica at {url}, no load balancer; {args.clients} clients ({modern} on {MODERN})")
                await load(url, agents, args.warmup)
                print_phase("single machine", agents, await load(url, agents, args.duration), args.duration)
                return
            async with nginx([replica.address for replica in fleet], folder, walk=not args.no_404_walk) as url:
                print(
                    f"nginx at {url} -> {', '.join(r.address for r in fleet)}; {args.clients} clients "
                    f"({modern} on {MODERN} with Runno-Client, {args.clients - modern} handshake-era without)"
                )
                await load(url, agents, args.warmup)
                ops = await load(url, agents, args.duration)
                print_phase("phase 1: steady load", agents, ops, args.duration)
                print(routing_report(agents, ops))
                if not args.no_kill:
                    await kill_phase(url, agents, args.duration, fleet)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16, help="concurrent MCP clients (default 16)")
    parser.add_argument("--modern-clients", type=int, default=4, help=f"of which on {MODERN} (default 4)")
    parser.add_argument("--duration", type=float, default=20, help="seconds per phase (default 20)")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of load before measuring (default 3)")
    parser.add_argument("--no-kill", action="store_true", help="skip phase 2")
    parser.add_argument(
        "--no-404-walk",
        action="store_true",
        help="drop http_404 from proxy_next_upstream, to see why deploy/nginx.conf needs it",
    )
    parser.add_argument("--max-concurrency", type=int, default=4, help="runs in flight per replica (default 4)")
    parser.add_argument("--single", action="store_true", help="one replica, no load balancer")
    args = parser.parse_args()
    # The SDK warns when it cannot end a session whose replica is gone; the tables report what clients saw.
    logging.getLogger("mcp").setLevel(logging.ERROR)
    if "RUNNO_MCP_LANGS_DIR" not in os.environ:
        print("note: RUNNO_MCP_LANGS_DIR is not set; the replicas use the user cache", file=sys.stderr)
    anyio.run(main_async, args)


if __name__ == "__main__":
    main()
