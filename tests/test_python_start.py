"""Python's start script runs a program as `python /main.py` runs it.

Every python run is `python /.runno/python_start.py /main.py` (engine-ts/guest/python_start.py),
so that its snapshot holds the script's preparation done and a run skips Py_Finalize. Each program
here runs twice: through the sandbox (resumed from the snapshot), and as `python /main.py` on the
unmodified language binary under wasmtime, the reference WASI host. What each prints on stdout
and stderr, its exit status and the files it leaves must be the same.
"""

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import wasmtime

from runno_mcp import AsyncSandbox, langs
from runno_mcp.models import file_bytes

PROGRAMS = {
    "what the program sees of itself": """
import sys, __main__
print(sys.argv, sys.orig_argv, sys.path[0], __file__, __name__, __doc__, __spec__, __cached__)
print(list(vars(__main__)), type(__loader__).__name__, __loader__.path, __package__)
print(sorted(sys.modules))
print(sys.flags)
""",
    "an uncaught error, two frames deep": """
def outer():
    inner()

def inner():
    return {}["missing"]

print("before")
outer()
""",
    "a chained error": """
try:
    1 / 0
except ZeroDivisionError as error:
    raise ValueError("while dividing") from error
""",
    "a syntax error": "print('ok')\nx = (1,\n",
    "an indentation error": "if True:\nprint('x')\n",
    "sys.exit with a message": "import sys\nprint('out')\nsys.exit('leaving now')\n",
    "sys.exit with a number": "import sys\nsys.exit(3)\n",
    "SystemExit(None)": "raise SystemExit(None)\n",
    "exit(True)": "exit(True)\n",
    "atexit handlers, last registered first, after an error": """
import atexit
atexit.register(print, "first registered")
atexit.register(lambda: print("second registered"))
raise RuntimeError("boom")
""",
    "an atexit handler that fails": """
import atexit
def broken():
    raise KeyError("in handler")
atexit.register(broken)
print("main done")
""",
    "__del__ at the end": """
class Noisy:
    def __del__(self):
        print("released", flush=True)

keep = Noisy()
print("main done")
""",
    "a file left open and unflushed": """
handle = open("/left-open.txt", "w")
handle.write("written but never flushed\\n" * 100)
""",
    "a custom excepthook": """
import sys
def hook(kind, value, tb):
    print("hooked:", kind.__name__, value, tb.tb_frame.f_code.co_filename, file=sys.stderr)
sys.excepthook = hook
raise LookupError("where")
""",
    "a warning with its source line": "import warnings\nwarnings.warn('careful')\n",
    "stdout closed by the program": "import sys\nprint('gone')\nsys.stdout.close()\n",
    "stdout that cannot flush": """
import sys
class Stuck:
    def write(self, text):
        return len(text)
    def flush(self):
        raise OSError("stuck")
sys.stdout = Stuck()
sys.exit(4)
""",
    "input() at the end of stdin": "print('name?')\nname = input()\n",
    "text beyond ASCII": "# -*- coding: utf-8 -*-\nprint('héllo wörld ✓', len('✓'))\nraise ValueError('naïve')\n",
    "an import of the program's own module": """
with open("/helper.py", "w") as f:
    f.write("def twice(x):\\n    return 2 * x\\n")
import helper
print(helper.twice(21), helper.__file__)
""",
    "a generator left suspended in a try/finally": """
def numbers():
    try:
        yield 1
        yield 2
    finally:
        print("generator closed")

it = numbers()
print(next(it))
""",
}


@dataclass(frozen=True)
class Ran:
    stdout: str
    stderr: str
    exit_code: int
    files: dict[str, bytes]

    @classmethod
    def of(cls, stdout: str, stderr: str, exit_code: int, files: dict[str, bytes]) -> "Ran":
        """Addresses in reprs (`<function f at 0x8f7b08>`) differ between any two interpreters."""
        return cls(stdout, re.sub(r" at 0x[0-9a-f]+>", " at 0x...>", stderr), exit_code, files)


@pytest.fixture(scope="module")
def reference() -> tuple[wasmtime.Engine, wasmtime.Module]:
    engine = wasmtime.Engine()
    binary = langs.langs_dir() / "python-3.11.3.wasm"
    return engine, wasmtime.Module(engine, binary.read_bytes())


def run_on_wasmtime(reference: tuple[wasmtime.Engine, wasmtime.Module], code: str) -> Ran:
    engine, module = reference
    with tempfile.TemporaryDirectory() as root, tempfile.TemporaryDirectory() as out:
        Path(root, "main.py").write_text(code, encoding="utf-8")
        config = wasmtime.WasiConfig()
        config.argv = ["python", "/main.py"]
        config.preopen_dir(root, "/")
        config.stdout_file = str(Path(out, "stdout"))
        config.stderr_file = str(Path(out, "stderr"))
        store = wasmtime.Store(engine)
        store.set_wasi(config)
        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        instance = linker.instantiate(store, module)
        start = instance.exports(store)["_start"]
        assert isinstance(start, wasmtime.Func)
        exit_code = 0
        try:
            start(store)
        except wasmtime.ExitTrap as exit_trap:
            exit_code = exit_trap.code
        files = {
            f"/{path.relative_to(root)}": path.read_bytes()
            for path in Path(root).rglob("*")
            if path.is_file() and path.name != "main.py" and "__pycache__" not in path.parts
        }
        return Ran.of(
            Path(out, "stdout").read_text(encoding="utf-8"),
            Path(out, "stderr").read_text(encoding="utf-8"),
            exit_code,
            files,
        )


async def run_in_sandbox(sandbox: AsyncSandbox, code: str) -> Ran:
    result = await sandbox.run_code("python", code, return_fs="changed")
    files = {path: file_bytes(file) for path, file in result.fs.items() if "__pycache__" not in path}
    return Ran.of(result.stdout, result.stderr, result.exit_code if result.exit_code is not None else -1, files)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
async def test_a_program_runs_as_python_main_py_runs_it(
    name: str, sandbox: AsyncSandbox, reference: tuple[wasmtime.Engine, wasmtime.Module]
) -> None:
    code = PROGRAMS[name]
    assert await run_in_sandbox(sandbox, code) == run_on_wasmtime(reference, code)


async def test_an_unhandled_keyboard_interrupt_exits_130_as_cpython_asks(sandbox: AsyncSandbox) -> None:
    # CPython exits 128 + SIGINT; wasmtime refuses statuses above 125, so no reference run here.
    result = await sandbox.run_code("python", "raise KeyboardInterrupt\n")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (130, "KeyboardInterrupt")


async def test_the_start_script_is_out_of_the_programs_way(sandbox: AsyncSandbox) -> None:
    # Its preparation is in the snapshot and its own global is gone: a program sees only the
    # traceback frames and the module frame's caller (documented in docs/engine.md).
    code = "import sys, gc\nprint('_start' in globals(), gc.get_freeze_count() > 0, sys._getframe(1).f_code.co_name)\n"
    result = await sandbox.run_code("python", code)
    assert result.stdout == "False True run\n"
