"""The words a model reads: tool, argument and server descriptions, written once for MCP and LangChain.

Owns what an agent is told about the sandbox: which languages exist and when to pick which, what is
unavailable (network, package installs, host files), and how to pass files. Nothing here runs code.
"""

from runno_mcp.models import ALIASES, RUNTIMES

__all__ = [
    "COMPILER_FLAGS",
    "CLOSE_SESSION",
    "CODE",
    "CREATE_SESSION",
    "ENTRY_PATH",
    "FILES",
    "FILE_CONTENT",
    "FILE_ENCODING",
    "FILE_PATH",
    "LANGUAGE",
    "LIST_FILES",
    "LIST_RUNTIMES",
    "LIVE",
    "MEMORY_LIMIT_MB",
    "PACKAGES",
    "READ_FILE",
    "READ_PATH",
    "RUNTIME_NOTES",
    "RUN_CODE",
    "RUN_CODE_TEXT",
    "RUN_FS",
    "RUN_FS_TEXT",
    "SERVER_INSTRUCTIONS",
    "SESSION_ID",
    "STDIN",
    "TIMEOUT",
    "WRITE_FILES",
    "accepted_names",
    "code_languages",
    "memory_limit_mb",
    "timeout",
]

RUNTIME_NOTES: dict[str, str] = {
    "python": (
        "standard library only, no pip; a program that imports numpy, pandas, scipy, sklearn, matplotlib or "
        "another python-sci module runs on python-sci by itself, and its result says so"
    ),
    "python-sci": (
        "numpy, pandas, scipy, scikit-learn, statsmodels, matplotlib, seaborn, sympy and more preinstalled; "
        "plt.show() or plt.savefig('/chart.png') returns the image; starts slower than python"
    ),
    "ruby": "standard library only, no gems",
    "quickjs": (
        "JavaScript run like `node file.js` (QuickJS plus a Node-shaped prelude): console, process, Buffer, "
        "require of fs, path, readline, events, assert, util, os and your own files; no npm packages, network "
        "or child processes; an ES module must be a .js file with import/export"
    ),
    "clang": "C (gnu17, clang 21) with wasi-libc; compiled, linked, then run; compile errors on stderr; no threads",
    "clangpp": (
        "C++ (gnu++23, clang 21, libc++): C++17/20/23 incl. ranges, format, print, expected; no exceptions "
        "(try/throw do not compile) and no threads; common std headers are pre-included"
    ),
    "php-cgi": "plain-text output, no CGI headers; read stdin via php://stdin",
    "sqlite": (
        "SQLite 3.52 shell: runs the file like `sqlite3 -bail < main.sql` (stops at the first error), on an "
        "in-memory database unless it opens a file; RETURNING, ->/->>, math functions, STRICT, dot-commands"
    ),
    "wasi": "your own WebAssembly program (WASI preview 1): pass the .wasm file with run_fs, base64-encoded",
}
"""What to expect of each runtime, beyond its language and version: `list_runtimes` tells it, so the
run tools' descriptions, sent with every model request, need not."""

_LANGUAGE_NAMES: dict[str, str] = {
    "python": "python (3.11, stdlib)",
    "python-sci": "python-sci (numpy, pandas, sklearn, matplotlib)",
    "ruby": "ruby",
    "quickjs": "quickjs (JavaScript, Node-style)",
    "clang": "clang (C)",
    "clangpp": "clangpp (C++)",
    "php-cgi": "php-cgi (PHP)",
    "sqlite": "sqlite (SQL script)",
    "wasi": "wasi (your .wasm, WASI preview 1)",
}
"""Each runtime id as the run tools' descriptions name it, in the order a model should consider them."""


def code_languages() -> tuple[str, ...]:
    """The runtime ids `run_code` accepts: every runtime whose program is source text."""
    return tuple(runtime for runtime in RUNTIMES if runtime != "wasi")


def accepted_names(runtimes: tuple[str, ...]) -> list[str]:
    """The names a language argument's schema offers: the runtime ids, then their aliases."""
    return [*runtimes, *(alias for alias, target in ALIASES.items() if target in runtimes)]


def _languages(runtimes: tuple[str, ...]) -> str:
    return "Languages: " + ", ".join(name for runtime, name in _LANGUAGE_NAMES.items() if runtime in runtimes) + "."


_SANDBOX = (
    "No network, no package installs, no host files; nothing persists between calls unless you pass a "
    "session_id (create_session). A failing program is a normal result: read stderr, fix the code."
)
_IMAGES = " Saved images (plt.savefig('/plot.png')) come back as images."


def _run_code(images: bool) -> str:
    return (
        "Run one source file in a fresh WebAssembly sandbox; returns exit code, stdout, stderr and files "
        f"written. Only printed output comes back. {_SANDBOX}{_IMAGES if images else ''}\n\n"
        f"{_languages(code_languages())} Versions, limits, notes: list_runtimes. For several files, use run_fs."
    )


def _run_fs(images: bool) -> str:
    return (
        "Run a program with the files you give (sources, data, a compiled .wasm) in a fresh WebAssembly "
        f"sandbox; returns exit code, stdout, stderr and files created or changed. {_SANDBOX}"
        f"{_IMAGES if images else ''}\n\n"
        f"{_languages(RUNTIMES)} Versions, limits, notes: list_runtimes."
    )


