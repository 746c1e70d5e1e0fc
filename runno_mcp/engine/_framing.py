"""Frames on the engine's pipes: a 4-byte big-endian length, then that many bytes of UTF-8 JSON.

Owns the size limit and exact reads: a frame is read with `receive_exactly`, so a peer
that closes mid-frame is a `ProtocolError`, never a hang, and a length over the limit is
refused before a byte of the body is read.
"""

import json
import struct
from typing import Any

from anyio import IncompleteRead
from anyio.streams.buffered import BufferedByteReceiveStream

from runno_mcp.errors import InvalidRequestError, ProtocolError

MAX_FRAME_BYTES = 64 * 1024 * 1024  # mirror of MAX_FRAME_BYTES in engine-ts/src/protocol.ts
HEADER = struct.Struct(">I")


def encode_frame(message: dict[str, Any]) -> bytes:
    """Return `message` as one frame.

    Raises:
        InvalidRequestError: the encoded message is over `MAX_FRAME_BYTES`, or holds a lone
            surrogate that UTF-8 cannot carry.
    """
    try:
        body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidRequestError(f"Cannot send the request: a string in it is not valid Unicode: {exc}") from exc
    if len(body) > MAX_FRAME_BYTES:
        raise InvalidRequestError(
            f"Cannot send the request: it is {len(body)} bytes once encoded, over the limit of "
            f"{MAX_FRAME_BYTES} bytes; send fewer or smaller files"
        )
    return HEADER.pack(len(body)) + body


async def read_frame(stream: BufferedByteReceiveStream) -> dict[str, Any] | None:
    """Read one frame's message; None when the peer closed its end between frames.

    Raises:
        ProtocolError: the peer closed mid-frame, announced a frame over the limit, or sent
            a body that is not a UTF-8 JSON object.
    """
    try:
        header = await stream.receive_exactly(HEADER.size)
    except IncompleteRead:
        partial = len(stream.buffer)
        if partial == 0:
            return None
        raise ProtocolError(
            f"Cannot read frame: the engine closed its output after {partial} of 4 header bytes"
        ) from None
    (size,) = HEADER.unpack(header)
    if size > MAX_FRAME_BYTES:
        raise ProtocolError(f"Cannot read frame: length {size} exceeds the limit of {MAX_FRAME_BYTES}")
    try:
        body = await stream.receive_exactly(size)
    except IncompleteRead:
        raise ProtocolError(
            f"Cannot read frame: the engine closed its output after {len(stream.buffer)} of {size} bytes"
        ) from None
    try:
        message = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProtocolError(f"Cannot read frame: the body is not UTF-8 JSON: {exc}") from exc
    if not isinstance(message, dict):
        raise ProtocolError(f"Cannot read frame: expected a JSON object, got {type(message).__name__}")
    return message  # pyright: ignore[reportUnknownVariableType]
