"""The engine: Deno processes running WebAssembly language runtimes, spoken to over pipes.

`EngineCells` runs each program in a cell, an engine process of its own at the time (see
`runno_mcp.engine.cells`); `Engine` is one such process. These names are all the layers above may
use; the modules behind them are private to this package.
"""

from runno_mcp.engine._protocol import LiveState, RunParams, RunResultWire, WireFile
from runno_mcp.engine.cells import EngineCells
from runno_mcp.engine.engine import STARTUP_TIMEOUT, Engine, EngineOptions

__all__ = [
    "STARTUP_TIMEOUT",
    "Engine",
    "EngineCells",
    "EngineOptions",
    "LiveState",
    "RunParams",
    "RunResultWire",
    "WireFile",
]
