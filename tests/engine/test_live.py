"""Live sessions through the real Engine: state kept between calls, the `live` and `deleted` result
fields, and `Engine.close_live`."""

import base64
from collections.abc import AsyncIterator

import anyio
import pytest

from runno_mcp.engine import Engine, EngineOptions
from runno_mcp.engine._protocol import RunParams, RunResultWire, WireFile
from runno_mcp.errors import InvalidRequestError
from runno_mcp.langs import langs_dir, load_manifest, manifest_path
from runno_mcp.models import RunOptions

TIMEOUT = 60.0  # seconds: a cold engine and a fresh interpreter on a loaded machine


def options() -> EngineOptions:
    return EngineOptions(
        langs_dir=langs_dir(load_manifest()),
        manifest_path=manifest_path(),
        memory_limit_mb=RunOptions().memory_limit_mb,
        pool_size=1,
    )


@pytest.fixture(scope="module")
async def engine() -> AsyncIterator[Engine]:
    """One real engine for the module; each test uses its own session ids."""
    async with Engine(options()) as shared:
        yield shared


def wire_file(path: str, text: str) -> WireFile:
    return WireFile(path=path, content=base64.b64encode(text.encode("utf-8")).decode("ascii"))


def params(
    code: str, live_session: str | None, *, runtime: str = "python", files: tuple[WireFile, ...] = ()
) -> RunParams:
    return RunParams(
        runtime=runtime,
        entry="/main.py",
        files=[wire_file("/main.py", code), *files],
        stdin=None,
        args=[],
        env={},
        timeout_ms=int(TIMEOUT * 1000),
        max_output_bytes=64 * 1024,
        memory_limit_mb=512,
        return_fs="changed",
        max_return_files=1000,
        max_return_bytes=16 * 1024 * 1024,
        stream_output=False,
        live_session=live_session,
    )


async def run(engine: Engine, code: str, live_session: str | None, files: tuple[WireFile, ...] = ()) -> RunResultWire:
    with anyio.fail_after(TIMEOUT):
        return await engine.run(params(code, live_session, files=files))


async def test_variables_imports_and_functions_persist_between_calls(engine: Engine) -> None:
    """A live session runs each call in the same __main__; only the first call starts an interpreter."""
    first = await run(engine, "import math\nx = 6\ndef double(n):\n    return 2 * n\n", "persist")
    second = await run(engine, "y = double(x)\n", "persist")
    third = await run(engine, "print(x, y, math.floor(math.pi))\n", "persist")
    assert [result.live for result in (first, second, third)] == ["started", "continued", "continued"]
    assert (third.result_type, third.exit_code, third.stdout) == ("complete", 0, "6 12 3\n")


async def test_a_run_without_a_session_is_not_live(engine: Engine) -> None:
    """`live` is None for a normal run, and nothing it defines reaches a later run."""
    first = await run(engine, "x = 1\n", None)
    second = await run(engine, "print('x' in globals())\n", None)
    assert (first.live, second.live, second.stdout) == (None, None, "False\n")


async def test_deleted_names_the_files_a_program_removed(engine: Engine) -> None:
    """Files there at the start and gone at the end come back sorted in `deleted`, live or not."""
    code = "import os\nos.remove('/b.txt')\nos.remove('/a.txt')\nopen('/new.txt', 'w').close()\n"
    inputs = (wire_file("/a.txt", "a"), wire_file("/b.txt", "b"), wire_file("/c.txt", "c"))
    normal = await run(engine, code, None, files=inputs)
    live = await run(engine, code, "deleted", files=inputs)
    assert normal.deleted == live.deleted == ["/a.txt", "/b.txt"]
    assert [file.path for file in normal.files] == ["/new.txt"]


async def test_close_live_stops_an_interpreter_once(engine: Engine) -> None:
    """`close_live` is True while the interpreter exists, False after; the next call starts afresh."""
    await run(engine, "x = 1\n", "closing")
    with anyio.fail_after(TIMEOUT):
        assert await engine.close_live("closing") is True
        assert await engine.close_live("closing") is False
    after = await run(engine, "print('x' in globals())\n", "closing")
    assert (after.live, after.stdout) == ("started", "False\n")


async def test_live_sessions_refuse_other_runtimes(engine: Engine) -> None:
    """Only python and python-sci have live sessions; asking for another runtime is the caller's mistake."""
    with (
        anyio.fail_after(TIMEOUT),
        pytest.raises(InvalidRequestError, match='support only python and python-sci, not "ruby"'),
    ):
        await engine.run(params("puts 1", "ruby", runtime="ruby"))


async def test_close_live_starts_no_engine() -> None:
    """With no engine running there is nothing to close, and none is started to find out."""
    async with Engine(options()) as idle:
        with anyio.fail_after(TIMEOUT):
            assert await idle.close_live("anything") is False
        assert idle.pid is None
