"""The language manifest and the installer: integrity, checksums, atomic install, offline mode."""

import base64
import hashlib
import io
import tarfile
from pathlib import Path

import pytest

from runno_mcp import langs
from runno_mcp.bundles import bundle_files
from runno_mcp.errors import LanguageNotInstalledError
from runno_mcp.langs import LangFile, Manifest, NpmPackage, ensure_installed, install, load_manifest
from runno_mcp.models import ALIASES, RUNTIMES

FILES = {"a.wasm": b"\x00asm\x01\x00\x00\x00", "b-fs.tar.gz": bytes(range(256)) * 40}


def make_tarball(path: Path, files: dict[str, bytes], extra: dict[str, bytes] | None = None) -> Path:
    """Write an npm-style tarball holding `files` under package/dist/langs/."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in {**{f"package/dist/langs/{n}": d for n, d in files.items()}, **(extra or {})}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def make_manifest(tarball: Path, files: dict[str, bytes] = FILES) -> Manifest:
    """A manifest that names `files` with their true checksums and the tarball's integrity."""
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    packaged = load_manifest()
    return packaged.model_copy(
        update={
            "integrity": integrity,
            "tarball": str(tarball),
            "tarball_bytes": tarball.stat().st_size,
            "files": {
                name: LangFile(member=f"package/dist/langs/{name}", sha256=hashlib.sha256(data).hexdigest())
                for name, data in files.items()
            },
        }
    )


def test_the_packaged_manifest_is_consistent() -> None:
    """Every runtime's files are listed with a checksum, and ids and aliases match the API's."""
    manifest = load_manifest()
    assert set(manifest.runtimes) == set(RUNTIMES) - {"wasi"}
    for runtime_id, runtime in manifest.runtimes.items():
        available = set(manifest.files) if runtime.bundle is None else set(bundle_files(runtime.bundle, manifest))
        assert set(runtime.files()) <= available, runtime_id
        assert runtime.entry.startswith("/")
        assert dict.fromkeys(runtime.aliases, runtime_id) == {
            alias: target for alias, target in ALIASES.items() if target == runtime_id
        }
    for file in manifest.files.values():
        assert len(file.sha256) == 64
        assert file.package is None or file.package in manifest.packages
    assert manifest.integrity.startswith("sha512-")


def test_install_unpacks_only_the_named_files_byte_for_byte(tmp_path: Path) -> None:
    """The named members land in the target, exactly; the rest of the tarball does not."""
    tarball = make_tarball(tmp_path / "p.tgz", FILES, extra={"package/README.md": b"readme"})
    progress = io.StringIO()
    target = install(target=tmp_path / "langs", manifest=make_manifest(tarball), progress=progress)
    assert {path.name: path.read_bytes() for path in target.iterdir()} == FILES
    assert "Installed 2 language files" in progress.getvalue()
    assert sorted(path.name for path in tmp_path.iterdir()) == [".langs.lock", "langs", "p.tgz"]


def test_a_second_npm_package_is_installed_too_and_its_sysroot_rebased_under_a_prefix(tmp_path: Path) -> None:
    """A file of `Manifest.packages` comes from that package's own tarball, checked the same way; a
    tar member with a `prefix` lands with every path under it, its bytes unchanged."""
    sysroot = io.BytesIO()
    with tarfile.open(fileobj=sysroot, mode="w") as inner:
        for name, data in {"include/stdio.h": b"int puts(const char *);", "lib/libc.a": b"!<arch>"}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            inner.addfile(info, io.BytesIO(data))
    toolchain = {"cc.wasm": b"\x00asm\x01\x00\x00\x00cc", "sysroot.tar": sysroot.getvalue()}
    main = make_tarball(tmp_path / "main.tgz", FILES)
    second = make_tarball(tmp_path / "cc.tgz", toolchain)
    manifest = make_manifest(main)
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(second.read_bytes()).digest()).decode()
    extra = {
        name: LangFile(
            member=f"package/dist/langs/{name}",
            sha256=hashlib.sha256(data).hexdigest(),
            package="@example/cc",
            prefix="usr" if name.endswith(".tar") else None,
        )
        for name, data in toolchain.items()
    }
    manifest = manifest.model_copy(
        update={
            "files": {**manifest.files, **extra},
            "packages": {
                "@example/cc": NpmPackage(
                    version="1.0.0",
                    tarball=str(second),
                    integrity=integrity,
                    tarball_bytes=second.stat().st_size,
                    license="MIT",
                )
            },
        }
    )
    target = install(target=tmp_path / "langs", manifest=manifest, progress=None)
    assert (target / "cc.wasm").read_bytes() == toolchain["cc.wasm"]
    with tarfile.open(target / "sysroot.tar") as rebased:
        members = {member.name: member for member in rebased.getmembers()}
        assert sorted(members) == ["usr", "usr/include/stdio.h", "usr/lib/libc.a"]
        reader = rebased.extractfile(members["usr/include/stdio.h"])
        assert reader is not None and reader.read() == b"int puts(const char *);"
    (target / "cc.wasm").unlink()
    main.unlink()  # only the second package's tarball is read to fill in its file
    install(target=target, manifest=manifest, progress=None)
    assert (target / "cc.wasm").read_bytes() == toolchain["cc.wasm"]


