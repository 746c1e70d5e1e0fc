"""Packages through the tools: the `packages` argument exists only when the operator allows packages."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp_types import TextContent

from runno_mcp import AsyncSandbox
from runno_mcp.packages import PACKAGES_DIR_ENV, PackageResolver
from runno_mcp.tools.langchain import RunCodeTool, RunnoToolkit
from runno_mcp.tools.mcp import ServerOptions, create_server
from runno_mcp.tools.mcp_results import ToolRunResult

CALL_TIMEOUT = 120.0  # seconds: pip and a cold engine on a busy machine
TABLE = "from tabulate import tabulate\nprint(tabulate([[1, 2]], headers=['a', 'b']))"


@pytest.fixture
def package_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(PACKAGES_DIR_ENV, str(tmp_path / "cache"))
    yield tmp_path / "cache"


@pytest.mark.network
async def test_mcp_run_code_takes_packages_only_when_the_server_allows_them(
    sandbox: AsyncSandbox, package_cache: Path
) -> None:
    saved = sandbox.allow_packages, sandbox.packages
    sandbox.allow_packages, sandbox.packages = True, PackageResolver(cache_dir=package_cache, wheelhouse=None)
    try:
        with anyio.fail_after(CALL_TIMEOUT):
            async with Client(create_server(ServerOptions(), sandbox=sandbox)) as client:
                tools = {tool.name: tool for tool in (await client.list_tools()).tools}
                assert "packages" not in tools["run_code"].input_schema["properties"]
            async with Client(create_server(ServerOptions(allow_packages=True), sandbox=sandbox)) as client:
                tools = {tool.name: tool for tool in (await client.list_tools()).tools}
                for name in ("run_code", "run_fs"):
                    assert "pure-Python" in tools[name].input_schema["properties"]["packages"]["description"]
                args: dict[str, Any] = {"language": "python", "code": TABLE, "timeout": 30}
                result = await client.call_tool("run_code", {**args, "packages": ["tabulate"]})
                assert not result.is_error
                assert (
                    ToolRunResult.model_validate(result.structured_content).stdout == "  a    b\n---  ---\n  1    2\n"
                )
                refused = await client.call_tool("run_code", {**args, "packages": ["numpy"]})
                assert refused.is_error
                text = " ".join(block.text for block in refused.content if isinstance(block, TextContent))
                assert '"numpy"' in text and "compiled code" in text
                catalog = await client.call_tool("list_runtimes", {})
                assert "packages argument) for: python" in str(catalog.content)
    finally:
        sandbox.allow_packages, sandbox.packages = saved


def test_langchain_tools_offer_packages_only_when_allowed() -> None:
    assert "packages" not in RunCodeTool().args
    assert "packages" in RunCodeTool(allow_packages=True).args
    tools = RunnoToolkit(allow_packages=True).get_tools()
    assert all("packages" in tool.args for tool in tools)


@pytest.mark.network
async def test_langchain_run_code_with_packages(package_cache: Path) -> None:
    with RunnoToolkit(allow_packages=True, default_timeout=30) as toolkit:
        run_code = toolkit.get_tools()[0]
        call = {"language": "python", "code": TABLE, "packages": ["tabulate"]}
        with anyio.fail_after(CALL_TIMEOUT):
            message = await run_code.ainvoke({"type": "tool_call", "id": "1", "name": "run_code", "args": call})
        assert message.artifact.stdout == "  a    b\n---  ---\n  1    2\n"
    assert (package_cache / "resolutions").is_dir()
