"""Which Python a `python` program needs: python-sci when it imports the data stack.

Owns the rule that sends a `python` run to `python-sci`, and the words the result says about it.
Agents pick `python` and import numpy or pandas all the time; `python` (CPython 3.11, standard
library only) fails them with ModuleNotFoundError although python-sci, installed beside it, has
those modules. So before a `python` run its Python files are parsed on the host, and a top-level
import of a module only python-sci has moves the run there, with a warning saying so.

- Modules with compiled code (numpy, pandas, ...) move the run whatever else it asks for.
- Pure-Python modules python-sci bundles (yaml, bs4, ...) move it only when the run adds no
  `packages` of its own: a run that adds packages has chosen where its pure-Python modules come from.
- A module the run's own files provide (`/numpy.py`, `/yaml/__init__.py`) does not count.
- A file that does not parse moves nothing: the program's own Python reports the error.

Parsing is bounded (`MAX_SCANNED_FILES` files of at most `MAX_SCANNED_BYTES` each), so a huge
file cannot make the host spend seconds before the run starts.
"""

import ast
import re
from collections.abc import Iterable, Mapping

__all__ = [
    "MAX_SCANNED_BYTES",
    "MAX_SCANNED_FILES",
    "SCI_ONLY_MODULES",
    "SCI_PURE_MODULES",
    "missing_sci_hint",
    "routed_note",
    "sci_imports",
    "session_note",
]

SCI_ONLY_MODULES = frozenset(
    {
        "contourpy",
        "kiwisolver",
        "lxml",
        "matplotlib",
        "mpl_toolkits",
        "numpy",
        "pandas",
        "patsy",
        "PIL",
        "scipy",
        "seaborn",
        "sklearn",
        "statsmodels",
        "yaml",  # pyyaml's C loader; its pure-Python wheel is rare
        "regex",
        "wrapt",
        "markupsafe",
    }
)
"""Top-level modules with compiled code that python-sci has and `python` cannot get from `packages`."""

SCI_PURE_MODULES = frozenset(
    {
        "bs4",
        "cloudpickle",
        "cycler",
        "dateutil",
        "fontTools",
        "formulaic",
        "html5lib",
        "jinja2",
        "joblib",
        "mpmath",
        "narwhals",
        "networkx",
        "openpyxl",
        "pypdf",
        "reportlab",
        "sympy",
        "tabulate",
        "threadpoolctl",
        "toolz",
        "tqdm",
        "xlrd",
        "xlsxwriter",
        "xmltodict",
    }
)
"""Pure-Python modules python-sci bundles; `python` could add them with `packages`."""

MAX_SCANNED_FILES = 64
MAX_SCANNED_BYTES = 512 * 1024

_MISSING_MODULE = re.compile(r"ModuleNotFoundError: No module named '([A-Za-z_][\w]*)")


def sci_imports(files: Mapping[str, bytes], *, adds_packages: bool) -> list[str]:
    """The modules, sorted, that the run's Python files import at top level and only python-sci has.

    Args:
        files: the run's files by absolute path (the session's too, for a session's run).
        adds_packages: the run adds pure-Python packages of its own.
    """
    wanted = SCI_ONLY_MODULES if adds_packages else SCI_ONLY_MODULES | SCI_PURE_MODULES
    sources = [data for path, data in files.items() if path.endswith(".py") and len(data) <= MAX_SCANNED_BYTES]
    found: set[str] = set()
    for source in sources[:MAX_SCANNED_FILES]:
        found.update(name for name in _imported(source) if name in wanted)
    return sorted(found - _own_modules(files))


def routed_note(modules: list[str]) -> str:
    """The warning of a `python` run that ran on python-sci because of `modules`."""
    return (
        f"this program imports {_listed(modules)}, which python (CPython 3.11, standard library only) lacks: "
        'it ran on python-sci (CPython 3.15 with the data stack) instead; ask for "python-sci" to choose it '
        "yourself"
    )


def session_note() -> str:
    """The warning of a session's `python` run that follows the session's earlier move to python-sci."""
    return (
        "ran on python-sci, like this session's earlier python runs that imported its modules, so its "
        'variables and imports carry on; ask for "python-sci" to choose it yourself'
    )


def missing_sci_hint(stderr: str, *, installed: bool) -> str | None:
    """For a failed `python` run: where to find the module python-sci has that the program missed, if any."""
    match = _MISSING_MODULE.search(stderr)
    if match is None or match.group(1) not in SCI_ONLY_MODULES | SCI_PURE_MODULES:
        return None
    if installed:  # imported in a way parsing cannot see (importlib, exec), or beside packages of its own
        return f'{match.group(1)} is in the python-sci runtime: ask for "python-sci" to run there'
    return (
        f"{match.group(1)} is in the python-sci runtime, which is not installed: run `runno-mcp install python-sci` "
        "(about 98 MB, once); python runs that import it then move there by themselves"
    )


def _imported(source: bytes) -> Iterable[str]:
    """The top-level names of the absolute imports anywhere in `source`; nothing if it does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ()
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module is not None:
            names.append(node.module.partition(".")[0])
    return names


def _own_modules(files: Mapping[str, bytes]) -> set[str]:
    """Top-level module names the run's files provide (`/x/name.py`, `/x/name/__init__.py`)."""
    own: set[str] = set()
    for path in files:
        parts = path.rsplit("/", 2)
        if path.endswith("/__init__.py") and len(parts) == 3:
            own.add(parts[1])
        elif path.endswith(".py"):
            own.add(parts[-1].removesuffix(".py"))
    return own


def _listed(modules: list[str]) -> str:
    return modules[0] if len(modules) == 1 else ", ".join(modules[:-1]) + f" and {modules[-1]}"
