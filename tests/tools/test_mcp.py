"""The MCP server as a client sees it: `python -m runno_mcp` over stdio and streamable HTTP, real engine."""

import base64
import json
import sys
from pathlib import Path
from typing import Any

import anyio
import jsonschema
import pytest
from inline_snapshot import snapshot
from mcp import Client, StdioServerParameters
from mcp.client.sse import sse_client
from mcp_types import CallToolResult, TextContent, Tool

from runno_mcp import AsyncSandbox
from runno_mcp.cli import main, serve_parser
from runno_mcp.tools.mcp import ServerOptions, ToolRunResult, create_server

CALL_TIMEOUT = 60.0  # seconds: generous for a cold compile on a slow CI machine
STARTUP_TIMEOUT = 60.0  # seconds: a cold deno plus the first compile of each language module
RUN_TIMEOUT = 30  # seconds a run gets in tests that expect it to complete
TOOLS = [
    "close_session",
    "create_session",
    "list_files",
    "list_runtimes",
    "read_file",
    "run_code",
    "run_fs",
    "write_files",
]


def text_of(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, TextContent))


async def tools_by_name(client: Client) -> dict[str, Tool]:
    return {tool.name: tool for tool in (await client.list_tools()).tools}


async def call(client: Client, name: str, arguments: dict[str, Any]) -> CallToolResult:
    with anyio.fail_after(CALL_TIMEOUT):
        return await client.call_tool(name, arguments)


async def run_ok(client: Client, name: str, arguments: dict[str, Any]) -> ToolRunResult:
    """Call a run tool, check its structured output against the declared schema, and return it.

    Unless the call says otherwise, the run gets RUN_TIMEOUT: room for a cold compile on a busy machine.
    """
    result = await call(client, name, {"timeout": RUN_TIMEOUT, **arguments})
    assert not result.is_error, text_of(result)
    tool = (await tools_by_name(client))[name]
    assert tool.output_schema is not None
    jsonschema.validate(result.structured_content, tool.output_schema)
    return ToolRunResult.model_validate_json(json.dumps(result.structured_content))


async def test_server_lists_its_tools_with_annotations(stdio_client: Client) -> None:
    """The run tools and file readers are read-only; the session tools change only the client's sessions;
    none is open-world, and each declares its output schema."""
    tools = await tools_by_name(stdio_client)
    assert sorted(tools) == TOOLS
    for name, tool in tools.items():
        assert tool.annotations is not None
        read_only = name not in ("create_session", "close_session", "write_files")
        assert (tool.annotations.read_only_hint, tool.annotations.open_world_hint) == (read_only, False)
        assert tool.annotations.destructive_hint is False
        assert tool.output_schema is not None and tool.output_schema["type"] == "object"
    for name in ["run_code", "run_fs"]:
        assert "No network, no package installs" in (tools[name].description or "")


async def test_run_code_input_schema(stdio_client: Client) -> None:
    """run_code takes language (an enum of runtime ids), code, and optional stdin and timeout."""
    schema = (await tools_by_name(stdio_client))["run_code"].input_schema
    for field in schema["properties"].values():
        field.pop("description")
    assert schema == snapshot(
        {
            "type": "object",
            "properties": {
                "language": {
                    "enum": [
                        "clang",
                        "clangpp",
                        "php-cgi",
                        "python",
                        "python-sci",
                        "quickjs",
                        "ruby",
                        "sqlite",
                        "c",
                        "c++",
                        "cpp",
                        "javascript",
                        "js",
                        "php",
                        "sql",
                    ],
                    "title": "Language",
                    "type": "string",
                },
                "code": {"title": "Code", "type": "string"},
                "stdin": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None, "title": "Stdin"},
                "timeout": {
                    "anyOf": [{"type": "number"}, {"type": "null"}],
                    "default": None,
                    "exclusiveMinimum": 0,
                    "maximum": 120.0,
                    "title": "Timeout",
                },
                "memory_limit_mb": {
                    "anyOf": [{"type": "integer"}, {"type": "null"}],
                    "default": None,
                    "maximum": 4096,
                    "minimum": 1,
                    "title": "Memory Limit Mb",
                },
                "session_id": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None, "title": "Session Id"},
                "compiler_flags": {
                    "anyOf": [{"items": {"type": "string"}, "maxItems": 64, "type": "array"}, {"type": "null"}],
                    "default": None,
                    "title": "Compiler Flags",
                },
            },
            "required": ["language", "code"],
            "title": "run_codeArguments",
        }
    )


