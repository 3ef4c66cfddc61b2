"""SQLite files of user data (bookmarks, reading state): opened the same way, and
every error they raise named in one line.

A leaf: imports nothing from the project. The stores keep their own wording
("bookmark store …", "reading state …"); this module only decides what kind of
problem an error is, so that a full or read-only disk is never called damage.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable


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
