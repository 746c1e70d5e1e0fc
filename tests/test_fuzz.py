"""Fuzzing, with a bounded budget: the real engine's frame reader and JSON-RPC handling, and the
public API's input validation.

The engine is spoken to raw, over its pipes, as `deno_run_args` starts it: random bodies,
non-UTF-8, non-JSON and wrong JSON-RPC frames must each get a JSON-RPC error (or a
result, for the rare valid request) and leave the engine answering. The API must answer any
argument with a `RunResult` or an `InvalidRequestError`, never another exception.
"""

import json
import os
import select
import struct
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from runno_mcp import InvalidRequestError, RunResult, Sandbox
from runno_mcp.engine import EngineOptions
from runno_mcp.engine._protocol import ErrorCode
from runno_mcp.engine.process import engine_env
from runno_mcp.langs import langs_dir, load_manifest, manifest_path
from runno_mcp.models import RunOptions

HEADER = struct.Struct(">I")
REPLY_TIMEOUT = 15.0  # seconds for any one answer from the engine
MAX_FRAME_BYTES = 64 * 1024 * 1024


class RawEngine:
    """The real engine on raw pipes: frames in, frames out, each read bounded by REPLY_TIMEOUT."""

    def __init__(self) -> None:
        options = EngineOptions(
            langs_dir=langs_dir(load_manifest()),
            manifest_path=manifest_path(),
            memory_limit_mb=RunOptions().memory_limit_mb,
            pool_size=1,
        )
        self.process = subprocess.Popen(
            options.args(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=engine_env()
        )
        self._buffer = b""
        self._ids = 0

    def write(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message: object) -> None:
        body = json.dumps(message).encode("utf-8")
        self.write(HEADER.pack(len(body)) + body)

    def _read_exactly(self, size: int) -> bytes:
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        while len(self._buffer) < size:
            ready, _, _ = select.select([fd], [], [], REPLY_TIMEOUT)
            assert ready, f"the engine sent nothing for {REPLY_TIMEOUT} s"
            chunk = os.read(fd, 1 << 16)
            assert chunk, "the engine closed its output"
            self._buffer += chunk
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def receive(self) -> dict[str, Any]:
        (size,) = HEADER.unpack(self._read_exactly(HEADER.size))
        message = json.loads(self._read_exactly(size).decode("utf-8"))
        assert isinstance(message, dict)
        return message  # pyright: ignore[reportUnknownVariableType]

    def sentinel(self) -> str:
        """Send a ping with a fresh id and return that id."""
        self._ids += 1
        sentinel = f"sentinel-{self._ids}"
        self.send({"jsonrpc": "2.0", "id": sentinel, "method": "ping"})
        return sentinel

    def replies_until(self, sentinel: str) -> list[dict[str, Any]]:
        """Every message before the sentinel's answer; each must be a JSON-RPC response."""
        replies: list[dict[str, Any]] = []
        while True:
            message = self.receive()
            assert message.get("jsonrpc") == "2.0", message
            if message.get("id") == sentinel:
                assert message.get("result") == {}, message
                return replies
            replies.append(message)

    def close(self) -> int:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            return self.process.wait(timeout=REPLY_TIMEOUT)
        finally:
            self.process.kill()
            self.process.wait()
            if self.process.stdout is not None:
                self.process.stdout.close()


@pytest.fixture(scope="module")
def raw_engine() -> Iterator[RawEngine]:
    engine = RawEngine()
    engine.send({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"protocol_version": 1}})
    assert engine.receive()["result"]["protocol_version"] == 1
    yield engine
    assert engine.close() == 0


