"""Frames: 4-byte big-endian length + UTF-8 JSON, with a size limit and exact reads."""

import struct
from typing import Any

import anyio
import pytest
from anyio.streams.buffered import BufferedByteReceiveStream
from hypothesis import given, settings
from hypothesis import strategies as st

from runno_mcp.engine import _framing
from runno_mcp.engine._framing import MAX_FRAME_BYTES, encode_frame, read_frame
from runno_mcp.errors import InvalidRequestError, ProtocolError


async def read_from(*chunks: bytes, close: bool = True) -> dict[str, Any] | None:
    """Feed `chunks` to `read_frame` through an in-memory stream."""
    send, receive = anyio.create_memory_object_stream[bytes](len(chunks) + 1)
    for chunk in chunks:
        send.send_nowait(chunk)
    if close:
        send.close()
    with anyio.fail_after(5):
        try:
            return await read_frame(BufferedByteReceiveStream(receive))
        finally:
            send.close()
            receive.close()


async def test_a_frame_round_trips_unicode() -> None:
    """What encode_frame writes, read_frame reads back, non-ASCII text included."""
    message = {"jsonrpc": "2.0", "id": 1, "result": {"text": "héllo → 世界 🎉"}}
    frame = encode_frame(message)
    assert struct.unpack(">I", frame[:4])[0] == len(frame) - 4
    assert await read_from(frame) == message


async def test_a_frame_split_into_single_bytes_is_read_whole() -> None:
    """Exact reads assemble a frame that arrives one byte at a time."""
    frame = encode_frame({"method": "output", "params": {"chunk": "abc"}})
    assert await read_from(*(frame[i : i + 1] for i in range(len(frame)))) == {
        "method": "output",
        "params": {"chunk": "abc"},
    }


async def test_clean_end_of_stream_between_frames_is_none() -> None:
    """A peer that closes between frames ends the stream without an error."""
    assert await read_from() is None


async def test_a_torn_header_is_a_protocol_error() -> None:
    """Two of four header bytes, then EOF: an error that says so, not a hang."""
    with pytest.raises(ProtocolError, match="after 2 of 4 header bytes"):
        await read_from(b"\x00\x00")


async def test_a_torn_body_is_a_protocol_error() -> None:
    """A body cut short by EOF is an error naming how much arrived."""
    with pytest.raises(ProtocolError, match="after 5 of 100 bytes"):
        await read_from(struct.pack(">I", 100) + b"12345")


async def test_a_garbage_length_is_refused_before_reading_the_body() -> None:
    """A length over the limit fails at once, even though the peer keeps its end open."""
    with pytest.raises(ProtocolError, match=f"exceeds the limit of {MAX_FRAME_BYTES}"):
        await read_from(b"\xff\xff\xff\xff", close=False)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(b"{not json", "not UTF-8 JSON", id="bad-json"),
        pytest.param(b"\xff\xfe", "not UTF-8 JSON", id="bad-utf8"),
        pytest.param(b"[1, 2]", "expected a JSON object", id="array"),
    ],
)
async def test_a_body_that_is_not_a_json_object_is_a_protocol_error(body: bytes, message: str) -> None:
    """Bad UTF-8, bad JSON or a non-object body is refused with a reason."""
    with pytest.raises(ProtocolError, match=message):
        await read_from(struct.pack(">I", len(body)) + body)


def test_encoding_a_frame_over_the_limit_is_an_invalid_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sender refuses a request too large for the engine, saying what to send instead."""
    monkeypatch.setattr(_framing, "MAX_FRAME_BYTES", 64)
    with pytest.raises(InvalidRequestError, match="over the limit of 64 bytes; send fewer or smaller files"):
        encode_frame({"data": "x" * 100})


def test_encoding_a_lone_surrogate_is_an_invalid_request() -> None:
    """Text UTF-8 cannot carry is a caller's mistake, not a crash."""
    with pytest.raises(InvalidRequestError, match="not valid Unicode"):
        encode_frame({"arg": "\ud800"})


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=50)
@given(st.dictionaries(st.text(), json_values, max_size=5))
async def test_any_json_object_round_trips(message: dict[str, Any]) -> None:
    """Every JSON object (text without lone surrogates) survives encode_frame then read_frame."""
    assert await read_from(encode_frame(message)) == message