async def test_run_fs_input_schema(stdio_client: Client) -> None:
    """run_fs takes files as {path, content, encoding} so binary data survives JSON."""
    schema = (await tools_by_name(stdio_client))["run_fs"].input_schema
    for field in [*schema["properties"].values(), *schema["$defs"]["FileInput"]["properties"].values()]:
        field.pop("description")
    assert schema == snapshot(
        {
            "type": "object",
            "$defs": {
                "FileInput": {
                    "description": "One file to put in the sandbox before the run.",
                    "properties": {
                        "path": {"title": "Path", "type": "string"},
                        "content": {"title": "Content", "type": "string"},
                        "encoding": {
                            "default": "utf-8",
                            "enum": ["utf-8", "base64"],
                            "title": "Encoding",
                            "type": "string",
                        },
                    },
                    "required": ["path", "content"],
                    "title": "FileInput",
                    "type": "object",
                }
            },
            "properties": {
                "language": {
                    "enum": [
                        "clang",
                        "clangpp",
                        "php-cgi",
                        "python",
                        "python-sci",
                        "quickjs",
                        "ruby",
                        "sqlite",
                        "wasi",
                        "c",
                        "c++",
                        "cpp",
                        "javascript",
                        "js",
                        "php",
                        "sql",
                    ],
                    "title": "Language",
                    "type": "string",
                },
                "entry_path": {"title": "Entry Path", "type": "string"},
                "files": {"items": {"$ref": "#/$defs/FileInput"}, "title": "Files", "type": "array"},
                "stdin": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None, "title": "Stdin"},
                "timeout": {
                    "anyOf": [{"type": "number"}, {"type": "null"}],
                    "default": None,
                    "exclusiveMinimum": 0,
                    "maximum": 120.0,
                    "title": "Timeout",
                },
                "memory_limit_mb": {
                    "anyOf": [{"type": "integer"}, {"type": "null"}],
                    "default": None,
                    "maximum": 4096,
                    "minimum": 1,
                    "title": "Memory Limit Mb",
                },
                "session_id": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None, "title": "Session Id"},
                "compiler_flags": {
                    "anyOf": [{"items": {"type": "string"}, "maxItems": 64, "type": "array"}, {"type": "null"}],
                    "default": None,
                    "title": "Compiler Flags",
                },
            },
            "required": ["language", "entry_path", "files"],
            "title": "run_fsArguments",
        }
    )


async def test_run_tool_descriptions_are_short_and_name_every_language(stdio_client: Client) -> None:
    """A run tool's description goes with every model request: under 700 characters, each language named;
    the schema's enum offers the aliases, list_runtimes the details."""
    tools = await tools_by_name(stdio_client)
    for name in ("run_code", "run_fs"):
        description = tools[name].description or ""
        assert len(description) < 700, (name, len(description))
        for word in ["python", "ruby", "quickjs", "JavaScript", "clang", "clangpp", "C++", "php-cgi", "sqlite"]:
            assert word in description
    assert "wasi" in (tools["run_fs"].description or "")


async def test_list_runtimes_text_gives_what_the_descriptions_leave_out(stdio_client: Client) -> None:
    """The notes a model needs to pick a runtime are in list_runtimes' text, one line per runtime."""
    text = text_of(await call(stdio_client, "list_runtimes", {}))
    assert (
        "python: Python 3.11.3, entry /main.py; standard library only, no pip; a program that imports numpy, "
        "pandas, scipy, sklearn, matplotlib or another python-sci module runs on python-sci by itself" in text
    )
    assert "quickjs: JavaScript" in text and "no npm packages" in text


