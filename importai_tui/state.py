"""Reading state and settings: which sections were read, where the reader was, the theme.

Stored in ``<data dir>/state.sqlite3`` (WAL, one transaction per write, so a
crash never leaves half a write). The file is user data: library imports and
rebuilds never open it. A damaged file is never replaced: ``open_state``
reports it in one line and hands back an in-memory state, so the reader still
opens (without its saved state) and the damaged file stays for the user.

A ``ReadingState`` keeps one connection and must be used from one thread (the
UI thread); SQLite enforces that with ``check_same_thread``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from importai_tui.sqlitefile import install_schema, use_wal

STATE_FILE = "state.sqlite3"
STATE_SCHEMA_VERSION = 1

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


class StateError(Exception):
    """The state file cannot be used; the message is one line naming the file."""


@dataclass(frozen=True)
class Position:
    """Where the reader was: issue, section and the reading pane's scroll offset."""

    issue_id: str
    section_id: str | None
    scroll_y: float = 0.0


class ReadingState:
    """Read sections, last position and settings, persisted in one SQLite file.

    ``path=None`` keeps everything in memory (used when the file is damaged).
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._db is not None:
            return self._db
        if self.path is None:
            db = sqlite3.connect(":memory:")
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=5)
        try:
            if self.path is not None:
                use_wal(db)
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > STATE_SCHEMA_VERSION:
                raise StateError(
                    f"{self.path}: written by a newer importai (state version {version})"
                )
            if version < STATE_SCHEMA_VERSION:
                install_schema(db, _SCHEMA.split(";"), STATE_SCHEMA_VERSION)
            db.execute("SELECT count(*) FROM read_sections").fetchone()
        except sqlite3.DatabaseError as error:
            db.close()
            raise StateError(f"{self.path}: damaged reading state ({error})") from None
        except StateError:
            db.close()
            raise
        self._db = db
        return db

    def check(self) -> None:
        """Open the file now; raise ``StateError`` when it is damaged."""
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
        db = self._connect()
        with db:
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
        for old in sorted(stale - known):
            new = resolve(old)
            if not new or new == old:
                continue
            with db:
                # OR IGNORE: a section already read under its new id keeps that mark.
                db.execute(
                    "INSERT OR IGNORE INTO read_sections(section_id, issue_id, read_at) "
                    "SELECT ? || substr(section_id, length(?) + 1), ?, read_at "
                    "FROM read_sections WHERE issue_id = ?",
                    (new, old, new, old),
                )
                db.execute("DELETE FROM read_sections WHERE issue_id = ?", (old,))
                if old == last_issue:
                    section = self.get_setting("last_section") or ""
                    if section.startswith(old + "/"):
                        section = new + section[len(old):]
                    db.executemany(
                        "UPDATE settings SET value = ? WHERE key = ?",
                        [(new, "last_issue"), (section, "last_section")],
                    )
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
        db = self._connect()
        with db:
            db.executemany(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )

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
        db = self._connect()
        with db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO read_sections(section_id, issue_id) VALUES (?, ?)",
                (section_id, issue_id),
            )
            db.executemany(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                list(_position_settings(position).items()),
            )
        return cursor.rowcount > 0


def _position_settings(position: Position) -> dict[str, str]:
    return {
        "last_issue": position.issue_id,
        "last_section": position.section_id or "",
        "last_scroll": f"{max(0.0, position.scroll_y):g}",
    }


def open_state(data_dir: Path) -> tuple[ReadingState, str | None]:
    """The reading state of ``data_dir`` and, when it is damaged, a one-line warning.

    A damaged file is left untouched; the returned state then lives in memory.
    """
    state = ReadingState(Path(data_dir) / STATE_FILE)
    try:
        state.check()
    except (StateError, OSError) as error:
        message = str(error) if isinstance(error, StateError) else (
            f"{state.path}: cannot open reading state ({error.strerror or error})"
        )
        memory = ReadingState(None)
        return memory, f"{message}; the file was kept, reading state is not saved this session"
    return state, None


__all__ = ["Position", "ReadingState", "STATE_FILE", "StateError", "open_state"]
