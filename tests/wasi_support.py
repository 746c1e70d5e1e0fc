"""The official WASI preview1 testsuite (tests/wasi-testsuite) as data, for the conformance test and script.

Owns listing the suite's tests, unpacking the packed Rust binaries, turning a test's fixture folder
into a `run_fs` filesystem, and judging an outcome by upstream's rules (the suite's README):
argv = [NAME.wasm, *args], the environment exactly as given, the `root` folder as the guest's `/`,
empty stdin, stdout and stderr compared as prefixes, and a trap counted as exit code 134.
"""

import json
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

REPO = Path(__file__).parent.parent
SUITE_DIR = Path(__file__).parent / "wasi-testsuite"
SKIP_FILE = REPO / "engine-ts" / "tests" / "conformance_skip.json"
SUITES = ("assemblyscript", "c", "rust")
TRAP_EXIT_CODE = 134  # what wasmtime's CLI reports for a trap, as upstream's runner expects
RUST_ARCHIVE = "rust-wasm.tar.xz"


def suite_folder(suite: str) -> Path:
    """The folder of one suite's tests, specs and fixtures."""
    return SUITE_DIR / "tests" / suite / "testsuite" / "wasm32-wasip1"


@dataclass(frozen=True)
class ConformanceCase:
    """One test of the suite: its spec, and where its `.wasm` is once the suite is unpacked."""

    suite: str
    name: str
    args: list[str] = field(default_factory=list[str])
    env: dict[str, str] = field(default_factory=dict[str, str])
    root: str | None = None
    exit_code: int = 0
    stdout: str | None = None
    stderr: str | None = None

    @property
    def id(self) -> str:
        """`suite/name`, the key of the skip file."""
        return f"{self.suite}/{self.name}"

    @property
    def entry(self) -> str:
        """The guest path of the test's `.wasm`: its basename is argv[0]."""
        return f"/{self.name}.wasm"

    def wasm_path(self, unpacked: Path) -> Path:
        """The host path of the `.wasm`; the Rust ones live in `unpacked` (see `unpack_rust`)."""
        folder = unpacked if self.suite == "rust" else suite_folder(self.suite)
        return folder / f"{self.name}.wasm"

    def root_dir(self) -> Path | None:
        """The host folder preopened as `/`, or None when the test asks for no preopen."""
        return None if self.root is None else suite_folder(self.suite) / self.root

    def files(self, unpacked: Path) -> dict[str, bytes]:
        """The run's filesystem: the root folder's files (dot-files too) plus the `.wasm` itself."""
        files: dict[str, bytes] = {}
        root = self.root_dir()
        if root is not None:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    files["/" + path.relative_to(root).as_posix()] = path.read_bytes()
        files[self.entry] = self.wasm_path(unpacked).read_bytes()
        return files

    def problems(self, exit_code: int, stdout: str, stderr: str) -> list[str]:
        """What differs from the spec (empty when the test passes)."""
        found: list[str] = []
        if exit_code != self.exit_code:
            found.append(f"exit code {exit_code}, expected {self.exit_code}")
        if self.stdout is not None and not stdout.startswith(self.stdout):
            found.append(f"stdout {stdout[:200]!r}, expected it to start with {self.stdout!r}")
        if self.stderr is not None and not stderr.startswith(self.stderr):
            found.append(f"stderr {stderr[:200]!r}, expected it to start with {self.stderr!r}")
        if found and self.stderr is None and stderr:
            found.append(f"stderr: {stderr[:400]}")
        return found


def load_cases() -> list[ConformanceCase]:
    """Every preview1 test of every suite, sorted by suite then name; reads no `.wasm`.

    The Rust binaries are packed, so their names come from SHA256SUMS, which lists each file of
    the suite under its unpacked name.
    """
    names: dict[str, set[str]] = {suite: set() for suite in SUITES}
    for line in (SUITE_DIR / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        parts = line.split(maxsplit=1)
        if len(parts) != 2:
            continue
        path = Path(parts[1].lstrip("*"))
        if path.suffix == ".wasm" and len(path.parts) == 5 and path.parts[1] in names:
            names[path.parts[1]].add(path.stem)
    cases: list[ConformanceCase] = []
    for suite in SUITES:
        for name in sorted(names[suite]):
            spec_path = suite_folder(suite) / f"{name}.json"
            spec: dict[str, Any] = {}
            if spec_path.exists():
                spec = cast(dict[str, Any], json.loads(spec_path.read_text(encoding="utf-8")))
            cases.append(
                ConformanceCase(
                    suite=suite,
                    name=name,
                    args=list(spec.get("args", [])),
                    env=dict(spec.get("env", {})),
                    root=spec.get("root"),
                    exit_code=int(spec.get("exit_code", 0)),
                    stdout=spec.get("stdout"),
                    stderr=spec.get("stderr"),
                )
            )
    return cases


def load_skips() -> dict[str, str]:
    """Known failures through the public `wasi` runtime: `suite/name` -> the reason it is left out.

    The skip file's "wasi_layer" section lists failures of the WASI layer itself (the engine's own
    conformance test skips those too); "wasi_runtime" adds those that fail only through the public
    runtime, which always preopens "/".
    """
    sections = cast(dict[str, dict[str, str]], json.loads(SKIP_FILE.read_text(encoding="utf-8")))
    return {**sections["wasi_layer"], **sections["wasi_runtime"]}


def unpack_rust(dest: Path) -> Path:
    """Unpack the Rust suite's packed `.wasm` files into `dest` (created if needed); returns `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(suite_folder("rust") / RUST_ARCHIVE) as archive:
        for member in archive.getmembers():
            # The archive holds plain NAME.wasm files; anything else is not ours to write.
            name = Path(member.name).name
            if not member.isfile() or name != member.name.removeprefix("./") or not name.endswith(".wasm"):
                continue
            source = archive.extractfile(member)
            if source is not None:
                (dest / name).write_bytes(source.read())
    return dest