async def test_structured_content_leaves_out_what_repeats_something_else(stdio_client: Client) -> None:
    """No tty, no file paths or timestamps, no field at its default: files come back as run_fs takes them."""
    code = (
        "import sys\nopen('/t.txt', 'w').write('hi')\nopen('/b.bin', 'wb').write(bytes([0, 255]))\n"
        "print('out')\nprint('err', file=sys.stderr)"
    )
    result = await call(stdio_client, "run_code", {"language": "python", "code": code, "timeout": RUN_TIMEOUT})
    structured = result.structured_content
    assert structured is not None and structured.pop("duration_ms") > 0
    assert structured == {
        "result_type": "complete",
        "exit_code": 0,
        "stdout": "out\n",
        "stderr": "err\n",
        "fs": {"/t.txt": {"content": "hi", "encoding": "utf-8"}, "/b.bin": {"content": "AP8=", "encoding": "base64"}},
    }


async def test_file_timestamps_come_back_when_the_operator_asks() -> None:
    """With file_timestamps (`--file-timestamps`), each returned file carries its three times."""
    server = create_server(ServerOptions(file_timestamps=True))
    with anyio.fail_after(STARTUP_TIMEOUT + CALL_TIMEOUT):
        async with Client(server) as client:
            run = await run_ok(client, "run_code", {"language": "python", "code": "open('/t.txt', 'w').write('hi')"})
    timestamps = run.fs["/t.txt"].timestamps
    assert timestamps is not None and timestamps.modification.year >= 2024


@pytest.mark.parametrize(
    ("language", "code", "first_line", "failed_step"),
    [
        pytest.param(
            "c",
            "int main(void) { return y; }",
            "result: compile error (exit code 1), the program did not run: "
            "/main.c:1:25: error: use of undeclared identifier 'y'",
            "compile",
            id="c-compile-error",
        ),
        pytest.param(
            "python",
            "x = (",
            "result: failed, exit code 1: SyntaxError: '(' was never closed",
            None,
            id="python-syntax",
        ),
        pytest.param(
            "js",
            "console.log(1);\nfoo();",
            "result: failed, exit code 1: ReferenceError: 'foo' is not defined",
            None,
            id="js-exception",
        ),
    ],
)
async def test_the_first_line_says_a_run_failed_and_why(
    stdio_client: Client, language: str, code: str, first_line: str, failed_step: str | None
) -> None:
    """A non-zero exit, a compile error or a syntax error reads as such in the text's first line."""
    result = await call(stdio_client, "run_code", {"language": language, "code": code, "timeout": RUN_TIMEOUT})
    assert text_of(result).splitlines()[0] == first_line
    assert result.structured_content is not None and result.structured_content.get("failed_step") == failed_step


async def test_run_code_returns_structured_result_and_text(stdio_client: Client) -> None:
    """A run's structured content is the RunResult and fits the output schema; the text block has the output."""
    arguments = {"language": "python", "code": "print(6 * 7)", "timeout": RUN_TIMEOUT}
    result = await call(stdio_client, "run_code", arguments)
    assert text_of(result) == snapshot("""\
result: complete, exit code 0
--- stdout ---
42\
""")
    run = await run_ok(stdio_client, "run_code", {"language": "python", "code": "print(6 * 7)"})
    assert (run.result_type, run.exit_code, run.stdout) == ("complete", 0, "42\n")


@pytest.mark.parametrize(
    ("language", "code", "stdout"),
    [
        pytest.param("js", "console.log(6 * 7)", "42\n", id="js-alias"),
        pytest.param("ruby", "puts 6 * 7", "42\n", id="ruby"),
        pytest.param("c", '#include <stdio.h>\nint main(void) { printf("%d\\n", 6 * 7); }', "42\n", id="c"),
        pytest.param("sql", "select 6 * 7;", "42\n", id="sql-alias"),
        pytest.param("php", '<?php echo 6 * 7, "\\n";', "42\n", id="php-alias"),
    ],
)
async def test_run_code_accepts_ids_and_aliases(stdio_client: Client, language: str, code: str, stdout: str) -> None:
    """Each language runs by its id or an alias the description lists."""
    run = await run_ok(stdio_client, "run_code", {"language": language, "code": code})
    assert (run.result_type, run.exit_code, run.stdout) == ("complete", 0, stdout)


