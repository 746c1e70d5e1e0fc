"""Snapshot binaries: derived from the language binaries once per install, never committed.

A runtime marked `snapshot` in the manifest runs from a snapshot of its booted interpreter
(docs/engine.md). That needs a derived copy of its binary, asyncified at the functions on its
stack at the gate; `engine-ts/derive.ts` builds it with Binaryen (npm `binaryen`, fetched by
Deno into the engine's own cache) and checks it. Each derived file is named by the sha256 of
its source and the recipe, and carries a sidecar with its own sha256, which the engine checks
before it trusts the file; a missing, cut or stale file only means that runtime's runs boot
from scratch until the next derive.

A runtime with a precompiled header (clangpp's common standard headers, `pch` in the manifest)
gets that file derived instead, by its own compiler (`<runtime>-pch-<key>.pch`, engine-ts/src/pch.ts);
without it, C++ runs parse those headers themselves, seconds slower.

A language file no registry ships is built here too, inside the sandbox (the SQLite shell, by
clang: `build` in the manifest): derive.ts writes it into the derived folder under its own name,
only when its sha256 is the one the manifest pins, so the engine can trust it as it trusts a
downloaded file. A runtime whose built file is missing is not installed until it lands.

`runno-mcp install` derives in the foreground. A `Sandbox` that finds a file missing starts a
derive in the background and runs without that snapshot meanwhile.
"""

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import TextIO

import platformdirs
from pydantic import BaseModel, ValidationError

from runno_mcp.engine.process import engine_dir, engine_env, find_deno
from runno_mcp.langs import (
    Manifest,
    install_lock,
    is_built,
    langs_dir,
    load_manifest,
    manifest_path,
    missing_files,
    say,
)

__all__ = [
    "DERIVED_DIR_ENV",
    "buildable",
    "derive",
    "derive_in_background",
    "derived_dir",
    "missing_built_files",
    "missing_builds",
    "missing_derived",
    "pch_runtimes",
    "snapshot_runtimes",
]

DERIVED_DIR_ENV = "RUNNO_MCP_DERIVED_DIR"
# What Deno needs from the host to fetch Binaryen from npm: proxies and certificate authorities
# (a TLS-inspecting proxy's). The derive runs no program of a caller's, only language binaries.
_FETCH_ENV = (
    "HTTPS_PROXY",
    "HTTP_PROXY",
    "NO_PROXY",
    "https_proxy",
    "http_proxy",
    "no_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "DENO_CERT",
    "DENO_TLS_CA_STORE",
    "NPM_CONFIG_REGISTRY",
)
DERIVE_TIMEOUT = 1800.0  # seconds; CPython's takes about 40 s on two cores

_background_lock = threading.Lock()
_background: dict[Path, subprocess.Popen[bytes]] = {}


def derived_dir() -> Path:
    """Return the folder of derived files: `RUNNO_MCP_DERIVED_DIR`, else the user cache's."""
    override = os.environ.get(DERIVED_DIR_ENV)
    if override:
        return Path(override)
    return platformdirs.user_cache_path("runno-mcp", appauthor=False) / "derived"


def snapshot_runtimes(manifest: Manifest, target: Path | None = None) -> list[str]:
    """Return the runtimes that run from snapshots and whose language files are installed or buildable."""
    target = target or langs_dir(manifest)
    return [
        runtime
        for runtime, entry in manifest.runtimes.items()
        if entry.snapshot and all(_at_hand(manifest, name, target) for name in entry.files())
    ]


def pch_runtimes(manifest: Manifest, target: Path | None = None) -> list[str]:
    """Return the runtimes with a precompiled header whose language files are installed."""
    target = target or langs_dir(manifest)
    return [
        runtime
        for runtime, entry in manifest.runtimes.items()
        if entry.pch is not None and all(_at_hand(manifest, name, target) for name in entry.files())
    ]


def buildable(manifest: Manifest, target: Path | None = None) -> list[str]:
    """Return the built language files whose toolchain and sources are installed, in manifest order."""
    target = target or langs_dir(manifest)
    return [
        name
        for name, file in manifest.files.items()
        if file.build is not None
        and file.build.toolchain in manifest.runtimes
        and not missing_files(target, manifest, file.build.toolchain)
        and all((target / archive).is_file() for archive in file.build.base_fs)
    ]


