"""Atomic file writes: the one copy every store and exporter uses.

A reader (or a process killed half-way) sees either the old file or the new one,
never a partial write. Temporary files live beside their target (same file
system, so the rename is atomic) and are named ``.<name>.<random>.tmp`` so that
``remove_temp_files`` can clear what a killed write left behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_temp_beside(path: Path, data: bytes, *, mode: int | None = None) -> str:
    """Write ``data`` to a new temporary file next to ``path``; return its path.

    For a caller that decides later whether the file goes in place
    (``os.replace``) or away. ``mode`` sets the permission bits; without it the
    file keeps ``mkstemp``'s private 0600.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if mode is not None:
            os.chmod(tmp, mode)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    return tmp


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` via a temporary file and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = write_temp_beside(path, data, mode=mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        # Never leave a temporary file behind, whatever interrupted us.
        _unlink_quietly(tmp)
        raise


def atomic_write_text(path: Path, text: str, *, mode: int | None = None) -> None:
    """``atomic_write_bytes`` for UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def user_file_mode() -> int:
    """The mode a normal new file gets under the current umask (0644 under 022).

    For files the user asked for (exports), which should not stay 0600.
    """
    umask = 0o022
    try:
        # Read, not set: os.umask() would change it for every thread for a moment.
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    umask = int(line.split()[1], 8)
                    break
    except (OSError, ValueError):
        pass
    return 0o666 & ~umask


def remove_temp_files(folder: Path, name: str = "") -> None:
    """Delete the temporary files killed writes left in ``folder`` (best effort).

    With ``name``, only those of that target file.
    """
    try:
        leftovers = list(folder.glob(f".{name}*.tmp" if name else ".*.tmp"))
    except OSError:
        return
    for path in leftovers:
        _unlink_quietly(path)


def _unlink_quietly(path: str | os.PathLike[str]) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
