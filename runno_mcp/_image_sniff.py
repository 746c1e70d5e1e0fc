"""Image files recognised by their first bytes: PNG, JPEG, GIF and WebP, with width and height.

Owns the signatures and the header layouts; never trusts a file's name, and never reads past
the bytes it was given (a cut-short header gives no size, not an error).
"""

from typing import Literal

__all__ = ["ImageType", "sniff_image"]

ImageType = Literal["image/png", "image/jpeg", "image/gif", "image/webp"]
"""The MIME types `RunResult.images` recognises, by a file's first bytes."""


def sniff_image(data: bytes) -> tuple[ImageType, tuple[int, int] | None] | None:
    """The image type `data` starts with and its width and height if the header holds them; None if no image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        ok = len(data) >= 24 and data[12:16] == b"IHDR"
        return "image/png", (_be(data, 16, 4), _be(data, 20, 4)) if ok else None
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", _jpeg_size(data)
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif", (_le(data, 6, 2), _le(data, 8, 2)) if len(data) >= 10 else None
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp", _webp_size(data)
    return None


def _be(data: bytes, start: int, size: int) -> int:
    return int.from_bytes(data[start : start + size], "big")


def _le(data: bytes, start: int, size: int) -> int:
    return int.from_bytes(data[start : start + size], "little")


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the first start-of-frame segment, skipping the segments before it."""
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
        elif marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:  # markers without a length
            at += 2
        elif marker in (0xD9, 0xDA):  # end of image, or image data, before any frame header
            return None
        elif 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # SOFn: length, precision, height, width
            return (_be(data, at + 7, 2), _be(data, at + 5, 2)) if at + 9 <= len(data) else None
        else:
            length = _be(data, at + 2, 2)
            if length < 2:
                return None
            at += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the first chunk: extended (VP8X), lossless (VP8L) or lossy (VP8)."""
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        return _le(data, 24, 3) + 1, _le(data, 27, 3) + 1
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = _le(data, 21, 4)
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        return _le(data, 26, 2) & 0x3FFF, _le(data, 28, 2) & 0x3FFF
    return None
