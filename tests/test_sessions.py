"""Sessions through the real engine: files that outlive a run in every runtime, isolation, limits, expiry."""

import os
import signal
from collections.abc import AsyncIterator

import anyio
import pytest

from runno_mcp import AsyncSandbox, BinaryFile, Sandbox, StringFile
from runno_mcp.errors import InvalidRequestError, SessionExpiredError, SessionLimitError, SessionNotFoundError

GENEROUS = 60.0  # seconds: compiling C in WebAssembly on a busy CI machine

# Per runtime: a program that writes /note.txt, and one that prints it back in a later run.
WRITE_THEN_READ = [
    pytest.param(
        "python",
        "open('/note.txt', 'w').write('from python')",
        "print(open('/note.txt').read())",
        id="python",
    ),
    pytest.param("ruby", "File.write('/note.txt', 'from ruby')", "puts File.read('/note.txt')", id="ruby"),
    pytest.param(
        "quickjs",
        'import * as std from "std";\nconst f = std.open("/note.txt", "w");\nf.puts("from quickjs");\nf.close();',
        'import * as std from "std";\nconsole.log(std.loadFile("/note.txt"));',
        id="quickjs",
    ),
    pytest.param(
        "php-cgi",
        "<?php file_put_contents('/note.txt', 'from php');",
        "<?php echo file_get_contents('/note.txt'), \"\\n\";",
        id="php",
    ),
    pytest.param(
        "clang",
        '#include <stdio.h>\nint main(void) { FILE *f = fopen("/note.txt", "w"); fputs("from c", f); fclose(f); }',
        '#include <stdio.h>\nint main(void) { char b[64] = {0}; FILE *f = fopen("/note.txt", "r");\n'
        "fgets(b, sizeof b, f); puts(b); }",
        id="c",
    ),
    pytest.param(
        "clangpp",
        '#include <fstream>\nint main() { std::ofstream("/note.txt") << "from clangpp"; }',
        "#include <fstream>\n#include <iostream>\n#include <string>\n"
        'int main() { std::string s; std::getline(std::ifstream("/note.txt"), s); std::cout << s << std::endl; }',
        id="cpp",
    ),
    pytest.param(
        "sqlite",
        "ATTACH '/note.db' AS d; CREATE TABLE d.notes(text); INSERT INTO d.notes VALUES ('from sqlite');",
        "ATTACH '/note.db' AS d; SELECT text FROM d.notes;",
        id="sqlite",
    ),
]


@pytest.mark.parametrize(("language", "write", "read"), WRITE_THEN_READ)
async def test_a_file_one_run_writes_is_there_for_the_next(
    sandbox: AsyncSandbox, language: str, write: str, read: str
) -> None:
    """In every runtime, a file written by one run of a session is read by the next run."""
    async with sandbox.session() as session:
        first = await session.run_code(language, write, timeout=GENEROUS)
        assert (first.result_type, first.exit_code, first.stderr) == ("complete", 0, "")
        second = await session.run_code(language, read, timeout=GENEROUS)
    name = "c" if language == "clang" else language.removesuffix("-cgi")
    assert (second.result_type, second.stdout) == ("complete", f"from {name}\n")


async def test_python_writes_a_csv_that_sqlite_then_queries(sandbox: AsyncSandbox) -> None:
    """Runs of different runtimes in one session share its files."""
    async with sandbox.session() as session:
        await session.run_code(
            "python", "import csv\ncsv.writer(open('/data.csv', 'w')).writerows([('a', 'b'), (1, 2), (3, 4)])"
        )
        result = await session.run_code("sqlite", ".mode csv\n.import /data.csv t\nSELECT sum(b) FROM t;")
    assert (result.result_type, result.stdout, result.stderr) == ("complete", "6\r\n", "")  # CSV mode ends rows CRLF


async def test_sessions_are_isolated_from_each_other_and_from_runs_without_a_session(sandbox: AsyncSandbox) -> None:
    """A file in one session is seen neither by another session nor by a run outside sessions."""
    probe = "import os\nprint(os.path.exists('/secret.txt'))"
    async with sandbox.session() as mine, sandbox.session() as theirs:
        await mine.write_files({"/secret.txt": "mine"})
        assert (await mine.run_code("python", probe)).stdout == "True\n"
        assert (await theirs.run_code("python", probe)).stdout == "False\n"
        assert (await sandbox.run_code("python", probe)).stdout == "False\n"
        assert [file.path for file in await theirs.list_files()] == ["/main.py"]


