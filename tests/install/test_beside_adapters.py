"""runno-mcp installs and works beside langchain-mcp-adapters, which pins the MCP SDK below 2.

langchain-mcp-adapters 0.3.2, the latest, needs mcp<2, and runno-mcp's server needs mcp>=2.3. So the
server is the `mcp` extra: the Python API, the LangChain toolkit and `runno-mcp run` need no MCP SDK, and
the server runs under uvx in an environment of its own. These tests build the wheel from this working
tree, install it beside the adapters into one fresh virtual environment from the package index, as a
user would, and use both sides of it for real: an agent holding the toolkit and the server's tools,
the command line, and the Claude Desktop entry that `runno-mcp config claude-desktop --uvx` prints.
"""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import anyio
import anyio.to_thread
import pytest
from mcp import Client, StdioServerParameters

pytestmark = [pytest.mark.network, pytest.mark.slow, pytest.mark.timeout(600)]

REPO = Path(__file__).parents[2]
EXTRA = "runno-mcp[mcp]"  # the requirement the docs and `runno-mcp` itself give for the server
# `langchain` for its `create_agent`: langgraph.prebuilt's `create_react_agent` is deprecated since langgraph 1.0.
BESIDE = ["langchain-mcp-adapters==0.3.2", "langchain", "langgraph", "uv"]
INSTALL_TIMEOUT = 300  # seconds: pip resolves and downloads some 60 packages on a cold cache
COMMAND_TIMEOUT = 180  # seconds: uv builds the server's environment, then a cold engine and a first run

# Run with the fresh environment's Python: its argument is the requirement uvx serves runno-mcp from.
AGENT = '''\
"""A langchain agent holding runno's LangChain toolkit and, through langchain-mcp-adapters, runno's
MCP server under uvx. Prints {"tools": [...], "answer": "..."}."""

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from langchain.agents import create_agent
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_mcp_adapters.client import MultiServerMCPClient

from runno_mcp.models import RunResult
from runno_mcp.tools.langchain import RunnoToolkit

TOOLKIT_CODE = 'print("native", sum(range(101)))'
SERVER_CODE = 'import math\\nprint("served", math.factorial(10))'


class ScriptedChatModel(BaseChatModel):
    """Calls both run_code tools in one turn, then answers with what each program printed."""

    def bind_tools(self, tools: Any, **kwargs: Any) -> "ScriptedChatModel":
        return self

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        answers = {message.tool_call_id: message for message in messages if isinstance(message, ToolMessage)}
        if not answers:
            calls = [
                {"name": "run_code", "args": {"language": "python", "code": TOOLKIT_CODE}, "id": "toolkit"},
                {"name": "runno_run_code", "args": {"language": "python", "code": SERVER_CODE}, "id": "server"},
            ]
            reply = AIMessage(content="", tool_calls=calls)
        else:
            reply = AIMessage(content=f"toolkit: {stdout(answers['toolkit'])}; server: {stdout(answers['server'])}")
        return ChatResult(generations=[ChatGeneration(message=reply)])

    @property
    def _llm_type(self) -> str:
        return "scripted"


def stdout(message: ToolMessage) -> str:
    """What the program printed: the toolkit's artifact is a RunResult, the server's its structured content."""
    if message.status == "error":
        return f"error {message.text!r}"
    artifact = message.artifact
    return repr(artifact.stdout if isinstance(artifact, RunResult) else artifact["structured_content"]["stdout"])


async def main(requirement: str) -> None:
    uvx = Path(sys.executable).with_name("uvx")
    # The whole environment: the SDK's stdio client passes only HOME, PATH and a few more by default, and
    # uv needs this machine's network settings (proxy, CA bundle) to reach the package index.
    args = ["--from", requirement, "runno-mcp"]
    server = {"transport": "stdio", "command": str(uvx), "args": args, "env": dict(os.environ)}
    # Prefixed, the server's tools are runno_run_code, runno_run_fs, ...: apart from the toolkit's.
    client = MultiServerMCPClient({"runno": server}, tool_name_prefix=True)
    async with RunnoToolkit() as toolkit:
        tools = [*toolkit.get_tools(), *await client.get_tools()]
        agent = create_agent(ScriptedChatModel(), tools=tools)
        state = await agent.ainvoke({"messages": [("user", "Run one program with each run_code tool")]})
    print(json.dumps({"tools": sorted(tool.name for tool in tools), "answer": state["messages"][-1].text}))


asyncio.run(main(sys.argv[1]))
'''


@dataclass(frozen=True)
class Venv:
    """A fresh virtual environment and the variables of a shell that activated it."""

    root: Path
    env: dict[str, str]

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    def run(self, program: str, *args: str, timeout: float = COMMAND_TIMEOUT) -> subprocess.CompletedProcess[str]:
        """Run one of its programs from its root, where the working tree's runno_mcp cannot be imported."""
        return subprocess.run(
            [str(self.bin / program), *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.root,
            timeout=timeout,
            check=False,
        )


def activated(root: Path) -> dict[str, str]:
    """This process's environment as a shell that activated `root` has it, without pytest's own venv."""
    ours = Path(sys.executable).parent
    path = [folder for folder in os.environ["PATH"].split(os.pathsep) if folder and Path(folder) != ours]
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "PYTHONHOME")}
    return {**env, "VIRTUAL_ENV": str(root), "PATH": os.pathsep.join([str(root / "bin"), *path])}


