"""Caps hold (output, memory, time) and the engine keeps serving after each."""

import anyio

from runno_mcp import AsyncSandbox


async def test_output_past_the_cap_is_dropped_and_reported(sandbox: AsyncSandbox) -> None:
    """stdout keeps its head up to max_output_bytes; `truncated` and a warning say what was cut."""
    result = await sandbox.run_code("python", "print('x' * 100_000)", max_output_bytes=1000)
    assert result.result_type == "complete"
    assert result.stdout == "x" * 1000
    assert len(result.tty.encode("utf-8")) <= 1000
    assert result.truncated
    assert any("stdout" in warning for warning in result.warnings)
    assert "x" * 1000 not in result.as_text().split("note:")[-1]


async def test_output_under_the_cap_is_not_truncated(sandbox: AsyncSandbox) -> None:
    result = await sandbox.run_code("python", "print('x' * 999)", max_output_bytes=1000)
    assert (result.truncated, result.warnings, len(result.stdout)) == (False, [], 1000)


async def test_a_memory_hog_ends_without_hanging_and_the_engine_serves_on(sandbox: AsyncSandbox) -> None:
    """Allocating past memory_limit_mb is a crash naming the limit or the language's own MemoryError."""
    with anyio.fail_after(30):
        result = await sandbox.run_code("python", "x = bytearray(400 * 1024 * 1024)\nprint(len(x))", memory_limit_mb=64)
    assert result.stdout == ""
    assert (result.result_type == "crash" and "64" in (result.error or "")) or "MemoryError" in result.stderr
    assert (await sandbox.run_code("python", "print('ok')")).stdout == "ok\n"


async def test_an_endless_c_program_times_out(sandbox: AsyncSandbox) -> None:
    """A compiled busy loop is stopped at its timeout like any other guest."""
    code = "int main(void) { volatile unsigned long n = 0; for (;;) n++; }"
    with anyio.fail_after(60):
        result = await sandbox.run_code("c", code, timeout=5)
    assert result.result_type == "timeout"
