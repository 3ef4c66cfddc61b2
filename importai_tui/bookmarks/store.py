"""The bookmark store: ``<data dir>/bookmarks.sqlite3``, apart from the library.

Design notes:

- The store is its own SQLite file. The library's import and rebuild code never
  opens it, so no rebuild, re-import or converter upgrade can lose a bookmark.
- A bookmark is keyed by the stable section id (``"401/slug"``) and keeps its
  own copy of everything it needs to be shown and exported (issue number and
  title, issue URL, section headline and subtitle, links). A rebuild that
  changes or drops the section leaves the bookmark whole.
- WAL journal, a generous busy timeout and ``BEGIN IMMEDIATE`` around every
  read-modify-write: two app instances and a CLI call at the same time queue up
  for the write lock instead of losing updates.
- A damaged file (garbage bytes, a foreign database, a newer schema) raises
  ``BookmarkStoreError`` with one line naming the file, and is never written
  to: the checks run before the first write of each connection, and nothing
  here ever deletes or recreates the file. A full, read-only or unwritable
  disk is said as such (``sqlitefile.problem_kind``), never called damage.
- A connection never crosses threads: every call opens its own.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from importai_tui.bookmarks.model import (
    Bookmark,
    BookmarkError,
    Clock,
    MergeReport,
    format_timestamp,
    merge_pair,
    parse_tags,
    sanitized,
    utc_now,
)
from importai_tui.library.renames import renamed_pairs
from importai_tui.sqlitefile import (
    describe_problem,
    install_schema,
    is_empty_file,
    problem_kind,
    use_wal,
)
from importai_tui.text import clean_text

STORE_FILE = "bookmarks.sqlite3"
SCHEMA_VERSION = 1
# How long a writer waits for another process's transaction (milliseconds).
BUSY_TIMEOUT_MS = 15_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS bookmarks (
    section_id       TEXT PRIMARY KEY,     -- stable "401/slug"
    issue_id         TEXT NOT NULL,
    issue_number     INTEGER,
    issue_title      TEXT NOT NULL,
    issue_url        TEXT,
    section_title    TEXT NOT NULL,
    section_subtitle TEXT,
    links            TEXT NOT NULL DEFAULT '[]',   -- JSON list of http(s) URLs
    note             TEXT NOT NULL DEFAULT '',
    tags             TEXT NOT NULL DEFAULT '[]',   -- JSON list of tags
    created_at       TEXT NOT NULL,                -- ISO 8601 UTC, "...Z"
    updated_at       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS bookmarks_created ON bookmarks(created_at);
"""

_COLUMNS = (
    "section_id", "issue_id", "issue_number", "issue_title", "issue_url", "section_title",
    "section_subtitle", "links", "note", "tags", "created_at", "updated_at",
)
# Columns that hold a JSON list of strings.
_LIST_COLUMNS = ("links", "tags")


class BookmarkStoreError(BookmarkError):
    """The bookmark store cannot be used (damaged, foreign, newer, locked, disk full…).

    ``kind`` is ``sqlitefile.problem_kind``'s word (``"damaged"`` for a foreign
    or newer file too), so a caller can tell a bad file from a full disk.
    """

    def __init__(self, message: str, kind: str = "damaged") -> None:
        super().__init__(message)
        self.kind = kind


def _row_to_bookmark(row: sqlite3.Row | tuple) -> Bookmark:
    values = dict(zip(_COLUMNS, row))
    for column in _LIST_COLUMNS:
        values[column] = tuple(json.loads(values[column] or "[]"))
    return Bookmark(**values)


def _bookmark_to_row(bookmark: Bookmark) -> tuple:
    return tuple(
        json.dumps(list(getattr(bookmark, column)), ensure_ascii=False)
        if column in _LIST_COLUMNS
        else getattr(bookmark, column)
        for column in _COLUMNS
    )


_INSERT = (
    f"INSERT OR REPLACE INTO bookmarks ({', '.join(_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _COLUMNS)})"
)
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM bookmarks"

# Sort orders of ``BookmarkStore.list``: newest first, or by issue (newest issue
# first, unnumbered issues last) then by the time each was added.
ORDERS = {
    "date": "ORDER BY created_at DESC, section_id",
    "issue": "ORDER BY issue_number IS NULL, issue_number DESC, issue_id, created_at, section_id",
}


