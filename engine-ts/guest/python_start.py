# The start of every python run: `python /.runno/python_start.py ENTRY ARGS...`.
#
# It runs the entry file as `python ENTRY ARGS` would: same argv, sys.path[0], `__main__`,
# tracebacks, exit status and end (threading's shutdown, atexit handlers, the program's objects
# released, stdout and stderr flushed). Then it exits without Py_Finalize's teardown of the
# interpreter (~4.5 ms of a hello's ~12): the instance is thrown away, or its memory rewritten,
# next. In a live session it hands the interpreter to python_live.py instead (`go_live`).
#
# Everything before the entry file is opened touches only the base filesystem, so the runtime's
# snapshot holds it done (engine-ts/src/gate.ts): a run starts inside `_run`, at that open.
# That includes the first `compile()`, which builds CPython's AST types (~3.5 ms). It imports
# nothing CPython did not import while it booted (a module imported here would be in sys.modules
# before the program's own file of that name), and its one global, `_start`, is gone before
# the program runs.


def _start():
    import io
    import os
    import sys

    start_file = __file__
    main = sys.modules["__main__"]
    namespace = main.__dict__
    del namespace["_start"]
    program = sys.orig_argv[0] if sys.orig_argv else "python"
    entry = sys.argv[1]
    del sys.argv[0]
    sys.orig_argv[1:2] = []
    if sys.path and sys.path[0] == os.path.dirname(start_file):
        sys.path[0] = os.path.dirname(entry)
    namespace["__file__"] = entry
    namespace["__loader__"] = sys.modules["_frozen_importlib_external"].SourceFileLoader("__main__", entry)
    compile("", entry, "exec", dont_inherit=True)  # builds the AST types while the snapshot is taken
    live_file = os.path.join(os.path.dirname(start_file), "python_live.py")
    with io.open(live_file, "rb") as source:
        live = {"__name__": "runno_live", "__builtins__": namespace["__builtins__"]}
        exec(compile(source.read(), live_file, "exec"), live)
    # Everything alive now is the booted interpreter's: the cyclic collector need never look at it
    # again, in the program's collections or in the one at its end (~2 ms less per run).
    import gc

    gc.freeze()
    del sys.modules["gc"]  # as before this file ran: the program's `import gc` makes it afresh

    def own_frames_dropped(error):
        traceback = error.__traceback__
        while traceback is not None and traceback.tb_frame.f_code.co_filename == start_file:
            traceback = traceback.tb_next
        error.__traceback__ = traceback
        return traceback

    def report(error):
        # As Python reports an uncaught exception, minus this file's own frames.
        traceback = own_frames_dropped(error)
        sys.last_type, sys.last_value, sys.last_traceback = type(error), error, traceback
        try:
            sys.excepthook(type(error), error, traceback)
        except BaseException as hook_error:
            sys.stderr.write("Error in sys.excepthook:\n")
            sys.__excepthook__(type(hook_error), hook_error, hook_error.__traceback__)
            sys.stderr.write("\nOriginal exception was:\n")
            sys.__excepthook__(type(error), error, traceback)

    def is_closed(stream):
        try:
            return bool(stream.closed)
        except BaseException:
            return False

    def flush(stream, say_why=False):
        # As Py_Finalize flushes a standard stream: not if it is closed; whether that worked.
        if stream is None or is_closed(stream):
            return True
        try:
            stream.flush()
            return True
        except BaseException as error:
            if say_why:  # as PyErr_WriteUnraisable words it
                sys.stderr.write(f"Exception ignored in: {stream!r}\n")
                sys.__excepthook__(type(error), error, own_frames_dropped(error))
            return False

    def exit_status(request):
        # As Python exits on SystemExit: None is 0, an int is itself, anything else is printed.
        code = request.code
        if code is None:
            return 0
        if isinstance(code, int):
            return int(code)  # True is 1
        flush(sys.stdout)
        sys.stderr.write(f"{code}\n")
        return 1

    def run(entry):
        # The program at `entry`, in `__main__`, as `python ENTRY` runs it: its exit status.
        try:
            with io.open(entry, "rb") as file:
                source = file.read()
        except OSError as error:
            sys.stderr.write(f"{program}: can't open file {entry!r}: [Errno {error.errno}] {error.strerror}\n")
            return 2
        try:
            exec(compile(source, entry, "exec", dont_inherit=True), namespace)
        except SystemExit as request:
            try:
                return exit_status(request)
            except BaseException as error:
                report(error)
                return 1
        except KeyboardInterrupt as error:
            report(error)
            return 130  # 128 + SIGINT, as CPython exits after an unhandled Ctrl-C
        except BaseException as error:
            report(error)
            return 1
        return 0

    def end(status):
        # Py_Finalize's steps that a program can see, in its order.
        threading = sys.modules.get("threading")
        if threading is not None:
            threading._shutdown()
        atexit = sys.modules.get("atexit")
        if atexit is not None:
            atexit._run_exitfuncs()
        flushed = [flush(sys.stdout, say_why=True), flush(sys.stderr)]
        if not all(flushed):
            status = 120  # as Py_Finalize ends when it cannot flush them
        # The program's own modules, `__main__` first: clearing their namespaces releases what
        # they hold in order (a text file flushes through its buffer before its raw file closes),
        # as Py_Finalize does; a bare gc.collect() could close the raw file first and lose the
        # buffer.
        library = f"{sys.prefix}/lib/"  # the stdlib zip and folder
        for name, module in list(sys.modules.items()):
            file = getattr(module, "__file__", None) or ""
            if name == "__main__" or (file and not file.startswith(library)):
                del sys.modules[name]
                module.__dict__.clear()
        gc.collect()
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            flush(stream)
        os._exit(status)

    del main
    status = run(entry)
    live["go_live"](status, run)  # returns unless this run is a live session's
    end(status)


_start()
