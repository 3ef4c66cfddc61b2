"""Reading state and settings: which sections were read, where the reader was, the theme.

Stored in ``<data dir>/state.sqlite3`` (WAL, one transaction per write, so a
crash never leaves half a write). The file is user data: library imports and
rebuilds never open it. A file that cannot be used is never replaced:
``open_state`` says why in one line (damage only when the file itself is bad;
else a full or read-only disk, a permission, a directory in its place) and
hands back an in-memory state, so the reader still opens (without its saved
state) and the file stays for the user. A write that fails later in the
session moves the session to memory the same way, and says so once.

A ``ReadingState`` keeps one connection and must be used from one thread (the
UI thread); SQLite enforces that with ``check_same_thread``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from importai_tui.errors import ImportaiError
from importai_tui.library.renames import renamed_pairs
from importai_tui.sqlitefile import (
    describe_problem,
    first_line,
    install_schema,
    is_empty_file,
    problem_kind,
    use_wal,
)

STATE_FILE = "state.sqlite3"
STATE_SCHEMA_VERSION = 1
_T = TypeVar("_T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS read_sections (
    section_id TEXT PRIMARY KEY,
    issue_id   TEXT NOT NULL,
    read_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX IF NOT EXISTS read_sections_issue ON read_sections(issue_id);
CREATE TABLE IF NOT EXISTS settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class StateError(ImportaiError):
    """The state file cannot be used; the message is one line naming the file."""


@dataclass(frozen=True)
class Position:
    """Where the reader was: issue, section and the reading pane's scroll offset."""

    issue_id: str
    section_id: str | None
    scroll_y: float = 0.0


