"""The `runno-mcp` command line: run like a terminal, list runtimes, install, help."""

import json
import subprocess
import sys
from pathlib import Path

import anyio
import anyio.to_thread
import pytest
from mcp import Client, StdioServerParameters

from runno_mcp.cli import exit_status
from runno_mcp.models import RunResult

COMMAND_TIMEOUT = 120  # seconds: a cold engine plus a first compile


def runno(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m runno_mcp ARGS` with `stdin` piped in."""
    return subprocess.run(
        [sys.executable, "-m", "runno_mcp", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        env=env,
        check=False,
    )


def test_run_prints_like_a_terminal_and_exits_with_the_program_status() -> None:
    """stdout and stderr go to their streams; the exit status is the program's."""
    done = runno("run", "python", "-c", "import sys\nprint('out')\nprint('err', file=sys.stderr)\nsys.exit(3)")
    assert (done.returncode, done.stdout, done.stderr) == (3, "out\n", "err\n")


def test_run_prints_output_as_the_program_writes_it() -> None:
    """The first line is on the terminal while the program is still running, not only at its end."""
    code = "import time\nprint('first', flush=True)\ntime.sleep(3)\nprint('second')"
    with subprocess.Popen(
        [sys.executable, "-m", "runno_mcp", "run", "python", "-c", code],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        assert process.stdout.readline() == "first\n"
        assert process.poll() is None  # still sleeping: the line was streamed
        assert process.stdout.read() == "second\n"
        assert process.wait(COMMAND_TIMEOUT) == 0


def test_run_takes_a_file_args_and_piped_stdin(tmp_path: Path) -> None:
    """A source file runs with the arguments after `--` and the piped standard input."""
    source = tmp_path / "prog.rb"
    source.write_text("puts ARGV.join(','), STDIN.read.upcase", encoding="utf-8")
    done = runno("run", "ruby", str(source), "--", "a", "b c", stdin="piped\n")
    assert (done.returncode, done.stdout) == (0, "a,b c\nPIPED\n")


def test_run_reads_the_program_from_stdin_with_a_dash() -> None:
    done = runno("run", "js", "-", stdin="console.log(6 * 7)")
    assert (done.returncode, done.stdout) == (0, "42\n")


def test_run_json_prints_the_run_result() -> None:
    done = runno("run", "sqlite", "-c", "SELECT 1;", "--json")
    result = RunResult.model_validate_json(done.stdout)
    assert (done.returncode, result.result_type, result.stdout) == (0, "complete", "1\n")


def test_a_timeout_exits_124_with_a_note() -> None:
    done = runno("run", "python", "-c", "print('a', flush=True)\nwhile True: pass", "--timeout", "5")
    assert (done.returncode, done.stdout) == (124, "a\n")
    assert "did not finish within its time limit" in done.stderr


def test_an_unknown_language_is_a_usage_error_listing_the_known_ones() -> None:
    done = runno("run", "cobol", "-c", "x")
    assert done.returncode == 2
    assert "known runtimes are clang, clangpp" in done.stderr


def test_runtimes_lists_versions_licences_and_install_state() -> None:
    done = runno("runtimes", "--json")
    rows = {row["id"]: row for row in json.loads(done.stdout)}
    assert done.returncode == 0
    assert rows["python"]["version"] == "3.11.3" and rows["python"]["license"] == "PSF-2.0"
    assert rows["sqlite"]["aliases"] == "sql"
    assert set(rows) == {"python", "python-sci", "ruby", "quickjs", "clang", "clangpp", "php-cgi", "sqlite", "wasi"}
    assert rows["python-sci"]["version"] == "3.15.0" and rows["python-sci"]["license"].startswith("Apache-2.0")


def test_install_options_that_do_not_go_together_are_usage_errors() -> None:
    """--wheel is for an optional runtime and --tarball for the main files; mixing them says which is which."""
    done = runno("install", "--wheel", "x.whl")
    assert done.returncode == 2 and "--wheel goes with an optional runtime" in done.stderr
    done = runno("install", "python-sci", "--tarball", "x.tgz")
    assert done.returncode == 2 and "use --wheel for an optional runtime" in done.stderr
    done = runno("install", "python-gpu")
    assert done.returncode == 2 and "python-sci" in done.stderr


def test_install_refuses_a_tarball_that_fails_its_integrity_check(tmp_path: Path) -> None:
    """A wrong tarball is refused with exit status 3 and nothing is installed."""
    bogus = tmp_path / "bogus.tgz"
    bogus.write_bytes(b"not a tarball")
    target = tmp_path / "langs"
    env = {"RUNNO_MCP_LANGS_DIR": str(target), "PATH": "/usr/bin:/bin"}
    done = runno("install", "--tarball", str(bogus), env=env)
    assert done.returncode == 3
    assert "fails its integrity check" in done.stderr
    assert not target.exists()


def test_help_names_every_command() -> None:
    done = runno("--help")
    assert done.returncode == 0
    for command in ("serve", "run", "runtimes", "install"):
        assert f"  {command} " in done.stdout


@pytest.mark.parametrize(
    ("result", "status"),
    [
        pytest.param(RunResult(result_type="complete", exit_code=0), 0, id="success"),
        pytest.param(RunResult(result_type="complete", exit_code=7), 7, id="failure"),
        pytest.param(RunResult(result_type="complete", exit_code=256), 1, id="wraps-to-zero"),
        pytest.param(RunResult(result_type="complete", exit_code=-1), 255, id="negative"),
        pytest.param(RunResult(result_type="timeout"), 124, id="timeout"),
        pytest.param(RunResult(result_type="crash", error="x"), 125, id="crash"),
    ],
)
def test_exit_status_stands_for_the_result(result: RunResult, status: int) -> None:
    assert exit_status(result) == status


async def test_config_prints_an_entry_that_starts_this_server_without_the_venv_on_path() -> None:
    """The printed Claude Desktop entry names this Python (or console script) by absolute path, so a
    client whose PATH lacks the virtual environment still starts the server and lists its tools."""
    done = await anyio.to_thread.run_sync(runno, "config", "claude-desktop")
    entry = json.loads(done.stdout)["mcpServers"]["runno"]
    assert Path(entry["command"]).is_absolute() and entry["args"] == ["-m", "runno_mcp"]
    env = {"PATH": "/nonexistent", "RUNNO_MCP_LOG_LEVEL": "ERROR"}
    params = StdioServerParameters(command=entry["command"], args=entry["args"], env=env)
    with anyio.fail_after(COMMAND_TIMEOUT):
        async with Client(params) as client:
            assert "run_code" in {tool.name for tool in (await client.list_tools()).tools}


def test_config_from_the_console_script_names_the_script_itself() -> None:
    script = Path(sys.executable).parent / "runno-mcp"
    done = subprocess.run([script, "config", "claude-desktop"], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout)["mcpServers"]["runno"] == {"command": str(script.resolve()), "args": []}


def test_config_write_merges_into_the_apps_file_and_keeps_other_servers(tmp_path: Path) -> None:
    config = tmp_path / "Claude" / "claude_desktop_config.json"
    config.parent.mkdir()
    config.write_text(json.dumps({"theme": "dark", "mcpServers": {"other": {"command": "x"}}}), encoding="utf-8")
    for _ in range(2):  # writing again changes nothing
        assert runno("config", "claude-desktop", "--write", "--config", str(config)).returncode == 0
    written = json.loads(config.read_text(encoding="utf-8"))
    assert written["theme"] == "dark" and written["mcpServers"]["other"] == {"command": "x"}
    assert written["mcpServers"]["runno"]["args"] == ["-m", "runno_mcp"]
    assert [path.name for path in config.parent.iterdir()] == ["claude_desktop_config.json"]


def test_config_write_refuses_a_file_it_cannot_read_as_json(tmp_path: Path) -> None:
    config = tmp_path / "claude_desktop_config.json"
    config.write_text("{not json", encoding="utf-8")
    done = runno("config", "claude-desktop", "--write", "--config", str(config))
    assert done.returncode == 2 and "fix or move it" in done.stderr
    assert config.read_text(encoding="utf-8") == "{not json"


# A Python without the `mcp` extra: the SDK and the HTTP server it brings cannot be imported.
WITHOUT_MCP_EXTRA = """
import importlib.abc, sys
class NoServerExtra(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.partition(".")[0] in {"mcp", "mcp_types", "uvicorn", "h11", "prometheus_client", "starlette"}:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, NoServerExtra())
"""


def without_mcp_extra(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_MCP_EXTRA + script],
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )


def test_the_api_and_langchain_tools_work_without_the_mcp_extra() -> None:
    """`pip install runno-mcp` alone (as beside langchain-mcp-adapters, which pins mcp<2) gives the Python
    API, the LangChain tools and `runno-mcp run`."""
    done = without_mcp_extra(
        "from runno_mcp import Sandbox\n"
        "from runno_mcp.tools.langchain import RunCodeTool\n"
        "from runno_mcp.cli import main\n"
        "with Sandbox() as sandbox:\n"
        "    print(sandbox.run_code('python', 'print(6 * 7)').stdout, end='')\n"
        "    print(RunCodeTool(sandbox=sandbox).invoke({'language': 'ruby', 'code': 'puts 2 + 3'}).splitlines()[2])\n"
        "main(['run', 'sqlite', '-c', 'select 7 * 6;'])\n"
    )
    assert (done.returncode, done.stdout) == (0, "42\n5\n42\n"), done.stderr


def test_serve_without_the_mcp_extra_says_how_to_get_it() -> None:
    """Serving without the extra exits 3 and names both ways out: install the extra, or uvx."""
    done = without_mcp_extra("from runno_mcp.cli import main\nmain(['serve'])")
    assert done.returncode == 3
    assert 'pip install "runno-mcp[mcp]"' in done.stderr
    assert 'uvx --from "runno-mcp[mcp]" runno-mcp' in done.stderr
    desktop = without_mcp_extra("from runno_mcp.cli import main\nmain(['config', 'claude-desktop'])")
    assert desktop.returncode == 2 and "or pass --uvx" in desktop.stderr


def test_config_uvx_starts_the_server_with_uv() -> None:
    """--uvx gives the entry that runs the server in uv's own environment, the extra included."""
    done = runno("config", "claude-desktop", "--uvx")
    entry = json.loads(done.stdout)["mcpServers"]["runno"]
    assert entry["args"] == ["--from", "runno-mcp[mcp]", "runno-mcp"]
    assert Path(entry["command"]).name == "uvx"
