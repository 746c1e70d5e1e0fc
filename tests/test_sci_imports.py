"""A `python` program that imports the data stack runs on python-sci, says so, and prints what native CPython prints.

The corpus (tests/corpus/python_data) holds programs written the way people write them for a
CPython with numpy, pandas, scipy, scikit-learn, matplotlib and friends installed. Each runs here
as `python`, through the real engine, and must print byte for byte what the same program printed
under a native CPython with python-sci's package versions: `scripts/python_data_corpus.py`
regenerates the expected `.out` files (its docstring says how).
"""

import shutil
from pathlib import Path

import anyio
import pytest

from runno_mcp import AsyncSandbox, RunResult, _sci_imports, langs

pytestmark = pytest.mark.sci

CORPUS = Path(__file__).parent / "corpus" / "python_data"
PROGRAMS = {
    program.stem: (program.read_text(), program.with_suffix(".out").read_text())
    for program in sorted(CORPUS.glob("*.py"))
}
TIMEOUT = 120.0  # seconds: the first python-sci run of a process restores a 110 MB snapshot, slowly when loaded


async def run_python(sandbox: AsyncSandbox, code: str, **options: object) -> RunResult:
    with anyio.fail_after(TIMEOUT * 2):
        return await sandbox.run_code("python", code, timeout=TIMEOUT, **options)  # type: ignore[arg-type]


def test_the_corpus_is_whole() -> None:
    assert len(PROGRAMS) >= 30


@pytest.mark.parametrize("name", sorted(PROGRAMS))
async def test_a_program_importing_the_data_stack_prints_what_native_python_prints(
    sandbox: AsyncSandbox, name: str
) -> None:
    code, expected = PROGRAMS[name]
    result = await run_python(sandbox, code)
    assert (result.stderr, result.exit_code) == ("", 0)
    assert result.stdout == expected
    assert result.warnings[0].startswith("this program imports "), result.warnings
    assert "it ran on python-sci" in result.warnings[0]


async def test_a_standard_library_program_stays_on_python(sandbox: AsyncSandbox) -> None:
    result = await run_python(sandbox, "import sys, json\nprint(sys.version_info[:2], json.dumps([1]))")
    assert (result.stdout, result.warnings) == ("(3, 11) [1]\n", [])


async def test_the_warning_names_every_module_that_moved_the_run(sandbox: AsyncSandbox) -> None:
    result = await run_python(sandbox, "import pandas as pd\nfrom scipy import stats\nimport os\nprint(pd.__name__)")
    assert result.stdout == "pandas\n"
    assert result.warnings[0].startswith("this program imports pandas and scipy, which python (CPython 3.11")


async def test_an_import_in_another_file_of_the_run_moves_it(sandbox: AsyncSandbox) -> None:
    files = {
        "/main.py": "import helper\nprint(helper.total([1, 2, 3]))\n",
        "/helper.py": "import numpy\n\ndef total(v):\n    return int(numpy.sum(v))\n",
    }
    with anyio.fail_after(TIMEOUT * 2):
        result = await sandbox.run_fs("python", "/main.py", files, timeout=TIMEOUT)
    assert (result.stdout, result.exit_code) == ("6\n", 0)
    assert result.warnings[0].startswith("this program imports numpy")


async def test_the_programs_own_module_of_that_name_keeps_it_on_python(sandbox: AsyncSandbox) -> None:
    files = {
        "/main.py": "import yaml\nprint(yaml.load('x'))\n",
        "/yaml.py": "def load(text):\n    return 'own ' + text\n",
    }
    result = await sandbox.run_fs("python", "/main.py", files)
    assert (result.stdout, result.warnings) == ("own x\n", [])


async def test_a_file_that_does_not_parse_stays_on_python_and_python_reports_it(sandbox: AsyncSandbox) -> None:
    result = await run_python(sandbox, "import numpy\nprint(")
    assert result.exit_code == 1 and "SyntaxError" in result.stderr
    assert result.warnings == []


async def test_a_live_session_follows_its_move_so_variables_carry_on(sandbox: AsyncSandbox) -> None:
    async with sandbox.session(live=True) as session:
        with anyio.fail_after(TIMEOUT * 2):
            first = await session.run_code("python", "import numpy as np\nv = np.arange(4)", timeout=TIMEOUT)
            second = await session.run_code("python", "print(int(v.sum()), np.__name__)", timeout=TIMEOUT)
    assert first.exit_code == 0 and first.warnings[0].startswith("this program imports numpy")
    assert (second.stdout, second.exit_code) == ("6 numpy\n", 0)
    assert second.warnings == [_sci_imports.session_note()]


async def test_without_python_sci_the_error_says_how_to_install_it(tmp_path: Path) -> None:
    """A language folder with only the main files: the run stays on python, and its result says what to install."""
    manifest = langs.load_manifest()
    for name in manifest.files:
        if not langs.is_built(manifest, name):  # the built SQLite shell stays in the derived folder
            shutil.copy(langs.langs_dir() / name, tmp_path / name)
    async with AsyncSandbox(langs_dir=tmp_path, install=False, snapshot_ahead=()) as sandbox:
        result = await sandbox.run_code("python", "import pandas as pd\nprint(pd)")
    assert result.exit_code == 1 and "ModuleNotFoundError: No module named 'pandas'" in result.stderr
    assert result.warnings == [
        "pandas is in the python-sci runtime, which is not installed: run `runno-mcp install python-sci` (about "
        "98 MB, once); python runs that import it then move there by themselves"
    ]


async def test_an_import_parsing_cannot_see_gets_a_pointer_to_python_sci(sandbox: AsyncSandbox) -> None:
    result = await run_python(sandbox, "import importlib\nimportlib.import_module('sklearn')")
    assert result.exit_code == 1
    assert result.warnings == ['sklearn is in the python-sci runtime: ask for "python-sci" to run there']


def test_pure_python_modules_stay_with_a_run_that_adds_its_own_packages() -> None:
    files = {"/main.py": b"import tabulate, numpy\n"}
    assert _sci_imports.sci_imports(files, adds_packages=False) == ["numpy", "tabulate"]
    assert _sci_imports.sci_imports(files, adds_packages=True) == ["numpy"]


def test_relative_imports_and_oversized_files_are_not_read() -> None:
    assert _sci_imports.sci_imports({"/main.py": b"from . import numpy\n"}, adds_packages=False) == []
    padded = b"import numpy\n" + b"#" * _sci_imports.MAX_SCANNED_BYTES
    assert _sci_imports.sci_imports({"/main.py": padded}, adds_packages=False) == []
