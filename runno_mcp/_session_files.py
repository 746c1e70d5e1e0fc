"""The files one session holds, as exact bytes, within the session's limits on count and total size.

Owns the size accounting and the two ways files arrive: a caller's write (all or nothing: over
a limit, the call is refused) and a run's changes (file by file: one that does not fit is left
out and named in a warning).
"""

from collections.abc import Mapping

from runno_mcp._calls import FileData
from runno_mcp.errors import SessionLimitError

__all__ = ["SessionFiles"]


class SessionFiles:
    """Files by absolute path, never more than `max_files` of `max_bytes` together."""

    def __init__(self, *, max_files: int, max_bytes: int) -> None:
        self._max_files = max_files
        self._max_bytes = max_bytes
        self._files: dict[str, FileData] = {}
        self._total = 0

    @property
    def total_bytes(self) -> int:
        return self._total

    def overlay(self, incoming: Mapping[str, FileData]) -> dict[str, FileData]:
        """The session's files with `incoming` written over them; the session itself is unchanged.

        Raises:
            SessionLimitError: the result would hold more files or bytes than the session may.
        """
        merged = {**self._files, **incoming}
        if len(merged) > self._max_files:
            raise SessionLimitError(
                f"Cannot store {len(merged)} files in the session: it holds at most {self._max_files} "
                "files (max_session_files)"
            )
        total = sum(len(file.data) for file in merged.values())
        if total > self._max_bytes:
            raise SessionLimitError(
                f"Cannot store {total} bytes of files in the session: it holds at most "
                f"{self._max_bytes} bytes (max_session_bytes); send less or start a new session"
            )
        return merged

    def replace(self, files: Mapping[str, FileData]) -> None:
        """Hold exactly `files` (already checked by `overlay`)."""
        self._files = dict(files)
        self._total = sum(len(file.data) for file in files.values())

    def apply(self, changed: Mapping[str, FileData], deleted: list[str]) -> list[str]:
        """Apply what a run changed, in path order; return a warning naming each file that did not fit."""
        for path in deleted:
            removed = self._files.pop(path, None)
            self._total -= 0 if removed is None else len(removed.data)
        warnings: list[str] = []
        for path in sorted(changed):
            file = changed[path]
            old = self._files.get(path)
            total = self._total - (0 if old is None else len(old.data)) + len(file.data)
            count = len(self._files) + (old is None)
            if total > self._max_bytes or count > self._max_files:
                warnings.append(
                    f'file "{path}" ({len(file.data)} bytes) was not kept in the session: a session holds at most '
                    f"{self._max_files} files of {self._max_bytes} bytes in all"
                )
                continue
            self._files[path] = file
            self._total = total
        return warnings

    def items(self) -> list[tuple[str, FileData]]:
        """Every file, in path order."""
        return sorted(self._files.items())

    def get(self, path: str) -> FileData | None:
        return self._files.get(path)