class ReadingState:
    """Read sections, last position and settings, persisted in one SQLite file.

    ``path=None`` keeps everything in memory (used when the file cannot be used).
    """

    def __init__(self, path: Path | None, *, warn: Callable[[str], None] | None = None) -> None:
        self.path = path
        # Told (once) when the state stops being saved during a session, or an
        # empty file was started afresh; the reader shows it as a notification.
        self.warn = warn
        self.notice: str | None = None
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._db is not None:
            return self._db
        if self.path is None:
            db = _memory_state()
            self._db = db
            return db
        was_empty = is_empty_file(self.path)
        db = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=5)
            use_wal(db)
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > STATE_SCHEMA_VERSION:
                raise StateError(
                    f"{self.path}: written by a newer importai (state version {version})"
                )
            if version < STATE_SCHEMA_VERSION:
                install_schema(db, _SCHEMA.split(";"), STATE_SCHEMA_VERSION)
            db.execute("SELECT count(*) FROM read_sections").fetchone()
        except (sqlite3.Error, OSError, StateError) as error:
            if db is not None:
                db.close()
            if isinstance(error, StateError):
                raise
            raise StateError(_problem_line(self.path, error)) from None
        if was_empty:
            self.notice = f"{self.path} was an empty file (0 bytes); started a new reading state"
        self._db = db
        return db

    def _write(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run ``work`` in one transaction.

        When the file cannot take it (a full or read-only disk, a file damaged
        meanwhile), the session carries on in memory from a copy of the state,
        and ``warn`` hears why, once: the reader never stops over its read marks.
        """
        db = self._connect()
        try:
            with db:
                return work(db)
        except sqlite3.Error as error:
            if self.path is None:
                raise
            memory = self._keep_in_memory(db, error)
        with memory:
            return work(memory)

    def _keep_in_memory(self, db: sqlite3.Connection, error: sqlite3.Error) -> sqlite3.Connection:
        memory = sqlite3.connect(":memory:")
        try:
            db.backup(memory)
        except sqlite3.Error:
            memory.close()
            memory = _memory_state()
        db.close()
        message = (
            f"{_problem_line(self.path, error, saving=True)}; "
            "reading state is kept in memory for the rest of this session"
        )
        self.path, self._db = None, memory
        if self.warn is not None:
            self.warn(message)
        return memory

    def check(self) -> None:
        """Open the file now; raise ``StateError`` (one line) when it cannot be used."""
        self._connect()

    def close(self) -> None:
        """Close the connection (reopened on next use)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- read sections -------------------------------------------------------
    def read_sections(self, issue_id: str | None = None) -> set[str]:
        """Ids of read sections (of one issue when ``issue_id`` is given)."""
        db = self._connect()
        if issue_id is None:
            rows = db.execute("SELECT section_id FROM read_sections")
        else:
            rows = db.execute(
                "SELECT section_id FROM read_sections WHERE issue_id = ?", (issue_id,)
            )
        return {row[0] for row in rows}

    def read_counts(self) -> dict[str, int]:
        """Number of read sections per issue id."""
        rows = self._connect().execute(
            "SELECT issue_id, count(*) FROM read_sections GROUP BY issue_id"
        )
        return {issue_id: count for issue_id, count in rows}

    def is_read(self, section_id: str) -> bool:
        """True when the section is marked read."""
        row = self._connect().execute(
            "SELECT 1 FROM read_sections WHERE section_id = ?", (section_id,)
        ).fetchone()
        return row is not None

    def set_read(self, section_id: str, issue_id: str, read: bool = True) -> bool:
        """Mark a section read or unread; return True when that changed anything."""

        def work(db: sqlite3.Connection) -> bool:
            if read:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO read_sections(section_id, issue_id) VALUES (?, ?)",
                    (section_id, issue_id),
                )
            else:
                cursor = db.execute(
                    "DELETE FROM read_sections WHERE section_id = ?", (section_id,)
                )
            return cursor.rowcount > 0

        return self._write(work)

    def follow_renamed_issues(
        self, known: set[str], resolve: Callable[[str], str | None]
    ) -> int:
        """Move read marks and the saved position of renamed issues to their new ids.

        An issue imported without a number (``u-…``) is renamed to its number when a
        numbered copy arrives; ``resolve`` (``Library.resolve_issue_id``) maps an old
        id to the current one. Marks are moved, never dropped: ids that no longer
        resolve stay as they are. Returns the number of issues moved.
        """
        db = self._connect()
        stale = {row[0] for row in db.execute("SELECT DISTINCT issue_id FROM read_sections")}
        last_issue = self.get_setting("last_issue")
        if last_issue:
            stale.add(last_issue)
        moved = 0
        for old, new in renamed_pairs(stale, known, resolve):

            def work(db: sqlite3.Connection, old: str = old, new: str = new) -> None:
                # OR IGNORE: a section already read under its new id keeps that mark.
                db.execute(
                    "INSERT OR IGNORE INTO read_sections(section_id, issue_id, read_at) "
                    "SELECT ? || substr(section_id, length(?) + 1), ?, read_at "
                    "FROM read_sections WHERE issue_id = ?",
                    (new, old, new, old),
                )
                db.execute("DELETE FROM read_sections WHERE issue_id = ?", (old,))
                if old == last_issue:
                    row = db.execute(
                        "SELECT value FROM settings WHERE key = 'last_section'"
                    ).fetchone()
                    section = row[0] if row else ""
                    if section.startswith(old + "/"):
                        section = new + section[len(old):]
                    db.executemany(
                        "UPDATE settings SET value = ? WHERE key = ?",
                        [(new, "last_issue"), (section, "last_section")],
                    )

            self._write(work)
            moved += 1
        return moved

    # -- settings and position -----------------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """A stored setting, or ``default``."""
        row = self._connect().execute(
            "SELECT value FROM settings WHERE key = ?", (key,)
        ).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting (one transaction)."""
        self.set_settings({key: value})

    def set_settings(self, values: dict[str, str]) -> None:
        """Store several settings in one transaction."""
        self._write(lambda db: _store_settings(db, values))

    def position(self) -> Position | None:
        """The last saved reading position, if any."""
        issue_id = self.get_setting("last_issue")
        if not issue_id:
            return None
        try:
            scroll_y = float(self.get_setting("last_scroll", "0") or 0)
        except ValueError:
            scroll_y = 0.0
        return Position(issue_id, self.get_setting("last_section") or None, scroll_y)

    def save_position(self, position: Position) -> None:
        """Remember where the reader is (one transaction)."""
        self.set_settings(_position_settings(position))

    def mark_shown(self, section_id: str, issue_id: str, position: Position) -> bool:
        """Mark a section read and save ``position``, in one transaction.

        What the reader does for every section it shows: one commit instead of
        two. Returns True when the section was not read before.
        """

        def work(db: sqlite3.Connection) -> bool:
            cursor = db.execute(
                "INSERT OR IGNORE INTO read_sections(section_id, issue_id) VALUES (?, ?)",
                (section_id, issue_id),
            )
            _store_settings(db, _position_settings(position))
            return cursor.rowcount > 0

        return self._write(work)


def _store_settings(db: sqlite3.Connection, values: dict[str, str]) -> None:
    db.executemany(
        "INSERT INTO settings(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        list(values.items()),
    )


def _memory_state() -> sqlite3.Connection:
    """An empty reading state in memory (nothing is saved)."""
    db = sqlite3.connect(":memory:")
    install_schema(db, _SCHEMA.split(";"), STATE_SCHEMA_VERSION)
    return db


def _problem_line(path: Path | None, error: BaseException, *, saving: bool = False) -> str:
    """One line naming the file and what is wrong: damage only when the file is bad,
    else the disk's or the permissions' own problem (full, read-only, denied)."""
    if problem_kind(error) == "damaged":
        return f"{path}: damaged reading state ({first_line(error)})"
    verb = "cannot save reading state" if saving else "cannot open reading state"
    why = describe_problem(error, path) if path is not None else first_line(error)
    return f"{path}: {verb}: {why}"


def _position_settings(position: Position) -> dict[str, str]:
    return {
        "last_issue": position.issue_id,
        "last_section": position.section_id or "",
        "last_scroll": f"{max(0.0, position.scroll_y):g}",
    }


def open_state(data_dir: Path) -> tuple[ReadingState, str | None]:
    """The reading state of ``data_dir`` and, when it cannot be used, a one-line warning.

    Whatever is wrong (a damaged file, a full or read-only disk, a directory in
    the file's place), the file is left untouched and the returned state lives
    in memory: the reader always opens. An empty (0-byte) file is started afresh
    and the warning says so.
    """
    state = ReadingState(Path(data_dir) / STATE_FILE)
    try:
        state.check()
    except StateError as error:
        memory = ReadingState(None)
        return memory, f"{error}; the file was kept, reading state is not saved this session"
    return state, state.notice


__all__ = ["Position", "ReadingState", "STATE_FILE", "StateError", "open_state"]
