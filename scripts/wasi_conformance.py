"""Count the official WASI preview1 tests that pass, per suite, for runno_mcp and for wasmtime.

runno_mcp runs each test through its public API (`AsyncSandbox.run_fs("wasi", ...)`); wasmtime
(the PyPI `wasmtime` package) runs the same `.wasm` with its own WASI: argv, env, a fresh copy of
the test's root folder preopened as "/" (nothing when the root is null), empty stdin, nothing
inherited from this process. Both are judged by the same rules (tests/wasi_support.py).

    RUNNO_MCP_LANGS_DIR=... python scripts/wasi_conformance.py [-v]
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import anyio
import wasmtime

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.wasi_support
from runno_mcp import AsyncSandbox
from tests.wasi_support import (
    SUITES,
    TRAP_EXIT_CODE,
    ConformanceCase,
    load_cases,
    unpack_rust,
)

TIMEOUT = 60.0  # seconds per test: a backstop, each takes well under one

Outcome = tuple[int, str, str]  # exit code, stdout, stderr


async def run_runno(cases: list[ConformanceCase], unpacked: Path) -> dict[str, list[str]]:
    """Each case through the public API; returns the problems found per case id."""
    problems: dict[str, list[str]] = {}
    async with AsyncSandbox(max_concurrency=4) as sandbox:

        async def one(case: ConformanceCase) -> None:
            result = await sandbox.run_fs(
                "wasi",
                case.entry,
                case.files(unpacked),
                args=case.args,
                env=case.env,
                stdin=b"",
                timeout=TIMEOUT,
                return_fs="none",
            )
            if result.result_type == "crash":
                problems[case.id] = case.problems(TRAP_EXIT_CODE, result.stdout, result.stderr)
            elif result.result_type == "complete" and result.exit_code is not None:
                problems[case.id] = case.problems(result.exit_code, result.stdout, result.stderr)
            else:
                problems[case.id] = [f"{result.result_type}: {result.error}"]

        limiter = anyio.CapacityLimiter(sandbox.max_concurrency)

        async def limited(case: ConformanceCase) -> None:
            async with limiter:
                await one(case)

        async with anyio.create_task_group() as group:
            for case in cases:
                group.start_soon(limited, case)
    return problems


def run_wasmtime_case(engine: wasmtime.Engine, case: ConformanceCase, unpacked: Path) -> Outcome:
    """One case under wasmtime's WASI, with a fresh copy of its root folder."""
    with tempfile.TemporaryDirectory() as scratch:
        config = wasmtime.WasiConfig()
        config.argv = [Path(case.entry).name, *case.args]
        config.env = list(case.env.items())
        root = case.root_dir()
        if root is not None:
            copy = Path(scratch) / "root"
            shutil.copytree(root, copy)
            for path in [copy, *copy.rglob("*")]:  # the fixture is read-only in the repository
                path.chmod(0o755 if path.is_dir() else 0o644)
            config.preopen_dir(str(copy), "/")
        stdout, stderr, stdin = Path(scratch) / "stdout", Path(scratch) / "stderr", Path(scratch) / "stdin"
        stdin.write_bytes(b"")
        config.stdin_file = str(stdin)
        config.stdout_file = str(stdout)
        config.stderr_file = str(stderr)
        store = wasmtime.Store(engine)
        store.set_wasi(config)
        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        module = wasmtime.Module(engine, case.wasm_path(unpacked).read_bytes())
        try:
            start = linker.instantiate(store, module).exports(store)["_start"]
            assert isinstance(start, wasmtime.Func)
            start(store)
            code = 0
        except wasmtime.ExitTrap as exit_trap:
            code = exit_trap.code
        except wasmtime.Trap:
            code = TRAP_EXIT_CODE
        return code, _read_text(stdout), _read_text(stderr)


def _read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "replace")


def run_wasmtime(cases: list[ConformanceCase], unpacked: Path) -> dict[str, list[str]]:
    """Each case under wasmtime; returns the problems found per case id."""
    engine = wasmtime.Engine()
    return {case.id: case.problems(*run_wasmtime_case(engine, case, unpacked)) for case in cases}


def main() -> None:
    """Run both, print the table, and list each failure when asked (-v)."""
    parser = argparse.ArgumentParser(description="Count the WASI preview1 tests that pass, per suite.")
    parser.add_argument("-v", "--verbose", action="store_true", help="list each failing test with its problems")
    options = parser.parse_args()
    cases = load_cases()
    with tempfile.TemporaryDirectory() as scratch:
        unpacked = unpack_rust(Path(scratch) / "rust")
        results = {
            "runno_mcp": anyio.run(run_runno, cases, unpacked),
            "wasmtime": run_wasmtime(cases, unpacked),
        }
    rows = [("suite", *results)]
    for suite in (*SUITES, "total"):
        ids = [case.id for case in cases if suite in ("total", case.suite)]
        rows.append((suite, *(f"{sum(not found[i] for i in ids)}/{len(ids)}" for found in results.values())))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for index, row in enumerate(rows):
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            print("-|-".join("-" * width for width in widths))
    if options.verbose:
        for name, found in results.items():
            for case_id, problems in found.items():
                if problems:
                    print(f"{name} fails {case_id}: {'; '.join(problems)}")


if __name__ == "__main__":
    main()