RUN_CODE = _run_code(images=True)
"""For a tool whose result carries the image files a run writes as images (MCP; LangChain with images_in_content)."""
RUN_CODE_TEXT = _run_code(images=False)
"""For a tool whose result the model reads as text only."""
RUN_FS = _run_fs(images=True)
RUN_FS_TEXT = _run_fs(images=False)

LIST_RUNTIMES = (
    "List the languages this sandbox can run: for each, its id (the value to pass as language), the "
    "language and version, the entry file run_code writes the code to, and the other names accepted. "
    "Also gives the limits every run is held to (time, output size, memory, request size)."
)

SESSION_ID = (
    "Optional: the id create_session returned. The run then sees every file earlier runs of the session "
    "wrote or you uploaded with write_files, and what it writes stays for the next call; in a live session, "
    "Python variables, imports and functions persist between calls too. Leave it out for a one-off run."
)

CREATE_SESSION = (
    "Start a session: a private workspace whose files persist between calls of run_code, run_fs, write_files, "
    "read_file and list_files that pass its session_id (write a CSV with Python, query it with sqlite; "
    "compile in one call, run in the next). With live=true, Python runs also keep one interpreter alive, so "
    "variables, imports and functions defined in one call are there in the next, like notebook cells. A "
    "session expires after a while unused; close it with close_session when done."
)
LIVE = (
    "Keep a Python interpreter alive between this session's python (and python-sci) calls: variables persist. "
    "A timeout, a crash or the server's memory budget restarts it (files are kept, variables are not), and the "
    "result says so."
)
CLOSE_SESSION = "Close a session and drop its files and interpreter."
LIST_FILES = "List the files a session holds: path, size in bytes, modification time."
READ_FILE = (
    "Read one file from a session, for example a result a program wrote. Text comes back as is "
    '(encoding "utf-8"), anything else base64-encoded (encoding "base64"); an image file (PNG, JPEG, GIF, '
    "WebP) also comes back as an image you can look at."
)
READ_PATH = "Absolute path of the file in the session, for example /out/result.csv."
WRITE_FILES = (
    "Upload files into a session (data to analyse, source files), replacing files of the same path; "
    "the session's later runs see them."
)

PACKAGES = (
    "Optional, Python only: pure-Python packages from PyPI to make importable, as pip requirement strings "
    '(["tabulate", "rich>=13"]); their dependencies come too. The program itself cannot install anything '
    "(it has no network and no pip); this argument is the way. Only packages published as pure-Python wheels "
    "(py3-none-any) work: packages with compiled code, such as numpy or pandas, are refused. Give names and "
    "versions only, no URLs, paths or pip options."
)

COMPILER_FLAGS = (
    "Optional, C and C++ only: compiler flags added after the defaults, as separate items: -std=c++17, -O0 to "
    "-O3, -DNAME=value, -UNAME, -Wall and other -W warnings, -w, -pedantic, -g, -f[no-]<feature> (rtti, "
    "fast-math, wrapv, signed-char, ...), -l<library> (e.g. -lm) and -I/<folder>. Output, target "
    "and sysroot flags are refused."
)

LANGUAGE = "The language to run: a runtime id, or another name for one (js, c, cpp, php, sql)."
CODE = "The complete program source. It is saved as the runtime's entry file (for example /main.py) and run."
STDIN = "Text given to the program on standard input. Leave it out if the program reads nothing."
TIMEOUT = "Seconds the whole run may take, compiling included"
MEMORY_LIMIT_MB = "MiB of memory the program may use; past it, it fails as the language does when out of memory"
ENTRY_PATH = "Absolute path of the file to run, for example /main.py; it must be one of the files."
FILES = (
    "The files to put in the sandbox before the run, the entry file among them: absolute paths, text with "
    'encoding "utf-8", binary data base64-encoded with encoding "base64".'
)
FILE_PATH = "Absolute POSIX path of the file in the sandbox, for example /data/input.csv."
FILE_CONTENT = 'The file\'s content: the text itself for encoding "utf-8", base64 for encoding "base64".'
FILE_ENCODING = 'How content is written: "utf-8" for text, "base64" for binary data.'

SERVER_INSTRUCTIONS = (
    "Runs code in a WebAssembly sandbox: Python, Ruby, JavaScript, C, C++, PHP and SQL. Use run_code for a "
    "single source file, run_fs when the program needs several files or data files, and list_runtimes to "
    "see versions and limits. For work in steps, create_session keeps files (and, if live, Python variables) "
    "between calls. There is no network and no package installation; print what you need."
)


def timeout(default: float, maximum: float) -> str:
    """The timeout argument's description, with the bounds this server or tool applies."""
    return f"{TIMEOUT}: {default:g} by default, at most {maximum:g}."


def memory_limit_mb(default: int, maximum: int) -> str:
    """The memory argument's description, with the bounds this server or tool applies."""
    return f"{MEMORY_LIMIT_MB}: {default} by default, at most {maximum}."
