"""The sqlite runtime is a current SQLite shell: scripts print, byte for byte, what sqlite3 3.52.0 prints natively.

The corpus (tests/corpus/sqlite) holds scripts written the way people write them for the
sqlite3 shell: joins, window functions, recursive CTEs, RETURNING, JSON operators, math
functions, STRICT tables, upserts, triggers, the shell's output modes and dot-commands, and
scripts that fail (a syntax error, constraint violations), which stop at the first error
(`-bail`) and exit 1. `scripts/sqlite_corpus.py` regenerates the expectations from a native
shell built with gcc from the same amalgamation and options (its docstring says how).
"""

from pathlib import Path

import pytest

from runno_mcp import AsyncSandbox

CORPUS = Path(__file__).parent / "corpus" / "sqlite"


def _expected(script: Path) -> tuple[str, bytes, bytes, int]:
    def read(suffix: str, default: bytes = b"") -> bytes:
        path = script.with_suffix(suffix)
        return path.read_bytes() if path.exists() else default

    return script.read_text(encoding="utf-8"), read(".out"), read(".err"), int(read(".exit", b"0"))


SCRIPTS = {script.stem: _expected(script) for script in sorted(CORPUS.glob("*.sql"))}


def test_the_corpus_is_whole() -> None:
    assert len(SCRIPTS) >= 30
    assert sum(1 for *_, exit_code in SCRIPTS.values() if exit_code != 0) >= 5


@pytest.mark.parametrize("name", sorted(SCRIPTS))
async def test_a_script_prints_what_the_native_shell_prints(sandbox: AsyncSandbox, name: str) -> None:
    code, stdout, stderr, exit_code = SCRIPTS[name]
    result = await sandbox.run_code("sqlite", code, timeout=60)
    assert (result.result_type, result.exit_code) == ("complete", exit_code), result.stderr
    assert result.stdout.encode() == stdout
    assert result.stderr.encode() == stderr


async def test_the_shell_is_sqlite_3_52_with_its_current_features(sandbox: AsyncSandbox) -> None:
    code = (
        "CREATE TABLE t(id INTEGER PRIMARY KEY, doc TEXT) STRICT;\n"
        "INSERT INTO t(doc) VALUES ('{\"a\": [1, 2]}') RETURNING id;\n"
        "SELECT doc ->> '$.a[1]', sqrt(16), sqlite_version() FROM t;\n"
    )
    result = await sandbox.run_code("sql", code)
    assert (result.stdout, result.stderr, result.exit_code) == ("1\n2|4.0|3.52.0\n", "", 0)
