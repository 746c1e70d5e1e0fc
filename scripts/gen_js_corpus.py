"""Regenerate tests/corpus/js/*.expected.json by running each program with the host's real `node`.

Each top-level `NAME.js` / `NAME.mjs` in tests/corpus/js is a program; files in subfolders are
modules the programs require or import. A program's `NAME.expected.json` may hold its inputs
(`stdin`, `args`) and a `stderr_contains` written by hand; this script keeps those and writes
`stdout` and `exit_code` as `node NAME` (Node 20) gives them, run in a copy of the corpus folder.

    python scripts/gen_js_corpus.py [--node /usr/bin/node] [NAME ...]
"""

import argparse
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "js"
INPUT_KEYS = ("stdin", "args", "stderr_contains")


def programs() -> list[Path]:
    """The corpus programs, sorted: top-level .js and .mjs files."""
    return sorted(p for p in CORPUS.iterdir() if p.suffix in {".js", ".mjs"})


def expected_path(program: Path) -> Path:
    return program.with_name(f"{program.stem}.expected.json")


def generate(node: str, program: Path) -> dict[str, Any]:
    """Run `program` with node in a scratch copy of the corpus; return its expectation."""
    path = expected_path(program)
    spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    inputs = {key: spec[key] for key in INPUT_KEYS if key in spec}
    with tempfile.TemporaryDirectory() as scratch:
        shutil.copytree(CORPUS, scratch, dirs_exist_ok=True)
        args = [str(arg) for arg in inputs.get("args", [])]
        done = subprocess.run(
            [node, program.name, *args],
            cwd=scratch,
            input=str(inputs.get("stdin", "")),
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    result = {**inputs, "stdout": done.stdout, "exit_code": done.returncode}
    if "stderr_contains" in inputs and str(inputs["stderr_contains"]) not in done.stderr:
        raise SystemExit(f"{program.name}: node's stderr lacks {inputs['stderr_contains']!r}:\n{done.stderr}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="Regenerate the JavaScript corpus expectations with node")
    parser.add_argument("--node", default=shutil.which("node") or "/usr/bin/node")
    parser.add_argument("names", nargs="*", help="program names (default: all)")
    options = parser.parse_args()
    for program in programs():
        if options.names and program.stem not in options.names and program.name not in options.names:
            continue
        result = generate(options.node, program)
        expected_path(program).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{program.name}: exit {result['exit_code']}")


if __name__ == "__main__":
    main()
