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
  here ever deletes or recreates the file.
- A connection never crosses threads: every call opens its own.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from importai_tui.text import clean_text, is_web_url, issue_label

if TYPE_CHECKING:  # records are only needed for type hints; keep imports light
    from importai_tui.library.records import IssueSummary, SectionRecord

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
    "section_id",
    "issue_id",
    "issue_number",
    "issue_title",
    "issue_url",
    "section_title",
    "section_subtitle",
    "links",
    "note",
    "tags",
    "created_at",
    "updated_at",
)

Clock = Callable[[], datetime]


class BookmarkError(Exception):
    """Any bookmark problem the user must hear about; the message is one line."""


class BookmarkStoreError(BookmarkError):
    """The bookmark store cannot be used (damaged, foreign, newer, locked)."""


def utc_now() -> datetime:
    """The default clock: now, in UTC."""
    return datetime.now(timezone.utc)


def format_timestamp(moment: datetime) -> str:
    """``2025-01-02T03:04:05Z``: UTC, whole seconds (sorts as text)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(value: str) -> datetime:
    """Parse a timestamp written by ``format_timestamp`` (or any ISO 8601 with zone)."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"timestamp without a time zone: {value!r}")
    return moment


def parse_tags(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Tags from user input: split on commas and whitespace, ``#`` dropped, deduplicated.

    A string is split (``"ai, policy #safety"`` gives ``("ai", "policy",
    "safety")``); an iterable's items are each split the same way, so a tag
    never contains a comma or whitespace (CSV and HTML exports join on them).
    """
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    tags: list[str] = []
    for item in items:
        for raw in re.split(r"[,\s]+", clean_text(str(item))):
            tag = raw.lstrip("#")
            if tag and tag not in tags:
                tags.append(tag)
    return tuple(tags)


@dataclass(frozen=True)
class Bookmark:
    """One bookmark: the user's note and tags plus a copy of the display fields."""

    section_id: str
    issue_id: str
    issue_number: int | None
    issue_title: str
    section_title: str
    section_subtitle: str | None = None
    issue_url: str | None = None
    links: tuple[str, ...] = ()
    note: str = ""
    tags: tuple[str, ...] = ()
    created_at: str = ""
    updated_at: str = ""

    @property
    def url(self) -> str | None:
        """The section's first link (its "Read more"), else the issue's page, else None.

        Never invented: text-archive issues carry no links and give None.
        """
        for link in self.links:
            if is_web_url(link):
                return link
        if self.issue_url and is_web_url(self.issue_url):
            return self.issue_url
        return None

    @property
    def issue_display(self) -> str:
        """``Import AI 401: title`` (or the title of an unnumbered issue)."""
        return issue_label(self.issue_number, self.issue_title)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of one bookmark (schema documented in the README)."""
        return {
            "section_id": self.section_id,
            "issue_id": self.issue_id,
            "issue_number": self.issue_number,
            "issue_title": self.issue_title,
            "issue_url": self.issue_url,
            "section_title": self.section_title,
            "section_subtitle": self.section_subtitle,
            "links": list(self.links),
            "note": self.note,
            "tags": list(self.tags),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Bookmark:
        """Validate and build a bookmark from its JSON form; ValueError says what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("a bookmark is not an object")

        def text(key: str, *, optional: bool = False) -> str | None:
            value = data.get(key)
            if value is None and optional:
                return None
            if not isinstance(value, str):
                raise ValueError(f"{key!r} must be a string")
            return clean_text(value)

        section_id = text("section_id")
        issue_id = text("issue_id")
        if not section_id or not issue_id:
            raise ValueError("'section_id' and 'issue_id' must not be empty")
        number = data.get("issue_number")
        if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
            raise ValueError("'issue_number' must be an integer or null")
        links = data.get("links", [])
        if not isinstance(links, list) or not all(isinstance(x, str) for x in links):
            raise ValueError("'links' must be a list of strings")
        tags = data.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(x, str) for x in tags):
            raise ValueError("'tags' must be a list of strings")
        stamps = {}
        for key in ("created_at", "updated_at"):
            value = text(key)
            try:
                parse_timestamp(value or "")
            except ValueError:
                raise ValueError(f"{key!r} is not an ISO 8601 timestamp: {value!r}") from None
            stamps[key] = value
        issue_url = text("issue_url", optional=True)
        return cls(
            section_id=section_id,
            issue_id=issue_id,
            issue_number=number,
            issue_title=text("issue_title") or "",
            issue_url=issue_url if issue_url and is_web_url(issue_url) else None,
            section_title=text("section_title") or "",
            section_subtitle=text("section_subtitle", optional=True),
            links=tuple(x for x in links if is_web_url(x)),
            note=text("note") or "",
            tags=parse_tags(tags),
            created_at=stamps["created_at"] or "",
            updated_at=stamps["updated_at"] or "",
        )


