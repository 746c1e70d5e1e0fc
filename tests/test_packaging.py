"""The wheel: pure Python, carrying the engine's source and the language manifest, and runnable alone."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
BUILD_TIMEOUT = 120  # seconds


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel once for this module, with the build backend of the dev environment."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        timeout=BUILD_TIMEOUT,
        capture_output=True,
    )
    (built,) = out.glob("*.whl")
    return built


def test_the_wheel_is_pure_python(wheel: Path) -> None:
    assert wheel.name.endswith("-py3-none-any.whl")


def test_the_wheel_carries_the_engine_and_manifest_but_no_tests(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    engine = {name for name in names if name.startswith("runno_mcp/_data/engine-ts/")}
    assert {
        "runno_mcp/_data/engine-ts/main.ts",
        "runno_mcp/_data/engine-ts/deno.json",
        "runno_mcp/_data/engine-ts/src/protocol.ts",
        "runno_mcp/_data/langs/manifest.json",
        "runno_mcp/py.typed",
    } <= names
    guest = "runno_mcp/_data/engine-ts/guest/"
    assert all(name.endswith((".ts", "deno.json", "deno.lock")) or name.startswith(guest) for name in engine)
    assert {path.name for path in (ROOT / "engine-ts" / "guest").iterdir()} == {
        name.removeprefix(guest) for name in engine if name.startswith(guest)
    }
    assert not [name for name in engine if name.endswith("_test.ts") or "/tests/" in name]
    assert not [name for name in names if name.startswith("tests/")]


def test_the_unpacked_wheel_runs_a_program_from_its_own_data(wheel: Path, tmp_path: Path) -> None:
    """Installed without the repository, the package finds its engine and manifest in `_data` and runs code."""
    zipfile.ZipFile(wheel).extractall(tmp_path)
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "from runno_mcp import Sandbox, langs\n"
        "from runno_mcp.engine.process import engine_dir\n"
        "print(langs.manifest_path())\n"
        "print(engine_dir())\n"
        "with Sandbox() as sandbox:\n"
        "    print(sandbox.run_code('js', 'console.log(6 * 7)').stdout, end='')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": ""},
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    manifest, engine, answer = done.stdout.splitlines()
    assert Path(manifest) == tmp_path / "runno_mcp" / "_data" / "langs" / "manifest.json"
    assert Path(engine) == tmp_path / "runno_mcp" / "_data" / "engine-ts"
    assert answer == "42"
