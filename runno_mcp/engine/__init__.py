"""The engine: a long-lived Deno process running WebAssembly language runtimes, spoken to over pipes.

These names are all the layers above may use; the modules behind them are private to this package.
"""

from runno_mcp.engine._protocol import LiveState, RunParams, RunResultWire, WireFile
from runno_mcp.engine.engine import STARTUP_TIMEOUT, Engine, EngineOptions

__all__ = ["STARTUP_TIMEOUT", "Engine", "EngineOptions", "LiveState", "RunParams", "RunResultWire", "WireFile"]
