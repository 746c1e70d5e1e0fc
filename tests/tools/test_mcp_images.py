"""Image files a run writes reach the model as MCP image content, within the operator's caps.

A real `python -m runno_mcp` over streamable HTTP (default caps) and over stdio (small caps, one of
them from its environment variable), with the SDK's `Client` and the real engine.
"""

import base64
import json
import sys
from collections.abc import AsyncIterator
from typing import Any

import anyio
import jsonschema
import pytest
from inline_snapshot import snapshot
from mcp import Client, StdioServerParameters
from mcp_types import CallToolResult, ImageContent, TextContent

from runno_mcp.tools.mcp_results import ToolRunResult
from tests.images_support import GIF, JPEG, NOT_PNG, expected_bytes, png, writer_program
from tests.tools.conftest import SERVER_FLAGS

CALL_TIMEOUT = 60.0  # seconds: generous for a cold engine on a slow CI machine
RUN_TIMEOUT = 30  # seconds a run gets: room for a busy machine
CAP_FLAGS = ["--max-image-bytes", "100000", "--max-total-image-bytes", "110000"]
CAP_ENV = {"RUNNO_MCP_MAX_IMAGES": "3"}


@pytest.fixture(scope="module")
async def capped_client(server_env: dict[str, str]) -> AsyncIterator[Client]:
    """A stdio server sending at most 3 images (from the environment), 100,000 bytes each, 110,000 together."""
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "runno_mcp", *SERVER_FLAGS, *CAP_FLAGS], env={**server_env, **CAP_ENV}
    )
    async with Client(params) as client:
        yield client


async def call(client: Client, name: str, arguments: dict[str, Any]) -> CallToolResult:
    with anyio.fail_after(CALL_TIMEOUT):
        result = await client.call_tool(name, arguments)
    assert not result.is_error, result.content
    return result


async def run(client: Client, name: str, arguments: dict[str, Any]) -> tuple[CallToolResult, ToolRunResult]:
    """Call a run tool; check its structured output against the declared schema and return both."""
    result = await call(client, name, {"timeout": RUN_TIMEOUT, **arguments})
    tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    output_schema = tools[name].output_schema
    assert output_schema is not None and "images" in output_schema["properties"]
    jsonschema.validate(result.structured_content, output_schema)
    run_result = ToolRunResult.model_validate_json(json.dumps(result.structured_content))
    assert run_result.result_type == "complete" and run_result.exit_code == 0, run_result.stderr
    return result, run_result


def images_of(result: CallToolResult) -> list[tuple[str, bytes]]:
    """The image blocks of a result, as (mime type, decoded bytes); every block after the first is one."""
    assert isinstance(result.content[0], TextContent)
    blocks = result.content[1:]
    assert all(isinstance(block, ImageContent) for block in blocks)
    return [(block.mime_type, base64.b64decode(block.data)) for block in blocks if isinstance(block, ImageContent)]


def image_lines(result: CallToolResult) -> str:
    """The text block's lines about images, after its `--- images ---` heading."""
    first = result.content[0]
    assert isinstance(first, TextContent)
    head, _, images = first.text.partition("\n--- images ---\n")
    assert "image " not in head.replace("image/", "")  # the heading comes once, after the run's own text
    return images


async def test_run_tools_tell_the_model_images_come_back(http_url: str) -> None:
    """run_code, run_fs and read_file say that image files come back as images."""
    with anyio.fail_after(CALL_TIMEOUT):
        async with Client(http_url) as client:
            tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    for name in ("run_code", "run_fs"):
        assert "plt.savefig('/plot.png')" in (tools[name].description or "")
        assert "come back as images" in (tools[name].description or "")
    assert "comes back as an image" in (tools["read_file"].description or "")


async def test_run_code_attaches_each_image_file_after_the_text(http_url: str) -> None:
    """Over streamable HTTP with the default caps, a PNG, a JPEG header and a GIF the program wrote come
    back as image blocks with their exact bytes, in path order; a .png holding text does not."""
    pngs = {"/plot.png": (3, 2)}
    others: dict[str, bytes | str] = {"/photo.jpg": JPEG, "/anim.gif": GIF, "/fake.png": NOT_PNG}
    with anyio.fail_after(CALL_TIMEOUT * 2):
        async with Client(http_url) as client:
            result, run_result = await run(
                client, "run_code", {"language": "python", "code": writer_program(pngs, others)}
            )
    written = expected_bytes(pngs, others)
    assert images_of(result) == [
        ("image/gif", GIF),
        ("image/jpeg", JPEG),
        ("image/png", written["/plot.png"]),
    ]
    assert [image.path for image in run_result.images] == ["/anim.gif", "/photo.jpg", "/plot.png"]
    assert "/fake.png" in run_result.fs
    size = len(written["/plot.png"])
    assert image_lines(result) == (
        f"image /anim.gif (image/gif, 5x7, {len(GIF)} bytes): attached below as image 1\n"
        f"image /photo.jpg (image/jpeg, 64x48, {len(JPEG)} bytes): attached below as image 2\n"
        f"image /plot.png (image/png, 3x2, {size} bytes): attached below as image 3"
    )


