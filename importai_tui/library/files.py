"""File-system helpers of the library: input discovery and the `.md` temp files.

Kept apart from ``store.py`` so that the rules for what counts as an input file
(and how a file lands on disk) can be read, and tested, on their own.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from importai_tui import fsutil
from importai_tui.fsutil import atomic_write_bytes, atomic_write_text, remove_temp_files

__all__ = [
    "atomic_write_bytes",
    "atomic_write_text",
    "remove_temp_files",
    "write_temp_beside",
]

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def write_temp_beside(path: Path, text: str) -> str:
    """Write ``text`` (UTF-8) to a new temporary file next to ``path``; return its path."""
    return fsutil.write_temp_beside(path, text.encode("utf-8"))


def safe_file_name(name: str) -> str:
    """A file name derived from an id: only ``[A-Za-z0-9._-]``, no leading dot.

    Issue ids come from the converter (``401``, ``u-3f2a…``) and are safe
    already; this guards against a future id ever escaping ``issues/``.
    """
    cleaned = _UNSAFE_NAME.sub("_", name).lstrip(".")
    return cleaned or "_"


@dataclass
class InputFile:
    """One file found among the paths given to an import.

    ``error`` is set (and ``path`` may not exist) when the path cannot be used:
    missing, not a regular file, or a folder that cannot be listed.
    """

    path: Path
    error: str | None = None


def discover(paths: list[Path]) -> list[InputFile]:
    """Expand files and folders to the input files of an import, in order.

    A folder yields every regular, non-hidden file below it, sorted by path (a
    hidden folder's contents are skipped too). A missing path, or one that is
    neither a file nor a folder, yields an ``InputFile`` with an error, so that
    the caller can report it as one failed result and carry on.
    """
    found: list[InputFile] = []
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                found.extend(_walk(path))
            elif path.is_file():
                found.append(InputFile(path))
            elif path.exists() or path.is_symlink():
                reason = "broken symbolic link" if path.is_symlink() else "not a regular file"
                found.append(InputFile(path, reason))
            else:
                found.append(InputFile(path, "no such file or directory"))
        except OSError as error:
            found.append(InputFile(path, _os_reason(error)))
    return found


def _walk(folder: Path) -> list[InputFile]:
    found: list[InputFile] = []
    errors: list[InputFile] = []

    def on_error(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        errors.append(InputFile(where, f"cannot list folder: {_os_reason(error)}"))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=on_error):
        # Prune hidden folders (.git, .cache …) instead of walking into them.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            if path.is_file():
                found.append(InputFile(path))
    found.sort(key=lambda item: str(item.path))
    return found + errors


def _os_reason(error: OSError) -> str:
    """An OSError as a short reason without the file name (the caller names it)."""
    if error.strerror:
        return error.strerror[0].lower() + error.strerror[1:]
    return str(error) or type(error).__name__


def read_input(path: Path) -> bytes:
    """Read one input file; raises ``OSError`` (the caller reports it)."""
    with open(path, "rb") as handle:
        return handle.read()


def os_reason(error: OSError) -> str:
    """Public wrapper of the short OSError reason used in result lines."""
    return _os_reason(error)
