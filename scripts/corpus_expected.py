"""Make the expected stdout of the C and C++ corpora with the host's gcc 12 and g++ 12.

Each program in tests/corpus/c (gcc -std=gnu17 -O2 ... -lm) and tests/corpus/cpp (g++ -std=c++20
-O2, or the standard its `// corpus: std=` marker names) is compiled and run in a temporary folder,
with `NAME.in` as its stdin when there is one, and its stdout is written to `NAME.out`. Programs
marked `hand-written` or `expect-error` are skipped (tests/corpus_support.py describes the markers).
A program that fails to compile, exits non-zero or runs past 10 s stops the script.

    python scripts/corpus_expected.py            # both corpora
    python scripts/corpus_expected.py cpp NAME   # one program
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus_support import CorpusProgram, corpus_programs

COMPILERS = {"c": ["gcc", "-std=gnu17"], "cpp": ["g++", "-std=c++20"]}
RUN_TIMEOUT = 10.0  # seconds per program


def expected_stdout(language: str, program: CorpusProgram) -> str:
    """Compile `program` with the host compiler, run it, and return its stdout."""
    compiler, default_std = COMPILERS[language]
    std = f"-std={program.std}" if program.std else default_std
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        binary = Path(tmp) / "program"
        subprocess.run([compiler, std, "-O2", "-o", str(binary), str(program.path), "-lm"], check=True)
        done = subprocess.run(
            [str(binary)],
            input=program.stdin.encode(),
            capture_output=True,
            cwd=tmp,
            timeout=RUN_TIMEOUT,
            check=False,
        )
    if done.returncode != 0:
        raise SystemExit(f"{program.path.name} exited {done.returncode}: {done.stderr.decode(errors='replace')}")
    return done.stdout.decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("language", nargs="?", choices=sorted(COMPILERS))
    parser.add_argument("names", nargs="*", help="only these programs (file stems)")
    options = parser.parse_args()
    for language in [options.language] if options.language else sorted(COMPILERS):
        for program in corpus_programs(language):
            if options.names and program.name not in options.names:
                continue
            if program.hand_written or program.expect_error is not None:
                continue
            program.expected_path.write_text(expected_stdout(language, program), encoding="utf-8")
            print(f"{language}/{program.name}")


if __name__ == "__main__":
    main()
