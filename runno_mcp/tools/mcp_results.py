"""What the MCP run tools put in `structuredContent`: a run's result, without what a model pays for twice.

Owns `ToolRunResult`, the tools' output schema, and building it from a `RunResult`. Clients that
forward structured content to the model (pydantic-ai does) pay for every byte on every call, so it
leaves out what repeats something else: `tty` (stdout and stderr again, interleaved), a file's path
(its key) and its three timestamps (kept only when the operator asks, `--file-timestamps`), and
every field still at its default. A file comes back as a file goes in to `run_fs`: content and
encoding. The full `RunResult` stays the Python API's and LangChain's. Importing this module needs
no MCP SDK, so a client program can parse results with it.
"""

import base64
from typing import Any, Literal

from pydantic import BaseModel, Field

from runno_mcp.models import (
    BinaryFile,
    PrepareStep,
    ResultType,
    RunImage,
    RunResult,
    StringFile,
    Timestamps,
)

__all__ = ["ReturnedFile", "ToolRunResult"]


class ReturnedFile(BaseModel):
    """A file the run created or changed, shaped like the files `run_fs` takes."""

    content: str
    """The text itself for encoding "utf-8", base64 for encoding "base64"."""
    encoding: Literal["utf-8", "base64"]
    timestamps: Timestamps | None = None
    """Only when the server runs with `--file-timestamps`."""


class ToolRunResult(BaseModel):
    """A run's result as `run_code` and `run_fs` return it in `structuredContent`: `RunResult` without
    `tty` and file timestamps, fields at their default left out (an absent `stderr` is empty)."""

    result_type: ResultType
    """"complete" (the program exited), "timeout", "crash" (trap, engine death) or "terminated"."""
    exit_code: int | None = None
    failed_step: PrepareStep | None = None
    """"compile" or "link" when that step failed and the program never ran."""
    stdout: str = ""
    stderr: str = ""
    fs: dict[str, ReturnedFile] = Field(default_factory=dict[str, ReturnedFile])
    """Files the run created or changed, keyed by absolute path."""
    images: list[RunImage] = Field(default_factory=list[RunImage])
    """The image files among `fs`, with their type and size in pixels."""
    truncated: bool = False
    """Whether any output or file was cut by a cap; `warnings` says what."""
    omitted_files: int = 0
    """Files the run wrote that the caps left out of `fs`."""
    omitted_bytes: int = 0
    warnings: list[str] = Field(default_factory=list[str])
    duration_ms: float = 0.0
    error: str | None = None
    """Why a crash or termination happened."""

    @classmethod
    def of(cls, result: RunResult, *, timestamps: bool = False) -> "ToolRunResult":
        """`result` as the tools return it; with `timestamps`, each file keeps its times."""
        returned = {path: _returned(file, timestamps) for path, file in result.fs.items()}
        return cls.model_validate({**result.model_dump(exclude={"tty", "fs"}), "fs": returned})

    def structured(self) -> dict[str, Any]:
        """The JSON object for `structuredContent`: every field that is not at its default."""
        return self.model_dump(mode="json", exclude_defaults=True)


def _returned(file: StringFile | BinaryFile, timestamps: bool) -> ReturnedFile:
    kept = file.timestamps if timestamps else None
    if isinstance(file, StringFile):
        return ReturnedFile(content=file.content, encoding="utf-8", timestamps=kept)
    return ReturnedFile(content=base64.b64encode(file.content).decode("ascii"), encoding="base64", timestamps=kept)
