"""The engine's operating-system process.

Owns finding deno, the permission flags (built by the pure `deno_run_args`, the one list a
reviewer reads to know what the engine may do), the clean environment, spawning, draining
stderr into `logging` while keeping its tail, and a shielded staged shutdown (close stdin,
wait, terminate, kill). The engine exits by itself when its stdin closes, so it never
outlives a parent that dies without shutting it down.
"""

import logging
import os
import subprocess
import sys
from collections import deque
from collections.abc import Sequence
from pathlib import Path

import anyio
import anyio.abc
import deno  # pyright: ignore[reportMissingTypeStubs]
import platformdirs
from anyio.streams.text import TextReceiveStream

from runno_mcp.errors import EngineNotFoundError, EngineStartError
from runno_mcp.langs import data_path
from runno_mcp.models import MAX_MEMORY_LIMIT_MB

logger = logging.getLogger("runno_mcp.engine")

DENO_ENV = "RUNNO_MCP_DENO"
STDERR_TAIL_LINES = 40
SHUTDOWN_TIMEOUT = 5.0  # seconds for the engine to exit after stdin closes
TERMINATE_TIMEOUT = 2.0  # seconds after SIGTERM before SIGKILL
# Variables a minimal process needs on each platform; nothing else of the host's is passed.
_PASSED_ENV = {"win32": ("SYSTEMROOT", "SYSTEMDRIVE", "TEMP", "TMP", "USERPROFILE"), "other": ("TMPDIR",)}


MAX_TABLE_ENTRIES = 1_000_000  # engine-ts/src/wasm_features.ts refuses larger tables, naming the limit
V8_FLAGS = (
    # Bounds V8 holds every module to, language binaries included: a table's entries (table.grow
    # too), and a memory's pages (wasm32's 4 GiB; each run's own cap is lower, see wasm_memory.ts).
    f"--wasm-max-table-size={MAX_TABLE_ENTRIES}",
    f"--wasm-max-mem-pages={MAX_MEMORY_LIMIT_MB * 1024 * 1024 // 65536}",
    # The legacy exception-handling opcodes: no runtime uses them, and a module cannot ask for them.
    "--no-experimental-wasm-legacy-eh",
    # A 1 MiB young generation per isolate (the main thread and each worker): the engine's JS
    # allocates little per run, and the default's 16 MiB semi-spaces cost ~25 MB of RSS for no
    # measurable latency (PERFORMANCE.md).
    "--max-semi-space-size=1",
)
"""Flags every engine starts with; what V8 cannot switch off, engine-ts/src/wasm_features.ts refuses."""


def find_deno() -> Path:
    """Return the deno binary: `RUNNO_MCP_DENO` if set, else the one of the PyPI `deno` package.

    Raises:
        EngineNotFoundError: neither exists.
    """
    override = os.environ.get(DENO_ENV)
    if override:
        path = Path(override).expanduser()
        if not path.is_file():
            raise EngineNotFoundError(f'Cannot start the engine: {DENO_ENV} names "{override}", which is not a file')
        return path
    path = Path(deno.find_deno_bin())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    if not path.is_file():
        raise EngineNotFoundError(f'Cannot start the engine: the deno binary "{path}" is missing; reinstall "deno"')
    return path


def engine_dir() -> Path:
    """Return the engine's source folder (packaged in the wheel, else the repository's)."""
    return data_path("engine-ts")


def deno_dir() -> Path:
    """Return deno's own cache folder for the engine (transpiled modules), apart from the user's."""
    return platformdirs.user_cache_path("runno-mcp", appauthor=False) / "deno"


def deno_run_args(
    deno: Path,
    engine: Path,
    langs: Path,
    manifest: Path,
    *,
    memory_limit_mb: int,
    pool_size: int | None = None,
    warm: Sequence[str] = (),
    snapshot_ahead: Sequence[str] = (),
    derived: Path | None = None,
    max_old_space_mb: int | None = None,
) -> list[str]:
    """Return the argv that starts the engine: read access to its source, the language files,
    the manifest and the derived snapshot binaries, and nothing else (no write, net, env, run,
    ffi, sys; never a prompt).

    `memory_limit_mb` is the default `memory_limit_mb` of a run, passed so the engine makes its
    snapshots and warmed modules at it and holds no default of its own.
    """
    paths = (engine, langs, manifest) if derived is None else (engine, langs, manifest, derived)
    readable = ",".join(str(path) for path in dict.fromkeys(paths))
    args = [
        str(deno),
        "run",
        "--no-prompt",
        "--no-config",
        "--no-lock",
        "--no-remote",
        "--no-npm",
        "--unstable-worker-options",
        f"--allow-read={readable}",
    ]
    v8_flags = list(V8_FLAGS)
    if max_old_space_mb is not None:
        v8_flags.append(f"--max-old-space-size={max_old_space_mb}")
    args.append("--v8-flags=" + ",".join(v8_flags))
    args += [str(engine / "main.ts"), "--langs-dir", str(langs), "--manifest", str(manifest)]
    args += ["--memory-limit-mb", str(memory_limit_mb)]
    if pool_size is not None:
        args += ["--pool-size", str(pool_size)]
    if derived is not None:
        args += ["--derived-dir", str(derived)]
    if warm:
        args += ["--warm", ",".join(warm)]
    if snapshot_ahead:
        args += ["--snapshot-ahead", ",".join(snapshot_ahead)]
    return args


