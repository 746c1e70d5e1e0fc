# The start of every python-sci run: `python /usr/local/lib/runno/sci_start.py ENTRY ARGS...`.
#
# The heavy imports (numpy, pandas, matplotlib with its font list, scipy.stats,
# sklearn.linear_model) come first and touch only
# the base filesystem, so a pre-booted interpreter has done them before its request exists
# (see engine-ts/src/gate.ts); then the entry file runs as `__main__`, as `python ENTRY ARGS`
# would run it: same argv, same sys.path[0], tracebacks that start at the program's own frame.
import os
import runpy
import sys
import traceback

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot
import numpy
import pandas
import scipy.stats
import sklearn.linear_model

FIGURE_DIR = "/figures"
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
    try:
        runpy.run_path(entry, run_name="__main__")
    except SystemExit:
        raise
    except BaseException as error:
        # Drop this file's and runpy's frames: the program's own come first, as in `python ENTRY`.
        tb = error.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != entry:
            tb = tb.tb_next
        traceback.print_exception(type(error), error, tb or error.__traceback__)
        sys.exit(1)


_main()
