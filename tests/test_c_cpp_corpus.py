"""The C and C++ corpora (tests/corpus/c, tests/corpus/cpp): programs written the way gcc and g++ users
write them print what gcc 12 (gcc -std=gnu17) and g++ 12 (g++ -std=c++20, or the standard a program's
marker names) make them print.

Each `NAME.c` runs in the `clang` runtime and each `NAME.cpp` in `clangpp`, with `NAME.in` as its stdin,
and its stdout must equal `NAME.out`. The expectations are generated, not written: after adding or
changing a program, run

    python scripts/corpus_expected.py c      # or cpp

which compiles and runs every program with the host compiler and rewrites the `.out` files (markers
for hand-written expectations and for programs the sandbox must refuse: tests/corpus_support.py).
"""

import pytest

from runno_mcp import AsyncSandbox
from tests.corpus_support import CorpusProgram, corpus_programs

TIMEOUT = 120.0  # seconds: a <format>-heavy C++ program compiles for ~10 s on a busy two-core machine
CORPORA = {"clang": corpus_programs("c"), "clangpp": corpus_programs("cpp")}
RUNS = [(runtime, program) for runtime, programs in CORPORA.items() for program in programs]


def cases(*, refused: bool) -> list[object]:
    return [
        pytest.param(runtime, program, id=f"{runtime}-{program.name}")
        for runtime, program in RUNS
        if (program.expect_error is not None) == refused
    ]


@pytest.mark.parametrize("runtime", sorted(CORPORA))
def test_each_corpus_holds_at_least_thirty_programs(runtime: str) -> None:
    """The corpora keep their breadth: at least 30 programs each that must run."""
    assert len([program for program in CORPORA[runtime] if program.expect_error is None]) >= 30


@pytest.mark.parametrize(("runtime", "program"), cases(refused=False))
async def test_a_corpus_program_prints_what_gcc_prints(
    sandbox: AsyncSandbox, runtime: str, program: CorpusProgram
) -> None:
    """The program compiles, links, runs to exit 0 and prints exactly the host compiler's output."""
    result = await sandbox.run_code(runtime, program.source, stdin=program.stdin, timeout=TIMEOUT)
    assert (result.result_type, result.exit_code, result.stderr) == ("complete", 0, "")
    assert result.stdout == program.expected_path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("runtime", "program"), cases(refused=True))
async def test_a_program_the_sandbox_cannot_run_fails_with_one_clear_first_line(
    sandbox: AsyncSandbox, runtime: str, program: CorpusProgram
) -> None:
    """Exceptions and threads fail to build, never trap: exit 1, nothing run, and stderr's first line
    says what the sandbox lacks before the compiler's or linker's own words."""
    result = await sandbox.run_code(runtime, program.source, stdin=program.stdin, timeout=TIMEOUT)
    assert (result.result_type, result.exit_code, result.stdout) == ("complete", 1, "")
    assert program.expect_error is not None
    assert result.stderr.splitlines()[0].startswith(program.expect_error)


async def test_cpp_programs_see_the_common_standard_headers_as_if_included_first(sandbox: AsyncSandbox) -> None:
    """Like g++'s <bits/stdc++.h>: a program that forgot `#include <vector>` and `<algorithm>` still
    compiles (the headers of engine-ts/guest/clangpp_std.h, precompiled once per install)."""
    code = "int main() { std::vector<int> v{3, 1, 2}; std::sort(v.begin(), v.end()); std::cout << v[0] << '\\n'; }"
    result = await sandbox.run_code("clangpp", code, timeout=TIMEOUT)
    assert (result.result_type, result.exit_code, result.stdout, result.stderr) == ("complete", 0, "1\n", "")