def resident_bytes(pid: int) -> int | None:
    """The resident memory of process `pid` (Linux's /proc), or None where the platform does not say."""
    try:
        resident_pages = int(Path(f"/proc/{pid}/statm").read_text(encoding="ascii").split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return resident_pages * os.sysconf("SC_PAGE_SIZE")


def engine_env(host: dict[str, str] | None = None) -> dict[str, str]:
    """Return the engine's environment: deno's cache folder, no colours, no update check,
    plus the few platform variables a process needs to start; never the rest of the host's."""
    host = dict(os.environ) if host is None else host
    env = {
        "DENO_DIR": str(deno_dir()),
        "DENO_NO_UPDATE_CHECK": "1",
        "DENO_NO_PROMPT": "1",
        "NO_COLOR": "1",
    }
    for name in _PASSED_ENV["win32" if sys.platform == "win32" else "other"]:
        if name in host:
            env[name] = host[name]
    return env


class EngineProcess:
    """A running engine process: its pipes, its stderr tail, and its shutdown."""

    def __init__(self, process: anyio.abc.Process) -> None:
        self.process = process
        self.stderr_tail: deque[str] = deque(maxlen=STDERR_TAIL_LINES)

    @classmethod
    async def spawn(cls, args: list[str], env: dict[str, str]) -> "EngineProcess":
        """Start the engine with pipes on stdin, stdout and stderr.

        Raises:
            EngineStartError: the operating system refused to start deno.
        """
        try:
            process = await anyio.open_process(
                args,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                start_new_session=True,  # a Ctrl-C meant for the host is not the engine's
            )
        except OSError as exc:
            raise EngineStartError(f'Cannot start the engine with "{args[0]}": {exc}') from exc
        return cls(process)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def returncode(self) -> int | None:
        return self.process.returncode

    def describe_exit(self) -> str:
        """Return how the process ended and the last lines it logged, for error messages."""
        code = self.process.returncode
        status = "is still running" if code is None else f"exited with code {code}"
        tail = "\n".join(self.stderr_tail)
        return f"the engine {status}" + (f"; its last log lines:\n{tail}" if tail else "")

    async def drain_stderr(self) -> None:
        """Log the engine's stderr line by line until it closes, keeping the last lines."""
        stream = self.process.stderr
        if stream is None:
            return
        pending = ""
        async for text in TextReceiveStream(stream, errors="replace"):
            pending += text
            *lines, pending = pending.split("\n")
            for line in lines:
                self.stderr_tail.append(line)
                logger.info("engine: %s", line)
        if pending:
            self.stderr_tail.append(pending)
            logger.info("engine: %s", pending)

    async def stop(self) -> None:
        """Close stdin, let the engine exit, then terminate and finally kill it; never cancelled."""
        with anyio.CancelScope(shield=True):
            if self.process.stdin is not None:
                try:
                    await self.process.stdin.aclose()
                except OSError:  # the pipe broke with the engine: nothing left to close
                    pass
            with anyio.move_on_after(SHUTDOWN_TIMEOUT):
                await self.process.wait()
                return
            logger.warning("The engine did not exit %s s after its stdin closed: terminating it", SHUTDOWN_TIMEOUT)
            self.kill(terminate=True)
            with anyio.move_on_after(TERMINATE_TIMEOUT):
                await self.process.wait()
                return
            self.kill()
            await self.process.wait()

    def kill(self, terminate: bool = False) -> None:
        """Send SIGTERM (or SIGKILL) to the engine unless it has already exited."""
        if self.process.returncode is not None:
            return
        try:
            if terminate:
                self.process.terminate()
            else:
                self.process.kill()
        except ProcessLookupError:
            pass