async def test_run_code_passes_stdin(stdio_client: Client) -> None:
    """The stdin argument is what the program reads."""
    code = "import sys\nprint(sum(int(n) for n in sys.stdin.read().split()))"
    run = await run_ok(stdio_client, "run_code", {"language": "python", "code": code, "stdin": "3 4 5\n"})
    assert run.stdout == "12\n"


async def test_a_failing_program_is_a_result_not_an_error(stdio_client: Client) -> None:
    """A program that exits non-zero is a normal result with its exit code and stderr."""
    run = await run_ok(stdio_client, "run_code", {"language": "python", "code": "raise SystemExit('no')"})
    assert (run.result_type, run.exit_code, run.stderr) == ("complete", 1, "no\n")


async def test_a_timeout_is_a_result_with_a_note(stdio_client: Client) -> None:
    """A run past its timeout is result_type "timeout", and the text block says so."""
    arguments = {"language": "python", "code": "print('start', flush=True)\nwhile True: pass", "timeout": 5}
    result = await call(stdio_client, "run_code", arguments)
    assert not result.is_error
    assert result.structured_content is not None
    assert (result.structured_content["result_type"], result.structured_content["stdout"]) == ("timeout", "start\n")
    assert "timeout" in text_of(result)


async def test_run_fs_round_trips_text_and_binary_files(stdio_client: Client) -> None:
    """Files go in as utf-8 or base64; what the program writes comes back, binary as base64."""
    code = (
        "data = open('/in.bin', 'rb').read()\n"
        "open('/out.bin', 'wb').write(data[::-1])\n"
        "rows = open('/data/table.csv').read().splitlines()[1:]\n"
        "print(sum(int(row.split(',')[1]) for row in rows))\n"
    )
    blob = bytes(range(256))
    files = [
        {"path": "/main.py", "content": code},
        {"path": "/data/table.csv", "content": "name,n\na,1\nb,2\nc,39\n", "encoding": "utf-8"},
        {"path": "/in.bin", "content": base64.b64encode(blob).decode(), "encoding": "base64"},
    ]
    run = await run_ok(stdio_client, "run_fs", {"language": "python", "entry_path": "/main.py", "files": files})
    assert run.stdout == "42\n"
    assert sorted(run.fs) == ["/out.bin"]
    assert run.fs["/out.bin"].encoding == "base64"
    assert base64.b64decode(run.fs["/out.bin"].content) == blob[::-1]


async def test_list_runtimes_describes_each_runtime_and_the_limits(stdio_client: Client) -> None:
    """list_runtimes gives id, language, version, entry file, aliases and whether live sessions keep its
    variables, plus the server's limits, session limits included."""
    result = await call(stdio_client, "list_runtimes", {})
    assert not result.is_error
    assert result.structured_content is not None
    runtimes = {runtime["id"]: runtime for runtime in result.structured_content["runtimes"]}
    assert runtimes["python"] == {
        "id": "python",
        "language": "Python",
        "version": "3.11.3",
        "entry": "/main.py",
        "aliases": [],
        "live_sessions": True,
        "preinstalled": [],
        "optional": False,
        "packages_allowed": False,
    }
    assert runtimes["quickjs"]["aliases"] == ["javascript", "js"]
    assert runtimes["python-sci"]["optional"] is True and "pandas==3.0.6" in runtimes["python-sci"]["preinstalled"]
    assert [name for name, runtime in runtimes.items() if runtime["live_sessions"]] == ["python", "python-sci"]
    assert result.structured_content["limits"] == snapshot(
        {
            "default_timeout": 10.0,
            "max_timeout": 120.0,
            "max_output_bytes": 16384,
            "max_return_files": 100,
            "max_return_bytes": 4194304,
            "max_request_bytes": 200000,
            "default_memory_limit_mb": 512,
            "max_memory_limit_mb": 4096,
            "max_concurrency": 4,
            "max_sessions": 64,
            "session_ttl": 1800.0,
            "max_session_bytes": 33554432,
            "max_live_sessions": 4,
            "max_images": 4,
            "max_image_bytes": 2097152,
            "max_total_image_bytes": 4194304,
        }
    )
    assert "python: Python 3.11.3, entry /main.py" in text_of(result)
    assert "image files written come back as images, at most 4 per call, 2 MiB each, 4 MiB together" in text_of(result)
    assert "live sessions keep variables for: python" in text_of(result)