async def test_images_over_the_caps_are_left_out_and_the_text_says_why(capped_client: Client) -> None:
    """An image over the per-image cap, one that would pass the call's total, and one past the count are
    not attached; smaller ones after them still are, and the text names each left out and why."""
    pngs = {
        "/a.png": (3, 2),  # attached
        "/b.png": (200, 200),  # ~120 KB: over the 100,000-byte cap per image
        "/c.png": (150, 150),  # ~68 KB: attached
        "/d.png": (120, 120),  # ~43 KB: the call's images would pass 110,000 bytes
    }
    others: dict[str, bytes | str] = {"/e.gif": GIF, "/f.jpg": JPEG}  # e attached (3rd); f past the count
    result, run_result = await run(
        capped_client, "run_code", {"language": "python", "code": writer_program(pngs, others)}
    )
    written = expected_bytes(pngs, others)
    assert images_of(result) == [
        ("image/png", written["/a.png"]),
        ("image/png", written["/c.png"]),
        ("image/gif", GIF),
    ]
    assert len(written["/b.png"]) > 100_000 and len(written["/a.png"]) + len(written["/c.png"]) < 110_000
    assert len(written["/a.png"]) + len(written["/c.png"]) + len(written["/d.png"]) > 110_000
    assert image_lines(result) == snapshot("""\
image /a.png (image/png, 3x2, 88 bytes): attached below as image 1
image /b.png (image/png, 200x200, 117.5 KiB) not attached: over the limit of 100000 bytes per image; it is in structuredContent fs
image /c.png (image/png, 150x150, 66.1 KiB): attached below as image 2
image /d.png (image/png, 120x120, 42.4 KiB) not attached: it would take the call's images past 110000 bytes together; it is in structuredContent fs
image /e.gif (image/gif, 5x7, 14 bytes): attached below as image 3
image /f.jpg (image/jpeg, 64x48, 39 bytes) not attached: the limit of 3 images per call is reached; it is in structuredContent fs\
""")  # noqa: E501
    left_out = {path: base64.b64decode(run_result.fs[path].content) for path in ("/b.png", "/d.png", "/f.jpg")}
    assert left_out == {path: written[path] for path in left_out}


async def test_run_fs_attaches_the_images_the_run_wrote_not_those_it_was_given(capped_client: Client) -> None:
    """An image sent in with run_fs and left alone is not echoed back; the copy the program writes is."""
    image = png(4, 4)
    files = [
        {"path": "/in.png", "content": base64.b64encode(image).decode(), "encoding": "base64"},
        {"path": "/main.py", "content": "open('/out.png', 'wb').write(open('/in.png', 'rb').read())\n"},
    ]
    result, run_result = await run(
        capped_client, "run_fs", {"language": "python", "entry_path": "/main.py", "files": files}
    )
    assert images_of(result) == [("image/png", image)]
    assert [image.path for image in run_result.images] == ["/out.png"]


async def test_read_file_returns_an_image_file_as_an_image(capped_client: Client) -> None:
    """read_file on a session's PNG adds an image block with its bytes; one over the per-image cap gets
    only the structured base64 and a line saying why."""
    created = await call(capped_client, "create_session", {})
    assert created.structured_content is not None
    session_id = created.structured_content["session_id"]
    pngs = {"/plot.png": (8, 8), "/big.png": (200, 200)}
    await run(
        capped_client, "run_code", {"language": "python", "code": writer_program(pngs, {}), "session_id": session_id}
    )
    written = expected_bytes(pngs, {})
    small = await call(capped_client, "read_file", {"session_id": session_id, "path": "/plot.png"})
    assert images_of(small) == [("image/png", written["/plot.png"])]
    big = await call(capped_client, "read_file", {"session_id": session_id, "path": "/big.png"})
    assert images_of(big) == []
    assert isinstance(big.content[0], TextContent)
    assert "not attached: over the limit of 100000 bytes per image" in big.content[0].text
    assert big.structured_content is not None
    assert base64.b64decode(big.structured_content["content"]) == written["/big.png"]
    await call(capped_client, "close_session", {"session_id": session_id})


@pytest.mark.sci
async def test_a_python_sci_chart_of_a_csv_comes_back_as_an_image(http_url: str) -> None:
    """What an agent asks: "plot column b against a from this CSV"; the chart arrives as a PNG image block."""
    code = (
        "import pandas as pd\nimport matplotlib.pyplot as plt\n"
        "df = pd.read_csv('/data.csv')\n"
        "df.plot(x='a', y='b', marker='o'); plt.title('b against a'); plt.show()\n"
        "print(len(df))\n"
    )
    files = [
        {"path": "/main.py", "content": code},
        {"path": "/data.csv", "content": "a,b\n1,2\n2,4\n3,9\n4,16\n"},
    ]
    with anyio.fail_after(CALL_TIMEOUT * 4):
        async with Client(http_url) as client:
            result = await client.call_tool(
                "run_fs", {"language": "python-sci", "entry_path": "/main.py", "files": files, "timeout": 120}
            )
    assert not result.is_error, result.content
    [(mime, data)] = images_of(result)
    assert mime == "image/png" and data.startswith(b"\x89PNG\r\n\x1a\n") and 5_000 < len(data) < 500_000
    assert "image /figures/figure_1.png (image/png, 640x480" in image_lines(result)
    assert result.structured_content is not None and result.structured_content["stdout"] == "4\n"
