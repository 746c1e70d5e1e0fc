"""Pure-Python packages for Python runs: resolved with pip on the host, cached, mounted in the guest.

Owns checking requirement strings (names and version specifiers only: no URLs, paths or options),
running `pip download` as a subprocess restricted to pure-Python wheels (`py3-none-any`), refusing
wheels with compiled code, the on-disk cache (wheels and their unpacked trees, content-addressed by
sha256, resolutions by request), and the files a run gets under `MOUNT_PREFIX`.

The guest never reaches the network: pip runs on the host, with the operator's pip configuration
(`PIP_INDEX_URL`, `pip.conf`, ...), or offline from a wheelhouse (`RUNNO_MCP_WHEELHOUSE`, used with
`--no-index --find-links`). Every run gets a fresh in-memory copy of the files; no guest ever
writes to the cache.
"""

import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from collections import OrderedDict
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import anyio
import anyio.to_thread
import platformdirs
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename

if sys.platform != "win32":
    import fcntl

from runno_mcp.errors import PackageError
from runno_mcp.langs import Manifest

__all__ = [
    "DEFAULT_MAX_PACKAGE_BYTES",
    "MOUNT_PREFIX",
    "PACKAGES_DIR_ENV",
    "WHEELHOUSE_ENV",
    "Mount",
    "PackageResolver",
    "ResolverStats",
    "Wheel",
    "check_requirements",
    "mount_for_run",
    "packages_dir",
    "pip_download_argv",
    "wheelhouse_dir",
]

MOUNT_PREFIX = "/opt/runno-packages"
"""Where a run's packages appear in the guest; it leads the guest's PYTHONPATH."""
PACKAGES_DIR_ENV = "RUNNO_MCP_PACKAGES_DIR"
WHEELHOUSE_ENV = "RUNNO_MCP_WHEELHOUSE"
DEFAULT_MAX_PACKAGE_BYTES = 24 * 1024 * 1024  # unpacked, per run: with 32 MiB of files it still fits a 64 MiB frame
MAX_REQUIREMENTS = 32  # requirement strings one call may give
MAX_REQUIREMENT_CHARS = 200
MAX_WHEEL_UNPACKED_BYTES = 512 * 1024 * 1024  # one wheel's unpacked size: past it the wheel is refused, not cached
PIP_TIMEOUT = 300.0  # seconds for one `pip download`, resolution and downloads together
RESOLUTION_TTL = 24 * 3600.0  # seconds a cached resolution is reused before pip is asked again
MEMORY_MOUNTS = 16  # mounts (files read into memory) kept for repeated requests
COMPILED_SUFFIXES = (".so", ".pyd", ".dylib", ".dll")
_COMPILED_MEMBER = re.compile(r"\.(so|pyd|dylib|dll)(\.[0-9.]+)?$", re.IGNORECASE)
_NO_MATCH = re.compile(r"No matching distribution found for (\S+)")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Wheel:
    """A wheel in the cache."""

    name: str
    version: str
    filename: str
    sha256: str


@dataclass(frozen=True)
class Mount:
    """What a run gets: the files of its packages at their guest paths, and what they came from."""

    requirements: tuple[str, ...]
    wheels: tuple[Wheel, ...]
    files: dict[str, bytes]
    total_bytes: int
    wheel_bytes: dict[str, int]
    """Unpacked bytes per wheel name."""


@dataclass
class ResolverStats:
    """How requests were answered, for tests and diagnostics."""

    pip_runs: int = 0
    """`pip download` subprocesses started."""
    memory_hits: int = 0
    disk_hits: int = 0
    wheels_unpacked: int = 0


def packages_dir() -> Path:
    """The package cache: `RUNNO_MCP_PACKAGES_DIR`, else `<user cache>/runno-mcp/packages`."""
    configured = os.environ.get(PACKAGES_DIR_ENV)
    if configured:
        return Path(configured)
    return platformdirs.user_cache_path("runno-mcp", appauthor=False) / "packages"


def wheelhouse_dir() -> Path | None:
    """The operator's wheelhouse from `RUNNO_MCP_WHEELHOUSE`, or None (pip uses its index)."""
    configured = os.environ.get(WHEELHOUSE_ENV)
    return Path(configured) if configured else None


