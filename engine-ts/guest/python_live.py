# The live loop of a Python interpreter (engine-ts/src/live.ts, live_worker.ts).
#
# A start script (python_start.py, python_sci_start.py) loads this file in a namespace of its own
# while the interpreter boots, so it is in the runtime's snapshot. A live session's first call is
# an ordinary run; after its program the start script calls `go_live`, which opens
# `/.runno-live/<exit status>`. In a live session's worker that open hands the call back and
# blocks until the next call, then succeeds on a file that holds the next cell's entry, args and
# environment, NUL-separated; in any other run there is no such file and the run ends. Then
# `serve` runs every further call as a cell in the same `__main__`, the way `python ENTRY ARGS`
# would run it, handing each back by the same kind of open.
import io
import os
import sys

CONTROL = "/.runno-live"


def go_live(status, run_cell):
    """Serve a live session's further calls, if this run is one's; else return at once."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass  # a stream the program closed or replaced with something odd
    control = f"{CONTROL}/{status}"
    try:
        job = io.open(control, "rb")
    except OSError:
        return
    if os.path.exists(control):  # the engine's lasts only for the open: this is the program's own
        job.close()
        return
    serve(job, run_cell)


def serve(job, run_cell):
    """Runs cells until the engine stops the interpreter: `job` is the next cell's control file,
    `run_cell(entry)` the start script's own way of running a program in `__main__` (its exit status).
    """
    control = CONTROL
    import builtins

    open_binary = io.open
    program = sys.orig_argv[0] if sys.orig_argv else "python"
    bootstrap = sys.modules["_frozen_importlib_external"]
    source_loader, file_finder = bootstrap.SourceFileLoader, bootstrap.FileFinder
    # Standard input is made again for every cell, configured as Python made it at start-up.
    stdin_options = {
        "encoding": sys.__stdin__.encoding,
        "errors": sys.__stdin__.errors,
        "newline": "\n",
        "line_buffering": sys.__stdin__.line_buffering,
    }

    # The first call's program ran in this `__main__`; every cell after it runs there too.
    main = sys.modules["__main__"]
    namespace = main.__dict__
    namespace.setdefault("__builtins__", builtins)
    script_dir = sys.path[0] if sys.path else None

    def read_cell(code):
        with open_binary(f"{control}/{code}", "rb") as job:
            return parse_cell(job)

    def parse_cell(job):
        fields = job.read().decode("utf-8", "surrogateescape").split("\0")
        count = int(fields[1])
        return fields[0], fields[2 : 2 + count], fields[2 + count :]

    def set_environment(items):
        os.environ.clear()
        for item in items:
            name, equals, value = item.partition("=")
            if equals and name:
                try:
                    os.environ[name] = value
                except (OSError, ValueError):
                    pass  # a name C's environ could not hold either

    def fresh_stdin():
        buffer = open_binary(0, "rb", closefd=False)
        buffer.raw.name = "<stdin>"
        stream = io.TextIOWrapper(buffer, **stdin_options)
        stream.mode = "r"
        return stream

    def forget_import_caches():
        # The engine writes a call's files while the interpreter lives, so do what importlib's
        # docs ask of anyone who creates modules then: drop the finders' cached listings.
        # (Folders only: a zipimporter's invalidate_caches re-reads the whole stdlib zip.)
        for finder in list(sys.path_importer_cache.values()):
            if isinstance(finder, file_finder):
                finder.invalidate_caches()
        linecache = sys.modules.get("linecache")
        if linecache is not None:
            linecache.checkcache()

    def flush(stream):
        try:
            stream.flush()
        except BaseException:
            pass  # a stream the cell closed or replaced with something odd

    def flush_output():
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            flush(stream)

    cell = parse_cell(job)
    job.close()
    while True:
        entry, args, environment = cell
        sys.argv = [entry, *args]
        sys.orig_argv = [program, entry, *args]
        if sys.path and sys.path[0] == script_dir:
            sys.path[0] = script_dir = os.path.dirname(entry)
        set_environment(environment)
        sys.stdin = sys.__stdin__ = fresh_stdin()
        forget_import_caches()
        namespace["__file__"] = entry
        namespace["__loader__"] = source_loader("__main__", entry)
        code = run_cell(entry)
        flush_output()
        cell = read_cell(code)