@pytest.mark.parametrize(
    ("name", "arguments", "message"),
    [
        pytest.param(
            "run_code",
            {"language": "cobol", "code": "x"},
            'Cannot run "cobol": known runtimes are clang, clangpp, php-cgi, python',
            id="unknown-language",
        ),
        pytest.param(
            "run_code",
            {"language": "python", "code": "x", "timeout": 500},
            "at most 120 seconds",
            id="timeout-over-max",
        ),
        pytest.param(
            "run_code",
            {"language": "python", "code": "x" * 300_000},
            "over this server's limit of 200000 bytes",
            id="request-too-large",
        ),
        pytest.param(
            "run_fs",
            {"language": "python", "entry_path": "/main.py", "files": [{"path": "/other.py", "content": ""}]},
            'Cannot run "/main.py": it is not among the files given (/other.py)',
            id="entry-not-given",
        ),
        pytest.param(
            "run_fs",
            {
                "language": "python",
                "entry_path": "/main.py",
                "files": [{"path": "/main.py", "content": "not base64!", "encoding": "base64"}],
            },
            'Cannot decode file "/main.py": its content is not valid base64',
            id="bad-base64",
        ),
        pytest.param(
            "run_fs",
            {"language": "python", "entry_path": "/main.py", "files": [{"path": "/../main.py", "content": ""}]},
            '".." segments are not allowed',
            id="path-escape",
        ),
        pytest.param("run_code", {"language": "python"}, "code", id="missing-argument"),
    ],
)
async def test_caller_mistakes_are_error_results_that_say_what_to_change(
    stdio_client: Client, name: str, arguments: dict[str, Any], message: str
) -> None:
    """A call the server cannot run comes back with isError and a message the model can act on."""
    result = await call(stdio_client, name, arguments)
    assert result.is_error
    assert message in text_of(result)


async def test_concurrent_calls_each_get_their_own_result(stdio_client: Client) -> None:
    """Calls in flight at once on one session all finish, each with its own output."""
    outputs: dict[int, str] = {}

    async def run(index: int) -> None:
        run = await run_ok(stdio_client, "run_code", {"language": "python", "code": f"print({index} * 2)"})
        outputs[index] = run.stdout

    async with anyio.create_task_group() as tg:
        for index in range(8):
            tg.start_soon(run, index)
    assert outputs == {index: f"{index * 2}\n" for index in range(8)}


async def test_long_runs_send_progress_notifications(stdio_client: Client) -> None:
    """A client that asks for progress hears from the server while a run is in flight."""
    ticks: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        ticks.append((progress, total, message))

    arguments = {"language": "python", "code": "while True: pass", "timeout": 2.5}
    with anyio.fail_after(CALL_TIMEOUT):
        result = await stdio_client.call_tool("run_code", arguments, progress_callback=on_progress)
    assert result.structured_content is not None and result.structured_content["result_type"] == "timeout"
    assert ticks, "no progress notification arrived"
    progress, total, message = ticks[0]
    assert total == 2.5 and progress > 0
    assert {tick[1] for tick in ticks} == {2.5}  # every tick carries the same total, the run's timeout
    assert message is not None and message.startswith("Running python:")


