"""The official MCP Inspector, in CLI mode, drives `python -m runno_mcp` over stdio.

It fetches `@modelcontextprotocol/inspector` from npm (once; npx caches it), so it needs `npx` on
PATH and the npm registry; RUNNO_MCP_TEST_INSPECTOR=0 turns it off on machines without them.
"""

import json
import os
import shutil
import subprocess
import sys
from typing import Any

import pytest

INSPECTOR = "@modelcontextprotocol/inspector@2.12.0"
pytestmark = pytest.mark.skipif(
    os.environ.get("RUNNO_MCP_TEST_INSPECTOR") == "0" or shutil.which("npx") is None,
    reason="needs npx and the npm registry (RUNNO_MCP_TEST_INSPECTOR=0 turns it off)",
)


def inspect(*args: str) -> Any:
    """Run the Inspector CLI against a fresh server and return the JSON it prints."""
    env = [f"-e{name}={value}" for name, value in os.environ.items() if name.startswith("RUNNO_MCP_")]
    argv = ["npx", "-y", INSPECTOR, "--cli", *env, "-eRUNNO_MCP_LOG_LEVEL=WARNING", sys.executable, "-m", "runno_mcp"]
    done = subprocess.run([*argv, *args], capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout)


def test_inspector_lists_the_tools() -> None:
    """The Inspector sees every tool, each with an input and an output schema."""
    tools = inspect("--method", "tools/list")["tools"]
    assert [tool["name"] for tool in tools] == [
        "run_code",
        "run_fs",
        "list_runtimes",
        "create_session",
        "close_session",
        "list_files",
        "read_file",
        "write_files",
    ]
    assert all("inputSchema" in tool and "outputSchema" in tool for tool in tools)


def test_inspector_calls_run_code() -> None:
    """A call from the Inspector comes back with text and the RunResult as structured content."""
    result = inspect(
        "--method", "tools/call", "--tool-name", "run_code", "--tool-arg", "language=python", "--tool-arg",
        "code=print(6 * 7)",
    )  # fmt: skip
    assert result["isError"] is False
    assert result["structuredContent"]["stdout"] == "42\n"
    assert result["content"][0]["text"].endswith("--- stdout ---\n42")
