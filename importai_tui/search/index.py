"""The library's search index in SQL: every query the search package runs.

Tables (created by the library): ``sections`` and ``issues``, the FTS5 table
``sections_fts`` over (title, subtitle, body) with its ``sections_fts_data``
records, and ``sections_vocab`` (fts5vocab). Each function takes an open
connection; the caller owns it (one per thread).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from importai_tui.library.queries import ISSUE_ORDER
from importai_tui.search.plan import Plan
from importai_tui.search.vocabulary import Vocabulary

# Column weights for bm25(title, subtitle, body): a headline hit beats a
# subtitle hit beats a body hit.
COLUMN_WEIGHTS = (10.0, 4.0, 1.0)
# A filter passing at most this many sections goes into the FTS query as a rowid list.
SMALL_FILTER = 200
# ``match_rows`` pool meaning "every match" (SQLite's LIMIT is a 64-bit integer).
NO_LIMIT = 2**62
Row = tuple[Any, ...]


class LibraryLike(Protocol):
    """What search needs of a library: its index file and a new connection to it."""

    index_path: Path

    def connect(self) -> sqlite3.Connection: ...


def newest_issues_first() -> str:
    """The ``ORDER BY`` terms listing the ``issues`` table newest first: the
    library's own order, so search lists issues as the reader's list does."""
    return ISSUE_ORDER


def in_reading_order(sections: Iterable[Row], issue_ids: Sequence[str]) -> list[Row]:
    """``(issue_id, position, ...)`` section rows, newest issue first, each issue's sections in order.

    ``issue_ids`` come newest first (``newest_issues_first``); sections of other
    issues are left out. Sorting here, by the issue's place, costs a fraction
    of ordering the sections-issues join in SQL.
    """
    place = {issue_id: index for index, issue_id in enumerate(issue_ids)}
    kept = [row for row in sections if row[0] in place]
    kept.sort(key=lambda row: (place[row[0]], row[1]))
    return kept


def generation(connection: sqlite3.Connection, index_path: Path) -> tuple:
    """A cheap fingerprint of the index that changes whenever it is written.

    FTS5's structure record (``sections_fts_data`` id 10) holds a write
    counter and the segment list, so any insert, delete or rebuild changes
    it. File stats would not do: opening and closing connections touches
    the WAL files without any change to the data.
    """
    try:
        row = connection.execute("SELECT block FROM sections_fts_data WHERE id = 10").fetchone()
    except sqlite3.Error:
        row = None
    return (str(index_path), row[0] if row else None)


def vocabulary_key(connection: sqlite3.Connection, generation: tuple) -> str | None:
    """The saved vocabulary's key: FTS5's structure and averages records.

    The structure record changes with every write; the averages record
    holds the row count and the token total of each column, so two
    different indexes that happen to share a segment layout still differ.
    None when there is no index yet.
    """
    block = generation[1] if len(generation) > 1 else None
    if not isinstance(block, bytes):
        return None
    try:
        row = connection.execute("SELECT block FROM sections_fts_data WHERE id = 1").fetchone()
    except sqlite3.Error:
        return None
    averages = row[0] if row and isinstance(row[0], bytes) else b""
    return f"{block.hex()}:{averages.hex()}"


def read_vocabulary(connection: sqlite3.Connection) -> Vocabulary:
    """The vocabulary from the index itself (walks every term: seconds for a large archive)."""
    rows = connection.execute("SELECT term, doc FROM sections_vocab").fetchall()
    documents = connection.execute("SELECT count(*) FROM sections").fetchone()[0]
    return Vocabulary(rows, documents)


@dataclass(frozen=True)
class SectionFilters:
    """Section rowids by kind and by issue (id and number), for filtered searches."""

    by_kind: dict[str, frozenset[int]]
    by_issue: dict[str, frozenset[int]]
    # Every rowid, newest issue first, in reading order.
    order: tuple[int, ...] = ()

    @classmethod
    def from_rows(cls, rows: Sequence[tuple[int, str, str, int | None]]) -> SectionFilters:
        """From ``(rowid, kind, issue_id, number)`` rows, newest issue first in reading order."""
        by_kind: dict[str, set[int]] = {}
        by_issue: dict[str, set[int]] = {}
        for rowid, kind, issue_id, number in rows:
            by_kind.setdefault(kind, set()).add(rowid)
            by_issue.setdefault(issue_id, set()).add(rowid)
            if number is not None:
                by_issue.setdefault(str(number), set()).add(rowid)
        return cls(
            {key: frozenset(value) for key, value in by_kind.items()},
            {key: frozenset(value) for key, value in by_issue.items()},
            tuple(row[0] for row in rows),
        )

    def allowed(self, kind: str | None, number: int | None) -> frozenset[int] | None:
        """The rowids passing the filters, or None when there are none."""
        allowed: frozenset[int] | None = None
        if kind is not None:
            allowed = self.by_kind.get(kind, frozenset())
        if number is not None:
            in_issue = self.by_issue.get(str(number), frozenset())
            allowed = in_issue if allowed is None else allowed & in_issue
        return allowed


def read_section_filters(connection: sqlite3.Connection) -> SectionFilters:
    """Each section's kind and issue, newest issue first (read once per index generation)."""
    numbers = dict(
        connection.execute(f"SELECT id, number FROM issues ORDER BY {newest_issues_first()}")
    )
    sections = connection.execute("SELECT issue_id, position, rowid, kind FROM sections")
    return SectionFilters.from_rows(
        [
            (rowid, kind, issue_id, numbers[issue_id])
            for issue_id, _, rowid, kind in in_reading_order(sections, list(numbers))
        ]
    )