def missing_builds(manifest: Manifest, out: Path | None = None, target: Path | None = None) -> list[str]:
    """Return the buildable language files absent from the derived folder (cheap: derive.ts checks the
    sha256 of one it finds)."""
    out = out or derived_dir()
    return [name for name in buildable(manifest, target) if not (out / name).is_file()]


def missing_built_files(manifest: Manifest, runtime: str, out: Path | None = None) -> list[str]:
    """Return the built language files `runtime` needs that the derived folder does not hold yet."""
    out = out or derived_dir()
    entry = manifest.runtimes.get(runtime)
    names = entry.files() if entry is not None else []
    return [name for name in names if is_built(manifest, name) and not (out / name).is_file()]


def _awaits_build(manifest: Manifest, runtime: str, out: Path) -> bool:
    """Whether `runtime` needs a built file the derived folder does not hold yet."""
    return any(is_built(manifest, name) and not (out / name).is_file() for name in manifest.runtimes[runtime].files())


def _at_hand(manifest: Manifest, name: str, target: Path) -> bool:
    """Whether language file `name` is installed, or, for a built one, can be built now."""
    if is_built(manifest, name):
        return name in buildable(manifest, target)
    return (target / name).is_file()


def _pch_sidecar_matches(path: Path, source_sha256: str) -> bool:
    """Whether the PCH sidecar at `path` names a PCH of `source_sha256`'s compiler that is there whole
    in size (the engine checks its key and sha256)."""
    try:
        info = _PchSidecar.model_validate_json(path.read_bytes())
        size = path.with_suffix(".pch").stat().st_size
    except (OSError, ValidationError):
        return False
    return info.kind == "pch" and info.source_sha256 == source_sha256 and size == info.bytes


def missing_derived(manifest: Manifest, out: Path | None = None, target: Path | None = None) -> list[str]:
    """Return the snapshot runtimes with no sidecar for their binary and the manifest's recipe, or
    whose derived binary or stored snapshot (`<key>.snap`) is missing or not the size its sidecar says.

    Cheap (no hashing): the engine checks each file's sha256 before it uses it, and `derive` too. A
    stored snapshot of another boot (the engine's source changed) is seen by the engine, which then
    takes the snapshot itself, and by `derive`, which takes it again.
    """
    out = out or derived_dir()
    builds = [f"build:{name}" for name in missing_builds(manifest, out, target)]
    snapshots = [
        runtime
        for runtime in snapshot_runtimes(manifest, target)
        if not any(
            _sidecar_matches(path, _source_sha256(manifest, runtime), manifest.snapshot_recipe)
            for path in out.glob(f"{runtime}-*.json")
        )
    ]
    headers = [
        runtime
        for runtime in pch_runtimes(manifest, target)
        if not any(
            _pch_sidecar_matches(path, manifest.files[manifest.runtimes[runtime].steps[0].binary].sha256)
            for path in out.glob(f"{runtime}-pch-*.json")
        )
    ]
    return [*builds, *snapshots, *headers]


def _source_sha256(manifest: Manifest, runtime: str) -> str:
    """The sha256 of the binary `runtime` runs: a main-package file's, or its bundle member's."""
    entry = manifest.runtimes[runtime]
    binary = entry.steps[-1].binary
    bundle = manifest.bundles.get(entry.bundle) if entry.bundle else None
    if bundle is not None and binary in bundle.files:
        return bundle.members[bundle.files[binary]]
    return manifest.files[binary].sha256


class _Image(BaseModel):
    bytes: int


class _PchSidecar(BaseModel):
    """The parts of a PCH's sidecar (engine-ts/src/pch.ts) Python reads."""

    kind: str
    source_sha256: str
    bytes: int


class _Sidecar(BaseModel):
    """The parts of a derived binary's sidecar (engine-ts/src/derived.ts) Python reads."""

    source_sha256: str
    recipe: str
    bytes: int
    image: _Image | None = None


