"""Built language files: the installer compiles them inside the sandbox and keeps one only when its
sha256 is the one the manifest pins, so the engine can trust it like a downloaded file.

A tiny C program stands in for the SQLite shell (whose 90 s build `make install` runs, and whose
corpus tests/test_sqlite_corpus.py runs): the same derive.ts build mode, the real clang, the real
engine process.
"""

import hashlib
import io
import json
import subprocess
import tarfile
from pathlib import Path

import pytest

from runno_mcp import derived, langs

pytestmark = pytest.mark.slow

TINY_C = b'#include <stdio.h>\nint main(void) { puts("built"); return 0; }\n'


def tiny_manifest(tmp_path: Path, pin: str) -> tuple[Path, Path]:
    """A language folder with the real toolchain files and an archive holding tiny.c, and a manifest
    copy that builds tiny.wasm from it, pinned to `pin`."""
    manifest = langs.load_manifest()
    source = langs.langs_dir(manifest)
    folder = tmp_path / "langs"
    folder.mkdir(exist_ok=True)
    for name in manifest.runtimes["clang"].files():
        (folder / name).unlink(missing_ok=True)
        (folder / name).symlink_to(source / name)
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        info = tarfile.TarInfo("tiny/tiny.c")
        info.size = len(TINY_C)
        tar.addfile(info, io.BytesIO(TINY_C))
    (folder / "tiny.tar").write_bytes(archive.getvalue())
    raw = json.loads(langs.manifest_path().read_text(encoding="utf-8"))
    compile_and_link = json.loads(json.dumps(raw["files"]["sqlite-3.52.0.wasm"]["build"]["steps"][2]))
    link = [arg for arg in compile_and_link if not arg.startswith(("/shell.o", "/sqlite3.o", "-lwasi"))]
    link[link.index("-o") + 1] = "/tiny.wasm"
    link.insert(link.index("-lc"), "/tiny.o")
    raw["files"]["tiny.tar"] = {"member": "tiny.tar", "sha256": hashlib.sha256(archive.getvalue()).hexdigest()}
    raw["files"]["tiny.wasm"] = {
        "sha256": pin,
        "build": {
            "toolchain": "clang",
            "base_fs": ["tiny.tar"],
            "steps": [["clang", "-O2", "-c", "/tiny/tiny.c", "-o", "/tiny.o"], link],
            "output": "/tiny.wasm",
        },
    }
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return folder, path


def build(folder: Path, manifest: Path, out: Path) -> str:
    args = derived._derive_args(["build:tiny.wasm"], folder, out, manifest)  # pyright: ignore[reportPrivateUsage]
    done = subprocess.run(args, env=derived._derive_env(), capture_output=True, text=True, timeout=600, check=False)  # pyright: ignore[reportPrivateUsage]
    return done.stdout


def test_a_build_that_does_not_give_the_pinned_sha256_is_not_kept_and_one_that_does_is(tmp_path: Path) -> None:
    out = tmp_path / "derived"
    folder, manifest = tiny_manifest(tmp_path, "0" * 64)
    refused = build(folder, manifest, out)
    assert "build:tiny.wasm: cannot derive: the build gave sha256 " in refused
    assert "the manifest pins " + "0" * 64 + ": not written" in refused
    assert not (out / "tiny.wasm").exists()
    actual = refused.split("gave sha256 ")[1].split(",")[0]
    folder, manifest = tiny_manifest(tmp_path, actual)
    assert "build:tiny.wasm: built in" in build(folder, manifest, out)
    assert hashlib.sha256((out / "tiny.wasm").read_bytes()).hexdigest() == actual
    assert build(folder, manifest, out).strip() == "build:tiny.wasm: already built"
    (out / "tiny.wasm").write_bytes(b"\0asm damaged")
    assert "build:tiny.wasm: built in" in build(folder, manifest, out)
    assert hashlib.sha256((out / "tiny.wasm").read_bytes()).hexdigest() == actual


def test_a_built_file_is_not_a_download_and_is_buildable_once_its_toolchain_is_installed(tmp_path: Path) -> None:
    manifest = langs.load_manifest()
    assert "sqlite-3.52.0.wasm" not in langs.missing_files(tmp_path, manifest)
    assert derived.buildable(manifest, tmp_path) == []
    assert derived.buildable(manifest, langs.langs_dir(manifest)) == ["sqlite-3.52.0.wasm"]
    assert derived.missing_builds(manifest, tmp_path, langs.langs_dir(manifest)) == ["sqlite-3.52.0.wasm"]


def test_a_language_file_is_a_tarball_member_or_built_never_both() -> None:
    with pytest.raises(ValueError, match="either a tarball member or built"):
        langs.LangFile(sha256="0" * 64)
