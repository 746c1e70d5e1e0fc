"""Public models: runtime names, path rules, option ranges, and JSON that always serialises."""

import json
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from inline_snapshot import snapshot

from runno_mcp.errors import InvalidRequestError, UnknownRuntimeError
from runno_mcp.models import (
    ALIASES,
    RUNTIMES,
    BinaryFile,
    RunOptions,
    RunResult,
    StringFile,
    Timestamps,
    normalize_path,
    resolve_runtime,
)


@pytest.mark.parametrize(
    ("name", "runtime"),
    [
        pytest.param("python", "python", id="id"),
        pytest.param("JS", "quickjs", id="alias-case"),
        pytest.param("c++", "clangpp", id="c++"),
        pytest.param("php", "php-cgi", id="php"),
        pytest.param("sql", "sqlite", id="sql"),
        pytest.param("wasi", "wasi", id="wasi"),
    ],
)
def test_runtimes_and_aliases_resolve(name: str, runtime: str) -> None:
    """Ids and aliases, in any case, name a runtime."""
    assert resolve_runtime(name) == runtime


def test_an_unknown_runtime_lists_the_known_ones() -> None:
    """The error says which runtimes exist, so the caller can pick one."""
    with pytest.raises(UnknownRuntimeError) as caught:
        resolve_runtime("cobol")
    assert str(caught.value) == snapshot(
        'Cannot run "cobol": known runtimes are clang, clangpp, php-cgi, python, python-sci, quickjs, ruby, sqlite, '
        "wasi (also accepted: c, c++, cpp, javascript, js, php, sql)"
    )
    assert isinstance(caught.value, ValueError)


def test_every_alias_targets_a_runtime() -> None:
    assert set(ALIASES.values()) <= set(RUNTIMES)


@pytest.mark.parametrize(
    ("key", "path"),
    [
        pytest.param("/main.py", "/main.py", id="absolute"),
        pytest.param("main.py", "/main.py", id="relative-from-root"),
        pytest.param("data//in/./a.csv", "/data/in/a.csv", id="collapsed"),
        pytest.param("/données/é.txt", "/données/é.txt", id="unicode"),
    ],
)
def test_paths_are_made_absolute(key: str, path: str) -> None:
    """A relative key is taken from `/`; empty and `.` segments vanish."""
    assert normalize_path(key) == path


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        pytest.param("", "empty", id="empty"),
        pytest.param("/a\0b", "NUL", id="nul"),
        pytest.param("/a/../etc/passwd", '".." segments', id="dotdot"),
        pytest.param("..", '".." segments', id="bare-dotdot"),
        pytest.param("/", "names a directory", id="root"),
        pytest.param("/dir/", "names a directory", id="trailing-slash"),
        pytest.param("/" + "a" * 256, "256 bytes, over the limit of 255", id="long-component"),
        pytest.param("/" + "é" * 128, "256 bytes, over the limit of 255", id="long-component-bytes"),
        pytest.param("/a" * 2049, "over the limit of 4096", id="long-path"),
    ],
)
def test_bad_paths_are_refused_naming_the_key(key: str, reason: str) -> None:
    """Each refused path raises InvalidRequestError that says why."""
    with pytest.raises(InvalidRequestError, match=reason):
        normalize_path(key)


@given(st.text(min_size=1, max_size=50).filter(lambda s: "\0" not in s and ".." not in s.split("/")))
def test_accepted_paths_are_absolute_and_stable(key: str) -> None:
    """Whatever is accepted comes out absolute, and normalising again changes nothing."""
    try:
        path = normalize_path(key)
    except InvalidRequestError:
        return
    assert path.startswith("/") and normalize_path(path) == path


