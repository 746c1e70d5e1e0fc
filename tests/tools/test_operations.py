"""Operating the HTTP server: /healthz, /readyz, /metrics, call logs, per-client limits and graceful shutdown.

Every test runs the real `python -m runno_mcp` over HTTP with the real engine, and looks at it from
outside as a platform would: probes, a Prometheus scrape, SIGTERM, and MCP clients.
"""

import json
import os
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio
import httpx2
import pytest
from mcp import Client
from mcp_types import CallToolResult, TextContent
from prometheus_client.parser import text_string_to_metric_families

from tests.tools.conftest import RunningServer, http_server_process

CALL_TIMEOUT = 60.0  # seconds: generous for a busy machine
WAIT_TIMEOUT = 60.0  # seconds for the server to reach a state it is driven to
POLL = 0.05  # seconds between looks at a state the server is driven to
SLEEPER = "import time\ntime.sleep({seconds})\nprint('done')"

T = TypeVar("T")


def text_of(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, TextContent))


async def get(base: str, path: str) -> httpx2.Response:
    http = httpx2.AsyncClient(timeout=30)
    async with http:
        return await http.get(base + path)


async def metrics(base: str) -> dict[str, float]:
    """One scrape of /metrics: each sample as `name{label="value",...}` (labels sorted), to its value."""
    response = await get(base, "/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples: dict[str, float] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            labels = ",".join(f'{key}="{value}"' for key, value in sorted(sample.labels.items()))
            samples[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return samples


async def eventually(probe: Callable[[], Awaitable[T | None]]) -> T:
    """Call `probe` until it returns something other than None, and return that.

    The state waited for lives in the server process, so there is no event to wait on: look again."""
    with anyio.fail_after(WAIT_TIMEOUT):
        while (value := await probe()) is None:  # noqa: ASYNC110
            await anyio.sleep(POLL)
    return value


async def wait_for_metric(base: str, name: str, value: float) -> None:
    async def reached() -> bool | None:
        return True if (await metrics(base)).get(name) == value else None

    await eventually(reached)


async def wait_ready(base: str) -> None:
    async def ready() -> bool | None:
        return True if (await get(base, "/readyz")).status_code == 200 else None

    await eventually(ready)


async def call(client: Client, name: str, arguments: dict[str, Any]) -> CallToolResult:
    with anyio.fail_after(CALL_TIMEOUT):
        return await client.call_tool(name, arguments)


async def run_python(client: Client, code: str) -> CallToolResult:
    return await call(client, "run_code", {"language": "python", "code": code, "timeout": 50})


@pytest.fixture(scope="module")
async def server(server_env: dict[str, str]) -> AsyncIterator[RunningServer]:
    """One streamable HTTP server, ready, shared by the tests that do not stop it."""
    async with http_server_process("streamable-http", "/mcp", server_env, ["--log-format", "json"]) as running:
        await wait_ready(running.base)
        yield running


@pytest.mark.parametrize(("transport", "path"), [("streamable-http", "/mcp"), ("sse", "/sse")])
async def test_both_http_transports_answer_the_probes(server_env: dict[str, str], transport: str, path: str) -> None:
    """/readyz turns 200 once the engine has started; /healthz then reports the engine answering a ping."""
    async with http_server_process(transport, path, server_env) as running:
        await wait_ready(running.base)
        health = await get(running.base, "/healthz")
        assert health.status_code == 200, health.text
        body = health.json()
        assert (body["status"], body["draining"]) == ("ok", False)
        assert isinstance(body["engine_pid"], int)
        assert (await get(running.base, "/readyz")).json() == {"status": "ready"}


async def test_while_the_engine_starts_healthz_says_alive_and_readyz_says_not_ready(
    server_env: dict[str, str], scripted_deno: Callable[[str], Path]
) -> None:
    """While the sandbox starts, /healthz answers 200 "starting" (alive: a liveness probe must not
    restart it) and /readyz 503 "starting"; an engine that stays silent in its handshake holds the
    server there."""
    env = {**server_env, "RUNNO_MCP_DENO": str(scripted_deno("silent"))}
    async with http_server_process("streamable-http", "/mcp", env) as running:
        health, ready = await get(running.base, "/healthz"), await get(running.base, "/readyz")
    assert (health.status_code, health.json()["status"]) == (200, "starting")
    assert (ready.status_code, ready.json()["status"]) == (503, "starting")


async def test_without_language_files_the_probes_say_why(tmp_path: Path) -> None:
    """An offline server with no language files answers 503 "failed" on both probes, with what to do as
    the reason: it cannot run a single call, and liveness failing lets a restart retry the start."""
    env = {"RUNNO_MCP_LANGS_DIR": str(tmp_path), "RUNNO_MCP_OFFLINE": "1"}
    async with http_server_process("streamable-http", "/mcp", env) as running:

        async def started() -> httpx2.Response | None:
            response = await get(running.base, "/readyz")
            return None if response.json()["status"] == "starting" else response

        ready = await eventually(started)
        health = await get(running.base, "/healthz")
        for response in (ready, health):
            assert response.status_code == 503
            assert response.json()["status"] == "failed"
            assert "runno-mcp install" in response.json()["reason"]


async def test_metrics_count_runs_by_runtime_and_result(server: RunningServer) -> None:
    """A complete run and a timeout are counted under their runtime and result type, with their latency;
    the engine's memory and the slot gauges are exported."""
    before = await metrics(server.base)
    async with Client(server.url, mode="legacy") as client:
        assert not (await run_python(client, "print(6 * 7)")).is_error
        timed_out = await call(client, "run_code", {"language": "js", "code": "for(;;){}", "timeout": 1})
        assert timed_out.structured_content is not None
        assert timed_out.structured_content["result_type"] == "timeout"
        assert (await call(client, "run_code", {"language": "cobol", "code": "x"})).is_error
    after = await metrics(server.base)

    def delta(name: str) -> float:
        return after.get(name, 0) - before.get(name, 0)

    assert delta('runno_runs_total{result_type="complete",runtime="python"}') == 1
    assert delta('runno_runs_total{result_type="timeout",runtime="quickjs"}') == 1
    assert delta('runno_runs_total{result_type="error",runtime="unknown"}') == 1
    assert delta('runno_run_duration_seconds_count{runtime="python"}') == 1
    assert delta('runno_tool_calls_total{outcome="ok",tool="run_code"}') == 2
    assert (after["runno_runs_in_flight"], after["runno_runs_queued"], after["runno_ready"]) == (0, 0, 1)
    # The timeout left a busy thread behind, so that engine is being replaced; a probe starts the next one.
    assert (await get(server.base, "/healthz")).status_code == 200
    assert (await metrics(server.base))["runno_engine_resident_memory_bytes"] > 0


async def test_each_call_logs_one_json_line_with_a_request_id(server: RunningServer) -> None:
    """With --log-format json, a tool call ends with one JSON log line naming the tool, language, result
    and duration under a fresh request id; the MCP session id itself is not written."""
    async with Client(server.url, mode="legacy") as client:
        await run_python(client, "print('logged')")
        session = await call(client, "create_session", {})

    async def logged() -> list[dict[str, Any]] | None:
        calls = _logged_calls(server.log)
        return calls if calls and calls[-1]["tool"] == "create_session" else None

    run, created = (await eventually(logged))[-2:]
    assert (run["tool"], run["language"], run["result"]) == ("run_code", "python", "complete")
    assert (created["tool"], created["language"], created["result"]) == ("create_session", None, "ok")
    assert run["request_id"] != created["request_id"]
    assert run["client"] == created["client"]
    assert isinstance(run["duration_ms"], float)
    assert session.structured_content is not None
    assert session.structured_content["session_id"] not in "".join(server.log)


def _logged_calls(log: list[str]) -> list[dict[str, Any]]:
    lines = "".join(log).splitlines()
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    return [entry for entry in entries if entry["logger"] == "runno_mcp.calls"]


async def test_a_killed_engine_is_restarted_and_counted(server: RunningServer) -> None:
    """SIGKILL to the engine: the next /healthz starts a fresh one and answers 200, and the restart counter
    goes up by one."""
    pid = (await get(server.base, "/healthz")).json()["engine_pid"]
    before = await metrics(server.base)
    os.kill(pid, signal.SIGKILL)

    async def replaced() -> httpx2.Response | None:
        health = await get(server.base, "/healthz")
        return None if health.json().get("engine_pid") in (pid, None) else health

    assert (await eventually(replaced)).status_code == 200
    after = await metrics(server.base)
    assert after["runno_engine_restarts_total"] == before["runno_engine_restarts_total"] + 1


async def test_a_client_over_its_limit_waits_while_other_clients_run(server_env: dict[str, str]) -> None:
    """With --max-concurrency-per-client 1, a client's second run waits for its first, while another
    client's run goes ahead and completes."""
    flags = ["--max-concurrency-per-client", "1"]
    async with http_server_process("streamable-http", "/mcp", server_env, flags) as running:
        await wait_ready(running.base)
        async with Client(running.url, mode="legacy") as greedy, Client(running.url, mode="legacy") as other:
            results: list[CallToolResult] = []

            async def run_greedy(seconds: int) -> None:
                results.append(await run_python(greedy, SLEEPER.format(seconds=seconds)))

            async with anyio.create_task_group() as tg:
                tg.start_soon(run_greedy, 3)
                await wait_for_metric(running.base, "runno_runs_in_flight", 1)
                tg.start_soon(run_greedy, 0)
                await wait_for_metric(running.base, "runno_runs_held_by_client_limit", 1)
                quick = await run_python(other, "print('not held')")
                assert (await metrics(running.base))["runno_runs_held_by_client_limit"] == 1
                assert quick.structured_content is not None and quick.structured_content["stdout"] == "not held\n"
            assert [r.structured_content and r.structured_content["stdout"] for r in results] == ["done\n"] * 2


async def test_a_clients_backlog_past_the_queue_limit_is_refused_at_once(server_env: dict[str, str]) -> None:
    """With --max-concurrency-per-client 1 and --max-queue 2, a client's fourth concurrent run is refused as
    busy at once (its first runs, two wait), instead of joining a backlog that grows without bound."""
    flags = ["--max-concurrency-per-client", "1", "--max-queue", "2"]
    async with http_server_process("streamable-http", "/mcp", server_env, flags) as running:
        await wait_ready(running.base)
        async with Client(running.url, mode="legacy") as greedy:
            results: list[CallToolResult] = []

            async def run_greedy(seconds: int) -> None:
                results.append(await run_python(greedy, SLEEPER.format(seconds=seconds)))

            async with anyio.create_task_group() as tg:
                tg.start_soon(run_greedy, 2)
                await wait_for_metric(running.base, "runno_runs_in_flight", 1)
                tg.start_soon(run_greedy, 0)
                tg.start_soon(run_greedy, 0)
                await wait_for_metric(running.base, "runno_runs_held_by_client_limit", 2)
                with anyio.fail_after(5):
                    refused = await run_python(greedy, "print('one too many')")
                assert refused.is_error and "(--max-concurrency-per-client)" in text_of(refused)
            assert [r.structured_content and r.structured_content["stdout"] for r in results] == ["done\n"] * 3


async def stop_during_a_run(env: dict[str, str], grace: float, run_seconds: int) -> tuple[CallToolResult, int]:
    """Serve with `--shutdown-grace grace`, send SIGTERM while a run of `run_seconds` is in flight, see the
    server stop accepting connections, and return the run's result and the server's exit status."""
    async with http_server_process("streamable-http", "/mcp", env, ["--shutdown-grace", str(grace)]) as running:
        await wait_ready(running.base)
        async with Client(running.url, mode="legacy") as client:
            await client.list_tools()  # as an agent does first; the SDK checks results against these schemas
            results: list[CallToolResult] = []

            async def run_slow() -> None:
                results.append(await run_python(client, SLEEPER.format(seconds=run_seconds)))

            async with anyio.create_task_group() as tg:
                tg.start_soon(run_slow)
                await wait_for_metric(running.base, "runno_runs_in_flight", 1)
                running.process.send_signal(signal.SIGTERM)
                await eventually(lambda: _refuses_connections(running.base))
        with anyio.fail_after(WAIT_TIMEOUT):
            status = await running.process.wait()
    [result] = results
    return result, status


async def test_sigterm_lets_a_run_in_progress_finish_then_exits(server_env: dict[str, str]) -> None:
    """SIGTERM mid-run: the server stops accepting connections, the run completes and its result reaches
    the client, and the process exits with status 0."""
    result, status = await stop_during_a_run(server_env, grace=50, run_seconds=2)
    assert not result.is_error, text_of(result)
    assert result.structured_content is not None and result.structured_content["stdout"] == "done\n"
    assert status == 0


async def test_runs_past_the_grace_period_end_with_an_error_that_says_so(server_env: dict[str, str]) -> None:
    """A run still going when --shutdown-grace runs out is stopped; its client gets an isError result
    saying the server shut down, and the process exits with status 0."""
    result, status = await stop_during_a_run(server_env, grace=1, run_seconds=40)
    assert result.is_error
    assert "server shut down before this call ended" in text_of(result)
    assert status == 0


async def test_stateless_http_serves_clients_without_an_mcp_session(server_env: dict[str, str]) -> None:
    """With --stateless-http, a handshake-era client gets no Mcp-Session-Id and its calls still run."""
    async with http_server_process("streamable-http", "/mcp", server_env, ["--stateless-http"]) as running:
        http = httpx2.AsyncClient(timeout=30)
        async with http:
            response = await http.post(
                running.url,
                headers={"accept": "application/json, text/event-stream", "content-type": "application/json"},
                json={
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "initialize",
                    "params": {
                        "protocolVersion": "2025-06-18",
                        "capabilities": {},
                        "clientInfo": {"name": "probe", "version": "0"},
                    },
                },
            )
        assert response.status_code == 200
        assert "mcp-session-id" not in response.headers
        async with Client(running.url, mode="legacy") as client:
            result = await run_python(client, "print(6 * 7)")
        assert result.structured_content is not None and result.structured_content["stdout"] == "42\n"


async def _refuses_connections(base: str) -> bool | None:
    try:
        await get(base, "/readyz")
    except httpx2.ConnectError:
        return True
    return None
