"""The C and C++ corpora (tests/corpus/c, tests/corpus/cpp): programs, their stdin and expected stdout.

Each program `NAME.c` / `NAME.cpp` may have `NAME.in` (its stdin) and has `NAME.out` (its expected
stdout), made by `scripts/corpus_expected.py` with the host's gcc 12 / g++ 12. A program's first
lines may hold markers, one per line:

* `// corpus: std=c++23`: the expectation is made with that standard instead of the default.
* `// corpus: hand-written ...`: `NAME.out` is written by hand (g++ 12 has no <format> or <print>)
  and the script leaves it alone.
* `// corpus: expect-error TEXT`: the sandbox must refuse the program (threads, exceptions): the
  run exits 1 and the first line of stderr starts with TEXT. There is no `NAME.out`.
"""

from dataclasses import dataclass
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
MARKER = "// corpus:"

__all__ = ["CORPUS_DIR", "CorpusProgram", "corpus_programs"]


@dataclass(frozen=True)
class CorpusProgram:
    """One program of a corpus and what it should do."""

    path: Path
    std: str | None
    hand_written: bool
    expect_error: str | None

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def source(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def stdin(self) -> str:
        stdin = self.path.with_suffix(".in")
        return stdin.read_text(encoding="utf-8") if stdin.exists() else ""

    @property
    def expected_path(self) -> Path:
        return self.path.with_suffix(".out")


def corpus_programs(language: str) -> list[CorpusProgram]:
    """The programs of corpus `language` ("c" or "cpp"), sorted by name."""
    programs: list[CorpusProgram] = []
    for path in sorted((CORPUS_DIR / language).glob(f"*.{language}")):
        std: str | None = None
        hand_written = False
        expect_error: str | None = None
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith(MARKER):
                break
            marker = line.removeprefix(MARKER).strip()
            if marker.startswith("std="):
                std = marker.removeprefix("std=")
            elif marker.startswith("hand-written"):
                hand_written = True
            elif marker.startswith("expect-error "):
                expect_error = marker.removeprefix("expect-error ")
        programs.append(CorpusProgram(path, std, hand_written, expect_error))
    return programs
