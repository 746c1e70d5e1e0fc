"""A caller's WebAssembly module gets a declared feature set: what V8 would accept beyond it is refused
before it compiles, by name, while other callers' runs and live sessions carry on untouched.

Each module here is one of the attacks that used to abort or bloat the whole engine (GC objects on
the JS heap, tables of millions of entries, many memories, a forged section count), or a neighbour
of one; engine-ts/src/wasm_features_test.ts covers the parser byte by byte.
"""

import anyio
import pytest
import wasmtime

from runno_mcp import AsyncSandbox
from runno_mcp.errors import InvalidRequestError

START = '(memory (export "memory") 1) (func (export "_start"))'
ATTACKS = [
    pytest.param(
        '(module (type $a (array (mut i8))) (table $t 1 anyref) (memory (export "memory") 1)'
        ' (func (export "_start") (loop $l (drop (table.grow $t (array.new_default $a (i32.const 1048576))'
        " (i32.const 1))) (br $l))))",
        "garbage-collected types",
        id="gc-arrays-in-a-table",
    ),
    pytest.param(f"(module (type (struct (field i32))) {START})", "garbage-collected types", id="gc-struct"),
    pytest.param(
        "(module " + " ".join(f"(table {10_000_000} funcref)" for _ in range(100)) + f" {START})",
        "entries, over the limit of 1000000",
        id="100-tables-of-10M",
    ),
    pytest.param(f"(module (table 1 funcref) (table 1 funcref) {START})", "more than one table", id="two-tables"),
    pytest.param(
        "(module " + " ".join("(memory 1)" for _ in range(15)) + f" {START})", "multi-memory", id="16-memories"
    ),
    pytest.param('(module (memory (export "memory") i64 1) (func (export "_start")))', "memory64", id="memory64"),
    pytest.param(f"(module (tag $e) {START})", "exception tags", id="exception-tag"),
    pytest.param(f'(module (import "env" "t" (table 1 funcref)) {START})', "imports a table", id="imported-table"),
    pytest.param(f'(module (import "env" "g" (global i32)) {START})', "imports a global", id="imported-global"),
    pytest.param(f"(module (global (mut anyref) (ref.null any)) {START})", "0x6e", id="anyref-global"),
]


def wasm(wat: str) -> bytes:
    return bytes(wasmtime.wat2wasm(wat))


@pytest.mark.parametrize(("wat", "words"), ATTACKS)
async def test_a_module_past_the_feature_set_is_refused_naming_the_feature(
    sandbox: AsyncSandbox, wat: str, words: str
) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        await sandbox.run_code("wasi", wasm(wat))
    assert str(refused.value).startswith('Cannot run "/main.wasm": ') and words in str(refused.value)


async def test_a_forged_section_count_is_refused_at_once(sandbox: AsyncSandbox) -> None:
    """A 16-byte module whose memory section claims 2**40 entries is refused without reading them."""
    forged = bytes([0x00, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 0x05, 0x06, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20])
    with anyio.fail_after(5), pytest.raises(InvalidRequestError, match="longer than 5 bytes"):
        await sandbox.run_code("wasi", forged)


async def test_a_truncated_memory_section_is_refused_not_repaired(sandbox: AsyncSandbox) -> None:
    whole = wasm(f"(module {START})")
    with pytest.raises(InvalidRequestError, match="cut short|does not end where its size says"):
        await sandbox.run_code("wasi", whole[:-3])


async def test_a_function_imported_from_outside_wasi_ends_the_run_by_name_only_when_called(
    sandbox: AsyncSandbox,
) -> None:
    """A program may import what it never calls; calling it ends the run, naming the import."""
    imports = '(import "env" "host_thing" (func $thing (result i32)))'
    quiet = await sandbox.run_code("wasi", wasm(f"(module {imports} {START})"))
    assert (quiet.result_type, quiet.exit_code) == ("complete", 0)
    calls = f'(module {imports} (memory (export "memory") 1) (func (export "_start") (drop (call $thing))))'
    called = await sandbox.run_code("wasi", wasm(calls))
    assert called.result_type == "crash"
    assert called.error is not None and '"env"."host_thing", an import outside WASI preview 1' in called.error


async def test_refused_modules_leave_other_runs_and_a_live_session_untouched(sandbox: AsyncSandbox) -> None:
    """While every attack above is refused, a run in flight finishes and a live session keeps its variables."""
    async with sandbox.session(live=True) as session:
        await session.run_code("python", "kept = 41")

        async def attack(wat: str) -> None:
            with pytest.raises(InvalidRequestError):
                await sandbox.run_code("wasi", wasm(wat))

        finished: list[str] = []

        async def in_flight() -> None:
            finished.append((await sandbox.run_code("python", "import time; time.sleep(0.5); print('done')")).stdout)

        with anyio.fail_after(60):
            async with anyio.create_task_group() as tg:
                tg.start_soon(in_flight)
                for param in ATTACKS:
                    tg.start_soon(attack, str(param.values[0]))
        assert finished == ["done\n"]
        assert (await session.run_code("python", "print(kept + 1)")).stdout == "42\n"
