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
from importai_tui.sqlitefile import describe_problem, first_line, problem_kind, use_wal


class LibraryError(ImportaiError):
    """The library cannot be used; one-line message.

    ``kind`` says why, for callers that act on it: ``"damaged"`` (the only
    kind a rebuild may set the index aside for), ``"too-new"``, or one of
    ``sqlitefile.problem_kind``'s (``"busy"``, ``"full"``, ``"read-only"``,
    ``"permission"``, ``"cannot-open"``, ``"io"``).
    """

    def __init__(self, message: str, kind: str = "damaged") -> None:
        super().__init__(message)
        self.kind = kind


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
        # WAL (the reader keeps reading while an import writes), switched to only
        # when needed so that opening an existing index writes nothing. The index
        # is rebuildable, so synchronous=NORMAL may lose the last transaction to an
        # OS crash, never to an application crash.
        use_wal(conn)
        version = _schema_version(conn)
        if version is not None and version > SCHEMA_VERSION:
            raise LibraryError(
                f"the library index {index_path} was made by a newer importai "
                f"(schema {version}); upgrade importai to read it",
                "too-new",
            )
        if version is None:
            _create_schema(conn)
        elif version < SCHEMA_VERSION:
            # Every schema change so far only adds tables: running the schema
            # again brings an older index up to date. A read-only one stays as
            # it is (it reads the same); its first write will say why it fails.
            try:
                _create_schema(conn)
            except sqlite3.OperationalError:
                pass
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


def _create_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)
    conn.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
        (str(SCHEMA_VERSION),),
    )


def _schema_version(conn: sqlite3.Connection) -> int | None:
    has_meta = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()
    if not has_meta:
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else None


def error_kind(error: sqlite3.Error) -> str:
    """What an SQLite error on the index means: see ``LibraryError.kind``.

    Only corruption is ``"damaged"``: a full or read-only disk, a missing
    permission or a busy index say so, and must never lead to setting a
    healthy index aside. An error of no known kind on the index (a foreign
    database, a missing table) is damage: a rebuild repairs it.
    """
    kind = problem_kind(error)
    return "damaged" if kind == "other" else kind


def index_error(error: sqlite3.Error, root: Path, index_path: Path) -> LibraryError:
    """The one line a user reads for an SQLite error on the index."""
    kind = error_kind(error)
    if kind == "damaged":
        return LibraryError(
            f"the library index {index_path} is damaged ({first_line(error)}); "
            "run `importai rebuild` to rebuild it from the stored sources "
            "(the damaged file is kept; bookmarks and reading state are not in it)",
            kind,
        )
    if kind == "busy":
        return LibraryError(
            f"the library in {root} is busy (another importai is writing it); "
            "try again in a moment",
            kind,
        )
    why = describe_problem(error, index_path)
    return LibraryError(
        f"the library index {index_path} cannot be used: {why}; nothing in it was changed",
        kind,
    )


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