async def test_a_file_the_program_deletes_leaves_the_session(sandbox: AsyncSandbox) -> None:
    """Deleting a file in a run deletes it from the session; the result names no deleted file as changed."""
    async with sandbox.session() as session:
        await session.write_files({"/old.txt": "x", "/keep.txt": "y"})
        result = await session.run_code("python", "import os\nos.remove('/old.txt')")
        assert result.result_type == "complete"
        assert sorted(file.path for file in await session.list_files()) == ["/keep.txt", "/main.py"]


async def test_write_read_and_list_files_round_trip_text_and_bytes(sandbox: AsyncSandbox) -> None:
    """Uploaded text and binary files come back byte for byte, listed with their sizes."""
    blob = bytes(range(256))
    async with sandbox.session() as session:
        listing = await session.write_files({"/data/blob.bin": blob, "/data/notes.txt": "héllo"})
        assert [(file.path, file.size) for file in listing] == [("/data/blob.bin", 256), ("/data/notes.txt", 6)]
        result = await session.run_code(
            "python", "data = open('/data/blob.bin', 'rb').read()\nopen('/out.bin', 'wb').write(data[::-1])"
        )
        assert list(result.fs) == ["/out.bin"]
        files = await session.read_files(["/out.bin", "/data/notes.txt"])
    assert files["/out.bin"] == BinaryFile(path="/out.bin", content=blob[::-1], timestamps=files["/out.bin"].timestamps)
    assert isinstance(files["/data/notes.txt"], StringFile) and files["/data/notes.txt"].content == "héllo"


async def test_reading_a_missing_file_says_what_the_session_holds(sandbox: AsyncSandbox) -> None:
    async with sandbox.session() as session:
        await session.write_files({"/here.txt": "1"})
        with pytest.raises(InvalidRequestError, match=r"no such file \(it has: /here.txt\)"):
            await session.read_files(["/missing.txt"])


async def test_run_fs_can_run_an_entry_the_session_already_holds(sandbox: AsyncSandbox) -> None:
    async with sandbox.session() as session:
        await session.write_files({"/tool.py": "import sys\nprint(sys.argv[1:])"})
        result = await session.run_fs("python", "/tool.py", {}, args=["a", "b"])
    assert result.stdout == "['a', 'b']\n"


async def test_return_fs_all_gives_every_file_of_the_session(sandbox: AsyncSandbox) -> None:
    async with sandbox.session() as session:
        await session.write_files({"/in.txt": "in"})
        result = await session.run_code("python", "open('/out.txt', 'w').write('out')", return_fs="all")
        none = await session.run_code("python", "pass", return_fs="none")
    assert sorted(result.fs) == ["/in.txt", "/main.py", "/out.txt"]
    assert none.fs == {}


async def test_a_closed_session_refuses_further_calls(sandbox: AsyncSandbox) -> None:
    session = sandbox.session()
    await session.write_files({"/a.txt": "a"})
    await session.close()
    with pytest.raises(SessionExpiredError, match="it was closed"):
        await session.run_code("python", "print(1)")
    with pytest.raises(SessionExpiredError, match="it was closed"):
        sandbox.get_session(session.id)


async def test_sessions_are_found_only_by_their_owner(sandbox: AsyncSandbox) -> None:
    async with sandbox.session(owner="alice") as session:
        assert sandbox.get_session(session.id, owner="alice") is session
        with pytest.raises(SessionNotFoundError, match="No session"):
            sandbox.get_session(session.id, owner="mallory")
        assert session in sandbox.sessions(owner="alice")
        assert session not in sandbox.sessions(owner="mallory")


@pytest.fixture
async def small() -> AsyncIterator[AsyncSandbox]:
    """A sandbox with tight session limits."""
    async with AsyncSandbox(
        snapshot_ahead=(),
        max_sessions=2,
        session_ttl=1.0,
        max_session_bytes=1000,
        max_session_files=3,
        max_live_sessions=1,
    ) as own:
        yield own


