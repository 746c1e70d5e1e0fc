"""Shared fixtures: one anyio backend and one real `AsyncSandbox` for the whole pytest run."""

import os
import stat
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from runno_mcp import AsyncSandbox

PEER = Path(__file__).parent / "peers" / "scripted_engine.py"


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
async def sandbox() -> AsyncIterator[AsyncSandbox]:
    """The real engine with the real language files, shared by every behaviour test."""
    async with AsyncSandbox(max_concurrency=8) as shared:
        yield shared


@pytest.fixture
def scripted_deno(tmp_path: Path) -> Callable[[str], Path]:
    """Return a fake `deno` executable that runs the scripted peer in the given mode."""

    def make(mode: str) -> Path:
        path = tmp_path / f"deno-{mode}"
        path.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{PEER}" {mode} "$@"\n', encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
        return path

    return make


@pytest.fixture
def no_langs_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget any language-folder, tarball or offline setting of the environment."""
    for name in ("RUNNO_MCP_LANGS_DIR", "RUNNO_MCP_LANGS_TARBALL", "RUNNO_MCP_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    assert "RUNNO_MCP_LANGS_DIR" not in os.environ
