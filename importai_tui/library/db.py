"""Opening the index and naming what went wrong with it.

Every connection to ``library.sqlite3`` is made here, and every SQLite error
on it is turned into one ``LibraryError`` line, so the rest of the library
never decides on its own whether an index is busy, too new or damaged.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from importai_tui.errors import ImportaiError
from importai_tui.library.schema import SCHEMA, SCHEMA_VERSION


class LibraryError(ImportaiError):
    """The library cannot be used; one-line message.

    ``kind`` says why, for callers that act on it: ``"damaged"`` (the only
    kind a rebuild may set the index aside for), ``"busy"``, ``"full"``,
    ``"read-only"``, ``"cannot-open"``, ``"too-new"`` or ``"io"``.
    """

    def __init__(self, message: str, kind: str = "damaged") -> None:
        super().__init__(message)
        self.kind = kind


# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_CODES = {
    5: "busy", 6: "busy",  # SQLITE_BUSY, SQLITE_LOCKED
    8: "read-only",  # SQLITE_READONLY
    10: "io",  # SQLITE_IOERR
    11: "damaged", 26: "damaged",  # SQLITE_CORRUPT, SQLITE_NOTADB
    13: "full",  # SQLITE_FULL
    14: "cannot-open",  # SQLITE_CANTOPEN
    23: "cannot-open",  # SQLITE_AUTH
}
# Python 3.10 has no ``sqlite_errorcode``: the same codes by SQLite's own messages.
_SQLITE_MESSAGES = (
    ("locked", "busy"),
    ("busy", "busy"),
    ("readonly database", "read-only"),
    ("disk is full", "full"),
    ("unable to open database", "cannot-open"),
    ("disk i/o error", "io"),
    ("malformed", "damaged"),
    ("not a database", "damaged"),
)


def open_index(root: Path, index_path: Path) -> sqlite3.Connection:
    """A new connection to the index (schema created if missing).

    The connection is in autocommit mode (``isolation_level=None``): write
    paths open their transaction explicitly with ``BEGIN IMMEDIATE``.
    Raises ``LibraryError`` when the index is damaged or too new.
    """
    root.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(index_path, timeout=30.0, isolation_level=None)
    except sqlite3.DatabaseError as error:
        raise index_error(error, root, index_path) from None
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        # WAL: the reader keeps reading while an import writes.
        conn.execute("PRAGMA journal_mode = WAL")
        # The index is rebuildable, so an OS crash may lose the last
        # transaction; an application crash still cannot (WAL semantics).
        conn.execute("PRAGMA synchronous = NORMAL")
        version = _schema_version(conn)
        if version is not None and version > SCHEMA_VERSION:
            raise LibraryError(
                f"the library index {index_path} was made by a newer importai "
                f"(schema {version}); upgrade importai to read it",
                "too-new",
            )
        if version is None:
            conn.executescript(SCHEMA)
            conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
    except sqlite3.DatabaseError as error:
        conn.close()
        raise index_error(error, root, index_path) from None
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def index_connection(root: Path, index_path: Path) -> Iterator[sqlite3.Connection]:
    """A connection whose database errors surface as ``LibraryError``."""
    conn = open_index(root, index_path)
    try:
        yield conn
    except sqlite3.DatabaseError as error:
        raise index_error(error, root, index_path) from None
    finally:
        conn.close()


def _schema_version(conn: sqlite3.Connection) -> int | None:
    has_meta = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()
    if not has_meta:
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else None


def error_kind(error: sqlite3.Error) -> str:
    """What an SQLite error means for the user: see ``LibraryError.kind``.

    Only corruption is ``"damaged"``: a full or read-only disk, a missing
    permission or a busy index say so, and must never lead to setting a
    healthy index aside.
    """
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _SQLITE_CODES:
        return _SQLITE_CODES[code & 0xFF]
    text = str(error).lower()
    for fragment, kind in _SQLITE_MESSAGES:
        if fragment in text:
            return kind
    return "damaged" if isinstance(error, sqlite3.DatabaseError) else "io"


def index_error(error: sqlite3.Error, root: Path, index_path: Path) -> LibraryError:
    """The one line a user reads for an SQLite error on the index."""
    text = str(error)
    kind = error_kind(error)
    unchanged = "nothing in the library was changed"
    messages = {
        "busy": f"the library in {root} is busy (another importai is writing it); "
        "try again in a moment",
        "full": f"the disk holding {root} is full ({text}); {unchanged}: free some space "
        "and try again",
        "read-only": f"the library in {root} is read-only ({text}); {unchanged}",
        "cannot-open": f"cannot open the library index {index_path} ({text}): check that it "
        "is a file you may read and write",
        "io": f"the disk failed while using {index_path} ({text}); {unchanged}",
    }
    message = messages.get(kind) or (
        f"the library index {index_path} is damaged ({text}); "
        "run `importai rebuild` to rebuild it from the stored sources "
        "(the damaged file is kept; bookmarks and reading state are not in it)"
    )
    return LibraryError(message, kind)


def set_aside_index(index_path: Path) -> Path:
    """Rename a damaged index (and its WAL files) aside; never delete it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = index_path.with_name(f"{index_path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = index_path.with_name(f"{index_path.name}.damaged-{stamp}-{n}")
    os.replace(index_path, target)
    for suffix in ("-wal", "-shm"):
        extra = index_path.with_name(index_path.name + suffix)
        if extra.exists():
            os.replace(extra, target.with_name(target.name + suffix))
    return target
