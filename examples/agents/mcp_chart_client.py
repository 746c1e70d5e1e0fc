"""An MCP client asks for a chart of a CSV and gets it back as an image, with python-sci.

    runno-mcp install python-sci                  # once, ~98 MB
    python examples/agents/mcp_chart_client.py [chart.png]

This is "plot column b against a from this CSV" as an agent would do it: it sends the CSV and a
pandas + matplotlib program with `run_fs`; the server answers with the run's text and the chart as
an MCP image content block, which a client like Claude Desktop shows. The first python-sci call
starts its interpreter cold (a few seconds); the server keeps one booted for the next.
"""

import base64
import os
import sys
from pathlib import Path

import anyio
from mcp import Client, StdioServerParameters
from mcp_types import ImageContent, TextContent

SERVER = StdioServerParameters(
    command=sys.executable,
    args=["-m", "runno_mcp", "--max-timeout", "120"],
    env={
        "RUNNO_MCP_LOG_LEVEL": "WARNING",
        **{name: value for name, value in os.environ.items() if name.startswith("RUNNO_MCP_")},
    },
)

MEASUREMENTS_CSV = "a,b\n1,2.1\n2,3.9\n3,6.2\n4,7.8\n5,10.1\n"

PROGRAM = """\
import pandas as pd
import matplotlib.pyplot as plt

df = pd.read_csv("/measurements.csv")
slope = ((df.a - df.a.mean()) * (df.b - df.b.mean())).sum() / ((df.a - df.a.mean()) ** 2).sum()
ax = df.plot.scatter(x="a", y="b", title=f"b against a (slope {slope:.2f})")
ax.plot(df.a, df.b.mean() + slope * (df.a - df.a.mean()), color="red")
plt.show()
print(f"{len(df)} points, slope {slope:.2f}")
"""


async def main() -> tuple[str, bytes]:
    """Ask for the chart; return the run's text and the PNG's bytes."""
    files = [
        {"path": "/main.py", "content": PROGRAM},
        {"path": "/measurements.csv", "content": MEASUREMENTS_CSV},
    ]
    async with Client(SERVER) as client:
        result = await client.call_tool(
            "run_fs", {"language": "python-sci", "entry_path": "/main.py", "files": files, "timeout": 120}
        )
    text = "\n".join(block.text for block in result.content if isinstance(block, TextContent))
    if result.is_error:
        raise RuntimeError(text)
    images = [block for block in result.content if isinstance(block, ImageContent)]
    if not images:
        raise RuntimeError(f"no image came back:\n{text}")
    return text, base64.b64decode(images[0].data)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("chart.png")
    run_text, chart = anyio.run(main)
    target.write_bytes(chart)
    print(run_text)
    print(f"chart: {len(chart)} bytes of PNG written to {target}")
