"""The public surface: `runno_mcp.__all__` names exactly the public, non-module members, sorted."""

import types

import runno_mcp
import runno_mcp.engine


def test_all_lists_every_public_member_sorted() -> None:
    public = {
        name
        for name, value in vars(runno_mcp).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert runno_mcp.__all__ == sorted(public)


def test_the_engine_package_exports_what_the_sandbox_needs_only() -> None:
    """The engine's face: the service, its options, and the wire shapes of one run; the rest is private."""
    assert runno_mcp.engine.__all__ == [
        "STARTUP_TIMEOUT",
        "Engine",
        "EngineCells",
        "EngineOptions",
        "LiveState",
        "RunParams",
        "RunResultWire",
        "WireFile",
    ]


def test_the_seed_api_is_importable_from_the_package() -> None:
    """What users of the PyPI `runno` package import is here too."""
    from runno_mcp import BinaryFile, RunResult, StringFile, run_code, run_fs

    assert callable(run_code) and callable(run_fs)
    assert {BinaryFile.__name__, RunResult.__name__, StringFile.__name__} == {"BinaryFile", "RunResult", "StringFile"}