def check_requirements(packages: object) -> list[str]:
    """The requirement strings of `packages`, normalised (`Tabulate>=0.9` -> `tabulate>=0.9`), sorted.

    Only a name, optional extras and an optional version specifier are taken: no URLs, paths,
    options (`-e`, `--index-url`), environment markers or whitespace tricks.

    Raises:
        PackageError: `packages` is not a list of strings, or a string is not a plain requirement.
    """
    if isinstance(packages, str | bytes) or not isinstance(packages, Sequence):
        raise PackageError(
            f'Cannot install packages: give a list of names, such as ["tabulate", "rich>=13"], not {packages!r:.80}'
        )
    items: list[object] = list(packages)  # pyright: ignore[reportUnknownArgumentType]
    if len(items) > MAX_REQUIREMENTS:
        raise PackageError(f"Cannot install {len(items)} packages: at most {MAX_REQUIREMENTS} may be asked for at once")
    checked: set[str] = set()
    for item in items:
        checked.add(_check_requirement(item))
    return sorted(checked)


def _check_requirement(item: object) -> str:
    if not isinstance(item, str):
        raise PackageError(f'Cannot install package {item!r:.80}: each package must be a string, such as "tabulate"')
    text = item.strip()
    shown = repr(text[:MAX_REQUIREMENT_CHARS])
    plain = 'give a name from PyPI with an optional version, such as "tabulate" or "rich>=13"'
    if not text or len(text) > MAX_REQUIREMENT_CHARS:
        raise PackageError(f"Cannot install package {shown}: {plain} (at most {MAX_REQUIREMENT_CHARS} characters)")
    if (
        text.startswith("-")
        or any(mark in text for mark in ("://", "/", "\\", "@", ";", "#"))
        or not text.isprintable()
    ):
        raise PackageError(f"Cannot install package {shown}: URLs, paths, options and markers are not allowed; {plain}")
    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        raise PackageError(f"Cannot install package {shown}: it is not a valid requirement ({exc}); {plain}") from None
    if requirement.url is not None or requirement.marker is not None or not _NAME.match(requirement.name):
        raise PackageError(f"Cannot install package {shown}: {plain}")
    extras = (
        f"[{','.join(sorted(canonicalize_name(extra) for extra in requirement.extras))}]" if requirement.extras else ""
    )
    return f"{canonicalize_name(requirement.name)}{extras}{requirement.specifier}"


def pip_download_argv(
    requirements: Sequence[str], dest: Path, python_version: str, *, wheelhouse: Path | None = None
) -> list[str]:
    """The `pip download` command that fetches `requirements` and their dependencies as pure-Python wheels.

    `--only-binary=:all:` means no source archive is ever built (no package code runs on the host);
    `--platform any --abi none --implementation py` admits only `py3-none-any`-style wheels.
    """
    argv = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--disable-pip-version-check",
        "--no-input",
        "--no-color",
        "--progress-bar",
        "off",
        "--only-binary=:all:",
        "--platform",
        "any",
        "--abi",
        "none",
        "--implementation",
        "py",
        "--python-version",
        python_version,
        "--dest",
        str(dest),
    ]
    if wheelhouse is not None:
        argv += ["--no-index", "--find-links", str(wheelhouse)]
    return [*argv, "--", *requirements]


@dataclass
class _Resolved:
    at: float
    wheels: tuple[Wheel, ...]


