"""The host's free memory, for runtimes whose interpreter needs a lot of it (python-sci: ~0.6 GB each).

Read from /proc/meminfo's MemAvailable (what the kernel can give without swapping); elsewhere the
figure is unknown and nothing is refused or trimmed for it.
"""

from pathlib import Path

__all__ = ["available_mb"]

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
