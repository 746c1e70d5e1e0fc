"""One test per threat: a guest cannot reach host files, environment, network or processes."""

import os

import pytest

from runno_mcp import AsyncSandbox


async def test_a_guest_cannot_read_host_files(sandbox: AsyncSandbox) -> None:
    """Paths that exist on the host do not exist in the guest's filesystem."""
    code = (
        "import os\n"
        "for path in ('/etc/passwd', '/proc/self/environ', os.path.expanduser('~/.ssh')):\n"
        "    print(path, os.path.exists(path))\n"
    )
    result = await sandbox.run_code("python", code)
    assert "True" not in result.stdout, result.stdout


async def test_a_guest_cannot_escape_its_root_with_dotdot(sandbox: AsyncSandbox) -> None:
    """`..` above the root is the root again or refused; it never lists the host's folders."""
    code = (
        "import os\n"
        "try:\n"
        "    print(sorted(os.listdir('/../../..')))\n"
        "except OSError as exc:\n"
        "    print('refused', exc.errno)\n"
    )
    result = await sandbox.run_code("python", code)
    assert result.result_type == "complete" and result.stdout
    assert not {"'etc'", "'proc'", "'home'", "'root'"} & set(result.stdout.strip("[]\n").split(", "))


async def test_a_guest_cannot_see_host_environment_variables(
    sandbox: AsyncSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUNNO_TEST_SECRET", "hunter2")
    result = await sandbox.run_code("python", "import os\nprint(dict(os.environ))")
    assert "hunter2" not in result.stdout
    assert os.environ.get("HOME", "/nonexistent-home") not in result.stdout


async def test_a_guest_cannot_open_a_socket(sandbox: AsyncSandbox) -> None:
    code = (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('1.1.1.1', 80), timeout=2)\n"
        "    print('connected')\n"
        "except Exception as exc:\n"
        "    print('refused', type(exc).__name__)\n"
    )
    result = await sandbox.run_code("python", code)
    assert "connected" not in result.stdout


async def test_a_guest_cannot_start_a_process(sandbox: AsyncSandbox) -> None:
    code = (
        "import os, subprocess\n"
        "try:\n"
        "    subprocess.run(['ls'])\n"
        "    print('ran')\n"
        "except Exception as exc:\n"
        "    print('refused', type(exc).__name__)\n"
    )
    result = await sandbox.run_code("python", code)
    assert "ran" not in result.stdout.split()


async def test_runs_do_not_share_files(sandbox: AsyncSandbox) -> None:
    """A file one run writes is gone for the next: each run gets a fresh filesystem."""
    await sandbox.run_code("python", "open('/tmp/leak.txt', 'w').write('secret')")
    result = await sandbox.run_code("python", "import os\nprint(os.path.exists('/tmp/leak.txt'))")
    assert result.stdout == "False\n"


async def test_javascripts_node_modules_reach_only_the_runs_files_and_environment(sandbox: AsyncSandbox) -> None:
    """The prelude's fs, process and child_process are the sandbox's: the run's in-memory files, its own
    environment, and no way to start a process."""
    os.environ["RUNNO_HOST_CANARY"] = "host-secret"
    code = (
        "const fs = require('fs');\n"
        "for (const p of ['/etc/passwd', '/proc/self/environ', '/../../etc/hostname'])\n"
        "  console.log(p, fs.existsSync(p));\n"
        "console.log(fs.readdirSync('/../..').sort().join(','));\n"
        "console.log(JSON.stringify(process.env));\n"
        "try { require('child_process').execSync('id'); } catch (e) { console.log(e.code); }\n"
    )
    try:
        result = await sandbox.run_code("js", code, env={"ONLY": "this"})
    finally:
        del os.environ["RUNNO_HOST_CANARY"]
    lines = result.stdout.splitlines()
    assert lines[:3] == ["/etc/passwd false", "/proc/self/environ false", "/../../etc/hostname false"], result.stderr
    assert lines[3] == "dev,main.js,usr"  # the guest root: the sandbox's /dev, the prelude's /usr, the program
    assert lines[4] == '{"ONLY":"this"}'
    assert lines[5] == "ERR_UNAVAILABLE_IN_SANDBOX"
