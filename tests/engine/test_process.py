"""The engine's argv and environment: the whole permission story, pinned."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import deno  # pyright: ignore[reportMissingTypeStubs]
import pytest

from runno_mcp.engine import process
from runno_mcp.engine.process import V8_FLAGS, deno_run_args, engine_dir, engine_env, find_deno
from runno_mcp.errors import EngineNotFoundError
from runno_mcp.models import RunOptions

MEMORY_LIMIT_MB = RunOptions().memory_limit_mb


def test_deno_argv_grants_read_access_only() -> None:
    """The engine may read its source, the language files and the manifest; nothing else, no prompts."""
    args = deno_run_args(
        Path("/d/deno"), Path("/e"), Path("/l"), Path("/m/manifest.json"), memory_limit_mb=MEMORY_LIMIT_MB
    )
    assert args == [
        "/d/deno",
        "run",
        "--no-prompt",
        "--no-config",
        "--no-lock",
        "--no-remote",
        "--no-npm",
        "--unstable-worker-options",
        "--allow-read=/e,/l,/m/manifest.json",
        "--v8-flags=--wasm-max-table-size=1000000,--wasm-max-mem-pages=65536,--no-experimental-wasm-legacy-eh,"
        "--max-semi-space-size=1",
        "/e/main.ts",
        "--langs-dir",
        "/l",
        "--manifest",
        "/m/manifest.json",
        "--memory-limit-mb",
        str(MEMORY_LIMIT_MB),
    ]
    assert not any(arg.startswith(("--allow-write", "--allow-net", "--allow-env", "--allow-run", "-A")) for arg in args)


def test_deno_argv_carries_optional_tuning() -> None:
    """Pool size, warm runtimes and a V8 heap cap are passed when asked for."""
    args = deno_run_args(
        Path("/d"),
        Path("/e"),
        Path("/l"),
        Path("/m"),
        memory_limit_mb=MEMORY_LIMIT_MB,
        pool_size=3,
        warm=("python", "clang"),
        max_old_space_mb=512,
    )
    v8_flags = next(arg for arg in args if arg.startswith("--v8-flags="))
    assert v8_flags.endswith(",--max-old-space-size=512")
    assert args.index(v8_flags) < args.index("/e/main.ts")
    assert args[-4:] == ["--pool-size", "3", "--warm", "python,clang"]


def test_deno_argv_tells_the_engine_the_default_memory_limit() -> None:
    """The engine learns a run's default memory cap from the argv, as given, never from a literal of its own."""
    args = deno_run_args(Path("/d"), Path("/e"), Path("/l"), Path("/m"), memory_limit_mb=384)
    flag = args.index("--memory-limit-mb")
    assert args[flag + 1] == "384"
    assert flag > args.index("/e/main.ts")
    assert args.count("--memory-limit-mb") == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(None, "--memory-limit-mb are required", id="missing"),
        pytest.param("lots", 'must be a positive integer, got "lots"', id="not-a-number"),
        pytest.param("0", 'must be a positive integer, got "0"', id="zero"),
    ],
)
def test_the_engine_refuses_to_start_without_a_valid_memory_limit(value: str | None, message: str) -> None:
    """The engine exits with code 2 and says why, rather than guess a default memory cap."""
    args = deno_run_args(find_deno(), engine_dir(), Path("/l"), Path("/m"), memory_limit_mb=MEMORY_LIMIT_MB)
    flag = args.index("--memory-limit-mb")
    args[flag : flag + 2] = [] if value is None else ["--memory-limit-mb", value]
    done = subprocess.run(
        args, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=engine_env(), timeout=60, check=False
    )
    assert done.returncode == 2
    assert message in done.stderr


def test_every_deno_flag_exists_in_the_pinned_deno() -> None:
    """Each flag we pass is one `deno run --help` of the pinned deno knows."""
    help_text = subprocess.run([str(find_deno()), "run", "--help"], capture_output=True, text=True, check=True).stdout
    for flag in ("--no-prompt", "--no-config", "--no-lock", "--no-remote", "--no-npm", "--allow-read", "--v8-flags"):
        assert flag in help_text, flag


def test_every_v8_flag_exists_in_the_pinned_deno() -> None:
    """V8 ignores a flag it does not know with only a warning: each bound we pass must be one it knows."""
    help_text = subprocess.run(
        [str(find_deno()), "run", "--v8-flags=--help", "/dev/null"], capture_output=True, text=True, check=False
    ).stdout
    for flag in V8_FLAGS:
        name = flag.split("=")[0].removeprefix("--no-")
        assert f"  --{name.removeprefix('--')} " in help_text, flag


def test_engine_env_passes_nothing_of_the_host() -> None:
    """Secrets, PATH and HOME of the host never reach the engine."""
    host = {"AWS_SECRET_ACCESS_KEY": "x", "PATH": "/bin", "HOME": "/root", "OPENAI_API_KEY": "y", "TMPDIR": "/t"}
    env = engine_env(host)
    assert set(env) <= {"DENO_DIR", "DENO_NO_UPDATE_CHECK", "DENO_NO_PROMPT", "NO_COLOR", "TMPDIR"}
    assert env["NO_COLOR"] == "1"
    assert "x" not in env.values() and "y" not in env.values()


def test_find_deno_uses_the_pinned_package_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without an override, deno is the binary of the PyPI `deno` package."""
    monkeypatch.delenv(process.DENO_ENV, raising=False)
    assert find_deno() == Path(deno.find_deno_bin())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]


def test_a_missing_deno_override_is_refused_by_name(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """RUNNO_MCP_DENO naming no file is an error that names it."""
    monkeypatch.setenv(process.DENO_ENV, str(tmp_path / "nope"))
    with pytest.raises(EngineNotFoundError, match="RUNNO_MCP_DENO names"):
        find_deno()


def test_the_engine_source_is_found() -> None:
    """The engine's entry point is where the argv says."""
    assert (engine_dir() / "main.ts").is_file()


ORPHAN_PARENT = """
import sys, time
from runno_mcp import Sandbox
sandbox = Sandbox()
sandbox.start()
print(sandbox._sandbox.engine_pid, flush=True)
time.sleep(120)
"""


def is_gone(pid: int) -> bool:
    """Whether `pid` has exited (a zombie waiting for a reaper counts as exited)."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            return any(line.startswith("State:") and "Z" in line.split()[1] for line in status)
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to see the engine exit")
def test_the_engine_exits_when_its_parent_is_killed() -> None:
    """A parent killed with SIGKILL closes the engine's stdin, and the engine exits: no orphan."""
    parent = subprocess.Popen(
        [sys.executable, "-c", ORPHAN_PARENT], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True
    )
    try:
        assert parent.stdout is not None
        engine_pid = int(parent.stdout.readline())
        assert not is_gone(engine_pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 15
        while not is_gone(engine_pid) and time.monotonic() < deadline:
            time.sleep(0.05)  # polling another process's exit: nothing to await
        assert is_gone(engine_pid)
    finally:
        parent.kill()
        parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()