def test_run_options_have_the_documented_defaults() -> None:
    assert RunOptions().model_dump() == snapshot(
        {
            "timeout": 10.0,
            "stdin": None,
            "args": [],
            "env": {},
            "max_output_bytes": 65536,
            "memory_limit_mb": 512,
            "return_fs": "changed",
            "max_return_files": 1000,
            "max_return_bytes": 16777216,
            "packages": None,
            "compiler_flags": [],
        }
    )


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"timeout": 0}, id="zero-timeout"),
        pytest.param({"timeout": float("nan")}, id="nan-timeout"),
        pytest.param({"memory_limit_mb": 0}, id="no-memory"),
        pytest.param({"memory_limit_mb": 5000}, id="too-much-memory"),
        pytest.param({"max_output_bytes": -1}, id="negative-cap"),
        pytest.param({"env": {"A=B": "x"}}, id="env-name"),
        pytest.param({"args": ["a\0"]}, id="nul-arg"),
        pytest.param({"return_fs": "some"}, id="return-fs"),
        pytest.param({"colour": "red"}, id="unknown-option"),
    ],
)
def test_out_of_range_options_are_refused(options: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        RunOptions.model_validate(options)


def test_run_result_json_carries_binary_as_base64_and_round_trips() -> None:
    """Binary files become standard base64 in JSON and come back as the same bytes."""
    moment = datetime(2024, 1, 2, tzinfo=timezone.utc)
    result = RunResult(
        result_type="complete",
        exit_code=0,
        stdout="ok\n",
        fs={
            "/out.bin": BinaryFile(path="/out.bin", content=b"\xff\xfe\x00"),
            "/out.txt": StringFile(
                path="/out.txt", content="é", timestamps=Timestamps(access=moment, modification=moment, change=moment)
            ),
        },
    )
    data = json.loads(result.model_dump_json())
    assert data["fs"]["/out.bin"] == {"path": "/out.bin", "content": "//4A", "mode": "binary", "timestamps": None}
    assert RunResult.model_validate_json(result.model_dump_json()) == result
    assert result.model_dump(mode="json")["fs"]["/out.bin"]["content"] == "//4A"


@given(st.text(), st.binary())
def test_model_dump_json_never_fails(text: str, data: bytes) -> None:
    """Any text (lone surrogates included) and any bytes serialise."""
    result = RunResult(
        result_type="crash",
        stdout=text + "\ud800",
        stderr=text,
        error=text,
        fs={"/b": BinaryFile(path="/b", content=data), "/s": StringFile(path="/s", content=text + "\udfff")},
    )
    json.loads(result.model_dump_json())


def test_as_text_is_compact_and_complete() -> None:
    """The text for a model names the outcome, both streams, files and what was cut."""
    result = RunResult(
        result_type="complete",
        exit_code=1,
        stdout="partial\n",
        stderr="Traceback...\n",
        fs={"/o.txt": StringFile(path="/o.txt", content="hi")},
        truncated=True,
        warnings=["stdout was cut to 8 bytes (12 dropped)"],
    )
    assert result.as_text() == snapshot("""\
result: failed, exit code 1: Traceback...
--- stdout ---
partial
--- stderr ---
Traceback...
--- files ---
/o.txt (text, 2 bytes)
note: stdout was cut to 8 bytes (12 dropped)\
""")


@pytest.mark.parametrize(
    ("result", "first_line"),
    [
        pytest.param(
            RunResult(result_type="complete", exit_code=2, stderr="Traceback...\n  File x\nKeyError: 'a'\n"),
            "result: failed, exit code 2: KeyError: 'a'",
            id="exception-last",
        ),
        pytest.param(
            RunResult(result_type="complete", exit_code=1, stderr="TypeError: no\n    at f (main.js)\n"),
            "result: failed, exit code 1: TypeError: no",
            id="indented-trace-skipped",
        ),
        pytest.param(RunResult(result_type="complete", exit_code=3), "result: failed, exit code 3", id="silent"),
        pytest.param(
            RunResult(
                result_type="complete",
                exit_code=1,
                failed_step="compile",
                stderr="In file included from x\n/main.cpp:2:1: error: unknown type name 'foo'\n1 error generated.\n",
            ),
            "result: compile error (exit code 1), the program did not run: "
            "/main.cpp:2:1: error: unknown type name 'foo'",
            id="compile",
        ),
        pytest.param(
            RunResult(result_type="complete", exit_code=1, stderr="E" * 500),
            f"result: failed, exit code 1: {'E' * 197}...",
            id="long-line-cut",
        ),
    ],
)
def test_as_text_first_line_says_how_a_run_failed(result: RunResult, first_line: str) -> None:
    assert result.as_text().splitlines()[0] == first_line


def test_as_text_says_a_timeout_kept_partial_output() -> None:
    text = RunResult(result_type="timeout", stdout="1\n2\n").as_text()
    assert text.startswith("result: timeout") and "1\n2" in text