def test_install_accepts_a_file_url(tmp_path: Path) -> None:
    tarball = make_tarball(tmp_path / "p.tgz", FILES)
    target = install(
        target=tmp_path / "langs", manifest=make_manifest(tarball), tarball=tarball.as_uri(), progress=None
    )
    assert sorted(path.name for path in target.iterdir()) == sorted(FILES)


def test_installing_again_changes_nothing(tmp_path: Path) -> None:
    """A second install sees every file present and downloads nothing."""
    tarball = make_tarball(tmp_path / "p.tgz", FILES)
    manifest = make_manifest(tarball)
    install(target=tmp_path / "langs", manifest=manifest, progress=None)
    tarball.unlink()
    progress = io.StringIO()
    install(target=tmp_path / "langs", manifest=manifest, progress=progress)
    assert "already installed" in progress.getvalue()


def test_a_missing_file_is_filled_in(tmp_path: Path) -> None:
    """A target with a file deleted gets it back; the others are replaced whole."""
    tarball = make_tarball(tmp_path / "p.tgz", FILES)
    manifest = make_manifest(tarball)
    target = install(target=tmp_path / "langs", manifest=manifest, progress=None)
    (target / "a.wasm").unlink()
    install(target=target, manifest=manifest, progress=None)
    assert (target / "a.wasm").read_bytes() == FILES["a.wasm"]


def test_a_tarball_failing_its_integrity_check_is_refused(tmp_path: Path) -> None:
    """A tampered tarball installs nothing and leaves no temporary files."""
    tarball = make_tarball(tmp_path / "p.tgz", FILES)
    manifest = make_manifest(tarball)
    make_tarball(tarball, {**FILES, "a.wasm": b"evil"})
    with pytest.raises(LanguageNotInstalledError, match="fails its integrity check"):
        install(target=tmp_path / "langs", manifest=manifest, progress=None)
    assert sorted(path.name for path in tmp_path.iterdir()) == [".langs.lock", "p.tgz"]


def test_a_file_failing_its_sha256_is_refused(tmp_path: Path) -> None:
    """A member whose checksum differs from the manifest's installs nothing."""
    tarball = make_tarball(tmp_path / "p.tgz", FILES)
    manifest = make_manifest(tarball)
    manifest.files["a.wasm"] = LangFile(member="package/dist/langs/a.wasm", sha256="0" * 64)
    with pytest.raises(LanguageNotInstalledError, match='Cannot install "a.wasm": its sha256 is'):
        install(target=tmp_path / "langs", manifest=manifest, progress=None)
    assert not (tmp_path / "langs").exists()


def test_a_tarball_lacking_a_file_is_refused(tmp_path: Path) -> None:
    only_a = {"a.wasm": FILES["a.wasm"]}
    manifest = make_manifest(make_tarball(tmp_path / "p.tgz", only_a), only_a)
    manifest.files["c.wasm"] = LangFile(member="package/dist/langs/c.wasm", sha256="0" * 64)
    with pytest.raises(LanguageNotInstalledError, match="the tarball lacks c.wasm"):
        install(target=tmp_path / "langs", manifest=manifest, progress=None)


def test_an_interrupted_install_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopped mid-unpack (Ctrl-C), the target does not exist and no temporary folder remains."""
    tarball = make_tarball(tmp_path / "p.tgz", FILES)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(langs, "move_into_place", interrupted)
    with pytest.raises(KeyboardInterrupt):
        install(target=tmp_path / "langs", manifest=make_manifest(tarball), progress=None)
    assert sorted(path.name for path in tmp_path.iterdir()) == [".langs.lock", "p.tgz"]


@pytest.mark.usefixtures("no_langs_env")
def test_offline_mode_says_what_to_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With RUNNO_MCP_OFFLINE=1 and files missing, the error names the command that fixes it."""
    monkeypatch.setenv("RUNNO_MCP_OFFLINE", "1")
    with pytest.raises(LanguageNotInstalledError, match="run `runno-mcp install`"):
        ensure_installed(target=tmp_path / "empty", progress=None)


@pytest.mark.usefixtures("no_langs_env")
def test_the_langs_dir_is_the_override_or_a_versioned_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = load_manifest()
    assert langs.langs_dir(manifest).name == f"sandbox-{manifest.version}"
    monkeypatch.setenv("RUNNO_MCP_LANGS_DIR", str(tmp_path))
    assert langs.langs_dir(manifest) == tmp_path


def test_runtime_infos_describe_every_runtime() -> None:
    """list_runtimes' rows: every runtime id, with its entry file and aliases."""
    infos = {info.id: info for info in langs.runtime_infos()}
    assert set(infos) == set(RUNTIMES)
    assert infos["quickjs"].aliases == ["javascript", "js"]
    assert infos["wasi"].entry == "/main.wasm"
