"""What a run can make the sandbox hold and send back is bounded: files per result, their bytes, files made.

Each cap is counted inside the engine before anything is serialised; the result says what was left
out, and which files were kept (changed files first, then by path).
"""

import base64
from pathlib import Path

import anyio
import pytest
from langchain_core.messages import ToolMessage
from mcp import Client

from runno_mcp import AsyncSandbox, InvalidRequestError
from runno_mcp.tools.langchain import RunFilesTool
from runno_mcp.tools.mcp import ServerOptions, create_server

MANY_FILES = (
    "import os\nos.makedirs('/out', exist_ok=True)\n"
    "for i in range({n}):\n    open(f'/out/{{i:05}}.txt', 'w').write('{text}')\n"
)
RUN_TIMEOUT = 60


def engine_rss_mb(sandbox: AsyncSandbox) -> float:
    """The engine process's resident memory, from /proc."""
    status = Path(f"/proc/{sandbox.engine_pid}/status").read_text(encoding="utf-8")
    line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


async def test_a_result_carries_at_most_max_return_files_and_counts_the_rest(sandbox: AsyncSandbox) -> None:
    """2,000 files written, 10 come back in path order; the result counts the 1,990 others and names the first."""
    code = MANY_FILES.format(n=2000, text="x")
    result = await sandbox.run_code("python", code, max_return_files=10, timeout=RUN_TIMEOUT)
    assert result.exit_code == 0, result.stderr
    assert sorted(result.fs) == [f"/out/{i:05}.txt" for i in range(10)]
    assert (result.omitted_files, result.omitted_bytes, result.truncated) == (1990, 1990, True)
    assert result.warnings == [
        "1990 file(s) the run wrote (1990 bytes) were not returned: a result carries at most 10 files "
        "(max_return_files) of 16777216 bytes in all (max_return_bytes), changed files first, then by path; "
        'left out: "/out/00010.txt", "/out/00011.txt", "/out/00012.txt", "/out/00013.txt", "/out/00014.txt" '
        "and 1985 more"
    ]


async def test_the_byte_cap_leaves_out_a_large_file_and_keeps_a_smaller_one_after_it(sandbox: AsyncSandbox) -> None:
    code = (
        "open('/a.bin', 'wb').write(b'a' * 600_000)\nopen('/b.bin', 'wb').write(b'b' * 600_000)\n"
        "open('/c.txt', 'w').write('small')"
    )
    result = await sandbox.run_code("python", code, max_return_bytes=1_000_000)
    assert sorted(result.fs) == ["/a.bin", "/c.txt"]
    assert (result.omitted_files, result.omitted_bytes) == (1, 600_000)


async def test_return_all_sends_changed_files_before_the_ones_left_alone(sandbox: AsyncSandbox) -> None:
    """With room for one file, "all" gives the file the run wrote, not the input it never touched."""
    fs = {"/main.py": "open('/z_new.txt', 'w').write('new')", "/a_input.txt": "unchanged"}
    result = await sandbox.run_fs("python", "/main.py", fs, return_fs="all", max_return_files=1)
    assert list(result.fs) == ["/z_new.txt"]
    assert result.omitted_files >= 2  # the input and /main.py, and the runtime's own files "all" also offers


async def test_a_file_flood_ends_in_enospc_and_leaves_the_engine_bounded_and_serving(sandbox: AsyncSandbox) -> None:
    """A program that makes empty files without end is stopped at 100,000 by ENOSPC; the engine's memory
    stays bounded and the next run is served."""
    code = (
        "import errno, os\nos.mkdir('/flood')\nmade = 0\ntry:\n    while True:\n"
        "        open(f'/flood/{made}', 'w').close()\n"
        "        made += 1\nexcept OSError as exc:\n    print(made, errno.errorcode[exc.errno])\n"
    )
    before = engine_rss_mb(sandbox)
    result = await sandbox.run_code("python", code, timeout=120, max_return_files=5)
    made, error = result.stdout.split()
    assert error == "ENOSPC" and 99_000 <= int(made) <= 100_000, result.stdout + result.stderr
    assert result.omitted_files == int(made) - 5
    assert engine_rss_mb(sandbox) - before < 600  # 100k inodes and their result list: a fixed margin, measured ~200
    assert (await sandbox.run_code("python", "print('next')")).stdout == "next\n"


@pytest.mark.parametrize(
    ("runtime", "path", "reason"),
    [
        pytest.param("python", "/dev/foo", "sandbox's device folder", id="dev"),
        pytest.param("quickjs", "/dev", "sandbox's device folder", id="dev-itself"),
        pytest.param("clang", "/tmp/.runno/program.o", "compiler intermediates", id="intermediates"),
        pytest.param("python", "/usr/lib/x.py", "serves /usr from inside its own binary", id="shadowed"),
        pytest.param("ruby", "/opt/runno-packages/x.py", "where packages are mounted", id="packages"),
        pytest.param("python-sci", "/usr/local/share/matplotlib/config/x", "writes its own files there", id="scratch"),
    ],
)
async def test_a_file_the_run_cannot_honour_is_refused_naming_the_path_and_why(
    sandbox: AsyncSandbox, runtime: str, path: str, reason: str
) -> None:
    entry = {
        "python": "/main.py",
        "python-sci": "/main.py",
        "quickjs": "/main.js",
        "clang": "/main.c",
        "ruby": "/main.rb",
    }
    with pytest.raises(InvalidRequestError, match=reason) as error:
        await sandbox.run_fs(runtime, entry[runtime], {entry[runtime]: "", path: "x"})
    assert f'"{path}"' in str(error.value)


