"""Pre-booted interpreters: a run that takes one sees exactly what a run started from scratch sees.

The shared `sandbox` keeps interpreters booted (the default); `cold` boots nothing, so every
run there starts from scratch. Each test runs the same call through both and compares.
"""

from collections.abc import AsyncIterator

import anyio
import pytest

from runno_mcp import AsyncSandbox, RunResult

TIMEOUT = 60.0  # seconds: room for a cold start on a loaded machine


@pytest.fixture(scope="module")
async def cold() -> AsyncIterator[AsyncSandbox]:
    """A sandbox that keeps no interpreter booted."""
    async with AsyncSandbox(max_concurrency=2, preboot={}) as sandbox:
        yield sandbox


def observable(result: RunResult) -> tuple[object, ...]:
    """Everything a caller sees of a run except how long it took."""
    files = {path: file.model_dump(exclude={"timestamps"}) for path, file in result.fs.items()}
    return (result.result_type, result.exit_code, result.stdout, result.stderr, files, result.truncated)


VIEWS = [
    pytest.param(
        "python",
        "import os, sys\n"
        "print(sys.argv, __name__, sys.path[0], sorted(os.listdir('/')))\n"
        "print(input(), open('/data.txt').read())\n"
        "open('/out.txt', 'w').write('written')\n"
        "raise SystemExit(3)\n",
        id="python",
    ),
    pytest.param(
        "ruby",
        "p ARGV, $0, Dir.children('/').sort\nputs STDIN.gets, File.read('/data.txt')\n"
        "File.write('/out.txt', 'w')\nexit 3\n",
        id="ruby",
    ),
    pytest.param(
        "php",
        "<?php echo json_encode($argv), json_encode(scandir('/')), fgets(STDIN), file_get_contents('/data.txt');"
        " file_put_contents('/out.txt', 'w'); exit(3);",
        id="php",
    ),
    pytest.param(
        "quickjs",
        "import * as std from 'std';\nconsole.log(JSON.stringify(args), std.in.getline(), std.loadFile('/data.txt'));\n"
        "std.exit(3);",
        id="quickjs",
    ),
    pytest.param("sqlite", "select 6 * 7;", id="sqlite"),
]


@pytest.mark.parametrize(("language", "code"), VIEWS)
async def test_a_prebooted_run_sees_what_a_cold_run_sees(
    sandbox: AsyncSandbox, cold: AsyncSandbox, language: str, code: str
) -> None:
    """argv, the root listing, stdin, input files, written files and the exit code match a cold start."""
    fs = {"/main": code, "/data.txt": "payload\n"}
    entry = {"python": "/main.py", "ruby": "/main.rb", "php": "/main.php", "quickjs": "/main.js", "sqlite": "/main.sql"}
    files = {entry[language]: fs["/main"], "/data.txt": fs["/data.txt"]}
    with anyio.fail_after(TIMEOUT * 2):
        warm = await sandbox.run_fs(language, entry[language], files, stdin="line\n", timeout=TIMEOUT)
        fresh = await cold.run_fs(language, entry[language], files, stdin="line\n", timeout=TIMEOUT)
    assert observable(warm) == observable(fresh)
    assert warm.result_type == "complete"


async def test_a_file_the_interpreter_looked_for_at_boot_still_takes_effect(sandbox: AsyncSandbox) -> None:
    """php-cgi reads /php.ini while it boots; a run that brings one gets its settings, as a cold start would."""
    with anyio.fail_after(TIMEOUT):
        for _ in range(3):  # more runs than booted interpreters: each must honour the file
            result = await sandbox.run_fs(
                "php", "/main.php", {"/main.php": "<?php echo pi();", "/php.ini": "precision=3\n"}, timeout=TIMEOUT
            )
            assert (result.result_type, result.stdout) == ("complete", "3.14")


async def test_runs_in_a_row_each_get_a_fresh_interpreter(sandbox: AsyncSandbox) -> None:
    """State a program leaves behind (a global, a file) is gone in the next run."""
    code = "import os\nprint(globals().get('left'), os.path.exists('/left.txt'))\nleft = 1\nopen('/left.txt', 'w')\n"
    with anyio.fail_after(TIMEOUT):
        outputs = [(await sandbox.run_code("python", code, timeout=TIMEOUT)).stdout for _ in range(4)]
    assert outputs == ["None False\n"] * 4