def bookmark_from_records(
    section: SectionRecord,
    issue: IssueSummary,
    *,
    note: str = "",
    tags: Iterable[str] = (),
) -> Bookmark:
    """A bookmark (without timestamps) for a library section and its issue."""
    return Bookmark(
        section_id=section.id,
        issue_id=section.issue_id,
        issue_number=issue.number,
        issue_title=clean_text(issue.title),
        issue_url=issue.url if issue.url and is_web_url(issue.url) else None,
        section_title=clean_text(section.title),
        section_subtitle=clean_text(section.subtitle) if section.subtitle else None,
        links=tuple(link for link in section.links if is_web_url(link)),
        note=clean_text(note).strip(),
        tags=parse_tags(list(tags)),
    )


def sanitized(bookmark: Bookmark) -> Bookmark:
    """The bookmark with control characters dropped, only http(s) links, clean tags.

    Applied to everything the store writes, whatever built the bookmark.
    """
    return replace(
        bookmark,
        issue_title=clean_text(bookmark.issue_title),
        issue_url=bookmark.issue_url
        if bookmark.issue_url and is_web_url(bookmark.issue_url)
        else None,
        section_title=clean_text(bookmark.section_title),
        section_subtitle=clean_text(bookmark.section_subtitle)
        if bookmark.section_subtitle is not None
        else None,
        links=tuple(link for link in bookmark.links if is_web_url(link)),
        note=clean_text(bookmark.note),
        tags=parse_tags(list(bookmark.tags)),
    )


@dataclass
class MergeReport:
    """What an import did: section ids added, updated (merged) and left unchanged."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def merge_pair(existing: Bookmark, incoming: Bookmark) -> Bookmark:
    """Merge two bookmarks of the same section (an import meeting a stored one).

    Tags are united (stored ones first); the note and display fields come from
    the more recently updated copy (the stored one on a tie, unless its note is
    empty); the earliest creation and latest update times are kept.
    """
    newer = incoming if incoming.updated_at > existing.updated_at else existing
    note = newer.note
    if not note:
        note = existing.note or incoming.note
    return replace(
        newer,
        note=note,
        tags=parse_tags(list(existing.tags) + list(incoming.tags)),
        created_at=min(existing.created_at, incoming.created_at),
        updated_at=max(existing.updated_at, incoming.updated_at),
    )


def _row_to_bookmark(row: sqlite3.Row | tuple) -> Bookmark:
    values = dict(zip(_COLUMNS, row))
    return Bookmark(
        section_id=values["section_id"],
        issue_id=values["issue_id"],
        issue_number=values["issue_number"],
        issue_title=values["issue_title"],
        issue_url=values["issue_url"],
        section_title=values["section_title"],
        section_subtitle=values["section_subtitle"],
        links=tuple(json.loads(values["links"] or "[]")),
        note=values["note"],
        tags=tuple(json.loads(values["tags"] or "[]")),
        created_at=values["created_at"],
        updated_at=values["updated_at"],
    )


def _bookmark_to_row(bookmark: Bookmark) -> tuple:
    return (
        bookmark.section_id,
        bookmark.issue_id,
        bookmark.issue_number,
        bookmark.issue_title,
        bookmark.issue_url,
        bookmark.section_title,
        bookmark.section_subtitle,
        json.dumps(list(bookmark.links), ensure_ascii=False),
        bookmark.note,
        json.dumps(list(bookmark.tags), ensure_ascii=False),
        bookmark.created_at,
        bookmark.updated_at,
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

    def __init__(self, root: Path, *, clock: Clock | None = None) -> None:
        self.root = Path(root)
        self.path = self.root / STORE_FILE
        self.clock: Clock = clock or utc_now
        self._checked = False

    # -- connections -----------------------------------------------------
    def _fail(self, error: BaseException) -> BookmarkStoreError:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        lowered = message.lower()
        if "locked" in lowered or "busy" in lowered:
            return BookmarkStoreError(
                f"bookmark store {self.path} is busy (another importai is writing); try again"
            )
        if isinstance(error, sqlite3.DatabaseError) and (
            "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered
        ):
            return BookmarkStoreError(
                f"bookmark store {self.path} is damaged ({message}); it was left untouched"
            )
        return BookmarkStoreError(f"cannot use bookmark store {self.path}: {message}")

    def _open(self) -> sqlite3.Connection:
        """Open and verify the file; nothing is written before the checks pass."""
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
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            if version < SCHEMA_VERSION:
                # Not executescript(): it would commit first. Two processes
                # creating the store at once serialise on BEGIN IMMEDIATE.
                conn.execute("BEGIN IMMEDIATE")
                try:
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                    conn.execute("COMMIT")
                except BaseException:
                    conn.rollback()
                    raise
            self._checked = True
            return conn
        except BaseException:
            conn.close()
            raise

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
        for old in sorted(stale - known):
            new = resolve(old)
            if not new or new == old:
                continue
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
