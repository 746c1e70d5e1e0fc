"""`RunResult.images`: the image files a run wrote, found by their first bytes, with size and dimensions."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from runno_mcp import AsyncSandbox, BinaryFile, RunImage, RunResult, StringFile
from runno_mcp.models import find_images
from tests.images_support import GIF, JPEG, NOT_PNG, expected_bytes, png, writer_program

RIFF = b"RIFF\x00\x00\x00\x00WEBP"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(png(3, 2), ("image/png", 3, 2), id="png"),
        pytest.param(png(3, 2)[:8], ("image/png", None, None), id="png-signature-only"),
        pytest.param(JPEG, ("image/jpeg", 64, 48), id="jpeg"),
        pytest.param(JPEG[:20], ("image/jpeg", None, None), id="jpeg-without-frame-header"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x00", ("image/jpeg", None, None), id="jpeg-with-a-bad-length"),
        pytest.param(GIF, ("image/gif", 5, 7), id="gif89a"),
        pytest.param(b"GIF87a\x00\x01\x02\x00", ("image/gif", 256, 2), id="gif87a"),
        pytest.param(
            RIFF + b"VP8X" + bytes(8) + (639).to_bytes(3, "little") + (479).to_bytes(3, "little"),
            ("image/webp", 640, 480),
            id="webp-extended",
        ),
        pytest.param(
            RIFF + b"VP8L" + bytes(4) + b"\x2f" + ((99 << 14) | 199).to_bytes(4, "little"),
            ("image/webp", 200, 100),
            id="webp-lossless",
        ),
        pytest.param(
            RIFF + b"VP8 " + bytes(7) + b"\x9d\x01\x2a" + (320).to_bytes(2, "little") + (240).to_bytes(2, "little"),
            ("image/webp", 320, 240),
            id="webp-lossy",
        ),
        pytest.param(RIFF + b"VP8 ", ("image/webp", None, None), id="webp-cut-short"),
    ],
)
def test_images_are_recognised_by_their_first_bytes(data: bytes, expected: tuple[str, int | None, int | None]) -> None:
    """PNG, JPEG, GIF and WebP are found whatever the file is called; width and height come from the header,
    or are None when it is cut short."""
    [image] = find_images({"/out.dat": BinaryFile(path="/out.dat", content=data)})
    assert (image.mime_type, image.width, image.height) == expected
    assert (image.path, image.size_bytes) == ("/out.dat", len(data))


@pytest.mark.parametrize(
    "file",
    [
        pytest.param(StringFile(path="/fake.png", content=NOT_PNG), id="text-named-png"),
        pytest.param(BinaryFile(path="/fake.png", content=b"\x89PNG\r\n"), id="png-signature-cut"),
        pytest.param(BinaryFile(path="/a.wav", content=b"RIFF\x00\x00\x00\x00WAVEfmt "), id="riff-not-webp"),
        pytest.param(BinaryFile(path="/a.gif", content=b"GIF90a\x01\x00\x01\x00"), id="gif-unknown-version"),
    ],
)
def test_files_that_only_look_like_images_are_not_images(file: StringFile | BinaryFile) -> None:
    """A name ending in .png, or a signature that is close but wrong, is not an image."""
    assert find_images({file.path: file}) == []


def test_an_ascii_gif_returned_as_text_is_still_an_image() -> None:
    """A GIF whose bytes all decode as UTF-8 comes back as a StringFile, and is listed all the same."""
    result = RunResult(result_type="complete", fs={"/a.gif": StringFile(path="/a.gif", content=GIF.decode())})
    assert result.images == [RunImage(path="/a.gif", mime_type="image/gif", size_bytes=len(GIF), width=5, height=7)]


@given(st.sampled_from([b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", RIFF + b"VP8X", RIFF + b"VP8L"]), st.binary())
def test_any_bytes_after_a_signature_serialise(signature: bytes, tail: bytes) -> None:
    """Whatever follows an image signature, finding the image and `model_dump_json()` never fail."""
    result = RunResult(result_type="complete", fs={"/x": BinaryFile(path="/x", content=signature + tail)})
    data = json.loads(result.model_dump_json())
    assert [image["path"] for image in data["images"]] == ["/x"]


def test_images_follow_fs_when_a_result_is_copied() -> None:
    """`images` is computed from `fs`: a copy with other files lists those files' images."""
    result = RunResult(result_type="complete", fs={"/a.png": BinaryFile(path="/a.png", content=png(1, 1))})
    copy = result.model_copy(update={"fs": {"/b.gif": BinaryFile(path="/b.gif", content=GIF)}})
    assert [image.path for image in result.images] == ["/a.png"]
    assert [image.path for image in copy.images] == ["/b.gif"]


def test_images_are_in_the_json_schema_a_client_reads() -> None:
    """The schema of RunResult, in the mode the MCP SDK generates it, lists `images` as RunImage objects."""
    schema = TypeAdapter(RunResult).json_schema()
    assert schema["properties"]["images"]["items"] == {"$ref": "#/$defs/RunImage"}
    assert set(schema["$defs"]["RunImage"]["properties"]) == {"path", "mime_type", "size_bytes", "width", "height"}


async def test_a_python_run_lists_the_image_files_it_wrote(sandbox: AsyncSandbox) -> None:
    """A real run writes a PNG (built with zlib and struct), a JPEG header, a text GIF and a .png that is
    text: `images` lists the three images, sorted by path, and the JSON carries no second copy of the bytes."""
    pngs = {"/plot.png": (3, 2)}
    others: dict[str, bytes | str] = {"/photo.jpg": JPEG, "/anim.gif": GIF, "/fake.png": NOT_PNG}
    result = await sandbox.run_code("python", writer_program(pngs, others), timeout=30)
    assert (result.result_type, result.exit_code, result.stderr) == ("complete", 0, "")
    written = expected_bytes(pngs, others)
    assert result.images == [
        RunImage(path="/anim.gif", mime_type="image/gif", size_bytes=len(GIF), width=5, height=7),
        RunImage(path="/photo.jpg", mime_type="image/jpeg", size_bytes=len(JPEG), width=64, height=48),
        RunImage(path="/plot.png", mime_type="image/png", size_bytes=len(written["/plot.png"]), width=3, height=2),
    ]
    assert result.fs["/plot.png"] == BinaryFile(
        path="/plot.png", content=written["/plot.png"], timestamps=result.fs["/plot.png"].timestamps
    )
    assert isinstance(result.fs["/fake.png"], StringFile)
    data = json.loads(result.model_dump_json())
    assert data["images"][2] == {
        "path": "/plot.png",
        "mime_type": "image/png",
        "size_bytes": len(written["/plot.png"]),
        "width": 3,
        "height": 2,
    }
    text = result.as_text()
    assert f"/plot.png (image/png, 3x2, {len(written['/plot.png'])} bytes)" in text
    assert f"/fake.png (text, {len(NOT_PNG)} bytes)" in text
