# The start of every python-sci run: `python /usr/local/lib/runno/sci_start.py ENTRY ARGS...`.
#
# The heavy imports (numpy, pandas, matplotlib with its font list, scipy.stats,
# sklearn.linear_model) come first and touch only the base filesystem, so the runtime's
# snapshot holds them done (see engine-ts/src/gate.ts, docs/engine.md); then the entry file runs as `__main__`, as `python ENTRY ARGS`
# would run it: same argv, same sys.path[0], tracebacks that start at the program's own frame.
# At the end it skips Py_Finalize's slow teardown of the data stack (see `_end`).
import atexit
import builtins
import gc
import importlib.machinery
import io
import os
import sys
import traceback
import types

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot
import numpy
import pandas
import scipy.stats
import sklearn.linear_model

FIGURE_DIR = "/figures"
LIBRARY = "/usr/local/lib/"  # the stdlib zip, matplotlib's data and this file
_shown = 0


def _show(*args: object, **kwargs: object) -> None:
    """`plt.show()` without a screen: each open figure becomes /figures/figure_N.png."""
    global _shown
    for number in matplotlib.pyplot.get_fignums():
        _shown += 1
        os.makedirs(FIGURE_DIR, exist_ok=True)
        matplotlib.pyplot.figure(number).savefig(f"{FIGURE_DIR}/figure_{_shown}.png")
    matplotlib.pyplot.close("all")


matplotlib.pyplot.show = _show
del numpy, pandas, scipy, sklearn


def _main() -> None:
    entry = sys.argv[1]
    sys.argv = sys.argv[1:]
    # The reactor runs with a safe path (no script folder on sys.path); put the program's
    # folder first, as `python ENTRY` does, so its own modules import.
    # The reactor also ignores PYTHONPATH (where packages= mounts its wheels): honour it here.
    here = os.path.dirname(__file__)
    extra = [path for path in os.environ.get("PYTHONPATH", "").split(":") if path]
    rest = [path for path in sys.path if path != here and path not in extra]
    sys.path[:] = [os.path.dirname(entry) or "/", *extra, *rest]
    status = _run(entry)
    # Returns unless this run is a live session's: then it serves the session's further calls.
    _live["go_live"](status, lambda entry: _run(entry, sys.modules["__main__"]))  # type: ignore[operator]
    _end(status)


def _load_live() -> dict[str, object]:
    """python_live.py, loaded while the interpreter boots so the snapshot holds it."""
    path = os.path.join(os.path.dirname(__file__), "python_live.py")
    with io.open(path, "rb") as source:
        live: dict[str, object] = {"__name__": "runno_live", "__builtins__": builtins}
        exec(compile(source.read(), path, "exec"), live)
    return live


_live = _load_live()


def _run(entry: str, main: types.ModuleType | None = None) -> int:
    """Run the program as `__main__` (a new one, or `main`: a live session's); its exit status, as
    `python ENTRY` would give it."""
    if main is None:
        main = types.ModuleType("__main__")
        main.__file__ = entry
        main.__cached__ = None
        main.__builtins__ = builtins
        sys.modules["__main__"] = main  # this file's own module stays alive through its functions
    main.__file__ = entry
    main.__loader__ = importlib.machinery.SourceFileLoader("__main__", entry)
    try:
        with io.open_code(entry) as source:
            code = compile(source.read(), entry, "exec")
        _reseed()
        exec(code, main.__dict__)
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            return done.code or 0
        print(done.code, file=sys.stderr)
        return 1
    except BaseException as error:
        # Only the program's own frames, as in `python ENTRY`; none for a syntax error.
        tb = error.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != entry:
            tb = tb.tb_next
        traceback.print_exception(type(error), error, tb)
        return 1
    return 0


def _reseed() -> None:
    """Seed the generators the data stack seeded while booting afresh from the OS.

    Runs resume a snapshot taken before the entry file was opened (docs/engine.md): without
    this, `random.random()` and `numpy.random.random()` would draw the same numbers in every
    run.
    """
    random = sys.modules.get("random")
    if random is not None:
        random.seed()
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None:
        numpy_random.seed()


def _end(status: int) -> None:
    """End as `python ENTRY` ends, without tearing down the data stack.

    Py_Finalize would spend ~0.45 s unloading numpy, pandas, scipy and matplotlib from an
    instance that is thrown away next. What a program can see of its end is kept: atexit
    handlers run, its own objects are released (a file left open is flushed and closed,
    `__del__` runs), and stdout and stderr are flushed.
    """
    atexit._run_exitfuncs()
    # The program's own modules, `__main__` first: clearing their namespaces releases what they
    # hold in order (a text file flushes through its buffer before its raw file closes), as
    # Py_Finalize does; a bare gc.collect() could close the raw file first and lose the buffer.
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None) or ""
        if file and not file.startswith(LIBRARY):
            del sys.modules[name]
            module.__dict__.clear()
    gc.collect()
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass  # closed or broken by the program: nothing more to write
    os._exit(status)


_main()
