"""The official WASI preview1 testsuite through the public API: every test is a `run_fs("wasi", ...)` call.

Known failures are listed with a reason in engine-ts/tests/conformance_skip.json and run as strict
xfails, so a fixed one is reported. The engine-side twin, engine-ts/tests/conformance_test.ts, runs
the same tests against the WASI layer alone.
"""

from pathlib import Path

import anyio.to_thread
import pytest

from runno_mcp import AsyncSandbox
from tests.wasi_support import TRAP_EXIT_CODE, ConformanceCase, load_cases, load_skips, unpack_rust

TIMEOUT = 30.0  # seconds: the slowest test takes well under one; this is a backstop for a busy machine


def _params() -> list[object]:
    skips = load_skips()
    return [
        pytest.param(
            case,
            id=case.id,
            marks=[pytest.mark.xfail(reason=skips[case.id], strict=True)] if case.id in skips else [],
        )
        for case in load_cases()
    ]


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Rust suite's `.wasm` files, unpacked once for the module."""
    return unpack_rust(tmp_path_factory.mktemp("wasi-testsuite-rust"))


def test_every_skip_names_a_test_of_the_suite() -> None:
    """Each entry of the skip file names a test that exists and gives a reason."""
    ids = {case.id for case in load_cases()}
    skips = load_skips()
    assert sorted(set(skips) - ids) == []
    assert all(reason.strip() for reason in skips.values())


def test_the_suite_has_every_preview1_test() -> None:
    """All 72 preview1 tests of the three suites are found, the packed Rust ones included."""
    counts: dict[str, int] = dict.fromkeys(("assemblyscript", "c", "rust"), 0)
    for case in load_cases():
        counts[case.suite] += 1
    assert counts == {"assemblyscript": 12, "c": 14, "rust": 46}


@pytest.mark.parametrize("case", _params())
async def test_wasi_testsuite(sandbox: AsyncSandbox, unpacked: Path, case: ConformanceCase) -> None:
    """The test exits with its expected code and its stdout and stderr start with the expected text."""
    files = await anyio.to_thread.run_sync(case.files, unpacked)
    result = await sandbox.run_fs(
        "wasi", case.entry, files, args=case.args, env=case.env, stdin=b"", timeout=TIMEOUT, return_fs="none"
    )
    assert result.result_type in ("complete", "crash"), result.error
    exit_code = TRAP_EXIT_CODE if result.result_type == "crash" else result.exit_code
    assert exit_code is not None
    assert case.problems(exit_code, result.stdout, result.stderr) == [], result.error
