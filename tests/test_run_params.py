"""A call's options and files turned into the engine's run params: pure functions, no engine needed."""

import base64

import pytest

from runno_mcp import langs
from runno_mcp._calls import FileData
from runno_mcp._run_params import MAX_STDIN_BYTES, Bounds, build_run_params, check_options
from runno_mcp.engine import RunParams
from runno_mcp.errors import InvalidRequestError
from runno_mcp.models import RunOptions

BOUNDS = Bounds(max_timeout=300.0, max_memory_limit_mb=4096)
MANIFEST = langs.load_manifest()


def test_options_left_out_or_none_take_the_models_defaults() -> None:
    """Only what the caller set is forwarded; None counts as unset."""
    assert check_options({"timeout": None, "env": None, "memory_limit_mb": None}, BOUNDS) == RunOptions()


def test_an_unset_default_above_the_sandbox_bound_is_lowered_to_it() -> None:
    """A sandbox that allows at most 5 s and 64 MiB gives a run that does not say exactly that."""
    checked = check_options({}, Bounds(max_timeout=5.0, max_memory_limit_mb=64))
    assert (checked.timeout, checked.memory_limit_mb) == (5.0, 64)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"timeout": 301}, "timeout 301: it must be more than 0 and at most 300 seconds", id="timeout"),
        pytest.param({"timeout": 0}, "timeout 0: it must be more than 0", id="zero"),
        pytest.param({"memory_limit_mb": 5000}, "this sandbox allows at most 4096 MiB", id="memory"),
        pytest.param({"memory_limit_mb": 0}, "memory_limit_mb: Input should be greater than or equal to 1", id="min"),
        pytest.param({"return_fs": "some"}, "return_fs: Input should be 'changed', 'all' or 'none'", id="return_fs"),
        pytest.param({"env": {"A=B": "x"}}, 'variable name "A=B"', id="env"),
    ],
)
def test_an_option_out_of_range_names_what_to_change(options: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidRequestError, match="Cannot run with") as error:
        check_options(options, BOUNDS)  # pyright: ignore[reportArgumentType]
    assert message in str(error.value)


def params(files: dict[str, FileData], **options: object) -> RunParams:
    return build_run_params(
        "python", "/main.py", files, RunOptions.model_validate(options), spec=MANIFEST.runtimes["python"]
    )


def test_files_cross_as_base64_of_their_exact_bytes_with_their_times() -> None:
    data = bytes(range(256))
    built = params({"/main.py": FileData(b"print(1)"), "/blob": FileData(data, 1_700_000_000_123_456_789)})
    wire = {file.path: file for file in built.files}
    assert base64.b64decode(wire["/blob"].content) == data
    assert (wire["/blob"].mtime_ns, wire["/main.py"].mtime_ns) == ("1700000000123456789", None)
    assert (built.entry, built.timeout_ms, built.memory_limit_mb, built.stdin) == ("/main.py", 10_000, 512, None)


def test_an_entry_that_is_not_among_the_files_is_refused() -> None:
    with pytest.raises(InvalidRequestError, match=r'Cannot run "/main.py": it is not among the files given \(/a.py\)'):
        params({"/a.py": FileData(b"")})


def test_stdin_over_its_limit_is_refused_before_anything_runs() -> None:
    with pytest.raises(InvalidRequestError, match="write the data to a file instead"):
        params({"/main.py": FileData(b"")}, stdin=b"x" * (MAX_STDIN_BYTES + 1))


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        pytest.param("/usr/lib/x.py", "serves /usr from inside its own binary", id="shadowed"),
        pytest.param("/opt/runno-packages/x.py", "is where packages are mounted", id="packages"),
    ],
)
def test_a_file_the_program_could_never_see_is_refused_by_name(path: str, reason: str) -> None:
    with pytest.raises(InvalidRequestError, match=reason) as error:
        params({"/main.py": FileData(b""), path: FileData(b"")})
    assert path in str(error.value)


def test_mounted_packages_come_first_on_pythonpath() -> None:
    """The packages' folder leads, a PYTHONPATH the caller set follows, and the package files ride along."""
    built = build_run_params(
        "python",
        "/main.py",
        {"/main.py": FileData(b"")},
        RunOptions(env={"PYTHONPATH": "/mine"}),
        spec=MANIFEST.runtimes["python"],
        mounted={"/opt/runno-packages/t.py": b"x = 1"},
    )
    assert built.env["PYTHONPATH"] == "/opt/runno-packages:/mine"
    assert "/opt/runno-packages/t.py" in {file.path for file in built.files}
