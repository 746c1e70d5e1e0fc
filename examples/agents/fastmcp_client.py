"""A FastMCP client: start `runno-mcp` over stdio, list its tools, and call run_code and run_fs.

    python examples/agents/fastmcp_client.py

FastMCP's `Client` is what Pydantic AI's `MCPToolset` is built on; use it directly to script calls
without a model. A tool's result holds the compact text the model reads (`content`) and the run as
JSON (`structured_content`); a caller's mistake raises `ToolError` with the server's message.
"""

import os
import sys

import anyio
from fastmcp import Client
from fastmcp.client.client import CallToolResult
from fastmcp.client.transports import StdioTransport
from fastmcp.exceptions import ToolError
from mcp_types import TextContent

PRIMES_PY = """\
primes = []
n = 2
while len(primes) < 100:
    if all(n % p for p in primes if p * p <= n):
        primes.append(n)
    n += 1
print(sum(primes))
"""

TOTAL_PY = """\
import csv
rows = list(csv.DictReader(open('/data/sales.csv')))
print('total:', sum(int(row['amount']) for row in rows))
"""

SALES_CSV = "region,amount\nnorth,120\nsouth,80\nnorth,35\neast,60\n"


def runno_transport() -> StdioTransport:
    """The runno-mcp server over stdio; it starts when the client is entered."""
    return StdioTransport(
        command=sys.executable,
        args=["-m", "runno_mcp"],
        # The child gets only a few safe variables besides these; pass on runno's own settings.
        env={
            "RUNNO_MCP_LOG_LEVEL": "WARNING",
            **{name: value for name, value in os.environ.items() if name.startswith("RUNNO_MCP_")},
        },
        keep_alive=False,  # stop the server when the client is exited, not at interpreter exit
    )


def text_of(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, TextContent))


def stdout_of(result: CallToolResult) -> str:
    if result.structured_content is None:
        raise RuntimeError(f"No structured content in the result: {text_of(result)}")
    return str(result.structured_content["stdout"])


async def main() -> str:
    async with Client(runno_transport()) as client:
        tools = await client.list_tools()
        print("tools:", ", ".join(tool.name for tool in tools))

        result = await client.call_tool("run_code", {"language": "python", "code": PRIMES_PY})
        primes = stdout_of(result).strip()
        print("run_code stdout:", primes)

        files = [{"path": "/main.py", "content": TOTAL_PY}, {"path": "/data/sales.csv", "content": SALES_CSV}]
        result = await client.call_tool("run_fs", {"language": "python", "entry_path": "/main.py", "files": files})
        print("run_fs stdout:", stdout_of(result).strip())
        print("# run_fs text\n" + text_of(result))

        try:
            await client.call_tool("run_code", {"language": "cobol", "code": "DISPLAY 'HI'."})
        except ToolError as exc:
            print("ToolError:", exc)
    return primes


if __name__ == "__main__":
    anyio.run(main)