@dataclass
class PackageResolver:
    """Resolves requirement strings to cached pure-Python wheels and the files a run mounts.

    Safe to share between tasks; its disk cache is safe to share between processes.

    Args:
        cache_dir: where wheels, unpacked trees and resolutions are kept (default `packages_dir()`).
        wheelhouse: a folder of wheels to resolve from with `--no-index` (default `wheelhouse_dir()`).
    """

    cache_dir: Path = field(default_factory=packages_dir)
    wheelhouse: Path | None = field(default_factory=wheelhouse_dir)
    stats: ResolverStats = field(default_factory=ResolverStats)
    _resolved: dict[str, _Resolved] = field(default_factory=dict[str, _Resolved], repr=False)
    _mounts: "OrderedDict[str, Mount]" = field(default_factory=OrderedDict[str, Mount], repr=False)
    _lock: anyio.Lock = field(default_factory=anyio.Lock, repr=False)

    async def mount(self, packages: object, python_version: str, *, max_bytes: int) -> Mount:
        """The files of `packages` and their dependencies, resolved for Python `python_version` ("3.11").

        Raises:
            PackageError: a requirement is refused, cannot be found as a pure-Python wheel, holds
                compiled code, or the unpacked files are over `max_bytes`.
        """
        requirements = check_requirements(packages)
        wheels = await self.resolve(requirements, python_version)
        key = " ".join(wheel.sha256 for wheel in wheels)
        mount = self._mounts.get(key)
        if mount is None:
            mount = await anyio.to_thread.run_sync(self._read_mount, requirements, wheels)
            self._mounts[key] = mount
            while len(self._mounts) > MEMORY_MOUNTS:
                self._mounts.popitem(last=False)
        else:
            self._mounts.move_to_end(key)
        if mount.total_bytes > max_bytes:
            biggest = sorted(mount.wheel_bytes, key=lambda name: -mount.wheel_bytes[name])[:3]
            raise PackageError(
                f"Cannot install {', '.join(requirements)}: unpacked they take {mount.total_bytes} bytes, over this "
                f"sandbox's limit of {max_bytes} bytes per run (max_package_bytes); the largest are "
                f"{', '.join(f'{name} ({mount.wheel_bytes[name]} bytes)' for name in biggest)}"
            )
        return mount

    async def resolve(self, requirements: list[str], python_version: str) -> tuple[Wheel, ...]:
        """The cached wheels `requirements` (already checked) resolve to; runs pip only on a miss."""
        key = self._key(requirements, python_version)
        async with self._lock:
            found = self._resolved.get(key)
            if found is not None and time.time() - found.at < RESOLUTION_TTL:
                self.stats.memory_hits += 1
                return found.wheels
            on_disk = await anyio.to_thread.run_sync(self._read_resolution, key)
            if on_disk is not None:
                self.stats.disk_hits += 1
                self._resolved[key] = on_disk
                return on_disk.wheels
            wheels = await self._download(requirements, python_version)
            resolved = _Resolved(time.time(), wheels)
            await anyio.to_thread.run_sync(self._write_resolution, key, requirements, python_version, resolved)
            self._resolved[key] = resolved
            return wheels

    async def download(self, requirements: list[str], python_version: str, dest: Path) -> list[Path]:
        """Download `requirements` (already checked) and their dependencies into `dest`, checking
        each wheel is pure Python; for pre-seeding a wheelhouse. Returns the wheels' paths."""
        await anyio.to_thread.run_sync(lambda: dest.mkdir(parents=True, exist_ok=True))
        await self._run_pip(requirements, python_version, dest)
        return await anyio.to_thread.run_sync(_check_wheels, dest)

    # --- pip and the cache ----------------------------------------------------------------------

    async def _download(self, requirements: list[str], python_version: str) -> tuple[Wheel, ...]:
        staging = await anyio.to_thread.run_sync(self._staging)
        try:
            await self._run_pip(requirements, python_version, staging)
            return await anyio.to_thread.run_sync(self._store_all, staging)
        finally:
            await anyio.to_thread.run_sync(lambda: shutil.rmtree(staging, ignore_errors=True))

    def _staging(self) -> Path:
        root = self.cache_dir / "tmp"
        root.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="pip-", dir=root))

    def _store_all(self, staging: Path) -> tuple[Wheel, ...]:
        return tuple(self._store(path) for path in _check_wheels(staging))

    async def _run_pip(self, requirements: list[str], python_version: str, dest: Path) -> None:
        argv = pip_download_argv(requirements, dest, python_version, wheelhouse=self.wheelhouse)
        self.stats.pip_runs += 1
        try:
            with anyio.fail_after(PIP_TIMEOUT):
                process = await anyio.run_process(argv, check=False, stdin=None)
        except TimeoutError:
            raise PackageError(
                f"Cannot install {', '.join(requirements)}: pip did not finish within {PIP_TIMEOUT:g} s"
            ) from None
        if process.returncode == 0:
            return
        output = (process.stderr + process.stdout).decode("utf-8", "replace")
        missing = _NO_MATCH.search(output)
        where = f"the wheelhouse {self.wheelhouse}" if self.wheelhouse is not None else "the package index"
        if missing is not None:
            raise PackageError(
                f'Cannot install "{missing.group(1)}": {where} has no pure-Python wheel (py3-none-any) of it for '
                f"Python {python_version}. Only pure-Python wheels can run in the sandbox: packages with compiled "
                "code (C extensions, such as numpy) cannot, nor can packages published only as source archives; "
                "check the name and version too"
            )
        if "No module named pip" in output:
            raise PackageError(
                f"Cannot install packages: pip is not installed for {sys.executable}; install it "
                f"(`{sys.executable} -m ensurepip`)"
            )
        lines = [line for line in output.splitlines() if line.strip() and not line.startswith("WARNING")]
        raise PackageError(
            f"Cannot install {', '.join(requirements)}: pip failed (exit {process.returncode}): "
            + " | ".join(lines[-4:])[-800:]
        )

    def _store(self, path: Path) -> Wheel:
        """Check the wheel at `path`, then move it and its unpacked tree into the cache (once per sha256)."""
        name, version = _check_wheel(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        wheel = Wheel(name=name, version=version, filename=path.name, sha256=digest)
        wheels, trees = self.cache_dir / "wheels", self.cache_dir / "trees"
        wheels.mkdir(parents=True, exist_ok=True)
        trees.mkdir(parents=True, exist_ok=True)
        with self._file_lock():
            target = wheels / f"{digest}.whl"
            if not target.exists():
                os.replace(path, target)
            tree = trees / digest
            if not tree.exists():
                staging = Path(tempfile.mkdtemp(prefix=f".{digest[:12]}-", dir=trees))
                try:
                    _unpack(target, staging)
                    staging.rename(tree)
                finally:
                    shutil.rmtree(staging, ignore_errors=True)
                self.stats.wheels_unpacked += 1
        return wheel

    def _read_mount(self, requirements: list[str], wheels: tuple[Wheel, ...]) -> Mount:
        files: dict[str, bytes] = {}
        sizes: dict[str, int] = {}
        for wheel in wheels:
            tree = self.cache_dir / "trees" / wheel.sha256
            sizes[wheel.name] = 0
            for path in sorted(tree.rglob("*")):
                if path.is_file():
                    data = path.read_bytes()
                    files[f"{MOUNT_PREFIX}/{path.relative_to(tree).as_posix()}"] = data
                    sizes[wheel.name] += len(data)
        return Mount(tuple(requirements), wheels, files, sum(len(data) for data in files.values()), sizes)

    def _key(self, requirements: list[str], python_version: str) -> str:
        request = {
            "requirements": requirements,
            "python": python_version,
            "wheelhouse": None if self.wheelhouse is None else str(self.wheelhouse.resolve()),
        }
        return hashlib.sha256(json.dumps(request, sort_keys=True).encode("utf-8")).hexdigest()

    def _read_resolution(self, key: str) -> _Resolved | None:
        path = self.cache_dir / "resolutions" / f"{key}.json"
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            at = float(saved["at"])
            wheels = tuple(Wheel(**wheel) for wheel in saved["wheels"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if time.time() - at >= RESOLUTION_TTL:
            return None
        if not all((self.cache_dir / "trees" / wheel.sha256).is_dir() for wheel in wheels):
            return None
        return _Resolved(at, wheels)

    def _write_resolution(self, key: str, requirements: list[str], python_version: str, resolved: _Resolved) -> None:
        folder = self.cache_dir / "resolutions"
        folder.mkdir(parents=True, exist_ok=True)
        record = {
            "requirements": requirements,
            "python": python_version,
            "at": resolved.at,
            "wheels": [wheel.__dict__ for wheel in resolved.wheels],
        }
        handle, staging = tempfile.mkstemp(prefix=f".{key[:12]}-", suffix=".json", dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(record, out, indent=1)
        os.replace(staging, folder / f"{key}.json")

    @contextlib.contextmanager
    def _file_lock(self) -> Generator[None, None, None]:
        """Serialise writers of the cache across processes (where the OS offers `flock`)."""
        if sys.platform == "win32":  # no flock: writers still only ever rename whole files and folders
            yield
            return
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        with (self.cache_dir / ".lock").open("a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _check_wheels(folder: Path) -> list[Path]:
    """The wheels in `folder`, sorted, each checked by `_check_wheel`."""
    paths = sorted(folder.glob("*.whl"))
    for path in paths:
        _check_wheel(path)
    return paths


def _check_wheel(path: Path) -> tuple[str, str]:
    """The name and version of the wheel at `path`, once it is known to be pure Python.

    Raises:
        PackageError: the wheel is built for a platform, holds compiled files, or is not a safe zip.
    """
    try:
        name, version, _, tags = parse_wheel_filename(path.name)
    except InvalidWheelFilename:
        raise PackageError(f'Cannot install "{path.name}": it is not a wheel') from None
    impure = sorted(str(tag) for tag in tags if tag.abi != "none" or tag.platform != "any")
    if impure or not all(tag.interpreter.startswith("py") for tag in tags):
        raise PackageError(
            f'Cannot install "{name}": its wheel {path.name} is built for {", ".join(impure) or "one interpreter"}, '
            "so it has compiled code; only pure-Python wheels (py3-none-any) can run in the sandbox"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise PackageError(f'Cannot install "{name}": its wheel {path.name} is not a valid zip file') from None
    compiled = [member.filename for member in members if _COMPILED_MEMBER.search(member.filename)]
    if compiled:
        raise PackageError(
            f'Cannot install "{name}": its wheel holds compiled code ({", ".join(compiled[:3])}), which cannot '
            "run in the sandbox; only pure-Python packages can"
        )
    if sum(member.file_size for member in members) > MAX_WHEEL_UNPACKED_BYTES:
        raise PackageError(f'Cannot install "{name}": unpacked, its wheel is over {MAX_WHEEL_UNPACKED_BYTES} bytes')
    for member in members:
        parts = PurePosixPath(member.filename).parts
        if member.filename.startswith("/") or ".." in parts or "\\" in member.filename:
            raise PackageError(f'Cannot install "{name}": its wheel holds an unsafe path "{member.filename}"')
    return str(name), str(version)


def _unpack(wheel: Path, dest: Path) -> None:
    """Unpack a checked wheel into `dest` as a site folder: `*.data/purelib|platlib` merged in,
    the other `*.data` parts (scripts, headers, data) left out."""
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            parts = PurePosixPath(member.filename).parts
            if parts[0].endswith(".data"):
                if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                    continue
                parts = parts[2:]
            target = dest.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)


async def mount_for_run(
    resolver: PackageResolver,
    requested: Sequence[str],
    *,
    runtime: str,
    manifest: Manifest,
    allowed: bool,
    live: bool,
    max_bytes: int,
) -> dict[str, bytes]:
    """The files of `requested` for one run of `runtime`, at their guest paths under `MOUNT_PREFIX`.

    Raises:
        PackageError: the sandbox does not allow packages, the runtime does not take them, the run
            is in a live session, or the packages cannot be resolved (see `PackageResolver.mount`).
    """
    if not allowed:
        raise PackageError(
            "Cannot install packages: this sandbox does not allow them. The operator must enable them: "
            "AsyncSandbox(allow_packages=True) or Sandbox(allow_packages=True), `runno-mcp serve "
            "--allow-packages` (RUNNO_MCP_ALLOW_PACKAGES=1), or RunnoToolkit(allow_packages=True)"
        )
    entry = manifest.runtimes.get(runtime)
    if entry is None or not entry.packages:
        takers = ", ".join(name for name, spec in manifest.runtimes.items() if spec.packages)
        raise PackageError(f'Cannot install packages for "{runtime}": only these runtimes take them: {takers}')
    if live:
        raise PackageError(
            "Cannot install packages in a live session: its interpreter started before them; "
            'use a session without live=True (session="files" in LangChain), or no session'
        )
    python_version = ".".join(entry.version.split(".")[:2])
    return (await resolver.mount(requested, python_version, max_bytes=max_bytes)).files
