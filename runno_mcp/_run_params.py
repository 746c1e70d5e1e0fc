"""A call's options checked against the sandbox's bounds, and the engine's `run` params built from them.

Pure functions, testable without an engine. Owns the one place a run's options are validated
(`check_options`: the model's own rules, then the sandbox's `max_timeout` and
`max_memory_limit_mb`), and building the params (`build_run_params`): the entry among the files,
the stdin limit, refusing files the run could never see (a folder the runtime serves from inside
its binary, the packages mount), mounted packages put first on PYTHONPATH, bytes as base64.
"""

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from runno_mcp import packages
from runno_mcp._calls import FileData, RunKwargs, to_bytes
from runno_mcp.engine import RunParams, WireFile
from runno_mcp.errors import InvalidRequestError
from runno_mcp.langs import RuntimeEntry
from runno_mcp.models import RunOptions, Runtime, normalize_path, run_default

__all__ = [
    "MAX_STDIN_BYTES",
    "RESERVED_DIRS",
    "Bounds",
    "build_run_params",
    "check_options",
    "describe_problems",
    "is_mounted",
]

MAX_STDIN_BYTES = 16 * 1024 * 1024

RESERVED_DIRS = {
    "/dev": "it is the sandbox's device folder (/dev/null, /dev/stdin, ...), which holds no files",
    "/tmp/.runno": "the engine keeps compiler intermediates there",
    "/.runno": "the engine keeps its start scripts there",
    "/.runno-live": "a live interpreter hands each call back there",
    packages.MOUNT_PREFIX: "it is where packages are mounted",
}
"""Folders no caller's file may go in, for every runtime, and why (engine-ts: wasi/fs.ts, runtimes.ts)."""


@dataclass(frozen=True)
class Bounds:
    """The most a sandbox lets one run ask for; a run that does not say gets the default, or the bound if lower."""

    max_timeout: float
    """Seconds."""
    max_memory_limit_mb: int


def check_options(options: RunKwargs, bounds: Bounds) -> RunOptions:
    """The `RunOptions` of what the caller set (None counts as unset), held to `bounds`.

    Raises:
        InvalidRequestError: an option is out of range, names what to change.
    """
    given: dict[str, Any] = {name: value for name, value in options.items() if value is not None}
    given.pop("on_output", None)
    timeout = given.setdefault("timeout", min(run_default("timeout"), bounds.max_timeout))
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= bounds.max_timeout:
        raise InvalidRequestError(
            f"Cannot run with timeout {timeout!r}: it must be more than 0 and at most {bounds.max_timeout:g} seconds"
        )
    memory = given.setdefault("memory_limit_mb", min(run_default("memory_limit_mb"), bounds.max_memory_limit_mb))
    if isinstance(memory, int) and not isinstance(memory, bool) and memory > bounds.max_memory_limit_mb:
        raise InvalidRequestError(
            f"Cannot run with memory_limit_mb {memory}: this sandbox allows at most {bounds.max_memory_limit_mb} MiB "
            "(max_memory_limit_mb)"
        )
    try:
        return RunOptions(**given)
    except ValidationError as exc:
        raise InvalidRequestError(f"Cannot run with these options: {describe_problems(exc)}") from None


def describe_problems(exc: ValidationError) -> str:
    """Each of pydantic's complaints as `field: message`, joined for one error line."""
    return "; ".join(f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors())


def is_mounted(path: str) -> bool:
    """Whether `path` lies where packages are mounted (never a caller's file, never returned)."""
    return path.startswith(packages.MOUNT_PREFIX + "/")


def build_run_params(
    runtime: Runtime,
    entry_path: str,
    files: Mapping[str, FileData],
    options: RunOptions,
    *,
    spec: RuntimeEntry | None,
    mounted: Mapping[str, bytes] | None = None,
    live_session: str | None = None,
    keep_program: str | None = None,
) -> RunParams:
    """The engine's `run` params: `files` and the `mounted` package files, `options` as the wire takes them.

    `spec` is the runtime's manifest entry (None for `wasi`).

    Raises:
        InvalidRequestError: the entry is not among the files, stdin is over `MAX_STDIN_BYTES`, or a
            file lies where the program could never see it.
    """
    entry = normalize_path(entry_path)
    if entry not in files:
        given = ", ".join(sorted(files)[:10]) or "none"
        raise InvalidRequestError(f'Cannot run "{entry}": it is not among the files given ({given})')
    stdin = None if options.stdin is None else to_bytes(options.stdin, "stdin")
    if stdin is not None and len(stdin) > MAX_STDIN_BYTES:
        raise InvalidRequestError(
            f"Cannot send stdin of {len(stdin)} bytes: the limit is {MAX_STDIN_BYTES} bytes "
            "(MAX_STDIN_BYTES); write the data to a file instead"
        )
    _check_visible(runtime, files, spec)
    if options.compiler_flags and not (spec is not None and any(step.role == "compile" for step in spec.steps)):
        raise InvalidRequestError(
            f"Cannot run {runtime} with compiler_flags: only runtimes that compile the program take them "
            "(clang, clangpp)"
        )
    wire = [WireFile(path=path, content=_b64(file.data), mtime_ns=_ns(file.mtime_ns)) for path, file in files.items()]
    env = dict(options.env)
    if mounted:
        wire += [WireFile(path=path, content=_b64(data)) for path, data in mounted.items()]
        # A PYTHONPATH the caller set stays after the packages.
        env["PYTHONPATH"] = ":".join([packages.MOUNT_PREFIX, *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])])
    return RunParams(
        runtime=runtime,
        entry=entry,
        files=wire,
        stdin=None if stdin is None else _b64(stdin),
        args=options.args,
        env=env,
        timeout_ms=max(1, round(options.timeout * 1000)),
        max_output_bytes=options.max_output_bytes,
        memory_limit_mb=options.memory_limit_mb,
        return_fs=options.return_fs,
        max_return_files=options.max_return_files,
        max_return_bytes=options.max_return_bytes,
        stream_output=False,
        live_session=live_session,
        keep_program=keep_program,
        compiler_flags=options.compiler_flags,
    )


def _check_visible(runtime: Runtime, files: Mapping[str, FileData], spec: RuntimeEntry | None) -> None:
    """Refuse files the program could never see, or that the engine would overwrite, naming the file and why."""
    reasons = dict(RESERVED_DIRS)
    for folder in spec.shadowed_dirs if spec is not None else []:
        reasons[folder] = (
            f"{runtime} serves {folder} from inside its own binary, so a file sent there would be invisible "
            "to the program"
        )
    for folder in spec.scratch_dirs if spec is not None else []:
        reasons[folder] = f"{runtime} writes its own files there, which are never returned"
    for path in sorted(files):
        for folder, reason in reasons.items():
            if path == folder or path.startswith(folder + "/"):
                raise InvalidRequestError(
                    f'Cannot run {runtime} with file "{path}": {reason}; put it in another folder'
                )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _ns(mtime_ns: int | None) -> str | None:
    return None if mtime_ns is None else str(mtime_ns)
