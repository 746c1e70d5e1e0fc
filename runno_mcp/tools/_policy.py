"""The operator's say over the runs a model asks for: defaults, bounds and caps both tool layers apply.

Owns `ToolPolicy`, the fields an operator sets on the MCP server (`ServerOptions`, flags and their
environment twins) and on the LangChain tools (`RunnoToolkit`, `RunCodeTool`, `RunFilesTool`), and
the one helper that turns a model's arguments into the sandbox's run options. A default that is not
the operator's is `RunOptions`': read from the model, never written here again.

Why the bounds differ from the Python API's: a model waits on its tool call, and MCP clients give
up on a request after 60 s by default (the TypeScript SDK's `DEFAULT_REQUEST_TIMEOUT_MSEC`, which
Claude Desktop and the Inspector use), so a tool run gets at most 60 s unless the operator says
otherwise, where a script calling `run_code` may take 300 s (`sandbox.DEFAULT_MAX_TIMEOUT`). Output
is cut at 16 KiB per stream, about 4k tokens, what a model's context can spare.
"""

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field, model_validator
from typing_extensions import Self

from runno_mcp.models import MAX_MEMORY_LIMIT_MB, MAX_RETURN_BYTES_LIMIT, MAX_RETURN_FILES_LIMIT, run_default
from runno_mcp.sandbox import RunKwargs, SandboxKwargs
from runno_mcp.tools._images import ImageLimits

__all__ = [
    "DEFAULT_TOOL_MAX_OUTPUT_BYTES",
    "DEFAULT_TOOL_MAX_RETURN_BYTES",
    "DEFAULT_TOOL_MAX_RETURN_FILES",
    "DEFAULT_TOOL_MAX_TIMEOUT",
    "ToolPolicy",
]

DEFAULT_TOOL_MAX_TIMEOUT = 60.0  # seconds: MCP clients' default request timeout (see the module docstring)
DEFAULT_TOOL_MAX_OUTPUT_BYTES = 16 * 1024  # per stream: about 4k tokens
DEFAULT_TOOL_MAX_RETURN_FILES = 100  # files a tool result carries: a model reads their list
DEFAULT_TOOL_MAX_RETURN_BYTES = 4 * 1024 * 1024  # as much as a call may send (max_request_bytes)


class ToolPolicy(BaseModel):
    """What the operator decides for every run a model asks for through a tool."""

    model_config = ConfigDict(use_attribute_docstrings=True)  # each field's docstring is its flag's help

    default_timeout: float = Field(default_factory=lambda: run_default("timeout"), gt=0, allow_inf_nan=False)
    """Seconds a run gets when the model does not say (default: `RunOptions.timeout`)."""
    max_timeout: float = Field(default=DEFAULT_TOOL_MAX_TIMEOUT, gt=0, allow_inf_nan=False)
    """The most seconds a model may ask for; asking for more is refused with the bound."""
    max_memory_limit_mb: int = Field(default=MAX_MEMORY_LIMIT_MB, ge=1, le=MAX_MEMORY_LIMIT_MB)
    """The most memory, in MiB, a model may ask for (`memory_limit_mb`); a run that does not say gets
    `RunOptions.memory_limit_mb`, or this if lower."""
    max_output_bytes: int = Field(default=DEFAULT_TOOL_MAX_OUTPUT_BYTES, ge=0)
    """Bytes kept of each of stdout, stderr and tty; the result says when output was cut."""
    max_return_files: int = Field(default=DEFAULT_TOOL_MAX_RETURN_FILES, ge=0, le=MAX_RETURN_FILES_LIMIT)
    """Files a run's result carries at most (changed files first, then by path); the result counts and
    names the rest. A session keeps them all, within its own limits."""
    max_return_bytes: int = Field(default=DEFAULT_TOOL_MAX_RETURN_BYTES, ge=0, le=MAX_RETURN_BYTES_LIMIT)
    """Bytes of file content a run's result carries at most."""
    max_concurrency: int = Field(default=4, ge=1)
    """Runs in flight at once; further calls wait for a free slot."""
    max_images: int = Field(default=ImageLimits().max_images, ge=0)
    """Image files a run wrote that go back to the model as images, per call (0: none)."""
    max_image_bytes: int = Field(default=ImageLimits().max_image_bytes, ge=0)
    """Bytes of one image file sent as an image; a larger one is only in the result's files."""
    max_total_image_bytes: int = Field(default=ImageLimits().max_total_image_bytes, ge=0)
    """Bytes of all the images of one call."""
    allow_packages: bool = False
    """Whether Python runs may add pure-Python packages from PyPI (a `packages` argument the model
    sees), resolved with pip on this host."""

    @model_validator(mode="after")
    def _check_timeouts(self) -> Self:
        if self.default_timeout > self.max_timeout:
            raise ValueError(
                f"default timeout {self.default_timeout:g} s exceeds the maximum timeout {self.max_timeout:g} s"
            )
        return self

    @property
    def default_memory_limit_mb(self) -> int:
        """What a run that does not say gets."""
        return min(run_default("memory_limit_mb"), self.max_memory_limit_mb)

    def policy(self) -> "ToolPolicy":
        """These settings alone (a tool or toolkit is a policy and more)."""
        return ToolPolicy(**{name: getattr(self, name) for name in ToolPolicy.model_fields})

    def image_limits(self) -> ImageLimits:
        """How many image files, and bytes, a call's result carries as image content."""
        return ImageLimits(self.max_images, self.max_image_bytes, self.max_total_image_bytes)

    def sandbox_options(self) -> SandboxKwargs:
        """The sandbox's arguments these settings decide: it enforces the bounds, once for every caller."""
        return {
            "max_concurrency": self.max_concurrency,
            "max_timeout": self.max_timeout,
            "max_memory_limit_mb": self.max_memory_limit_mb,
            "allow_packages": self.allow_packages,
        }

    def run_options(
        self,
        *,
        stdin: str | None = None,
        timeout: float | None = None,
        memory_limit_mb: int | None = None,
        packages: Sequence[str] | None = None,
        compiler_flags: Sequence[str] | None = None,
    ) -> RunKwargs:
        """The sandbox's run options for a model's arguments: the operator's defaults and output cap applied."""
        return {
            "stdin": stdin,
            "timeout": self.default_timeout if timeout is None else timeout,
            "memory_limit_mb": memory_limit_mb,
            "max_output_bytes": self.max_output_bytes,
            "max_return_files": self.max_return_files,
            "max_return_bytes": self.max_return_bytes,
            "packages": packages,
            "compiler_flags": compiler_flags,
        }
