"""The engine: a long-lived Deno process running WebAssembly language runtimes, spoken to over pipes."""

from runno_mcp.engine.engine import Engine, EngineOptions

__all__ = ["Engine", "EngineOptions"]
