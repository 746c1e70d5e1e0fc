"""Regenerate the expected output of tests/corpus/sqlite from a native sqlite3 3.52.0 shell.

The native shell is built with gcc from the same amalgamation and the same SQLite options as the
sandbox's (the manifest's `sqlite-3.52.0.wasm` build). Each script runs as

    sqlite3 -bail -init /dev/null :memory: ".read NAME.sql"

from the corpus folder, twice (the two runs must agree); its stdout is stored as NAME.out, and a
script that fails also gets NAME.err (its stderr: 3.52.0 names no file in its messages) and
NAME.exit (its exit status).

    tar -xzf ~/.cache/runno-mcp/langs/sandbox-0.10.2/sqlite-autoconf-3520000.tar.gz -C /tmp
    python scripts/sqlite_corpus.py /tmp/sqlite-autoconf-3520000
"""

import argparse
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "sqlite"
VERSION = "3.52.0"
SQLITE_OPTIONS = [
    "-DSQLITE_THREADSAFE=0",
    "-DSQLITE_OMIT_WAL",
    "-DSQLITE_OMIT_LOAD_EXTENSION",
    "-DSQLITE_NOHAVE_SYSTEM",
    "-DSQLITE_OMIT_POPEN",
    "-DSQLITE_ENABLE_MATH_FUNCTIONS",
]


def build_shell(amalgamation: Path, shell: Path) -> None:
    command = ["gcc", "-O2", *SQLITE_OPTIONS, "shell.c", "sqlite3.c", "-lm", "-o", str(shell.resolve())]
    print(" ".join(command), file=sys.stderr)
    subprocess.run(command, cwd=amalgamation, check=True)


def run_script(shell: Path, name: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(shell), "-bail", "-init", "/dev/null", ":memory:", f".read {name}"],
        cwd=CORPUS,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Regenerate tests/corpus/sqlite's expectations natively")
    parser.add_argument("amalgamation", type=Path, help="the extracted sqlite-autoconf-3520000 folder")
    parser.add_argument("--shell", type=Path, default=Path("/tmp/sqlite3-native"), help="built there if missing")
    args = parser.parse_args()
    if not args.shell.exists():
        build_shell(args.amalgamation, args.shell)
    version = subprocess.run([str(args.shell), "-version"], capture_output=True, text=True, check=True).stdout
    if not version.startswith(VERSION + " "):
        raise SystemExit(f"{args.shell} is {version.strip()!r}, not {VERSION}")
    for script in sorted(CORPUS.glob("*.sql")):
        done = run_script(args.shell, script.name)
        again = run_script(args.shell, script.name)
        if (done.stdout, done.stderr, done.returncode) != (again.stdout, again.stderr, again.returncode):
            raise SystemExit(f"{script.name} is not deterministic")
        script.with_suffix(".out").write_bytes(done.stdout)
        failed = {".err": done.stderr, ".exit": f"{done.returncode}\n".encode()}
        for suffix, data in failed.items():
            path = script.with_suffix(suffix)
            if done.returncode != 0:
                path.write_bytes(data)
            else:
                path.unlink(missing_ok=True)
        print(f"{script.name}: exit {done.returncode}, {len(done.stdout)} bytes")


if __name__ == "__main__":
    main()