class BookmarkStore:
    """Bookmarks of one data dir. Constructing it does no I/O.

    Reads of a store that does not exist yet return nothing and create nothing;
    the first write creates the data dir and the file.
    """

    def __init__(
        self,
        root: Path,
        *,
        clock: Clock | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.root = Path(root)
        self.path = self.root / STORE_FILE
        self.clock: Clock = clock or utc_now
        # Told once about what the store did on its own (an empty file re-initialised).
        self.warn = warn
        self._checked = False

    # -- connections -----------------------------------------------------
    def _fail(self, error: BaseException) -> BookmarkStoreError:
        # A full or read-only disk is not damage: say which, so that nobody
        # "repairs" a healthy store.
        kind = problem_kind(error)
        why = describe_problem(error, self.path)
        if kind in ("busy", "damaged"):
            advice = "try again" if kind == "busy" else "it was left untouched"
            return BookmarkStoreError(f"bookmark store {self.path} is {why}; {advice}", kind)
        return BookmarkStoreError(f"cannot use bookmark store {self.path}: {why}", kind)

    def _open(self) -> sqlite3.Connection:
        """Open and verify the file; nothing is written before the checks pass."""
        was_empty = not self._checked and is_empty_file(self.path)
        conn = sqlite3.connect(
            str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # Reading the header fails on a file that is not a database,
            # before anything could be written to it.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise BookmarkStoreError(
                    f"bookmark store {self.path} was written by a newer importai "
                    f"(schema {version}); it was left untouched"
                )
            if not self._checked:
                result = conn.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    raise BookmarkStoreError(
                        f"bookmark store {self.path} is damaged ({result}); it was left untouched"
                    )
                columns = {row[1] for row in conn.execute("PRAGMA table_info(bookmarks)")}
                if columns and not set(_COLUMNS) <= columns:
                    raise BookmarkStoreError(
                        f"{self.path} is not an importai bookmark store "
                        "(its bookmarks table differs); it was left untouched"
                    )
            use_wal(conn)
            if version < SCHEMA_VERSION:
                install_schema(conn, _SCHEMA.split(";"), SCHEMA_VERSION)
            self._checked = True
        except BaseException:
            conn.close()
            raise
        if was_empty and self.warn is not None:
            self.warn(
                f"bookmark store {self.path} was an empty file (0 bytes); "
                "it now holds a new, empty bookmark store"
            )
        return conn

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A verified connection; every SQLite error becomes one BookmarkStoreError line."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            conn = self._open()
        except BookmarkStoreError:
            raise
        except (sqlite3.Error, OSError) as error:
            raise self._fail(error) from None
        try:
            yield conn
        except sqlite3.Error as error:
            if conn.in_transaction:
                conn.rollback()
            raise self._fail(error) from None
        finally:
            conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: ``BEGIN IMMEDIATE`` takes the write lock before reading,
        so a read-modify-write of another process cannot slip in between."""
        with self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.rollback()
                raise
            conn.execute("COMMIT")

    def _now(self) -> str:
        return format_timestamp(self.clock())

    def check(self) -> None:
        """Raise ``BookmarkStoreError`` if the store exists but cannot be used."""
        if self.path.exists():
            with self._connection():
                pass

    # -- reading -----------------------------------------------------------
    def list(self, order: str = "date") -> list[Bookmark]:
        """Every bookmark, newest first (``order="date"``) or by issue (``"issue"``)."""
        if order not in ORDERS:
            raise ValueError(f"unknown order {order!r}")
        if not self.path.exists():
            return []
        with self._connection() as conn:
            return [_row_to_bookmark(row) for row in conn.execute(f"{_SELECT} {ORDERS[order]}")]

    def get(self, section_id: str) -> Bookmark | None:
        """The bookmark of one section, or None."""
        if not self.path.exists():
            return None
        with self._connection() as conn:
            row = conn.execute(f"{_SELECT} WHERE section_id = ?", (section_id,)).fetchone()
        return _row_to_bookmark(row) if row else None

    def section_ids(self) -> set[str]:
        """The ids of every bookmarked section (for markers in the section pane)."""
        if not self.path.exists():
            return set()
        with self._connection() as conn:
            return {row[0] for row in conn.execute("SELECT section_id FROM bookmarks")}

    # -- writing -----------------------------------------------------------
    def follow_renamed_issues(
        self, known: set[str], resolve: Callable[[str], str | None]
    ) -> int:
        """Move bookmarks of renamed issues to the issues' new ids; return how many.

        An issue imported without a number (``u-…``) is renamed to its number when
        a numbered copy arrives; ``resolve`` (``Library.resolve_issue_id``) maps an
        old id to the current one. A bookmark whose new id is already bookmarked
        stays under its old id (never dropped); ids that do not resolve stay too.
        """
        if not self.path.exists():
            return 0
        with self._connection() as conn:
            stale = {row[0] for row in conn.execute("SELECT DISTINCT issue_id FROM bookmarks")}
        moved = 0
        for old, new in renamed_pairs(stale, known, resolve):
            with self._write() as conn:
                cursor = conn.execute(
                    "UPDATE OR IGNORE bookmarks SET section_id = ? || substr(section_id, ?),"
                    " issue_id = ?, issue_number = coalesce(?, issue_number), updated_at = ?"
                    " WHERE issue_id = ?",
                    (new, len(old) + 1, new, int(new) if new.isdigit() else None, self._now(), old),
                )
                moved += cursor.rowcount
        return moved

    def save(
        self,
        draft: Bookmark,
        *,
        note: str | None = None,
        tags: Sequence[str] | None = None,
    ) -> tuple[Bookmark, bool]:
        """Add or update the bookmark of ``draft.section_id``; returns it and whether it is new.

        The display fields come from ``draft`` (the current library records).
        ``note`` and ``tags`` replace the stored ones when given; ``None`` keeps
        them (for a new bookmark: ``draft``'s).
        """
        with self._write() as conn:
            row = conn.execute(
                f"{_SELECT} WHERE section_id = ?", (draft.section_id,)
            ).fetchone()
            existing = _row_to_bookmark(row) if row else None
            now = self._now()
            if existing is None:
                bookmark = replace(
                    draft,
                    note=clean_text(note).strip() if note is not None else draft.note,
                    tags=parse_tags(tags) if tags is not None else draft.tags,
                    created_at=now,
                    updated_at=now,
                )
            else:
                bookmark = replace(
                    draft,
                    note=clean_text(note).strip() if note is not None else existing.note,
                    tags=parse_tags(tags) if tags is not None else existing.tags,
                    created_at=existing.created_at,
                    updated_at=existing.updated_at,
                )
                if bookmark != existing:
                    bookmark = replace(bookmark, updated_at=now)
            bookmark = sanitized(bookmark)
            conn.execute(_INSERT, _bookmark_to_row(bookmark))
        return bookmark, existing is None

    def toggle(self, draft: Bookmark) -> Bookmark | None:
        """Remove the section's bookmark if there is one, else add ``draft``.

        Returns the new bookmark, or None when one was removed. One transaction,
        so two quick toggles from two instances cannot interleave.
        """
        with self._write() as conn:
            deleted = conn.execute(
                "DELETE FROM bookmarks WHERE section_id = ?", (draft.section_id,)
            ).rowcount
            if deleted:
                return None
            now = self._now()
            bookmark = sanitized(replace(draft, created_at=now, updated_at=now))
            conn.execute(_INSERT, _bookmark_to_row(bookmark))
            return bookmark

    def remove(self, section_id: str) -> Bookmark | None:
        """Delete one bookmark; returns what was deleted (for undo), or None."""
        if not self.path.exists():
            return None
        with self._write() as conn:
            row = conn.execute(f"{_SELECT} WHERE section_id = ?", (section_id,)).fetchone()
            if row is None:
                return None
            conn.execute("DELETE FROM bookmarks WHERE section_id = ?", (section_id,))
        return _row_to_bookmark(row)

    def restore(self, bookmark: Bookmark) -> Bookmark:
        """Put a deleted bookmark back exactly as it was (undo).

        If the section was bookmarked again meanwhile, the two are merged.
        """
        self.merge([bookmark])
        found = self.get(bookmark.section_id)
        assert found is not None
        return found

    def merge(self, bookmarks: Iterable[Bookmark]) -> MergeReport:
        """Import bookmarks in one transaction: new ones added as they are, duplicates merged.

        See ``merge_pair`` for how a duplicate is merged.
        """
        report = MergeReport()
        with self._write() as conn:
            for incoming in map(sanitized, bookmarks):
                row = conn.execute(
                    f"{_SELECT} WHERE section_id = ?", (incoming.section_id,)
                ).fetchone()
                if row is None:
                    conn.execute(_INSERT, _bookmark_to_row(incoming))
                    report.added.append(incoming.section_id)
                    continue
                existing = _row_to_bookmark(row)
                merged = merge_pair(existing, incoming)
                if merged == existing:
                    report.unchanged.append(incoming.section_id)
                else:
                    conn.execute(_INSERT, _bookmark_to_row(merged))
                    report.updated.append(incoming.section_id)
        return report
