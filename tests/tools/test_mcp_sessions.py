"""Sessions over MCP, as an agent uses them: a real server, a real client, stdio and streamable HTTP."""

import base64
import sys
from typing import Any

import anyio
from mcp import Client, StdioServerParameters
from mcp_types import CallToolResult, TextContent

CALL_TIMEOUT = 60.0  # seconds: generous for a first run on a slow CI machine
CSV = "city,population\nLyon,522000\nNice,342000\nParis,2103000\n"


def text_of(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, TextContent))


async def call_ok(client: Client, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    with anyio.fail_after(CALL_TIMEOUT):
        result = await client.call_tool(name, arguments)
    assert not result.is_error, text_of(result)
    assert result.structured_content is not None
    return result.structured_content


async def call_error(client: Client, name: str, arguments: dict[str, Any]) -> str:
    with anyio.fail_after(CALL_TIMEOUT):
        result = await client.call_tool(name, arguments)
    assert result.is_error
    return text_of(result)


async def test_an_agent_explores_a_csv_in_steps_and_downloads_the_result(stdio_client: Client) -> None:
    """create_session(live) → write_files(CSV) → three Python calls reusing variables → read_file → close."""
    created = await call_ok(stdio_client, "create_session", {"live": True})
    session = created["session_id"]
    assert created["live"] is True and created["session_ttl"] > 0
    await call_ok(
        stdio_client, "write_files", {"session_id": session, "files": [{"path": "/cities.csv", "content": CSV}]}
    )
    load = "import csv\nrows = list(csv.DictReader(open('/cities.csv')))\nprint(len(rows), 'rows')"
    first = await call_ok(stdio_client, "run_code", {"language": "python", "code": load, "session_id": session})
    assert first["stdout"] == "3 rows\n"
    look = "biggest = max(rows, key=lambda row: int(row['population']))\nprint(biggest['city'])"
    second = await call_ok(stdio_client, "run_code", {"language": "python", "code": look, "session_id": session})
    assert second["stdout"] == "Paris\n"
    save = "open('/out/summary.txt', 'w').write(f\"{biggest['city']} of {len(rows)}\")"
    third = await call_ok(
        stdio_client,
        "run_code",
        {"language": "python", "code": "import os\nos.makedirs('/out', exist_ok=True)\n" + save, "session_id": session},
    )
    assert third["result_type"] == "complete" and "/out/summary.txt" in third["fs"]
    listing = await call_ok(stdio_client, "list_files", {"session_id": session})
    assert [entry["path"] for entry in listing["files"]] == ["/cities.csv", "/main.py", "/out/summary.txt"]
    summary = await call_ok(stdio_client, "read_file", {"session_id": session, "path": "/out/summary.txt"})
    assert (summary["content"], summary["encoding"]) == ("Paris of 3", "utf-8")
    await call_ok(stdio_client, "close_session", {"session_id": session})
    gone = await call_error(stdio_client, "list_files", {"session_id": session})
    assert "it was closed" in gone


async def test_file_sessions_share_files_across_languages_and_binary_survives(stdio_client: Client) -> None:
    session = (await call_ok(stdio_client, "create_session", {}))["session_id"]
    blob = bytes(range(256))
    files = [{"path": "/blob.bin", "content": base64.b64encode(blob).decode(), "encoding": "base64"}]
    await call_ok(stdio_client, "write_files", {"session_id": session, "files": files})
    code = "data = open('/blob.bin', 'rb').read()\nopen('/rev.bin', 'wb').write(data[::-1])\nprint(len(data))"
    assert (await call_ok(stdio_client, "run_code", {"language": "python", "code": code, "session_id": session}))[
        "stdout"
    ] == "256\n"
    rev = await call_ok(stdio_client, "read_file", {"session_id": session, "path": "/rev.bin"})
    assert rev["encoding"] == "base64" and base64.b64decode(rev["content"]) == blob[::-1]
    ruby = await call_ok(
        stdio_client, "run_code", {"language": "ruby", "code": "puts File.size('/rev.bin')", "session_id": session}
    )
    assert ruby["stdout"] == "256\n"
    fs_run = await call_ok(
        stdio_client,
        "run_fs",
        {
            "language": "python",
            "entry_path": "/check.py",
            "files": [{"path": "/check.py", "content": "import os\nprint(sorted(os.listdir('/')))"}],
            "session_id": session,
        },
    )
    assert "'blob.bin'" in fs_run["stdout"] and "'rev.bin'" in fs_run["stdout"]


async def test_session_mistakes_are_error_results_that_say_what_to_do(stdio_client: Client) -> None:
    message = await call_error(
        stdio_client, "run_code", {"language": "python", "code": "print(1)", "session_id": "no-such-session"}
    )
    assert 'No session "no-such-session": create one first' in message
    session = (await call_ok(stdio_client, "create_session", {}))["session_id"]
    missing = await call_error(stdio_client, "read_file", {"session_id": session, "path": "/nope.txt"})
    assert "holds no such file" in missing


async def test_each_http_client_session_sees_only_its_own_sessions(http_url: str) -> None:
    """Over streamable HTTP with MCP sessions (the initialize handshake), a session id from one client is
    unknown to another."""
    with anyio.fail_after(2 * CALL_TIMEOUT):
        async with Client(http_url, mode="legacy") as alice, Client(http_url, mode="legacy") as bob:
            session = (await call_ok(alice, "create_session", {}))["session_id"]
            await call_ok(alice, "write_files", {"session_id": session, "files": [{"path": "/a.txt", "content": "a"}]})
            assert "No session" in await call_error(bob, "list_files", {"session_id": session})
            assert "No session" in await call_error(
                bob, "run_code", {"language": "python", "code": "print(1)", "session_id": session}
            )
            listing = await call_ok(alice, "list_files", {"session_id": session})
            assert [entry["path"] for entry in listing["files"]] == ["/a.txt"]


async def test_a_sessionless_http_client_keeps_its_session_across_calls(http_url: str) -> None:
    """The 2026-07-28 protocol has no MCP session: each call stands alone, and the unguessable session id
    is what carries the state from one call to the next."""
    with anyio.fail_after(2 * CALL_TIMEOUT):
        async with Client(http_url) as client:
            session = (await call_ok(client, "create_session", {}))["session_id"]
            assert len(session) >= 16
            code = "open('/n.txt', 'w').write('7')"
            await call_ok(client, "run_code", {"language": "python", "code": code, "session_id": session})
            read = await call_ok(client, "read_file", {"session_id": session, "path": "/n.txt"})
            assert read["content"] == "7"


async def test_progress_carries_the_output_so_far(stdio_client: Client) -> None:
    """During a 2-second program the client hears progress that already holds its first line."""
    messages: list[str] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        messages.append(message or "")

    code = "import time\nprint('halfway', flush=True)\ntime.sleep(2)\nprint('done')"
    with anyio.fail_after(CALL_TIMEOUT):
        result = await stdio_client.call_tool(
            "run_code", {"language": "python", "code": code}, progress_callback=on_progress
        )
    assert result.structured_content is not None and result.structured_content["stdout"] == "halfway\ndone\n"
    assert any("output so far:\nhalfway\n" in message for message in messages), messages


async def test_the_operator_caps_sessions_with_flags(server_env: dict[str, str]) -> None:
    """--max-sessions and --max-session-bytes bound what clients may hold; refusals say which limit."""
    flags = ["--max-sessions", "1", "--max-session-bytes", "100", "--log-level", "WARNING"]
    params = StdioServerParameters(command=sys.executable, args=["-m", "runno_mcp", *flags], env=server_env)
    with anyio.fail_after(2 * CALL_TIMEOUT):
        async with Client(params) as client:
            session = (await call_ok(client, "create_session", {}))["session_id"]
            assert "max_sessions" in await call_error(client, "create_session", {})
            big = [{"path": "/big.txt", "content": "x" * 101}]
            assert "max_session_bytes" in await call_error(client, "write_files", {"session_id": session, "files": big})
            await call_ok(client, "close_session", {"session_id": session})
            await call_ok(client, "create_session", {})
