"""Snapshots: a run resumed from its runtime's snapshot behaves as a run that booted its interpreter.

`warm` is a real engine with the derived snapshot binaries, so runs of python, quickjs, php-cgi,
sqlite and python-sci resume a snapshot (its results say `resumed`); `cold` is one without
them, so every run boots. Tests compare the two, check that nothing of one run reaches the next
and that every run draws its own random numbers, and that a derived file that is missing, cut
short or from another binary is never trusted (docs/engine.md, "Snapshots").
"""

import base64
import json
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import pytest

from runno_mcp import derived, langs
from runno_mcp.engine import Engine, EngineOptions
from runno_mcp.engine._protocol import RunParams, RunResultWire, WireFile
from runno_mcp.models import RunOptions

TIMEOUT_MS = 60_000  # room for the first run of a runtime, which takes its snapshot, on a loaded machine
ENTRY = {
    "python": "/main.py",
    "python-sci": "/main.py",
    "ruby": "/main.rb",
    "php-cgi": "/main.php",
    "quickjs": "/main.js",
    "sqlite": "/main.sql",
}
SNAPSHOT_RUNTIMES = ["python", "quickjs", "php-cgi", "sqlite", "python-sci"]


def engine_options(derived_dir: Path | None) -> EngineOptions:
    manifest = langs.load_manifest()
    return EngineOptions(
        langs_dir=langs.langs_dir(manifest),
        manifest_path=langs.manifest_path(),
        memory_limit_mb=RunOptions().memory_limit_mb,
        pool_size=2,
        derived_dir=derived_dir,
    )


@pytest.fixture(scope="module")
async def warm() -> AsyncIterator[Engine]:
    """An engine with the installed snapshot binaries (`make install` derives them)."""
    assert not derived.missing_derived(langs.load_manifest()), "run `runno-mcp install` to derive them"
    async with Engine(engine_options(derived.derived_dir())) as engine:
        await engine.start()
        yield engine


@pytest.fixture(scope="module")
async def cold(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Engine]:
    """An engine without snapshot binaries, its derived folder holding only the built language files (the
    SQLite shell): every run boots its interpreter."""
    only_built = tmp_path_factory.mktemp("built")
    for name in derived.buildable(langs.load_manifest()):
        shutil.copy(derived.derived_dir() / name, only_built / name)
    async with Engine(engine_options(only_built)) as engine:
        await engine.start()
        yield engine


def params(runtime: str, code: str, files: dict[str, str] | None = None, stdin: str | None = None) -> RunParams:
    wire = [WireFile(path=ENTRY[runtime], content=base64.b64encode(code.encode()).decode())]
    wire += [
        WireFile(path=path, content=base64.b64encode(text.encode()).decode()) for path, text in (files or {}).items()
    ]
    return RunParams(
        runtime=runtime,
        entry=ENTRY[runtime],
        files=wire,
        stdin=None if stdin is None else base64.b64encode(stdin.encode()).decode(),
        args=[],
        env={},
        timeout_ms=TIMEOUT_MS,
        max_output_bytes=65536,
        memory_limit_mb=RunOptions().memory_limit_mb,
        return_fs="changed",
        max_return_files=100,
        max_return_bytes=1 << 20,
        stream_output=False,
    )


async def run(engine: Engine, runtime: str, code: str, **kwargs: object) -> RunResultWire:
    with anyio.fail_after(TIMEOUT_MS / 1000 * 2):
        return await engine.run(params(runtime, code, **kwargs))  # type: ignore[arg-type]


def observable(result: RunResultWire) -> tuple[object, ...]:
    """Everything a caller sees of a run except how long it took and how it started."""
    files = sorted((file.path, file.content) for file in result.files)
    return (result.result_type, result.exit_code, result.stdout, result.stderr, files, result.truncated)