def _sidecar_matches(path: Path, source_sha256: str, recipe: str) -> bool:
    """Whether the sidecar at `path` describes a derivation of `source_sha256` by `recipe` whose binary
    is there at its full size."""
    try:
        info = _Sidecar.model_validate_json(path.read_bytes())
        size = path.with_suffix(".wasm").stat().st_size
        image_size = path.with_suffix(".snap").stat().st_size
    except (OSError, ValidationError):
        return False
    return (
        info.source_sha256 == source_sha256
        and info.recipe == recipe
        and size == info.bytes
        and info.image is not None
        and image_size == info.image.bytes
    )


def _derive_env() -> dict[str, str]:
    env = engine_env()
    env.update({name: os.environ[name] for name in _FETCH_ENV if name in os.environ})
    # Deno reads its extra certificate authorities from DENO_CERT, not SSL_CERT_FILE.
    if "SSL_CERT_FILE" in env and "DENO_CERT" not in env:
        env["DENO_CERT"] = env["SSL_CERT_FILE"]
    return env


def _derive_args(runtimes: list[str], target: Path, out: Path, manifest_file: Path | None = None) -> list[str]:
    engine = engine_dir()
    manifest_file = manifest_file or manifest_path()
    readable = ",".join(str(path) for path in dict.fromkeys((engine, target, manifest_file, out)))
    return [
        str(find_deno()),
        "run",
        "--no-prompt",
        "--no-config",
        # Binaryen comes from npm at the version and integrity hash engine-ts/deno.lock pins.
        f"--lock={engine / 'deno.lock'}",
        "--frozen",
        "--unstable-worker-options",
        f"--allow-read={readable}",
        f"--allow-write={out}",
        str(engine / "derive.ts"),
        "--langs-dir",
        str(target),
        "--manifest",
        str(manifest_file),
        "--out",
        str(out),
        *runtimes,
    ]


def derive(
    manifest: Manifest | None = None,
    progress: TextIO | None = sys.stderr,
    target: Path | None = None,
    *,
    build: bool = True,
) -> bool:
    """Check every built file, snapshot binary and precompiled header by its hash and make what is
    missing or damaged, now; with `build=False`, leave the built files (minutes) and what needs them.

    Returns whether all are whole. A runtime that cannot be derived (no network for Binaryen the
    first time, a binary the recipe refuses) is reported and left to boot per run; nothing
    half-written is left behind.
    """
    manifest = manifest or load_manifest()
    target = target or langs_dir(manifest)
    out = derived_dir()
    builds = [f"build:{name}" for name in buildable(manifest, target)] if build else []
    runtimes = [
        *builds,
        *(
            runtime
            for runtime in [*snapshot_runtimes(manifest, target), *pch_runtimes(manifest, target)]
            if build or not _awaits_build(manifest, runtime, out)
        ),
    ]
    if not runtimes:
        return True
    out.mkdir(parents=True, exist_ok=True)
    say(
        progress,
        f"Checking the built files, snapshot binaries and precompiled headers of {', '.join(runtimes)}; "
        "deriving one takes up to a minute, building SQLite a few ...",
    )
    with install_lock(out):
        try:
            done = subprocess.run(
                _derive_args(runtimes, target, out),
                env=_derive_env(),
                capture_output=True,
                timeout=DERIVE_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            say(progress, f"Cannot derive snapshot binaries: {error}; those runtimes boot per run")
            return False
    for line in done.stdout.decode(errors="replace").splitlines():
        say(progress, f"  {line}")
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-5:]
        say(progress, "Some snapshot binaries could not be derived; those runtimes boot per run")
        for line in tail:
            say(progress, f"  {line}")
    return done.returncode == 0


def derive_in_background(manifest: Manifest, target: Path | None = None) -> None:
    """Start deriving what is missing in a process of its own, unless one is running.

    Its output goes to `derive.log` in the derived folder. The engine picks the files up at a
    runtime's next first run in an engine process.
    """
    out = derived_dir()
    with _background_lock:
        running = _background.get(out)
        if running is not None and running.poll() is None:
            return
        target = target or langs_dir(manifest)
        runtimes = missing_derived(manifest, out, target)
        if not runtimes:
            return
        out.mkdir(parents=True, exist_ok=True)
        log = (out / "derive.log").open("ab")
        try:
            _background[out] = subprocess.Popen(
                _derive_args(runtimes, target, out),
                env=_derive_env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        except OSError:
            pass  # runs boot per run; `runno-mcp install` reports why
        finally:
            log.close()
