"""Exceptions raised by runno_mcp.

* RunnoError
  + InvalidRequestError (also ValueError): the call cannot be run as asked
    - UnknownRuntimeError: the message lists the runtimes that exist
  + LanguageNotInstalledError: binaries missing or failing their checksum
  + SandboxBusyError: every slot is taken and the queue of waiting calls is full
  + EngineError: the engine could not be started or spoken to
    - EngineNotFoundError: no deno binary to start the engine with
    - EngineStartError: the engine exited or stayed silent during its handshake
    - ProtocolError: the engine sent something that breaks the wire contract

A guest program that misbehaves is never an exception: it is a `RunResult`.
"""

__all__ = [
    "EngineError",
    "EngineNotFoundError",
    "EngineStartError",
    "InvalidRequestError",
    "LanguageNotInstalledError",
    "ProtocolError",
    "RunnoError",
    "SandboxBusyError",
    "UnknownRuntimeError",
]


class RunnoError(Exception):
    """Base class of every exception runno_mcp raises on purpose."""


class InvalidRequestError(RunnoError, ValueError):
    """The call cannot be run as asked; the message says what to change."""


class UnknownRuntimeError(InvalidRequestError):
    """The runtime named is not one runno_mcp knows; the message lists those it does."""


class LanguageNotInstalledError(RunnoError):
    """The language files are missing or fail their checksum; the message says what to run."""


class SandboxBusyError(RunnoError):
    """Every run slot is taken and `max_queue` calls already wait; try again later."""


class EngineError(RunnoError):
    """The engine could not be started or spoken to."""


class EngineNotFoundError(EngineError):
    """No deno binary was found to start the engine with."""


class EngineStartError(EngineError):
    """The engine exited, or gave no answer, before finishing its handshake."""


class ProtocolError(EngineError):
    """The engine sent a frame or a message that breaks the wire contract."""