class HandClock:
    """A session clock the test moves itself, so expiry is tested without waiting for it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def hand_clock(sandbox: AsyncSandbox) -> HandClock:
    clock = HandClock()
    sandbox._sessions.clock = clock  # pyright: ignore[reportPrivateUsage]
    return clock


async def test_an_unused_session_expires_and_says_so(small: AsyncSandbox) -> None:
    """Past session_ttl without a call the session is gone, and a late call hears why."""
    clock = hand_clock(small)
    session = small.session()
    await session.write_files({"/a.txt": "a"})
    clock.now += 1.6  # past the 1 s time to live
    with pytest.raises(SessionExpiredError, match=r"expired after 1 s unused \(session_ttl\)"):
        small.get_session(session.id)
    with pytest.raises(SessionExpiredError, match="expired"):
        await session.list_files()


async def test_a_session_in_use_does_not_expire(small: AsyncSandbox) -> None:
    """Calls keep a session alive: one used every half second outlives its 1 s time to live."""
    clock = hand_clock(small)
    session = small.session()
    for _ in range(4):
        await session.write_files({"/tick.txt": "x"})
        clock.now += 0.5
    assert [file.path for file in await session.list_files()] == ["/tick.txt"]


async def test_too_many_sessions_is_refused_and_evicts_nothing(small: AsyncSandbox) -> None:
    first, second = small.session(), small.session()
    await first.write_files({"/a.txt": "a"})
    with pytest.raises(SessionLimitError, match=r"max_sessions"):
        small.session()
    assert [file.path for file in await first.list_files()] == ["/a.txt"]
    await second.close()
    small.session()  # room again


async def test_too_many_live_sessions_is_refused(small: AsyncSandbox) -> None:
    small.session(live=True)
    with pytest.raises(SessionLimitError, match=r"max_live_sessions"):
        small.session(live=True)


async def test_a_session_over_its_size_refuses_writes_and_keeps_its_files(small: AsyncSandbox) -> None:
    session = small.session()
    await session.write_files({"/a.txt": "a" * 600})
    with pytest.raises(SessionLimitError, match=r"max_session_bytes"):
        await session.write_files({"/b.txt": "b" * 600})
    with pytest.raises(SessionLimitError, match=r"max_session_files"):
        await session.write_files({"/c": "c", "/d": "d", "/e": "e"})
    assert [(file.path, file.size) for file in await session.list_files()] == [("/a.txt", 600)]


async def test_files_a_run_writes_past_the_session_cap_are_named_and_not_kept(small: AsyncSandbox) -> None:
    session = small.session()
    result = await session.run_code("python", "open('/big.txt', 'w').write('x' * 5000)\nprint('done')")
    assert (result.result_type, result.stdout, result.truncated) == ("complete", "done\n", True)
    assert any('"/big.txt" (5000 bytes) was not kept in the session' in warning for warning in result.warnings)
    assert [file.path for file in await session.list_files()] == ["/main.py"]


async def test_calls_on_one_session_run_one_at_a_time(sandbox: AsyncSandbox) -> None:
    """Concurrent appends to one file through one session all land: calls are serialised."""
    async with sandbox.session() as session:
        await session.write_files({"/log.txt": ""})
        async with anyio.create_task_group() as tg:
            for index in range(6):
                tg.start_soon(session.run_code, "python", f"open('/log.txt', 'a').write('{index}')")
        [log] = (await session.read_files(["/log.txt"])).values()
    assert isinstance(log, StringFile) and sorted(log.content) == list("012345")


def test_the_blocking_sandbox_has_sessions_too() -> None:
    with Sandbox(snapshot_ahead=()) as sandbox, sandbox.session() as session:
        session.write_files({"/n.txt": "41"})
        result = session.run_code("python", "n = int(open('/n.txt').read())\nopen('/n.txt', 'w').write(str(n + 1))")
        assert (result.result_type, result.exit_code) == ("complete", 0)
        [file] = session.read_files(["/n.txt"]).values()
        assert isinstance(file, StringFile) and file.content == "42"
        assert sandbox.get_session(session.id).id == session.id


async def test_a_live_session_keeps_variables_imports_and_functions(sandbox: AsyncSandbox) -> None:
    """Like notebook cells: each call runs in the same __main__ and reports only its own output."""
    async with sandbox.session(live=True) as session:
        first = await session.run_code("python", "import math\nx = 20\ndef grow(n):\n    return n + 1\nprint('set')")
        second = await session.run_code("python", "print(grow(x) * 2, math.pi > 3, __name__)")
        third = await session.run_code("python", "import sys\nprint('to stderr', file=sys.stderr)")
    assert (first.stdout, second.stdout) == ("set\n", "42 True __main__\n")
    assert (third.stdout, third.stderr) == ("", "to stderr\n")


async def test_an_exception_in_a_live_session_is_reported_and_the_interpreter_lives_on(sandbox: AsyncSandbox) -> None:
    async with sandbox.session(live=True) as session:
        await session.run_code("python", "kept = 'still here'")
        failed = await session.run_code("python", "1 / 0")
        after = await session.run_code("python", "print(kept)")
    assert (failed.result_type, failed.exit_code) == ("complete", 1)
    assert 'File "/main.py", line 1' in failed.stderr and "ZeroDivisionError" in failed.stderr
    assert after.stdout == "still here\n"


async def test_a_timeout_in_a_live_session_restarts_the_interpreter_and_keeps_the_files() -> None:
    """The run says the interpreter was stopped; the next call has a fresh one and every file is still there.
    (Its own sandbox: the busy loop's thread outlives the timeout until that engine exits.)"""
    async with AsyncSandbox(snapshot_ahead=()) as own, own.session(live=True) as session:
        await session.run_code("python", "value = 1\nopen('/kept.txt', 'w').write('kept')")
        stuck = await session.run_code("python", "while True:\n    pass", timeout=1)
        assert stuck.result_type == "timeout"
        assert stuck.error is not None and "the live interpreter was stopped" in stuck.error
        after = await session.run_code("python", "print(open('/kept.txt').read(), 'value' in globals())")
    assert after.stdout == "kept False\n"


async def test_losing_its_cell_costs_a_live_session_its_variables_and_says_so() -> None:
    """Killing the live session's own cell loses the interpreter, not the files; the next result carries a
    warning. Killing another cell costs the session nothing."""
    async with AsyncSandbox(snapshot_ahead=()) as own, own.session(live=True) as session:
        await session.run_code("python", "value = 1\nopen('/kept.txt', 'w').write('kept')")
        primary = own.engine_pid
        assert primary is not None
        os.kill(primary, signal.SIGKILL)
        untouched = await session.run_code("python", "print(value)")
        assert (untouched.stdout, untouched.warnings) == ("1\n", [])
        [live_cell] = set(own.stats().engine_pids) - {primary, own.engine_pid}
        os.kill(live_cell, signal.SIGKILL)
        with anyio.fail_after(GENEROUS):
            while live_cell in own.stats().engine_pids:  # no event for another process's death: poll  # noqa: ASYNC110
                await anyio.sleep(0.05)
            after = await session.run_code("python", "print(open('/kept.txt').read(), 'value' in globals())")
    assert after.stdout == "kept False\n"
    assert any("fresh Python interpreter" in warning for warning in after.warnings), after.warnings


async def test_other_runtimes_in_a_live_session_share_its_files(sandbox: AsyncSandbox) -> None:
    async with sandbox.session(live=True) as session:
        await session.run_code("python", "open('/n.txt', 'w').write('6')")
        ruby = await session.run_code("ruby", "puts File.read('/n.txt').to_i * 7")
    assert ruby.stdout == "42\n"


async def test_live_sessions_do_not_share_variables(sandbox: AsyncSandbox) -> None:
    async with sandbox.session(live=True) as mine, sandbox.session(live=True) as theirs:
        await mine.run_code("python", "secret = 42")
        result = await theirs.run_code("python", "print('secret' in globals())")
    assert result.stdout == "False\n"


async def test_a_c_program_compiled_in_one_call_runs_in_the_next_without_compiling(sandbox: AsyncSandbox) -> None:
    """A session keeps the linked program beside its source (/main.c -> /main.wasm); a wasi run reuses it,
    and a build that fails leaves no stale program behind."""
    source = '#include <stdio.h>\nint main(void) { int n; scanf("%d", &n); printf("%d\\n", n * n); }'
    async with sandbox.session() as session:
        built = await session.run_code("c", source, stdin="3", timeout=GENEROUS)
        assert (built.stdout, "/main.wasm" in built.fs) == ("9\n", False)  # kept, not reported
        assert "/main.wasm" in [file.path for file in await session.list_files()]
        again = await session.run_fs("wasi", "/main.wasm", {}, stdin="12")
        assert (again.result_type, again.stdout) == ("complete", "144\n")
        broken = await session.run_code("c", "int main(void) { return oops; }", timeout=GENEROUS)
        assert broken.exit_code != 0 and "oops" in broken.stderr
        assert "/main.wasm" not in [file.path for file in await session.list_files()]


async def test_a_crash_in_a_live_session_says_so_and_the_next_call_starts_fresh() -> None:
    """os.abort() traps the interpreter: the run is a crash naming the restart; files survive it."""
    code = "import os\nos.abort()"
    async with AsyncSandbox(snapshot_ahead=()) as own, own.session(live=True) as session:
        await session.run_code("python", "value = 1\nopen('/kept.txt', 'w').write('kept')")
        crashed = await session.run_code("python", code, timeout=GENEROUS)
        assert crashed.result_type == "crash", (crashed.stdout, crashed.stderr)
        assert crashed.error is not None and "the live interpreter was stopped" in crashed.error
        after = await session.run_code("python", "print(open('/kept.txt').read(), 'value' in globals())")
    assert (after.stdout, after.warnings) == ("kept False\n", [])


async def test_a_live_session_keeps_python_sci_state_and_its_plots(sandbox: AsyncSandbox) -> None:
    """python-sci is live too: its first call resumes the runtime's snapshot and goes live, the next
    sees its arrays, and a plot shown in a later call comes back as an image."""
    async with sandbox.session(live=True) as session:
        with anyio.fail_after(GENEROUS * 2):  # the session's cell takes python-sci's snapshot first
            first = await session.run_code("python-sci", "import numpy as np\nx = np.arange(5) * 3\nprint(x.sum())")
        second = await session.run_code(
            "python-sci", "import matplotlib.pyplot as plt\nplt.plot(x)\nplt.show()\nprint(x.tolist())"
        )
    assert (first.stdout, first.warnings) == ("30\n", [])
    assert (second.stdout, list(second.fs), len(second.images)) == (
        "[0, 3, 6, 9, 12]\n",
        ["/figures/figure_1.png"],
        1,
    )


async def test_python_and_python_sci_keep_their_own_interpreters_in_one_live_session(sandbox: AsyncSandbox) -> None:
    async with sandbox.session(live=True) as session:
        await session.run_code("python", "mine = 'plain'")
        with anyio.fail_after(GENEROUS * 2):
            await session.run_code("python-sci", "theirs = 'sci'\nopen('/shared.txt', 'w').write('both')")
        plain = await session.run_code("python", "print(mine, 'theirs' in globals(), open('/shared.txt').read())")
        sci = await session.run_code("python-sci", "print(theirs, 'mine' in globals())")
    assert (plain.stdout, sci.stdout) == ("plain False both\n", "sci False\n")


async def test_past_the_live_memory_budget_the_least_recently_used_session_starts_afresh_and_says_so() -> None:
    """With room for one live cell, a second live session stops the first one's interpreter: the first
    session's next run has its files, not its variables, and a warning naming the budget. The session
    used last keeps its interpreter even alone over the budget."""
    async with AsyncSandbox(snapshot_ahead=(), max_live_memory_mb=1) as own:
        async with own.session(live=True) as older, own.session(live=True) as newer:
            await older.run_code("python", "value = 'older'\nopen('/kept.txt', 'w').write('kept')")
            await newer.run_code("python", "value = 'newer'")
            kept = await newer.run_code("python", "print(value)")
            after = await older.run_code("python", "print(open('/kept.txt').read(), 'value' in globals())")
    assert (kept.stdout, kept.warnings) == ("newer\n", [])
    assert after.stdout == "kept False\n"
    assert len(after.warnings) == 1 and "(max_live_memory_mb)" in after.warnings[0], after.warnings


async def test_a_program_that_imitates_the_live_hand_over_confuses_only_its_own_session(
    sandbox: AsyncSandbox,
) -> None:
    """A live interpreter hands each call back by opening /.runno-live/<exit status>. A program that
    opens such a path itself changes nothing in a plain run; in its live session it may end its own
    call early or lose its interpreter, never another session's, and the session goes on serving."""
    code = (
        "import os\nos.makedirs('/.runno-live', exist_ok=True)\nopen('/.runno-live/0', 'w').write('x')\nprint('done')"
    )
    plain = await sandbox.run_code("python", code)
    assert (plain.stdout, plain.stderr, plain.exit_code) == ("done\n", "", 0)
    async with sandbox.session(live=True) as bystander, sandbox.session(live=True) as imitator:
        await bystander.run_code("python", "value = 'untouched'")
        await imitator.run_code("python", code)
        await imitator.run_code("python", "print('serving')")  # may be the call the imitation cut short
        after = await imitator.run_code("python", "print('serving')")
        untouched = await bystander.run_code("python", "print(value)")
    assert (after.stdout, untouched.stdout) == ("serving\n", "untouched\n")
