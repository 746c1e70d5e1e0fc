"""Caps hold (output, memory, time) and the engine keeps serving after each."""

from typing import Any

import anyio
import pytest
import wasmtime

from runno_mcp import AsyncSandbox
from runno_mcp.errors import InvalidRequestError
from runno_mcp.models import MAX_ARGS, MAX_ARGS_ENV_BYTES, MAX_ENV


async def test_output_past_the_cap_is_dropped_and_reported(sandbox: AsyncSandbox) -> None:
    """stdout keeps its head up to max_output_bytes; `truncated` and a warning say what was cut."""
    result = await sandbox.run_code("python", "print('x' * 100_000)", max_output_bytes=1000)
    assert result.result_type == "complete"
    assert result.stdout == "x" * 1000
    assert len(result.tty.encode("utf-8")) <= 1000
    assert result.truncated
    assert any("stdout" in warning for warning in result.warnings)
    assert "x" * 1000 not in result.as_text().split("note:")[-1]


async def test_output_under_the_cap_is_not_truncated(sandbox: AsyncSandbox) -> None:
    result = await sandbox.run_code("python", "print('x' * 999)", max_output_bytes=1000)
    assert (result.truncated, result.warnings, len(result.stdout)) == (False, [], 1000)


async def test_a_memory_hog_ends_without_hanging_and_the_engine_serves_on(sandbox: AsyncSandbox) -> None:
    """Allocating past memory_limit_mb is a crash naming the limit or the language's own MemoryError."""
    with anyio.fail_after(30):
        result = await sandbox.run_code("python", "x = bytearray(400 * 1024 * 1024)\nprint(len(x))", memory_limit_mb=64)
    assert result.stdout == ""
    assert (result.result_type == "crash" and "64" in (result.error or "")) or "MemoryError" in result.stderr
    assert (await sandbox.run_code("python", "print('ok')")).stdout == "ok\n"


async def test_an_endless_c_program_times_out(sandbox: AsyncSandbox) -> None:
    """A compiled busy loop is stopped at its timeout like any other guest."""
    code = "int main(void) { volatile unsigned long n = 0; for (;;) n++; }"
    with anyio.fail_after(60):
        result = await sandbox.run_code("c", code, timeout=5)
    assert result.result_type == "timeout"


GENEROUS = 60.0  # seconds for a hog run: compiling C/C++ on a loaded machine, or 300 MB of randomblob
CAP_MB = 64  # the memory_limit_mb every hog below runs under
IN_HAND = "300 MB in hand\n"  # what each hog prints once it holds 300 MB, touched

C_HOG = r"""#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
  size_t size = (size_t)300 << 20;
  char *volatile block = malloc(size); /* volatile: -O2 may not drop an allocation never read */
  if (block == NULL) { printf("malloc returned NULL\n"); return 3; }
  memset(block, 1, size);
  size_t sum = 0;
  for (size_t i = 0; i < size; i += 4096) sum += block[i];
  printf("%zu MB in hand\n", sum >> 8);
  return 0;
}
"""
CPP_HOG = r"""#include <cstdio>
#include <vector>
int main() {
  std::vector<char> block(std::size_t(300) << 20, 1);
  std::size_t sum = 0;
  for (std::size_t i = 0; i < block.size(); i += 4096) sum += block[i];
  std::printf("%zu MB in hand\n", sum >> 8);
}
"""
WASI_HOG = """(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1 {maximum})
  (data (i32.const 16) "300 MB in hand\\0amemory.grow failed\\0a")
  (func $say (param $at i32) (param $length i32)
    (i32.store (i32.const 0) (local.get $at))
    (i32.store (i32.const 4) (local.get $length))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start") (local $pages i32)
    (loop $grow  ;; {step} pages at a time up to 4801 (300 MB past the first page), each page touched
      (if (i32.eq (memory.grow (i32.const {step})) (i32.const -1))
        (then {on_failure}))
      (local.set $pages (i32.add (local.get $pages) (i32.const {step})))
      (i32.store (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)) (i32.const 1))
      (br_if $grow (i32.lt_u (local.get $pages) (i32.const 4800))))
    (call $say (i32.const 16) (i32.const 15))))"""
