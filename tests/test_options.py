"""A run's options have one source: `RunOptions`' field defaults, which every layer reads and none repeats."""

from collections.abc import Iterator
from pathlib import Path
from typing import get_type_hints

import pytest

from runno_mcp import AsyncSandbox, RunOptions
from runno_mcp._calls import RunKwargs
from runno_mcp.cli import main, serve_parser
from runno_mcp.tools.langchain import RunCodeTool, RunnoToolkit
from runno_mcp.tools.mcp import Limits, ServerOptions


@pytest.fixture
def moved_defaults() -> Iterator[None]:
    """`RunOptions` with other defaults (timeout 7 s, memory 300 MiB), as one edit of the model would give."""
    fields = RunOptions.model_fields
    before = fields["timeout"].default, fields["memory_limit_mb"].default
    fields["timeout"].default, fields["memory_limit_mb"].default = 7.0, 300
    RunOptions.model_rebuild(force=True)
    try:
        yield
    finally:
        fields["timeout"].default, fields["memory_limit_mb"].default = before
        RunOptions.model_rebuild(force=True)


def test_run_kwargs_are_the_run_options_plus_on_output() -> None:
    """The keyword arguments of run_code/run_fs and the model name the same options."""
    assert set(get_type_hints(RunKwargs)) == {*RunOptions.model_fields, "on_output"}


@pytest.mark.usefixtures("moved_defaults")
def test_a_default_changed_in_the_model_reaches_mcp_langchain_the_cli_and_the_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no second edit, the MCP server, the LangChain tools, both commands and the engine's argv follow."""
    options = ServerOptions()
    assert (options.default_timeout, options.default_memory_limit_mb) == (7.0, 300)
    assert (Limits.of(options).default_timeout, Limits.of(options).default_memory_limit_mb) == (7.0, 300)
    assert RunnoToolkit().default_timeout == 7.0
    assert RunCodeTool().default_memory_limit_mb == 300
    assert serve_parser().parse_args([]).default_timeout == 7.0
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    run_help = " ".join(capsys.readouterr().out.split())
    assert "(default 7)" in run_help and "(default 300)" in run_help
    engine = AsyncSandbox(langs_dir=tmp_path)._engine_options(tmp_path)  # pyright: ignore[reportPrivateUsage]
    assert engine.memory_limit_mb == 300
    assert engine.args()[engine.args().index("--memory-limit-mb") + 1] == "300"