VIEWS = [
    pytest.param(
        "python",
        "import os, sys, time\n"
        "print(sys.argv, __name__, sys.path[0], sorted(os.listdir('/')), sys.flags.dont_write_bytecode)\n"
        "print(input(), open('/data.txt').read(), time.monotonic() > 0)\n"
        "open('/out.txt', 'w').write('written')\n"
        "raise SystemExit(3)\n",
        id="python",
    ),
    pytest.param(
        "php-cgi",
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
    pytest.param("sqlite", "select 6 * 7;\n.read /data.sql\n", id="sqlite"),
    pytest.param(
        "python-sci",
        "import sys, numpy\nprint(sys.argv, input(), open('/data.txt').read(), numpy.arange(3).sum())\nsys.exit(3)\n",
        id="python-sci",
    ),
]


@pytest.mark.parametrize(("runtime", "code"), VIEWS)
async def test_a_resumed_run_sees_what_a_booted_run_sees(warm: Engine, cold: Engine, runtime: str, code: str) -> None:
    """argv, the root listing, stdin, input files, written files and the exit code match a boot."""
    files = {"/data.txt": "payload\n", "/data.sql": "select 'from a file';\n"}
    for _ in range(2):  # the first run takes the snapshot; both resume it
        resumed = await run(warm, runtime, code, files=files, stdin="line\n")
        booted = await run(cold, runtime, code, files=files, stdin="line\n")
        assert (resumed.resumed, booted.resumed) == (True, False)
        assert observable(resumed) == observable(booted)
        assert resumed.result_type == "complete"


async def test_a_run_with_args_or_env_boots(warm: Engine) -> None:
    """What the boot saw is fixed in the snapshot: a run with its own argv or environment boots."""
    base = params("python", "import os, sys\nprint(sys.argv[1:], os.environ.get('X'))")
    with anyio.fail_after(TIMEOUT_MS / 1000):
        result = await warm.run(base.model_copy(update={"args": ["a"], "env": {"X": "1"}}))
    assert (result.stdout, result.resumed) == ("['a'] 1\n", False)


async def test_a_file_the_interpreter_looked_for_at_boot_still_takes_effect(warm: Engine) -> None:
    """php-cgi reads /php.ini while it boots: a run that brings one boots and gets its settings."""
    for _ in range(2):
        result = await run(warm, "php-cgi", "<?php echo pi();", files={"/php.ini": "precision=3\n"})
        assert (result.stdout, result.resumed) == ("3.14", False)
    assert (await run(warm, "php-cgi", "<?php echo pi();")).resumed


# What each runtime's program leaves behind, and prints what it finds of an earlier run's leavings:
# a global, a patched builtin, a file in /tmp, an environment variable, an fd left open, a table.
LEAVINGS = [
    pytest.param(
        "python",
        "import builtins, os, sys\n"
        "print(getattr(builtins, 'LEFT', None), 'LEFT' in os.environ, os.path.exists('/tmp/left'),\n"
        "      'left_module' in sys.modules, len.__module__, sorted(os.listdir('/proc/self/fd')"
        " if os.path.exists('/proc/self/fd') else []))\n"
        "builtins.LEFT = 1; os.environ['LEFT'] = '1'; builtins.len = lambda x: 0\n"
        "sys.modules['left_module'] = sys; kept = open('/tmp/left', 'w'); kept.write('x'); kept.flush()\n",
        id="python",
    ),
    pytest.param(
        "quickjs",
        "import * as std from 'std';\n"
        "console.log(typeof globalThis.left, Math.max(1, 2), std.getenv('LEFT'), std.loadFile('/tmp/left'));\n"
        "globalThis.left = 1; Math.max = () => 0; std.setenv('LEFT', '1');\n"
        "const kept = std.open('/tmp/left', 'w'); kept.puts('x'); kept.flush();\n",
        id="quickjs",
    ),
    pytest.param(
        "php-cgi",
        "<?php var_dump(getenv('LEFT'), file_exists('/tmp/left'), defined('LEFT'), ini_get('precision'));"
        " putenv('LEFT=1'); define('LEFT', 1); ini_set('precision', '3'); $kept = fopen('/tmp/left', 'w');"
        " fwrite($kept, 'x');",
        id="php",
    ),
    pytest.param(
        "sqlite",
        "select count(*) from sqlite_master;\ncreate table left_behind(x);\ninsert into left_behind values (1);\n",
        id="sqlite",
    ),
    pytest.param(
        "python-sci",
        "import numpy\nprint(getattr(numpy, 'LEFT', None), numpy.sum([1, 2]))\n"
        "numpy.LEFT = 1\nnumpy.sum = lambda x: 0\n",
        id="python-sci",
    ),
]


@pytest.mark.parametrize(("runtime", "code"), LEAVINGS)
async def test_nothing_of_a_run_reaches_the_next(warm: Engine, runtime: str, code: str) -> None:
    """A global, a patched builtin, a /tmp file, an env var, an open fd or a table set in run N is gone in N+1."""
    results = [await run(warm, runtime, code) for _ in range(3)]
    assert all(result.resumed and result.result_type == "complete" for result in results), results
    assert len({result.stdout for result in results}) == 1, [result.stdout for result in results]


RANDOM = [
    pytest.param(
        "python", "import random, uuid, os\nprint(random.random(), uuid.uuid4(), os.urandom(8).hex())", id="python"
    ),
    pytest.param("quickjs", "console.log(Math.random(), Math.random())", id="quickjs"),
    pytest.param("php-cgi", "<?php echo random_int(0, PHP_INT_MAX), ' ', mt_rand(), ' ', rand();", id="php"),
    pytest.param("ruby", "puts rand, Random.new_seed", id="ruby"),
    pytest.param("python-sci", "import numpy, random\nprint(numpy.random.random(), random.random())", id="python-sci"),
]


@pytest.mark.parametrize(("runtime", "code"), RANDOM)
async def test_every_run_draws_its_own_random_numbers(warm: Engine, runtime: str, code: str) -> None:
    """Two consecutive runs never print the same random numbers, though they start from one snapshot."""
    results = [await run(warm, runtime, code) for _ in range(3)]
    assert all(result.result_type == "complete" and result.stdout for result in results), results
    assert len({result.stdout for result in results}) == 3, [result.stdout for result in results]


async def test_what_runs_share_is_what_docs_engine_md_says(warm: Engine, cold: Engine) -> None:
    """CPython's str hash seed is fixed per snapshot; SQLite's random() has no entropy at all, booted or not."""
    hashes = [(await run(warm, "python", "print(hash('a'))")).stdout for _ in range(2)]
    assert hashes[0] == hashes[1]
    booted = [(await run(cold, "python", "print(hash('a'))")).stdout for _ in range(2)]
    assert booted[0] != booted[1]
    sqlite = {(await run(engine, "sqlite", "select random();")).stdout for engine in (warm, cold, warm)}
    assert len(sqlite) == 1


CORRUPTIONS = [
    pytest.param(
        "python", "import sys\nsys.setrecursionlimit(10**8)\ndef f(n): return f(n + 1)\nf(0)", id="python-stack"
    ),
    pytest.param("python", "blocks = []\nwhile True: blocks.append(bytearray(10**7))", id="python-heap"),
    pytest.param(
        "python", "import sys\nsys.modules.clear()\nimport builtins\nbuiltins.print = None", id="python-modules"
    ),
    pytest.param("quickjs", "function f() { return f() + 1; }\nf();", id="quickjs-stack"),
    pytest.param("quickjs", "let a = []; while (true) a.push(new ArrayBuffer(1e7));", id="quickjs-heap"),
    pytest.param("php-cgi", "<?php $a = []; while (true) $a[] = str_repeat('x', 1e7);", id="php-heap"),
]
HEALTHY = {
    "python": ("print(sum(range(10)))", "45\n"),
    "quickjs": ("console.log([1, 2, 3].map((x) => x * 2).join())", "2,4,6\n"),
    "php-cgi": ("<?php echo array_sum([1, 2, 3]);", "6"),
}


@pytest.mark.parametrize(("runtime", "code"), CORRUPTIONS)
async def test_a_run_that_wrecks_its_interpreter_leaves_the_next_run_clean(
    warm: Engine, runtime: str, code: str
) -> None:
    """Overflowing the stack, exhausting the heap or tearing down the interpreter ends that run only."""
    with anyio.fail_after(40):
        await warm.run(params(runtime, code).model_copy(update={"memory_limit_mb": 128, "timeout_ms": 20_000}))
    code, expected = HEALTHY[runtime]
    for _ in range(2):
        after = await run(warm, runtime, code)
        assert (after.stdout, after.exit_code, after.resumed) == (expected, 0, True)


def copy_derived(into: Path) -> None:
    """Copies every installed snapshot binary, stored snapshot, precompiled header and sidecar into `into`."""
    for path in derived.derived_dir().iterdir():
        if path.suffix in (".wasm", ".json", ".snap", ".pch"):
            shutil.copy(path, into / path.name)


def damage_quickjs(into: Path, damage: str) -> None:
    """Copies every installed snapshot binary into `into`, then damages QuickJS's as `damage` says."""
    copy_derived(into)
    wasm = next(into.glob("quickjs-*.wasm"))
    sidecar = wasm.with_suffix(".json")
    if damage == "missing":
        wasm.unlink()
    elif damage == "truncated":
        wasm.write_bytes(wasm.read_bytes()[: wasm.stat().st_size // 2])
    elif damage == "altered":
        data = bytearray(wasm.read_bytes())
        data[len(data) // 2] ^= 0xFF
        wasm.write_bytes(bytes(data))
    else:
        info = json.loads(sidecar.read_text())
        info["source_sha256"] = "0" * 64
        sidecar.write_text(json.dumps(info))


@pytest.mark.parametrize("damage", ["missing", "truncated", "altered", "other-binary"])
async def test_a_damaged_snapshot_binary_is_never_trusted_and_is_derived_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    """A missing, cut, altered or foreign snapshot binary: runs boot (and are right); the next derive rebuilds it."""
    manifest = langs.load_manifest()
    damage_quickjs(tmp_path, damage)
    async with Engine(engine_options(tmp_path)) as engine:
        await engine.start()
        result = await run(engine, "quickjs", "console.log(6 * 7)")
    assert (result.stdout, result.resumed) == ("42\n", False)
    monkeypatch.setenv(derived.DERIVED_DIR_ENV, str(tmp_path))
    # A sandbox derives in the background what this cheap check misses; a same-size change is
    # caught only by hashing: by the engine before every use, and by `runno-mcp install`.
    assert derived.missing_derived(manifest) == ([] if damage == "altered" else ["quickjs"])
    with anyio.fail_after(120):
        assert await anyio.to_thread.run_sync(lambda: derived.derive(manifest, progress=None))
    assert not derived.missing_derived(manifest)
    async with Engine(engine_options(tmp_path)) as engine:
        await engine.start()
        result = await run(engine, "quickjs", "console.log(6 * 7)")
    assert (result.stdout, result.resumed) == ("42\n", True)


def damage_quickjs_image(into: Path, damage: str) -> tuple[Path, int]:
    """Copies every derived file into `into`, then damages QuickJS's stored snapshot as `damage` says;
    the image's path and its binary's mtime."""
    copy_derived(into)
    image = next(into.glob("quickjs-*.snap"))
    sidecar = image.with_suffix(".json")
    if damage == "missing":
        image.unlink()
    elif damage == "truncated":
        image.write_bytes(image.read_bytes()[:-1])
    elif damage == "altered":
        data = bytearray(image.read_bytes())
        data[len(data) // 2] ^= 0xFF
        image.write_bytes(bytes(data))
    else:
        info = json.loads(sidecar.read_text())
        info["image"]["key"] = "quickjs-" + "0" * 16
        sidecar.write_text(json.dumps(info))
    return image, image.with_suffix(".wasm").stat().st_mtime_ns


@pytest.mark.parametrize("damage", ["missing", "truncated", "altered", "another-boot"])
async def test_a_damaged_stored_snapshot_is_never_trusted_and_is_taken_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    """A stored snapshot (`<key>.snap`) that is missing, cut, altered or taken of another boot: the
    engine takes the snapshot itself (runs still resume, and are right), and the next derive takes it
    again without rebuilding the binary."""
    manifest = langs.load_manifest()
    image, binary_before = damage_quickjs_image(tmp_path, damage)
    sidecar = image.with_suffix(".json")
    async with Engine(engine_options(tmp_path)) as engine:
        await engine.start()
        result = await run(engine, "quickjs", "console.log(6 * 7, Math.random() !== Math.random())")
    assert (result.stdout, result.resumed) == ("42 true\n", True)
    monkeypatch.setenv(derived.DERIVED_DIR_ENV, str(tmp_path))
    assert derived.missing_derived(manifest) == (["quickjs"] if damage in ("missing", "truncated") else [])
    with anyio.fail_after(120):
        assert await anyio.to_thread.run_sync(lambda: derived.derive(manifest, progress=None))
        assert await anyio.to_thread.run_sync(lambda: derived.derive(manifest, progress=None))  # nothing left
    info = json.loads(sidecar.read_text())
    assert info["image"]["bytes"] == image.stat().st_size and info["image"]["key"] != "quickjs-" + "0" * 16
    assert image.with_suffix(".wasm").stat().st_mtime_ns == binary_before


STUCK = [
    pytest.param("python", "while True: pass", id="python-loop"),
    pytest.param("python", "import time\ntime.sleep(600)", id="python-sleep"),
    pytest.param("quickjs", "while (true) {}", id="quickjs"),
    pytest.param("php-cgi", "<?php while (true) {}", id="php"),
    pytest.param(
        "sqlite", "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c;", id="sqlite"
    ),
    pytest.param("python-sci", "import numpy\nwhile True: numpy.zeros(3)", id="python-sci"),
]


@pytest.mark.parametrize(("runtime", "code"), STUCK)
async def test_a_timed_out_run_is_stopped_and_its_process_serves_on(warm: Engine, runtime: str, code: str) -> None:
    """A busy loop or a long sleep past its timeout is interrupted: the same process runs the next call at once."""
    await run(warm, runtime, "")  # its snapshot, taken outside the timed run
    pid = warm.pid
    stuck = await warm.run(params(runtime, code).model_copy(update={"timeout_ms": 1000}))
    assert (stuck.result_type, stuck.stopped, stuck.resumed) == ("timeout", True, True)
    after = await run(warm, "python", "print('next')")
    assert (after.stdout, warm.pid) == ("next\n", pid)