WASI_EXIT_ON_FAILURE = "(call $say (i32.const 31) (i32.const 19)) (call $proc_exit (i32.const 3))"


def wasi_hog(*, step: int, maximum: int | None, on_failure: str) -> bytes:
    """A preview1 module that grows its memory to 300 MB `step` pages at a time, then says so."""
    text = WASI_HOG.format(step=step, maximum="" if maximum is None else maximum, on_failure=on_failure)
    return bytes(wasmtime.wat2wasm(text))


PHP_HOG = (
    # PHP's own memory_limit (128M) would refuse first: lift it, so the sandbox's cap is what stops it.
    "<?php ini_set('memory_limit', '-1');\n"
    "$x = str_repeat('x', 300 << 20);\n"
    'echo strlen($x) >> 20, " MB in hand\\n";\n'
)
HOGS: dict[str, tuple[str, str | bytes]] = {
    "python": ("python", "x = b'x' * (300 << 20)\nprint(len(x) >> 20, 'MB in hand')\n"),
    "ruby": ("ruby", "x = 'x' * (300 << 20)\nputs \"#{x.bytesize >> 20} MB in hand\"\n"),
    "quickjs": (
        "quickjs",
        "const x = new Uint8Array(300 << 20).fill(1);\nconsole.log(`${x.length >> 20} MB in hand`);\n",
    ),
    "php": ("php-cgi", PHP_HOG),
    "sqlite": ("sqlite", "SELECT (length(randomblob(300 << 20)) >> 20) || ' MB in hand';\n"),
    "c": ("clang", C_HOG),
    "cpp": ("clangpp", CPP_HOG),
    "wasi-no-maximum": ("wasi", wasi_hog(step=1, maximum=None, on_failure=WASI_EXIT_ON_FAILURE)),
    "wasi-4-gib-maximum": ("wasi", wasi_hog(step=4800, maximum=65536, on_failure="(unreachable)")),
}
# How each hog fails under CAP_MB, as measured: (result_type, exit_code, field, text in that field).
AT_THE_CAP: dict[str, tuple[str, int | None, str, str]] = {
    "python": ("complete", 1, "stderr", "MemoryError"),
    "ruby": ("crash", None, "error", "memory_limit_mb"),  # its allocator traps with `unreachable`
    "quickjs": ("complete", 1, "stderr", "InternalError: out of memory"),
    "php": ("crash", None, "error", "memory_limit_mb"),  # its allocator reads out of bounds
    "sqlite": ("complete", 1, "stderr", "out of memory"),
    "c": ("complete", 3, "stdout", "malloc returned NULL"),
    # clang has no exceptions here: `new` returns null instead of throwing std::bad_alloc, and the
    # vector's first write through it traps.
    "cpp": ("crash", None, "error", "memory_limit_mb"),
    "wasi-no-maximum": ("complete", 3, "stdout", "memory.grow failed"),
    # One grow of 300 MB fails with the memory far below the cap: the grow hook still names it.
    "wasi-4-gib-maximum": ("crash", None, "error", "memory_limit_mb"),
}


