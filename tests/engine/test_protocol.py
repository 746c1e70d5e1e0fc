"""_protocol.py mirrors engine-ts/src/protocol.ts, and every wire error code maps to an exception."""

import re
from pathlib import Path

import pytest

from runno_mcp.engine._framing import MAX_FRAME_BYTES
from runno_mcp.engine._protocol import PROTOCOL_VERSION, ErrorCode, JsonRpcError, WireFile
from runno_mcp.engine.engine import ERROR_CLASSES, error_from_wire
from runno_mcp.errors import InvalidRequestError, LanguageNotInstalledError, ProtocolError, UnknownRuntimeError

PROTOCOL_TS = Path(__file__).parents[2] / "engine-ts" / "src" / "protocol.ts"


def declared_error_codes() -> dict[str, int]:
    """The ErrorCode object of protocol.ts, as name -> code."""
    text = PROTOCOL_TS.read_text(encoding="utf-8")
    block = text[text.index("export const ErrorCode") :]
    block = block[: block.index("} as const")]
    return {name: int(code) for name, code in re.findall(r"^\s+([A-Z_]+): (-?\d+),", block, re.MULTILINE)}


def test_error_codes_match_protocol_ts() -> None:
    """The Python ErrorCode enum declares exactly the codes of protocol.ts."""
    assert {code.name: code.value for code in ErrorCode} == declared_error_codes()


def test_every_wire_error_code_maps_to_an_exception() -> None:
    """ERROR_CLASSES has an entry for every code protocol.ts declares."""
    assert set(declared_error_codes().values()) == {int(code) for code in ERROR_CLASSES}


def test_constants_match_protocol_ts() -> None:
    """The protocol version and frame limit are the engine's."""
    text = PROTOCOL_TS.read_text(encoding="utf-8")
    assert f"PROTOCOL_VERSION = {PROTOCOL_VERSION};" in text
    assert "MAX_FRAME_BYTES = 64 * 1024 * 1024;" in text
    assert MAX_FRAME_BYTES == 64 * 1024 * 1024


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param(ErrorCode.UNKNOWN_RUNTIME, UnknownRuntimeError, id="unknown-runtime"),
        pytest.param(ErrorCode.RUNTIME_NOT_INSTALLED, LanguageNotInstalledError, id="not-installed"),
        pytest.param(ErrorCode.INVALID_PARAMS, InvalidRequestError, id="invalid-params"),
        pytest.param(ErrorCode.METHOD_NOT_FOUND, ProtocolError, id="method-not-found"),
        pytest.param(-1, ProtocolError, id="undeclared"),
    ],
)
def test_wire_errors_become_runno_errors_with_the_engine_message(code: int, expected: type[Exception]) -> None:
    """An error answer becomes the mapped exception, keeping the engine's words."""
    error = error_from_wire(JsonRpcError(code=code, message='Cannot run "x": because'))
    assert type(error) is expected
    assert 'Cannot run "x": because' in str(error)


def test_a_wire_file_without_mtime_omits_the_key() -> None:
    """The engine takes a missing `mtime_ns`, not null."""
    assert WireFile(path="/a", content="").model_dump() == {"path": "/a", "content": ""}
    assert WireFile(path="/a", content="", mtime_ns="5").model_dump()["mtime_ns"] == "5"
