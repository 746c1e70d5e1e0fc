"""Small image files for the image tests, and the guest Python program that writes them.

The PNGs are built in the sandbox by `png()` itself (its source is part of the program), so a test
compares the bytes the run wrote with the bytes the same function builds here.
"""

import inspect
import struct
import zlib

JPEG = (
    b"\xff\xd8"  # start of image
    + b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"  # APP0, skipped on the way to the frame
    + b"\xff\xc0\x00\x11\x08\x00\x30\x00\x40\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"  # SOF0: 48 high, 64 wide
)
"""A JPEG's headers only, no image data: enough to be recognised, and 64x48."""

GIF = b"GIF89a\x05\x00\x07\x00\x00\x00\x00;"
"""A GIF's header, 5x7; every byte is ASCII, so the run returns it as a text file."""

NOT_PNG = "this is not a PNG, whatever its name says\n"


def png(width: int, height: int) -> bytes:
    """A valid RGB PNG, stored uncompressed so its size is about width * height * 3 bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes((x + y) % 256 for x in range(width * 3)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 0)) + chunk(b"IEND", b"")


def writer_program(pngs: dict[str, tuple[int, int]], others: dict[str, bytes | str]) -> str:
    """Python source that writes a PNG of each size in `pngs`, and each of `others` as given (bytes or text)."""
    lines = ["import struct", "import zlib", "", inspect.getsource(png)]
    lines += [f"open({path!r}, 'wb').write(png({width}, {height}))" for path, (width, height) in pngs.items()]
    for path, data in others.items():
        lines.append(f"open({path!r}, {'wb' if isinstance(data, bytes) else 'w'!r}).write({data!r})")
    return "\n".join(lines) + "\n"


def expected_bytes(pngs: dict[str, tuple[int, int]], others: dict[str, bytes | str]) -> dict[str, bytes]:
    """The bytes `writer_program(pngs, others)` writes, by path."""
    written = {path: png(width, height) for path, (width, height) in pngs.items()}
    written |= {path: data if isinstance(data, bytes) else data.encode("utf-8") for path, data in others.items()}
    return written