@pytest.mark.parametrize(
    ("runtime", "code", "outcome"), [pytest.param(*hog, AT_THE_CAP[name], id=name) for name, hog in HOGS.items()]
)
async def test_a_300_mb_allocation_under_a_64_mb_cap_fails_in_every_runtime(
    sandbox: AsyncSandbox, runtime: str, code: str | bytes, outcome: tuple[str, int | None, str, str]
) -> None:
    """Every runtime, compiled programs and a caller's own module included, is held to memory_limit_mb:
    the allocation fails as the language fails (MemoryError, NULL from malloc) or the run is a crash
    whose error names memory_limit_mb; it never ends with the memory in hand."""
    result_type, exit_code, field, text = outcome
    with anyio.fail_after(GENEROUS + 10):
        result = await sandbox.run_code(runtime, code, memory_limit_mb=CAP_MB, timeout=GENEROUS)
    summary = (result.result_type, result.exit_code, result.error, result.stdout[-200:], result.stderr[-300:])
    assert IN_HAND not in result.stdout, summary
    assert (result.result_type, result.exit_code) == (result_type, exit_code), summary
    assert text in (getattr(result, field) or ""), summary
    if result.result_type == "crash":
        assert f"the limit of {CAP_MB} MB (memory_limit_mb)" in (result.error or ""), summary


@pytest.mark.parametrize(("runtime", "code"), [pytest.param(*hog, id=name) for name, hog in HOGS.items()])
async def test_the_same_300_mb_allocation_succeeds_under_the_default_cap(
    sandbox: AsyncSandbox, runtime: str, code: str | bytes
) -> None:
    """The control: each hog really allocates and touches 300 MB (nothing is optimised away), so the
    failures above are the cap's doing."""
    with anyio.fail_after(GENEROUS + 10):
        result = await sandbox.run_code(runtime, code, timeout=GENEROUS)
    summary = (result.result_type, result.exit_code, result.error, result.stderr[-300:])
    assert (result.result_type, result.exit_code, result.stdout) == ("complete", 0, IN_HAND), summary


async def test_a_wasi_module_that_imports_its_memory_is_refused_naming_memory_limit_mb(
    sandbox: AsyncSandbox,
) -> None:
    """A memory the module imports would escape the cap, so the module does not run at all."""
    module = bytes(
        wasmtime.wat2wasm(
            '(module (import "env" "memory" (memory 1)) (export "memory" (memory 0)) (func (export "_start")))'
        )
    )
    with pytest.raises(InvalidRequestError) as refused:
        await sandbox.run_code("wasi", module, memory_limit_mb=CAP_MB)
    assert '"env"."memory"' in str(refused.value) and "memory_limit_mb" in str(refused.value)


@pytest.mark.parametrize(
    ("options", "words"),
    [
        pytest.param({"args": ["a"] * (MAX_ARGS + 1)}, f"over the limit of {MAX_ARGS}", id="args"),
        pytest.param({"env": {f"V{i}": "1" for i in range(MAX_ENV + 1)}}, f"over the limit of {MAX_ENV}", id="env"),
        pytest.param({"args": ["y" * (MAX_ARGS_ENV_BYTES // 2)] * 2}, "pass data in a file or stdin", id="bytes"),
    ],
)
async def test_args_and_env_past_their_bounds_are_refused_before_the_engine(
    sandbox: AsyncSandbox, options: dict[str, Any], words: str
) -> None:
    """3,000,000 ten-byte args once took the engine from 0.3 to 2.8 GB: now they are a bad request."""
    with pytest.raises(InvalidRequestError, match=words):
        await sandbox.run_code("python", "print(1)", **options)


DEEP_TREE = """
import os
os.mkdir('/w')
fd = os.open('/w', os.O_RDONLY)
for _ in range(50_000):
    os.mkdir('d', dir_fd=fd)
    below = os.open('d', os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = below
os.write(os.open('leaf.txt', os.O_WRONLY | os.O_CREAT, dir_fd=fd), b'x')
print('deep')
"""


async def test_a_50000_deep_directory_tree_comes_back_whole(sandbox: AsyncSandbox) -> None:
    """The engine walks the guest's tree with a stack of its own, not recursion: depth is not a crash."""
    result = await sandbox.run_code("python", DEEP_TREE, timeout=60)
    assert (result.result_type, result.stdout) == ("complete", "deep\n"), result.error
    [(path, leaf)] = result.fs.items()
    assert path == "/w" + "/d" * 50_000 + "/leaf.txt" and leaf.content == "x"
