"""Pure-Python packages: requirement checks, pip on the host, the cache, the wheelhouse, and runs that import them.

Tests marked `network` resolve against the real package index (PyPI, or the index pip is configured with).
"""

import os
import sys
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import pytest

from runno_mcp import AsyncSandbox, PackageError
from runno_mcp.errors import InvalidRequestError
from runno_mcp.packages import MOUNT_PREFIX, PackageResolver, check_requirements, pip_download_argv

TABLE = "from tabulate import tabulate\nprint(tabulate([['a', 1], ['b', 22]], headers=['name', 'n']))\n"


@pytest.fixture
async def packaged(sandbox: AsyncSandbox, tmp_path: Path) -> AsyncIterator[AsyncSandbox]:
    """The shared sandbox with packages allowed and a package cache of this test's own."""
    saved = sandbox.allow_packages, sandbox.packages, sandbox.max_package_bytes
    sandbox.allow_packages = True
    sandbox.packages = PackageResolver(cache_dir=tmp_path / "cache", wheelhouse=None)
    try:
        yield sandbox
    finally:
        sandbox.allow_packages, sandbox.packages, sandbox.max_package_bytes = saved


# --- requirement strings ---------------------------------------------------------------------------


def test_requirements_are_normalised_and_sorted() -> None:
    """Names are canonicalised, specifiers kept, duplicates dropped."""
    assert check_requirements(["Tabulate>=0.9", "rich[Jupyter]", "tabulate>=0.9", " six "]) == [
        "rich[jupyter]",
        "six",
        "tabulate>=0.9",
    ]


@pytest.mark.parametrize(
    "requirement",
    [
        "https://example.com/pkg.whl",
        "pkg @ https://example.com/pkg.whl",
        "file:///etc/passwd",
        "./local/pkg",
        "/tmp/pkg.whl",
        "..\\pkg",
        "--index-url x",
        "--index-url=http://evil/",
        "-e .",
        "-r requirements.txt",
        "pkg; python_version > '3'",
        "pkg\n--extra-index-url http://evil/",
        "pkg==1 # comment",
        "",
        "a" * 300,
        "not a name!",
    ],
)
def test_requirements_that_are_not_a_plain_name_and_version_are_refused(requirement: str) -> None:
    """URLs, paths, pip options, markers and junk never reach pip."""
    with pytest.raises(PackageError, match="Cannot install package"):
        check_requirements([requirement])


@pytest.mark.parametrize("packages", ["tabulate", b"tabulate", 3, [3], {"tabulate": 1}])
def test_packages_must_be_a_list_of_strings(packages: object) -> None:
    """A bare string is not taken as a list of one-letter packages."""
    with pytest.raises(PackageError):
        check_requirements(packages)


def test_pip_is_asked_for_pure_python_wheels_only() -> None:
    """No source builds, any platform only, no ABI; requirements after `--`; `--no-index` with a wheelhouse."""
    argv = pip_download_argv(["six"], Path("/d"), "3.11", wheelhouse=Path("/wh"))
    assert argv[1:4] == ["-m", "pip", "download"]
    for flag in (
        "--only-binary=:all:",
        "--platform any",
        "--abi none",
        "--implementation py",
        "--python-version 3.11",
        "--no-index",
        "--find-links /wh",
    ):
        assert flag in " ".join(argv)
    assert argv[-2:] == ["--", "six"]
    assert "--no-index" not in pip_download_argv(["six"], Path("/d"), "3.11")


# --- wheels with compiled code ---------------------------------------------------------------------


def _wheel(folder: Path, filename: str, members: dict[str, bytes]) -> Path:
    """A minimal wheel pip accepts: `members` plus the .dist-info pip reads."""
    name, version, tag = filename.split("-")[0], filename.split("-")[1], "-".join(filename[:-4].split("-")[2:])
    info = f"{name}-{version}.dist-info"
    path = folder / filename
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
        archive.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        archive.writestr(f"{info}/WHEEL", f"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: {tag}\n")
        archive.writestr(f"{info}/RECORD", "")
    return path


@pytest.mark.parametrize(
    ("filename", "members"),
    [
        ("fast-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", {"fast/__init__.py": b""}),
        ("sneaky-1.0-py3-none-any.whl", {"sneaky/__init__.py": b"", "sneaky/_speedups.cpython-311.so": b"\x7fELF"}),
        ("sneaky-1.0-py3-none-any.whl", {"sneaky/lib.pyd": b"MZ"}),
    ],
)
async def test_wheels_with_compiled_code_are_refused(tmp_path: Path, filename: str, members: dict[str, bytes]) -> None:
    """A platform wheel, or a py3-none-any wheel holding a shared library, is refused by name."""
    wheelhouse = tmp_path / "wheelhouse"
    wheelhouse.mkdir()
    _wheel(wheelhouse, filename, members)
    resolver = PackageResolver(cache_dir=tmp_path / "cache", wheelhouse=wheelhouse)
    name = filename.split("-")[0]
    with pytest.raises(PackageError, match=f'"{name}".*compiled code'):
        await resolver.download([name], "3.11", tmp_path / "out")


# --- runs (network) ------------------------------------------------------------------------------


@pytest.mark.network
async def test_a_pure_package_is_importable_and_its_files_do_not_come_back(packaged: AsyncSandbox) -> None:
    """tabulate prints a table; neither its files nor the __pycache__ the guest writes come back, even for "all"."""
    result = await packaged.run_code("python", TABLE, packages=["tabulate"], timeout=30)
    assert result.result_type == "complete", result.stderr
    assert result.stdout == "name      n\n------  ---\na         1\nb        22\n"
    assert result.fs == {}
    code = TABLE + "open('/out.txt', 'w').write('x')\nopen('" + MOUNT_PREFIX + "/tabulate/extra.py', 'w').write('')\n"
    everything = await packaged.run_code("python", code, packages=["tabulate"], return_fs="all", timeout=30)
    assert everything.result_type == "complete", everything.stderr
    assert "/out.txt" in everything.fs
    assert not [path for path in everything.fs if path.startswith(MOUNT_PREFIX) or "__pycache__" in path]


