"""Regenerate the expected output of tests/corpus/python_data from a native CPython with the same data stack.

Each program runs as `python main.py` in an empty folder, as a user would run it; its stdout is
stored beside it as NAME.out. Use a CPython (3.12 or later) whose packages pin python-sci's
versions from langs/manifest.json, e.g.:

    python3.13 -m venv /tmp/scivenv
    /tmp/scivenv/bin/pip install numpy==2.5.2 pandas==3.0.6 scipy==1.18.1 scikit-learn==1.9.1 \\
        matplotlib==3.11.2 sympy==1.14.0 networkx==3.7 statsmodels==0.15.0 seaborn==0.13.2 \\
        pyyaml==6.0.3 tabulate==0.10.0 beautifulsoup4==4.15.0 python-dateutil==2.9.0.post0
    python scripts/python_data_corpus.py /tmp/scivenv/bin/python
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "python_data"


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(f"usage: {sys.argv[0]} PYTHON (a CPython with python-sci's packages)")
    python = sys.argv[1]
    for program in sorted(CORPUS.glob("*.py")):
        with tempfile.TemporaryDirectory() as folder:
            shutil.copy(program, Path(folder) / "main.py")
            done = subprocess.run(
                [python, "main.py"], cwd=folder, capture_output=True, text=True, env={"MPLBACKEND": "Agg"}, check=False
            )
        if done.returncode != 0:
            raise SystemExit(f"{program.name} failed natively:\n{done.stderr}")
        program.with_suffix(".out").write_text(done.stdout)
        print(f"{program.name}: {len(done.stdout.splitlines())} lines")


if __name__ == "__main__":
    main()