def is_response(message: dict[str, Any]) -> bool:
    """A JSON-RPC response: an error with an integer code and a message, or a result."""
    if "error" in message:
        error: Any = message["error"]
        return isinstance(error, dict) and isinstance(error.get("code"), int) and isinstance(error.get("message"), str)  # pyright: ignore[reportUnknownMemberType]
    return "result" in message


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
SAFE_METHODS = [
    "initialize",
    "run",
    "cancel",
    "ping",
    "output",
    "nope",
    "",
    "RUN",
]  # never "shutdown": it ends the engine
ids = st.one_of(st.none(), st.integers(), st.text(max_size=8), st.floats(allow_nan=False), st.lists(st.integers()))
RUN_PARAMS: dict[str, Any] = {
    "runtime": "python",
    "entry": "/main.py",
    "files": [{"path": "/main.py", "content": "cHJpbnQoMSk="}],
    "stdin": None,
    "args": [],
    "env": {},
    "timeout_ms": 5000,
    "max_output_bytes": 1024,
    "memory_limit_mb": 64,
    "return_fs": "none",
    "max_return_files": 10,
    "max_return_bytes": 1024,
    "stream_output": False,
}


@st.composite
def run_params(draw: st.DrawFn) -> dict[str, Any]:
    """Valid `run` params with one to three fields replaced by random JSON or dropped."""
    params = dict(RUN_PARAMS)
    for key in draw(st.lists(st.sampled_from(sorted(RUN_PARAMS)), min_size=1, max_size=3, unique=True)):
        if draw(st.booleans()):
            del params[key]
        else:
            params[key] = draw(json_values)
    if isinstance(params.get("timeout_ms"), int | float) and not isinstance(params.get("timeout_ms"), bool):
        params["timeout_ms"] = min(params["timeout_ms"], 5000)  # a valid run must not outlive the test
    return params


