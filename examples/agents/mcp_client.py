"""A plain MCP client: start `runno-mcp` over stdio and call each of its tools.

    python examples/agents/mcp_client.py

This is what an MCP host (Claude Desktop, an IDE, an agent framework) does on your behalf: list the
tools, then call them with JSON arguments and read back text plus structured content.
"""

import base64
import os
import sys

import anyio
from mcp import Client, StdioServerParameters
from mcp_types import CallToolResult, TextContent

# The same server Claude Desktop starts; `python -m runno_mcp` is the `runno-mcp` console script. The
# SDK passes the child only a few safe variables; pass on runno's own (RUNNO_MCP_LANGS_DIR, limits).
SERVER = StdioServerParameters(
    command=sys.executable,
    args=["-m", "runno_mcp"],
    env={
        "RUNNO_MCP_LOG_LEVEL": "WARNING",  # the server logs to stderr, which this terminal shows
        **{name: value for name, value in os.environ.items() if name.startswith("RUNNO_MCP_")},
    },
)


def text_of(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, TextContent))


async def main() -> None:
    async with Client(SERVER) as client:
        tools = await client.list_tools()
        print("tools:", ", ".join(tool.name for tool in tools.tools))

        catalog = await client.call_tool("list_runtimes", {})
        print("\n# list_runtimes\n" + text_of(catalog))

        result = await client.call_tool(
            "run_code", {"language": "javascript", "code": "console.log([1, 2, 3].map((n) => n * n).join(' '))"}
        )
        print("\n# run_code\n" + text_of(result))
        assert result.structured_content is not None
        print("structured stdout:", repr(result.structured_content["stdout"]))

        files = [
            {"path": "/main.py", "content": "data = open('/blob.bin', 'rb').read()\nprint(len(data), data[:2])\n"},
            {"path": "/blob.bin", "content": base64.b64encode(bytes(range(256))).decode(), "encoding": "base64"},
        ]
        result = await client.call_tool("run_fs", {"language": "python", "entry_path": "/main.py", "files": files})
        print("\n# run_fs\n" + text_of(result))

        # A caller's mistake is a tool result with isError set, and a message saying what to change.
        result = await client.call_tool("run_code", {"language": "cobol", "code": "DISPLAY 'HI'."})
        print(f"\n# isError={result.is_error}\n" + text_of(result))


if __name__ == "__main__":
    anyio.run(main)