async def test_mcp_and_langchain_refuse_a_file_under_dev_the_same_way(sandbox: AsyncSandbox) -> None:
    files = [{"path": "/main.py", "content": "print(1)"}, {"path": "/dev/foo", "content": "x"}]
    async with Client(create_server(ServerOptions(), sandbox=sandbox)) as client:
        result = await client.call_tool("run_fs", {"language": "python", "entry_path": "/main.py", "files": files})
    assert result.is_error and "sandbox's device folder" in getattr(result.content[0], "text", "")
    tool = RunFilesTool()
    try:
        message = await tool.ainvoke(
            {
                "type": "tool_call",
                "id": "1",
                "name": "run_fs",
                "args": {"language": "python", "entry_path": "/main.py", "files": files},
            }
        )
    finally:
        await anyio.to_thread.run_sync(tool.close)
    assert isinstance(message, ToolMessage) and message.status == "error"
    assert '"/dev/foo"' in str(message.content)


async def test_an_mcp_result_is_held_to_the_operators_file_caps(sandbox: AsyncSandbox) -> None:
    """A server with --max-return-files 5 sends 5 files of 30 in structuredContent; the text says so."""
    code = MANY_FILES.format(n=30, text="y")
    async with Client(create_server(ServerOptions(max_return_files=5), sandbox=sandbox)) as client:
        result = await client.call_tool("run_code", {"language": "python", "code": code})
    assert result.structured_content is not None
    assert len(result.structured_content["fs"]) == 5 and result.structured_content["omitted_files"] == 25
    assert "25 file(s) the run wrote (25 bytes) were not returned" in str(result.content[0])


async def test_a_session_keeps_a_file_larger_than_a_plain_result_carries(sandbox: AsyncSandbox) -> None:
    """A 20 MiB file is within the session's 32 MiB: it is kept, though the caller's result leaves it out."""
    async with sandbox.session() as session:
        code = "open('/big.bin', 'wb').write(b'z' * (20 * 1024 * 1024))"
        result = await session.run_code("python", code, max_return_bytes=1024, timeout=RUN_TIMEOUT)
        assert (result.exit_code, result.omitted_files) == (0, 1)
        held = {file.path: file.size for file in await session.list_files()}
        assert held["/big.bin"] == 20 * 1024 * 1024


async def test_a_session_file_past_its_limits_is_refused_in_the_result_of_the_run_that_wrote_it(
    sandbox: AsyncSandbox,
) -> None:
    async with sandbox.session() as session:
        code = "open('/huge.bin', 'wb').write(b'z' * (33 * 1024 * 1024))"
        result = await session.run_code("python", code, timeout=RUN_TIMEOUT)
        assert result.truncated
        assert any('"/huge.bin"' in warning and "not kept in the session" in warning for warning in result.warnings), (
            result.warnings
        )
        assert "/huge.bin" not in {file.path for file in await session.list_files()}


async def test_a_session_result_is_held_to_the_callers_caps_while_the_session_keeps_every_file(
    sandbox: AsyncSandbox,
) -> None:
    async with sandbox.session() as session:
        result = await session.run_code("python", MANY_FILES.format(n=50, text="s"), max_return_files=10)
        assert (len(result.fs), result.omitted_files) == (10, 40)
        assert len([file for file in await session.list_files() if file.path.startswith("/out/")]) == 50
        everything = await session.run_code("python", "pass", return_fs="all", max_return_files=3)
        assert list(everything.fs) == ["/main.py", "/out/00000.txt", "/out/00001.txt"]


def test_base64_of_the_largest_result_fits_one_frame() -> None:
    """24 MiB of files as base64 plus three 8 MiB streams stay under the 64 MiB frame."""
    from runno_mcp.models import MAX_OUTPUT_BYTES_LIMIT, MAX_RETURN_BYTES_LIMIT

    assert len(base64.b64encode(b"\0" * 3)) * MAX_RETURN_BYTES_LIMIT // 3 + 3 * MAX_OUTPUT_BYTES_LIMIT < 64 * 2**20


async def test_writes_past_the_fs_byte_budget_fail_with_enospc(sandbox: AsyncSandbox) -> None:
    """A run's writes may allocate 128 MiB in its FS; the write past it fails as a full disk does (one file's
    buffer grows by doubling, so it stops between 64 and 128 MiB)."""
    code = (
        "import errno\nf = open('/big', 'wb')\nwritten = 0\ntry:\n    while True:\n"
        "        f.write(b'x' * 2**20); f.flush(); written += 1\nexcept OSError as exc:\n"
        "    print(written, errno.errorcode[exc.errno])\n"
    )
    result = await sandbox.run_code("python", code, return_fs="none", timeout=RUN_TIMEOUT)
    written, error = result.stdout.split()
    assert (error, 64 <= int(written) <= 128) == ("ENOSPC", True), result.stdout + result.stderr


async def test_names_are_paid_from_the_fs_byte_budget(sandbox: AsyncSandbox) -> None:
    """Symlinks with 4,000-byte targets run out of the 128 MiB budget long before the 100,000-entry cap."""
    code = (
        "import errno, os\nos.mkdir('/links')\nmade = 0\ntry:\n    while True:\n"
        "        os.symlink('t' * 4000, f'/links/{made}'); made += 1\nexcept OSError as exc:\n"
        "    print(made, errno.errorcode[exc.errno])\n"
    )
    result = await sandbox.run_code("python", code, return_fs="none", timeout=RUN_TIMEOUT)
    made, error = result.stdout.split()
    assert (error, 30_000 <= int(made) <= 33_600) == ("ENOSPC", True), result.stdout + result.stderr
