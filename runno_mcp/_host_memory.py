"""The host's free memory, for runtimes whose interpreter needs a lot of it (python-sci: ~0.6 GB each).

Read from /proc/meminfo's MemAvailable (what the kernel can give without swapping); elsewhere the
figure is unknown and nothing is refused or trimmed for it.
"""

from pathlib import Path

from runno_mcp.errors import InsufficientMemoryError
from runno_mcp.langs import Manifest

__all__ = ["available_mb", "check_host_memory"]

MEMINFO = Path("/proc/meminfo")


def available_mb() -> float | None:
    """Return the host's available memory in MB, or None where the platform does not say."""
    try:
        text = MEMINFO.read_text(encoding="ascii")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return None


def check_host_memory(runtime: str, manifest: Manifest) -> None:
    """Refuse a run whose interpreter needs more memory than the host has available now.

    Raises:
        InsufficientMemoryError: the message gives both figures and what to do.
    """
    entry = manifest.runtimes.get(runtime)
    need = entry.host_memory_mb if entry is not None else None
    available = available_mb()
    if need is not None and available is not None and available < need:
        raise InsufficientMemoryError(
            f"Cannot run {runtime} now: its interpreter needs about {need} MB of memory and the machine has "
            f"{available:.0f} MB available; try again when other runs have finished, lower max_concurrency, "
            "or use python (standard library only), which needs far less"
        )
