"""The engine holds a request to its own bounds, whatever the Python side checked: args and env are
refused by count and bytes before any copy of them is made (runno_mcp.models mirrors the limits)."""

import base64
from collections.abc import AsyncIterator

import pytest

from runno_mcp.engine import Engine, EngineOptions
from runno_mcp.engine._protocol import RunParams, WireFile
from runno_mcp.errors import InvalidRequestError
from runno_mcp.langs import langs_dir, load_manifest, manifest_path
from runno_mcp.models import MAX_ARGS, MAX_ARGS_ENV_BYTES, MAX_COMPILER_FLAGS, MAX_ENV, RunOptions


@pytest.fixture(scope="module")
async def engine() -> AsyncIterator[Engine]:
    options = EngineOptions(
        langs_dir=langs_dir(load_manifest()),
        manifest_path=manifest_path(),
        memory_limit_mb=RunOptions().memory_limit_mb,
        pool_size=1,
    )
    async with Engine(options) as shared:
        yield shared


def params(args: list[str], env: dict[str, str]) -> RunParams:
    code = base64.b64encode(b"import sys, os\nprint(len(sys.argv), len(os.environ))").decode("ascii")
    return RunParams(
        runtime="python",
        entry="/main.py",
        files=[WireFile(path="/main.py", content=code)],
        stdin=None,
        args=args,
        env=env,
        timeout_ms=30_000,
        max_output_bytes=1024,
        memory_limit_mb=RunOptions().memory_limit_mb,
        return_fs="none",
        max_return_files=0,
        max_return_bytes=0,
        stream_output=False,
    )


@pytest.mark.parametrize(
    ("args", "env", "words"),
    [
        pytest.param(["a"] * (MAX_ARGS + 1), {}, f"{MAX_ARGS + 1} args are over the limit of {MAX_ARGS}", id="args"),
        pytest.param([], {f"V{i}": "" for i in range(MAX_ENV + 1)}, f"over the limit of {MAX_ENV}", id="env"),
        pytest.param(["x" * MAX_ARGS_ENV_BYTES], {}, f"over the limit of {MAX_ARGS_ENV_BYTES}", id="bytes"),
    ],
)
async def test_args_and_env_past_their_bounds_are_refused_by_the_engine(
    engine: Engine, args: list[str], env: dict[str, str], words: str
) -> None:
    with pytest.raises(InvalidRequestError, match=words):
        await engine.run(params(args, env))


async def test_args_and_env_at_their_bounds_run(engine: Engine) -> None:
    env = {f"V{i}": "" for i in range(MAX_ENV)}
    result = await engine.run(params(["a"] * (MAX_ARGS - 1), env))
    assert result.result_type == "complete" and result.stdout.split()[0] == str(MAX_ARGS)


@pytest.mark.parametrize(
    ("runtime", "flags", "words"),
    [
        pytest.param("clang", ["-O2"] * (MAX_COMPILER_FLAGS + 1), "over the limit of 64", id="count"),
        pytest.param("clang", ["-D" + "x" * 300], "at most 256 characters", id="long"),
        pytest.param("clang", ["main.c"], 'must start with "-"', id="not-a-flag"),
        pytest.param("python", ["-O2"], 'are for runtimes that compile the program, not "python"', id="python"),
    ],
)
async def test_compiler_flags_past_their_bounds_are_refused_by_the_engine(
    engine: Engine, runtime: str, flags: list[str], words: str
) -> None:
    run = params([], {}).model_copy(update={"runtime": runtime, "compiler_flags": flags})
    with pytest.raises(InvalidRequestError, match=words):
        await engine.run(run)