def match_rows(
    connection: sqlite3.Connection, plan: Plan, allowed: frozenset[int] | None, pool: int
) -> list[tuple[int, float]]:
    """``(rowid, bm25)`` of the best ``pool`` matches among ``allowed``, from the FTS index alone.

    Unranked plans list the newest matches (rowid order, which FTS5 streams
    without reading every match). A small filter (one issue) goes into the
    query; a large one (a kind) is applied while reading the ordered matches.
    """
    weights = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)
    if plan.unranked:
        columns, order = "rowid, 0.0", "rowid DESC"
    else:
        columns, order = f"rowid, bm25(sections_fts, {weights}) AS score", "score"
    sql = f"SELECT {columns} FROM sections_fts WHERE sections_fts MATCH ?"
    try:
        if allowed is None:
            return connection.execute(
                sql + f" ORDER BY {order} LIMIT ?", [plan.match, pool]
            ).fetchall()
        if not allowed:
            return []
        if len(allowed) <= SMALL_FILTER:
            # Integers from our own table: safe to inline.
            listed = ",".join(str(rowid) for rowid in sorted(allowed))
            return connection.execute(
                sql + f" AND rowid IN ({listed}) ORDER BY {order} LIMIT ?",
                [plan.match, pool],
            ).fetchall()
        found: list[tuple[int, float]] = []
        for rowid, rank in connection.execute(sql + f" ORDER BY {order}", [plan.match]):
            if rowid in allowed:
                found.append((rowid, rank))
                if len(found) >= pool:
                    break
        return found
    except sqlite3.OperationalError:
        # Every token is quoted, so this should not happen; if FTS5 still
        # rejects the expression, a search box must not crash.
        return []


def section_headlines(
    connection: sqlite3.Connection, rowids: Sequence[int]
) -> dict[int, tuple[str, str, str, str, int | None, str]]:
    """``rowid -> (section id, issue id, title, kind, issue number, issue title)``."""
    marks = ",".join("?" * len(rowids))
    return {
        row[0]: row[1:]
        for row in connection.execute(
            "SELECT s.rowid, s.id, s.issue_id, s.title, s.kind, i.number, i.title"
            " FROM sections s JOIN issues i ON i.id = s.issue_id"
            f" WHERE s.rowid IN ({marks})",
            list(rowids),
        )
    }


def section_bodies(
    connection: sqlite3.Connection, rowids: Sequence[int]
) -> dict[int, tuple[str | None, str]]:
    """``rowid -> (subtitle, body)``."""
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    rows = connection.execute(
        f"SELECT rowid, subtitle, body FROM sections WHERE rowid IN ({marks})", list(rowids)
    ).fetchall()
    return {rowid: (subtitle, body) for rowid, subtitle, body in rows}


# -- related sections and timelines ------------------------------------------------------


def section_rowid(connection: sqlite3.Connection, section_id: str) -> tuple[int, str] | None:
    """``(rowid, issue id)`` of the section ``section_id``, or None."""
    row = connection.execute(
        "SELECT rowid, issue_id FROM sections WHERE id = ?", (section_id,)
    ).fetchone()
    return (row[0], row[1]) if row else None


def ranked_among(
    connection: sqlite3.Connection,
    match: str,
    *,
    excluded: Sequence[int] = (),
    only: Sequence[int] | None = None,
    pool: int,
) -> list[tuple[int, float]]:
    """``(rowid, bm25)`` of the best ``pool`` matches of ``match``, best first.

    ``excluded`` rowids are left out; ``only`` (when given) keeps those rowids
    alone. Both are short lists of our own integers, inlined.
    """
    weights = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)
    sql = (
        f"SELECT rowid, bm25(sections_fts, {weights}) AS score FROM sections_fts"
        " WHERE sections_fts MATCH ?"
    )
    if excluded:
        sql += f" AND rowid NOT IN ({','.join(str(int(rowid)) for rowid in excluded)})"
    if only is not None:
        if not only:
            return []
        sql += f" AND rowid IN ({','.join(str(int(rowid)) for rowid in only)})"
    try:
        return connection.execute(sql + " ORDER BY score LIMIT ?", [match, pool]).fetchall()
    except sqlite3.OperationalError:
        return []  # every token is quoted; an expression FTS5 still rejects finds nothing


def section_details(
    connection: sqlite3.Connection, rowids: Sequence[int]
) -> dict[int, tuple[str, str, int | None, str | None, str, str | None, str, str]]:
    """``rowid -> (section id, issue id, number, date, title, subtitle, body, kind)``."""
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    return {
        row[0]: row[1:]
        for row in connection.execute(
            "SELECT s.rowid, s.id, s.issue_id, i.number, i.date, s.title, s.subtitle, s.body,"
            " s.kind FROM sections s JOIN issues i ON i.id = s.issue_id"
            f" WHERE s.rowid IN ({marks})",
            list(rowids),
        )
    }


def section_catalogue(connection: sqlite3.Connection) -> list[tuple[int, str, str, str, str]]:
    """``(rowid, section id, issue id, title, kind)`` of every section."""
    return connection.execute("SELECT rowid, id, issue_id, title, kind FROM sections").fetchall()


def issue_catalogue(connection: sqlite3.Connection) -> list[tuple[str, int | None, str | None]]:
    """``(issue id, number, date)`` of every issue, newest first."""
    return connection.execute(
        f"SELECT id, number, date FROM issues ORDER BY {newest_issues_first()}"
    ).fetchall()


def issue_page_links(connection: sqlite3.Connection) -> list[str]:
    """The link lists (JSON) of sections linking to a dated issue page on jack-clark.net."""
    return [
        row[0]
        for row in connection.execute(
            "SELECT links FROM sections WHERE links LIKE '%jack-clark.net/%/import-ai-%'"
        )
    ]