requests = st.fixed_dictionaries(
    {"jsonrpc": st.sampled_from(["2.0", "1.0", 2.0]), "method": st.sampled_from(SAFE_METHODS)},
    optional={"id": ids, "params": st.one_of(json_values, run_params())},
)
bodies = st.one_of(
    st.binary(max_size=300),
    st.binary(max_size=50).map(lambda data: b"\xff\xfe" + data + b"\xc3"),  # never valid UTF-8
    json_values.map(lambda value: json.dumps(value).encode("utf-8")),
    requests.map(lambda value: json.dumps(value).encode("utf-8")),
    requests.map(lambda value: json.dumps(value).encode("utf-8")[:-1]),  # JSON cut short
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_any_whole_frame_gets_an_answer_and_the_engine_keeps_serving(raw_engine: RawEngine, body: bytes) -> None:
    """A frame with any body gets JSON-RPC answers only (errors, or a result for a valid request),
    and a ping sent after it is answered."""
    raw_engine.write(HEADER.pack(len(body)) + body)
    replies = raw_engine.replies_until(raw_engine.sentinel())
    assert all(is_response(reply) or reply.get("method") == "output" for reply in replies), replies
    assert raw_engine.process.poll() is None


def test_an_oversized_frame_is_refused_and_skipped(raw_engine: RawEngine) -> None:
    """A length over the limit is answered FRAME_TOO_LARGE; its bytes are skipped and the next frame read."""
    size = MAX_FRAME_BYTES + 1
    raw_engine.write(HEADER.pack(size))
    reply = raw_engine.receive()
    assert reply["error"]["code"] == ErrorCode.FRAME_TOO_LARGE
    assert reply["error"]["message"] == f"Cannot read frame: length {size} exceeds the limit of {MAX_FRAME_BYTES}"
    chunk = b"x" * (1 << 20)
    for _ in range(size // len(chunk)):
        raw_engine.write(chunk)
    raw_engine.write(b"x" * (size % len(chunk)))
    assert raw_engine.replies_until(raw_engine.sentinel()) == []


def test_a_valid_initialize_after_the_fuzzing_is_answered(raw_engine: RawEngine) -> None:
    """After everything above, `initialize` still gets its full answer."""
    raw_engine.send({"jsonrpc": "2.0", "id": "init-again", "method": "initialize", "params": {"protocol_version": 1}})
    while (reply := raw_engine.receive()).get("id") != "init-again":
        assert is_response(reply)
    assert reply["result"]["protocol_version"] == 1
    assert {runtime["id"] for runtime in reply["result"]["runtimes"]} >= {"python", "ruby", "quickjs"}


@settings(max_examples=4, deadline=None)
@given(header=st.binary(min_size=0, max_size=3), body=st.binary(max_size=100), extra=st.integers(1, 1000))
def test_a_frame_torn_by_end_of_input_is_dropped_and_the_engine_exits_cleanly(
    header: bytes, body: bytes, extra: int
) -> None:
    """Input that ends mid-header or mid-body is dropped: the engine exits 0, without a crash."""
    engine = RawEngine()
    try:
        engine.write(HEADER.pack(len(body) + extra) + body if body else header)
    finally:
        assert engine.close() == 0


# The public API --------------------------------------------------------------------------------

any_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=12)
segments = st.sampled_from(["a", "main.py", "..", ".", "", "\0", "x" * 256, "é", "\ud800", "dir"])
paths = st.one_of(any_text, st.lists(segments, max_size=5).map("/".join), st.just("/main.py"))
contents = st.one_of(st.text(max_size=20), st.binary(max_size=20), st.just("print(1)"))
known_runtimes = st.sampled_from(["python", "ruby", "quickjs", "sqlite", "js", "PYTHON", " Ruby "])
runtimes = st.one_of(known_runtimes, known_runtimes, known_runtimes, any_text)  # mostly known: reach the engine
options = st.fixed_dictionaries(
    {},
    optional={
        "timeout": st.one_of(st.sampled_from([None, 0.5, 2, 5]), st.floats(), st.integers(-2, 400)),
        "stdin": st.one_of(st.none(), any_text, st.binary(max_size=20)),
        "args": st.lists(st.one_of(st.text(max_size=5), any_text), max_size=3),
        "env": st.one_of(st.just({"A": "b"}), st.dictionaries(any_text, any_text, max_size=3)),
        "max_output_bytes": st.one_of(st.integers(0, 100), st.integers(-5, 10**8)),
        "memory_limit_mb": st.one_of(st.sampled_from([64, 512]), st.integers(-1, 5000)),
        "return_fs": st.sampled_from(["changed", "all", "none", "some"]),
        "max_return_files": st.one_of(st.integers(0, 2000), st.integers(-5, 10**6)),
        "max_return_bytes": st.one_of(st.integers(0, 2**20), st.integers(-5, 10**9)),
    },
)


@pytest.fixture(scope="module")
def blocking_sandbox() -> Iterator[Sandbox]:
    with Sandbox(max_concurrency=2, snapshot_ahead=()) as sandbox:
        yield sandbox


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    runtime=runtimes,
    fs=st.dictionaries(paths, contents, max_size=4).map(lambda files: {"/main.py": "print(1)", **files}),
    entry=paths,
    opts=options,
)
def test_any_api_input_is_a_result_or_an_invalid_request(
    blocking_sandbox: Sandbox, runtime: str, fs: dict[str, str | bytes], entry: str, opts: dict[str, Any]
) -> None:
    """run_fs answers any runtime, paths, contents and options with a RunResult or an InvalidRequestError."""
    entry = "/main.py" if len(entry) % 2 else entry
    try:
        result = blocking_sandbox.run_fs(runtime, entry, fs, **opts)
    except InvalidRequestError as exc:
        event(f"refused: {type(exc).__name__}")
        return
    assert isinstance(result, RunResult)
    event(f"ran: {result.result_type}")
    result.model_dump_json()


def test_the_sandbox_serves_after_the_fuzzing(blocking_sandbox: Sandbox) -> None:
    """The sandbox the fuzzer used still runs a program correctly."""
    assert blocking_sandbox.run_code("python", "print(1)").stdout == "1\n"
