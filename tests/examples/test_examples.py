"""Each example in examples/agents runs offline, as a user would run it, against the real engine."""

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import anyio
import mcp.client.stdio
import pytest

# Imported here, at collection: its default errlog is sys.stderr as of the import, and an import
# inside a test using capsys would bind capsys's stream, which has no file descriptor.
STDIO_CLIENT = mcp.client.stdio.stdio_client

EXAMPLES = Path(__file__).parents[2] / "examples" / "agents"
PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"


def load(name: str) -> ModuleType:
    """Import examples/agents/<name>.py as a module, without running its `__main__` block."""
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_python_api_example_prints_each_kind_of_run(capsys: pytest.CaptureFixture[str]) -> None:
    """The Python API example runs code, files with a CSV, stdin and a timeout."""
    load("python_api").main()
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "run_code: complete 0 45",
        "run_fs: regions: 3",
        "east: 60",
        "north: 155",
        "south: 80",
        "stdin: 7",
        "timeout: timeout 'working\\n'",
    ]


def test_langchain_agent_example_answers_with_the_program_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a model configured, the scripted agent writes a program, runs it, and reports its output."""
    monkeypatch.delenv("RUNNO_AGENT_MODEL", raising=False)
    assert load("langchain_agent").main() == "The sum of the first 100 prime numbers is 24133."


async def test_mcp_client_example_calls_each_tool(capsys: pytest.CaptureFixture[str]) -> None:
    """The plain MCP client starts the server over stdio and calls every tool."""
    with anyio.fail_after(120):
        await load("mcp_client").main()
    out = capsys.readouterr().out
    assert "tools: run_code, run_fs, list_runtimes" in out
    assert "python: Python 3.11.3, entry /main.py" in out
    assert "structured stdout: '1 4 9\\n'" in out
    assert "256 b'\\x00\\x01'" in out
    assert '# isError=True\nError executing tool run_code: Cannot run "cobol"' in out


async def test_mcp_session_client_example_explores_a_csv_in_steps(capsys: pytest.CaptureFixture[str]) -> None:
    """Over MCP: a live session, the CSV uploaded once, variables reused across calls, the report downloaded."""
    with anyio.fail_after(120):
        report = await load("mcp_session_client").main()
    assert report == "best region: north (155)\n"
    assert capsys.readouterr().out.splitlines() == [
        ">>> step: 4 rows, columns: ['region', 'month', 'amount']",
        ">>> step: {'north': 155, 'south': 80, 'east': 60}",
        ">>> step: report written",
        "downloaded /report.txt: best region: north (155)",
    ]


def test_langchain_session_agent_example_shares_variables_between_tool_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the LangChain toolkit bound to a live session: three tool calls, one interpreter, one report."""
    monkeypatch.delenv("RUNNO_AGENT_MODEL", raising=False)
    assert load("langchain_session_agent").main() == "north: 155"


@pytest.mark.parametrize(
    ("file", "command"),
    [
        pytest.param("claude_desktop_config.json", ["runno-mcp"], id="pip"),
        # uvx installs the package with its server extra: the MCP SDK is not a core dependency.
        pytest.param("claude_desktop_config.uvx.json", ["uvx", "--from", "runno-mcp[mcp]", "runno-mcp"], id="uvx"),
    ],
)
def test_claude_desktop_configs_start_the_console_script(file: str, command: list[str]) -> None:
    """Each Claude Desktop config is valid JSON that starts the `runno-mcp` console script (under uvx,
    from the package with its `mcp` extra)."""
    server = json.loads((EXAMPLES / file).read_text(encoding="utf-8"))["mcpServers"]["runno"]
    assert [server["command"], *server["args"]] == command
    assert all(name.startswith("RUNNO_MCP_") for name in server.get("env", {}))
    assert 'runno-mcp = "runno_mcp.__main__:main"' in PYPROJECT.read_text(encoding="utf-8")


@pytest.mark.sci
async def test_mcp_chart_client_example_gets_the_chart_as_an_image() -> None:
    """Over MCP with python-sci: the CSV's chart comes back as a PNG image block."""
    with anyio.fail_after(240):
        text, png = await load("mcp_chart_client").main()
    assert "5 points, slope 1.99" in text
    assert "image /figures/figure_1.png (image/png, 640x480" in text
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000


async def test_pydantic_ai_agent_example_answers_with_the_program_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pydantic AI's MCPToolset over stdio: the scripted FunctionModel runs a program and reports its output."""
    monkeypatch.delenv("RUNNO_AGENT_MODEL", raising=False)
    with anyio.fail_after(120):
        answer = await load("pydantic_ai_agent").main()
    assert answer == "The sum of the first 100 prime numbers is 24133."


async def test_openai_agents_example_answers_with_the_program_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """The OpenAI Agents SDK's MCPServerStdio: the scripted Model runs a program and reports its output."""
    monkeypatch.delenv("RUNNO_AGENT_MODEL", raising=False)
    with anyio.fail_after(120):
        answer = await load("openai_agents_agent").main()
    assert answer == "The sum of the first 100 prime numbers is 24133."


async def test_fastmcp_client_example_calls_run_code_and_run_fs(capfd: pytest.CaptureFixture[str]) -> None:
    """FastMCP's Client over stdio lists the tools, runs code and files, and gets a ToolError for a mistake.

    capfd, not capsys: the transport hands sys.stderr to the server process, which needs a file descriptor.
    """
    with anyio.fail_after(120):
        primes = await load("fastmcp_client").main()
    assert primes == "24133"
    out = capfd.readouterr().out
    assert "tools: run_code, run_fs, list_runtimes" in out
    assert "run_code stdout: 24133\n" in out
    assert "run_fs stdout: total: 295\n" in out
    assert 'ToolError: Error executing tool run_code: Cannot run "cobol"' in out