@pytest.mark.network
async def test_a_second_identical_request_does_not_run_pip_again(packaged: AsyncSandbox, tmp_path: Path) -> None:
    """In memory, then on disk for a new resolver on the same cache: pip runs once."""
    for _ in range(2):
        result = await packaged.run_code("python", TABLE, packages=["Tabulate"], timeout=30)
        assert result.result_type == "complete", result.stderr
    assert packaged.packages.stats.pip_runs == 1
    fresh = PackageResolver(cache_dir=tmp_path / "cache", wheelhouse=None)
    mount = await fresh.mount(["tabulate"], "3.11", max_bytes=10**8)
    assert (fresh.stats.pip_runs, fresh.stats.disk_hits) == (0, 1)
    assert [wheel.name for wheel in mount.wheels] == ["tabulate"]
    assert (tmp_path / "cache" / "wheels" / f"{mount.wheels[0].sha256}.whl").is_file()


@pytest.mark.network
async def test_dependencies_come_with_a_package(packaged: AsyncSandbox) -> None:
    """python-dateutil 2.9 needs six: both are importable."""
    code = "import dateutil, six\nprint(dateutil.__version__, six.__name__)"
    result = await packaged.run_code("python", code, packages=["python-dateutil==2.9.0.post0"], timeout=30)
    assert (result.result_type, result.stdout, result.stderr) == ("complete", "2.9.0.post0 six\n", "")


@pytest.mark.network
async def test_a_package_with_compiled_code_is_refused_by_name(packaged: AsyncSandbox) -> None:
    with pytest.raises(PackageError, match=r'"numpy".*compiled code'):
        await packaged.run_code("python", "import numpy", packages=["numpy"])


@pytest.mark.network
async def test_packages_in_a_session_are_not_kept_as_its_files(packaged: AsyncSandbox) -> None:
    async with packaged.session() as session:
        result = await session.run_code("python", TABLE, packages=["tabulate"], timeout=30)
        assert result.result_type == "complete", result.stderr
        assert [file.path for file in await session.list_files()] == ["/main.py"]


@pytest.mark.network
async def test_packages_over_the_size_limit_are_refused(packaged: AsyncSandbox) -> None:
    packaged.max_package_bytes = 1000
    with pytest.raises(PackageError, match=r"tabulate.*max_package_bytes"):
        await packaged.run_code("python", TABLE, packages=["tabulate"])


# --- refusals before pip -------------------------------------------------------------------------


async def test_packages_are_refused_unless_the_operator_allows_them(sandbox: AsyncSandbox) -> None:
    assert not sandbox.allow_packages
    with pytest.raises(PackageError, match=r"allow_packages=True.*--allow-packages"):
        await sandbox.run_code("python", TABLE, packages=["tabulate"])
    runtimes = {info.id: info for info in await sandbox.list_runtimes()}
    assert not runtimes["python"].packages_allowed


async def test_packages_are_refused_where_they_cannot_work(packaged: AsyncSandbox) -> None:
    """Other runtimes, live sessions, and caller files in the packages folder."""
    with pytest.raises(PackageError, match='for "quickjs": only these runtimes take them: python'):
        await packaged.run_code("js", "console.log(1)", packages=["tabulate"])
    async with packaged.session(live=True) as session:
        with pytest.raises(PackageError, match="live session"):
            await session.run_code("python", TABLE, packages=["tabulate"])
    with pytest.raises(InvalidRequestError, match="where packages are mounted"):
        await packaged.run_fs("python", "/main.py", {"/main.py": "", f"{MOUNT_PREFIX}/x.py": ""})
    runtimes = {info.id: info for info in await packaged.list_runtimes()}
    assert runtimes["python"].packages_allowed and not runtimes["quickjs"].packages_allowed
    assert packaged.packages.stats.pip_runs == 0


# --- offline, from a wheelhouse (network to seed it) -----------------------------------------------


@pytest.mark.network
async def test_a_wheelhouse_seeded_by_the_cli_serves_an_unreachable_index(
    packaged: AsyncSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`runno-mcp packages download ... -d WHEELHOUSE`, then pip resolves from it with --no-index."""
    wheelhouse = tmp_path / "wheelhouse"
    with anyio.fail_after(300):
        seed = await anyio.run_process(
            [sys.executable, "-m", "runno_mcp", "packages", "download", "tabulate", "six", "-d", str(wheelhouse)],
            check=False,
        )
    assert seed.returncode == 0, seed.stderr.decode()
    assert sorted(path.name.split("-")[0] for path in wheelhouse.glob("*.whl")) == ["six", "tabulate"]
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/")  # nothing listens there
    monkeypatch.setenv("PIP_EXTRA_INDEX_URL", "http://127.0.0.1:9/")
    packaged.packages = PackageResolver(cache_dir=tmp_path / "offline-cache", wheelhouse=wheelhouse)
    result = await packaged.run_code("python", TABLE + "import six", packages=["tabulate", "six"], timeout=30)
    assert result.result_type == "complete", result.stderr
    assert result.stdout.startswith("name      n\n")
    with pytest.raises(PackageError, match=f'"attrs": the wheelhouse {wheelhouse} has no pure-Python wheel'):
        await packaged.run_code("python", "", packages=["attrs"])
    assert packaged.packages.stats.pip_runs == 2
    assert os.environ["PIP_INDEX_URL"] == "http://127.0.0.1:9/"