async def test_cancelling_a_call_stops_the_run_in_the_engine(server_env: dict[str, str]) -> None:
    """A cancelled `while True` run frees the engine: with one slot, the next call runs at once.

    The cancelled run asked for 100 s; the next call must finish well before that, which it can only
    do if cancelling the request ended the run in the engine's only worker.
    """
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "runno_mcp", "--max-concurrency", "1", "--max-timeout", "100"],
        env=server_env,
    )
    with anyio.fail_after(STARTUP_TIMEOUT + CALL_TIMEOUT):
        async with Client(params) as client:
            started = anyio.Event()

            async def on_progress(progress: float, total: float | None, message: str | None) -> None:
                started.set()

            async def endless() -> None:
                arguments = {"language": "python", "code": "while True: pass", "timeout": 100}
                await client.call_tool("run_code", arguments, progress_callback=on_progress)

            with anyio.fail_after(STARTUP_TIMEOUT):
                async with anyio.create_task_group() as tg:
                    tg.start_soon(endless)
                    await started.wait()  # the run is in flight in the engine
                    tg.cancel_scope.cancel()
            with anyio.fail_after(30):
                arguments = {"language": "python", "code": "print('next')", "timeout": RUN_TIMEOUT}
                result = await client.call_tool("run_code", arguments)
            assert result.structured_content is not None
            assert (result.structured_content["result_type"], result.structured_content["stdout"]) == (
                "complete",
                "next\n",
            )


async def test_streamable_http_serves_the_same_tools(http_url: str) -> None:
    """Over streamable HTTP at /mcp, a client lists the tools and runs code, in parallel too."""
    with anyio.fail_after(STARTUP_TIMEOUT + CALL_TIMEOUT):
        async with Client(http_url) as client:
            assert sorted(await tools_by_name(client)) == TOOLS
            outputs: list[str] = []

            async def run(index: int) -> None:
                run = await run_ok(client, "run_code", {"language": "quickjs", "code": f"console.log({index} + 1)"})
                outputs.append(run.stdout)

            async with anyio.create_task_group() as tg:
                for index in range(4):
                    tg.start_soon(run, index)
            assert sorted(outputs) == ["1\n", "2\n", "3\n", "4\n"]


async def test_sse_serves_the_same_tools(sse_url: str) -> None:
    """Over the SSE transport, a client lists the tools and runs code."""
    with anyio.fail_after(STARTUP_TIMEOUT + CALL_TIMEOUT):
        async with Client(sse_client(sse_url)) as client:
            assert sorted(await tools_by_name(client)) == TOOLS
            run = await run_ok(client, "run_code", {"language": "ruby", "code": "puts [1, 2, 3].sum"})
            assert run.stdout == "6\n"


