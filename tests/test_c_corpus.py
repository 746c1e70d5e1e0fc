"""The C corpus (tests/corpus/c): programs written the way gcc users write them print what
gcc 12 (gcc -std=gnu17) makes them print.

Each `NAME.c` runs in the `clang` runtime with `NAME.in` as its stdin, and its stdout must equal
`NAME.out`. The expectations are generated, not written: after adding or changing a program, run

    python scripts/corpus_expected.py c

which compiles and runs every program with the host compiler and rewrites the `.out` files (markers
for hand-written expectations and for programs the sandbox must refuse: tests/corpus_support.py).
"""

import pytest

from runno_mcp import AsyncSandbox
from tests.corpus_support import CorpusProgram, corpus_programs

TIMEOUT = 120.0  # seconds: a <format>-heavy C++ program compiles for ~10 s on a busy two-core machine
PROGRAMS = corpus_programs("c")


def test_the_corpus_holds_at_least_thirty_programs() -> None:
    """The corpus keeps its breadth: at least 30 programs that must run."""
    assert len([program for program in PROGRAMS if program.expect_error is None]) >= 30


@pytest.mark.parametrize("program", [pytest.param(p, id=p.name) for p in PROGRAMS if p.expect_error is None])
async def test_a_corpus_program_prints_what_gcc_prints(sandbox: AsyncSandbox, program: CorpusProgram) -> None:
    """The program compiles, links, runs to exit 0 and prints exactly the host compiler's output."""
    result = await sandbox.run_code("clang", program.source, stdin=program.stdin, timeout=TIMEOUT)
    assert (result.result_type, result.exit_code, result.stderr) == ("complete", 0, "")
    assert result.stdout == program.expected_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("program", [pytest.param(p, id=p.name) for p in PROGRAMS if p.expect_error is not None])
async def test_a_program_the_sandbox_cannot_run_fails_with_one_clear_first_line(
    sandbox: AsyncSandbox, program: CorpusProgram
) -> None:
    """A thread fails to link, never traps: exit 1, nothing run, and stderr's first line says what
    the sandbox lacks before the linker's own words."""
    result = await sandbox.run_code("clang", program.source, stdin=program.stdin, timeout=TIMEOUT)
    assert (result.result_type, result.exit_code, result.stdout) == ("complete", 1, "")
    assert program.expect_error is not None
    assert result.stderr.splitlines()[0].startswith(program.expect_error)