def from_wheel(wheel: Path) -> str:
    """The server's requirement, `runno-mcp[mcp]`, with the wheel as its source (PEP 508, as uv reads it)."""
    return f"{EXTRA} @ {wheel.as_uri()}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """runno-mcp's wheel, built from this working tree with the dev environment's hatchling."""
    out = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(REPO)]
    done = subprocess.run(build, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = out.glob("runno_mcp-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Venv:
    """One fresh virtual environment holding runno-mcp without extras beside the adapters, langchain,
    langgraph and uv, installed in one pip command from the package index."""
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, timeout=COMMAND_TIMEOUT)
    created = Venv(root, activated(root))
    done = created.run("python", "-m", "pip", "install", str(wheel), *BESIDE, timeout=INSTALL_TIMEOUT)
    assert done.returncode == 0, f"pip cannot install runno-mcp beside {BESIDE}:\n{done.stdout}{done.stderr}"
    return created


def test_pip_resolves_runno_mcp_beside_the_adapters_and_their_mcp_1(venv: Venv) -> None:
    """The install is consistent, holds the adapters' MCP SDK 1.x, and imports runno_mcp from the wheel."""
    check = venv.run("python", "-m", "pip", "check")
    assert check.returncode == 0, check.stdout
    probe = "import importlib.metadata as m, json, runno_mcp; print(json.dumps([m.version('mcp'), runno_mcp.__file__]))"
    done = venv.run("python", "-c", probe)
    mcp_version, location = json.loads(done.stdout)
    assert mcp_version.startswith("1.")
    assert Path(location).is_relative_to(venv.root)


def test_an_agent_runs_code_through_the_toolkit_and_through_the_server_under_uvx(
    venv: Venv, wheel: Path, tmp_path: Path
) -> None:
    """One langchain agent holds the toolkit's tools and, through langchain-mcp-adapters, those of a server
    that uvx runs with the `mcp` extra; a program through each run_code prints what it should."""
    script = tmp_path / "agent.py"
    script.write_text(AGENT, encoding="utf-8")
    done = venv.run("python", str(script), from_wheel(wheel))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert {"run_code", "run_fs", "runno_run_code", "runno_run_fs"} <= set(report["tools"])
    assert report["answer"] == "toolkit: 'native 5050\\n'; server: 'served 3628800\\n'"


def test_serve_without_the_extra_exits_3_naming_it(venv: Venv) -> None:
    """Where mcp is 1.x, `runno-mcp serve` says to install the extra or to serve with uvx, and exits 3."""
    done = venv.run("runno-mcp", "serve")
    assert done.returncode == 3
    assert f'pip install "{EXTRA}"' in done.stderr
    assert f'uvx --from "{EXTRA}" runno-mcp' in done.stderr


def test_run_works_without_the_extra(venv: Venv) -> None:
    """`runno-mcp run` needs no MCP SDK: beside mcp 1.x it runs a program as usual."""
    done = venv.run("runno-mcp", "run", "python", "-c", "print(6*7)")
    assert (done.returncode, done.stdout) == (0, "42\n")


async def test_the_uvx_desktop_entry_starts_a_server_that_runs_code(venv: Venv, wheel: Path) -> None:
    """`config claude-desktop --uvx` names this environment's uvx by absolute path; started as printed, with
    the environment off PATH as in the desktop app, it serves run_code."""
    done = await anyio.to_thread.run_sync(venv.run, "runno-mcp", "config", "claude-desktop", "--uvx")
    entry = json.loads(done.stdout)["mcpServers"]["runno"]
    assert entry == {"command": str(venv.bin / "uvx"), "args": ["--from", EXTRA, "runno-mcp"]}
    # runno-mcp is not on PyPI yet, so the PyPI requirement in --from becomes the same requirement with
    # this wheel as its source: `runno-mcp[mcp] @ file:///.../runno_mcp-*.whl`. The rest is as printed.
    args = [from_wheel(wheel) if arg == EXTRA else arg for arg in entry["args"]]
    path = os.pathsep.join(folder for folder in venv.env["PATH"].split(os.pathsep) if Path(folder) != venv.bin)
    env = {name: value for name, value in venv.env.items() if name != "VIRTUAL_ENV"}
    # The rest of the environment stays: uv needs this machine's network settings to reach the index.
    params = StdioServerParameters(command=entry["command"], args=args, env={**env, "PATH": path})
    with anyio.fail_after(COMMAND_TIMEOUT):
        async with Client(params) as client:
            result = await client.call_tool("run_code", {"language": "python", "code": "print(1+1)"})
    assert result.structured_content is not None
    assert (result.structured_content["result_type"], result.structured_content["stdout"]) == ("complete", "2\n")
