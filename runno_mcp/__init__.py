"""runno_mcp: run the code an LLM agent writes, safely, as WebAssembly in a Deno sandbox.

```python
from runno_mcp import AsyncSandbox, run_code

result = await run_code("python", "print(1 + 1)", timeout=5)
async with AsyncSandbox(max_concurrency=4) as sandbox:
    result = await sandbox.run_code("clang", c_source, stdin="3 4\\n")
```
"""

import importlib.metadata

from runno_mcp.errors import (
    EngineError,
    EngineNotFoundError,
    EngineStartError,
    InsufficientMemoryError,
    InvalidRequestError,
    LanguageNotInstalledError,
    PackageError,
    ProtocolError,
    RunnoError,
    SandboxBusyError,
    SessionExpiredError,
    SessionLimitError,
    SessionNotFoundError,
    UnknownRuntimeError,
)
from runno_mcp.models import (
    ALIASES,
    RUNTIMES,
    BinaryFile,
    RunImage,
    RunOptions,
    RunResult,
    Runtime,
    RuntimeInfo,
    StringFile,
    Timestamps,
)
from runno_mcp.sandbox import AsyncSandbox, Sandbox, run_code, run_fs
from runno_mcp.sessions import AsyncSession, Session, SessionFile
from runno_mcp.streaming import OutputChunk, RunStream

try:
    __version__ = importlib.metadata.version("runno-mcp")
except importlib.metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = [
    "ALIASES",
    "AsyncSandbox",
    "AsyncSession",
    "BinaryFile",
    "EngineError",
    "EngineNotFoundError",
    "EngineStartError",
    "InsufficientMemoryError",
    "InvalidRequestError",
    "LanguageNotInstalledError",
    "OutputChunk",
    "PackageError",
    "ProtocolError",
    "RUNTIMES",
    "RunImage",
    "RunOptions",
    "RunResult",
    "RunStream",
    "RunnoError",
    "Runtime",
    "RuntimeInfo",
    "Sandbox",
    "SandboxBusyError",
    "Session",
    "SessionExpiredError",
    "SessionFile",
    "SessionLimitError",
    "SessionNotFoundError",
    "StringFile",
    "Timestamps",
    "UnknownRuntimeError",
    "run_code",
    "run_fs",
]
