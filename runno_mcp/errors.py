"""Exceptions raised by runno_mcp.

* RunnoError
  + InvalidRequestError (also ValueError): the call cannot be run as asked
    - UnknownRuntimeError: the message lists the runtimes that exist
    - SessionNotFoundError: no session has that id (for this caller)
      . SessionExpiredError: the session was closed, or idle past its time to live
    - SessionLimitError: too many sessions or live interpreters, or a session over its size
    - PackageError: packages not allowed, a requirement refused, no pure-Python wheel, compiled code
  + LanguageNotInstalledError: binaries missing or failing their checksum
  + SandboxBusyError: every slot is taken and the queue of waiting calls is full
    - InsufficientMemoryError: too little free host memory for the runtime (python-sci)
  + EngineError: the engine could not be started or spoken to
    - EngineNotFoundError: no deno binary to start the engine with
    - EngineStartError: the engine exited or stayed silent during its handshake
    - ProtocolError: the engine sent something that breaks the wire contract
    - ConnectionLostError (engine-internal): the engine's pipes closed while a call waited
    - RpcError (engine-internal): the engine answered a call with a JSON-RPC error

The two engine-internal classes live in `runno_mcp.engine.rpc`, beside the wire they describe
(this module imports nothing of the engine), and are not exported. `runno_mcp.engine.engine`
maps every `RpcError` to the class its code stands for, and turns a lost connection into a
`crash` result or an `EngineStartError`, or absorbs it; only `Engine.ping` lets a
`ConnectionLostError` through, caught as the `EngineError` it is. Both subclass `EngineError`,
so one `except EngineError` covers every way a call to the engine can fail.

A guest program that misbehaves is never an exception: it is a `RunResult`.
"""

__all__ = [
    "EngineError",
    "EngineNotFoundError",
    "EngineStartError",
    "InsufficientMemoryError",
    "InvalidRequestError",
    "LanguageNotInstalledError",
    "PackageError",
    "ProtocolError",
    "RunnoError",
    "SandboxBusyError",
    "SessionExpiredError",
    "SessionLimitError",
    "SessionNotFoundError",
    "UnknownRuntimeError",
]


class RunnoError(Exception):
    """Base class of every exception runno_mcp raises on purpose."""


class InvalidRequestError(RunnoError, ValueError):
    """The call cannot be run as asked; the message says what to change."""


class UnknownRuntimeError(InvalidRequestError):
    """The runtime named is not one runno_mcp knows; the message lists those it does."""


class SessionNotFoundError(InvalidRequestError):
    """No session has that id, or it belongs to another client; create one first."""


class SessionExpiredError(SessionNotFoundError):
    """The session was closed, or sat idle past its time to live; its files are gone."""


class SessionLimitError(InvalidRequestError):
    """A session limit was reached: too many sessions or live interpreters, or too many bytes or files."""


class PackageError(InvalidRequestError):
    """Packages cannot be added to the run as asked; the message names the package and the problem."""


class LanguageNotInstalledError(RunnoError):
    """The language files are missing or fail their checksum; the message says what to run."""


class SandboxBusyError(RunnoError):
    """Every run slot is taken and `max_queue` calls already wait; try again later."""


class InsufficientMemoryError(SandboxBusyError):
    """The host has too little free memory for the runtime's interpreter now; the message says how much."""


class EngineError(RunnoError):
    """The engine could not be started or spoken to."""


class EngineNotFoundError(EngineError):
    """No deno binary was found to start the engine with."""


class EngineStartError(EngineError):
    """The engine exited, or gave no answer, before finishing its handshake."""


class ProtocolError(EngineError):
    """The engine sent a frame or a message that breaks the wire contract."""