async def test_operator_limits_can_come_from_environment_variables(server_env: dict[str, str]) -> None:
    """Each limit flag has an environment twin, which a server started without flags obeys."""
    env = {
        **server_env,
        "RUNNO_MCP_MAX_TIMEOUT": "33",
        "RUNNO_MCP_DEFAULT_TIMEOUT": "31",
        "RUNNO_MCP_MAX_OUTPUT_BYTES": "10",
    }
    params = StdioServerParameters(command=sys.executable, args=["-m", "runno_mcp"], env=env)
    with anyio.fail_after(STARTUP_TIMEOUT + CALL_TIMEOUT):
        async with Client(params) as client:
            result = await call(client, "list_runtimes", {})
            assert result.structured_content is not None
            limits = result.structured_content["limits"]
            assert (limits["max_timeout"], limits["default_timeout"], limits["max_output_bytes"]) == (
                33,
                31,
                10,
            )
            run = await run_ok(client, "run_code", {"language": "python", "code": "print('x' * 100)"})
            assert (run.stdout, run.truncated) == ("x" * 10, True)
            result = await call(client, "run_code", {"language": "python", "code": "print('x' * 100)"})
            assert text_of(result) == snapshot("""\
result: complete, exit code 0
--- stdout ---
xxxxxxxxxx
note: stdout was cut at 10 bytes (max_output_bytes); 91 more bytes were dropped
note: tty was cut at 10 bytes (max_output_bytes); 91 more bytes were dropped\
""")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ["--default-timeout", "100"], "default timeout 100 s exceeds the maximum timeout 60 s", id="order"
        ),
        pytest.param(
            ["--max-concurrency", "0"], "--max-concurrency: Input should be greater than or equal to 1", id="min"
        ),
        pytest.param(["--transport", "carrier-pigeon"], "invalid choice: 'carrier-pigeon'", id="transport"),
        pytest.param(
            ["--shutdown-grace", "-1"], "--shutdown-grace: Input should be greater than or equal to 0", id="grace"
        ),
        pytest.param(["--stateless-http", "maybe"], "argument --stateless-http: invalid", id="bool"),
        pytest.param(["--log-format", "xml"], "invalid choice: 'xml'", id="log-format"),
    ],
)
def test_bad_flags_stop_the_server_with_a_usage_error(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """A flag out of range is refused before anything starts, with exit status 2."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_every_serve_flag_is_documented_with_its_environment_variable() -> None:
    """docs/tools.md names each flag of `runno-mcp serve` beside its RUNNO_MCP_ variable."""
    docs = (Path(__file__).parents[2] / "docs" / "tools.md").read_text(encoding="utf-8")
    flags = [action.option_strings[0] for action in serve_parser()._actions if action.option_strings[0] != "-h"]
    for flag in flags:
        env = "RUNNO_MCP_" + flag.removeprefix("--").replace("-", "_").upper()
        rows = [line for line in docs.splitlines() if f"`{flag}" in line]
        assert any(env in row or env.removeprefix("RUNNO_MCP") in row for row in rows), flag


async def test_a_server_without_language_files_answers_and_says_what_to_do(tmp_path: Path) -> None:
    """With no language files offline, the server still lists its tools; a run says how to install them."""
    env = {"RUNNO_MCP_OFFLINE": "1", "RUNNO_MCP_LANGS_DIR": str(tmp_path)}
    params = StdioServerParameters(command=sys.executable, args=["-m", "runno_mcp", "--log-level", "CRITICAL"], env=env)
    with anyio.fail_after(STARTUP_TIMEOUT + CALL_TIMEOUT):
        async with Client(params) as client:
            assert sorted(await tools_by_name(client)) == TOOLS
            for _ in range(2):  # the second call tries to start the sandbox again
                result = await call(client, "run_code", {"language": "python", "code": "print(1)"})
                assert result.is_error
                assert "runno-mcp install" in text_of(result)


async def test_create_server_runs_in_process_with_its_own_sandbox() -> None:
    """create_server() without a sandbox starts one in its lifespan; the SDK's in-process client drives it."""
    server = create_server(ServerOptions(default_timeout=5, max_timeout=RUN_TIMEOUT))
    with anyio.fail_after(STARTUP_TIMEOUT + CALL_TIMEOUT):
        async with Client(server) as client:
            run = await run_ok(client, "run_code", {"language": "sqlite", "code": "select 'in process';"})
            assert run.stdout == "in process\n"


async def test_create_server_shares_a_sandbox_it_is_given() -> None:
    """create_server(sandbox=...) runs every call in the caller's sandbox and leaves it open."""
    async with AsyncSandbox(max_concurrency=1) as sandbox:
        with anyio.fail_after(STARTUP_TIMEOUT + CALL_TIMEOUT):
            async with Client(create_server(ServerOptions(), sandbox=sandbox)) as client:
                run = await run_ok(client, "run_code", {"language": "python", "code": "print('shared')"})
                assert run.stdout == "shared\n"
        assert (await sandbox.run_code("python", "print('still open')")).stdout == "still open\n"


async def test_run_fs_runs_a_callers_own_wasi_program(stdio_client: Client) -> None:
    """A compiled WASI preview 1 module sent base64 runs as language "wasi"."""
    wasm = Path(__file__).parents[1] / "wasi-testsuite/tests/c/testsuite/wasm32-wasip1/clock_getres-monotonic.wasm"
    files = [{"path": "/main.wasm", "content": base64.b64encode(wasm.read_bytes()).decode(), "encoding": "base64"}]
    run = await run_ok(stdio_client, "run_fs", {"language": "wasi", "entry_path": "/main.wasm", "files": files})
    assert (run.result_type, run.exit_code) == ("complete", 0)
