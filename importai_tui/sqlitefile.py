"""SQLite files of user data (bookmarks, reading state): opened the same way, and
every error they raise named in one line.

A leaf: imports nothing from the project. The stores keep their own wording
("bookmark store …", "reading state …"); this module only decides what kind of
problem an error is, so that a full or read-only disk is never called damage.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path


def first_line(error: BaseException) -> str:
    """The first line of an error's message (its type name when it has none)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def use_wal(conn: sqlite3.Connection) -> None:
    """WAL journal with ``synchronous=NORMAL``: every commit is atomic and survives an
    app crash, without an fsync per write. Switching only when needed keeps the
    open of an existing store free of writes."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")


def install_schema(conn: sqlite3.Connection, statements: Iterable[str], version: int) -> None:
    """Run ``statements`` and set ``user_version`` in one transaction.

    Not ``executescript()``: it commits first. Two processes creating the same
    store at once serialise on ``BEGIN IMMEDIATE``.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in statements:
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {int(version)}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise


# Primary SQLite result codes (the low byte of an extended code).
_SQLITE_KINDS = {
    3: "permission",  # SQLITE_PERM
    5: "busy",  # SQLITE_BUSY
    6: "busy",  # SQLITE_LOCKED
    8: "read-only",  # SQLITE_READONLY
    10: "io",  # SQLITE_IOERR
    11: "damaged",  # SQLITE_CORRUPT
    13: "full",  # SQLITE_FULL
    14: "cannot-open",  # SQLITE_CANTOPEN
    23: "permission",  # SQLITE_AUTH
    26: "damaged",  # SQLITE_NOTADB
}
# Python 3.10 has no error codes on the exception: its message decides.
_MESSAGE_KINDS = (
    ("database or disk is full", "full"),
    ("readonly database", "read-only"),
    ("unable to open database", "cannot-open"),
    ("not a database", "damaged"),
    ("malformed", "damaged"),
    ("corrupt", "damaged"),
    ("locked", "busy"),
    ("busy", "busy"),
    ("disk i/o error", "io"),
)
_ERRNO_KINDS = {
    errno.ENOSPC: "full",
    errno.EDQUOT: "full",
    errno.EROFS: "read-only",
    errno.EACCES: "permission",
    errno.EPERM: "permission",
    errno.EISDIR: "cannot-open",
    errno.ENOTDIR: "cannot-open",
}


def problem_kind(error: BaseException) -> str:
    """What went wrong, as one word: ``busy``, ``full``, ``read-only``, ``permission``,
    ``cannot-open``, ``io``, ``damaged`` or ``other``.

    Only ``damaged`` means the file itself is bad; every other kind is about the
    disk, the permissions or another process, and the file is fine.
    """
    if isinstance(error, OSError):
        return _ERRNO_KINDS.get(error.errno or 0, "other")
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _SQLITE_KINDS:
        return _SQLITE_KINDS[code & 0xFF]
    lowered = first_line(error).lower()
    for fragment, kind in _MESSAGE_KINDS:
        if fragment in lowered:
            return kind
    return "other"


def describe_problem(error: BaseException, path: Path) -> str:
    """Why the SQLite file at ``path`` cannot be used, in a few words (no path).

    A file that cannot be opened is looked at to say why: a directory in its
    place, a read-only file system, or a folder we may not write.
    """
    kind = problem_kind(error)
    message = first_line(error)
    if kind == "damaged":
        return f"damaged ({message})"
    if kind == "full":
        return "the disk is full"
    if kind == "busy":
        return "busy (another importai is writing)"
    if kind == "io":
        return f"disk error ({message})"
    if kind in ("read-only", "permission", "cannot-open"):
        return _why_not_writable(path) or (
            {"read-only": "read-only", "permission": "permission denied"}.get(kind)
            or f"cannot open it ({message})"
        )
    return message


def _why_not_writable(path: Path) -> str | None:
    if path.is_dir():
        return "it is a directory, not a file"
    folder = path.parent
    if not folder.is_dir():
        return f"its folder {folder} does not exist"
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "the file system is read-only"
    except (OSError, AttributeError):
        pass
    if not os.access(folder, os.W_OK | os.X_OK) or (
        path.exists() and not os.access(path, os.R_OK | os.W_OK)
    ):
        return "permission denied (the data dir or the file is not writable)"
    return None


def is_empty_file(path: Path) -> bool:
    """True for an existing 0-byte file: SQLite would take it for a new database and
    fill it silently, so the store says so (whatever emptied it, it held nothing)."""
    try:
        return path.is_file() and path.stat().st_size == 0
    except OSError:
        return False
