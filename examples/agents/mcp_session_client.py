"""An MCP client working in steps: a live session, a CSV uploaded, explored over several calls, a result downloaded.

    python examples/agents/mcp_session_client.py

This is the loop an agent runs when a task takes more than one program: it creates a session, uploads
its data once, then looks at it call by call. In a live session the Python variables of one call
(`rows` below) are there in the next, like notebook cells; files persist in every session.
"""

import os
import sys

import anyio
from mcp import Client, StdioServerParameters
from mcp_types import CallToolResult, TextContent

SERVER = StdioServerParameters(
    command=sys.executable,
    args=["-m", "runno_mcp"],
    env={
        "RUNNO_MCP_LOG_LEVEL": "WARNING",
        **{name: value for name, value in os.environ.items() if name.startswith("RUNNO_MCP_")},
    },
)

SALES_CSV = """region,month,amount
north,jan,120
south,jan,80
north,feb,35
east,feb,60
"""

STEPS = [
    "import csv\nrows = list(csv.DictReader(open('/sales.csv')))\nprint(len(rows), 'rows, columns:', list(rows[0]))",
    "totals = {}\nfor row in rows:\n    totals[row['region']] = totals.get(row['region'], 0) + int(row['amount'])\n"
    "print(totals)",
    "best = max(totals, key=totals.get)\nopen('/report.txt', 'w').write(f'best region: {best} ({totals[best]})\\n')\n"
    "print('report written')",
]


def text_of(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, TextContent))


async def call(client: Client, tool: str, arguments: dict[str, object]) -> dict[str, object]:
    result = await client.call_tool(tool, arguments)
    if result.is_error or result.structured_content is None:
        raise RuntimeError(f"{tool} failed: {text_of(result)}")
    return result.structured_content


async def main() -> str:
    async with Client(SERVER) as client:
        session = str((await call(client, "create_session", {"live": True}))["session_id"])
        await call(
            client, "write_files", {"session_id": session, "files": [{"path": "/sales.csv", "content": SALES_CSV}]}
        )
        for code in STEPS:
            run = await call(client, "run_code", {"language": "python", "code": code, "session_id": session})
            print(f">>> step: {run['stdout']}", end="")
        report = await call(client, "read_file", {"session_id": session, "path": "/report.txt"})
        await call(client, "close_session", {"session_id": session})
    print(f"downloaded /report.txt: {report['content']}", end="")
    return str(report["content"])


if __name__ == "__main__":
    anyio.run(main)
