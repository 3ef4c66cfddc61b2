"""Reading the index: issues and sections as records, newest issue first.

Every function takes an open connection (see ``library.db``); the ``Library``
facade owns opening it and mapping its errors.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from importai_tui.library.records import IssueRecord, IssueSummary, SectionRecord
from importai_tui.library.renames import renamed_issue_id

ISSUE_COLUMNS = "id, number, title, date, url, sources"
SECTION_COLUMNS = "id, issue_id, position, title, subtitle, kind, markdown, body, links"
# Newest first: numbered issues by number, then unnumbered ones by date, then
# by their sources (the JSON list of source names sorts by its first name):
# the order of the files they came from, as the bundled seeds are named newest
# first; the title only breaks ties. A merge already gives an unnumbered copy
# the number and date of a matching numbered one (convert.merge).
# Plain column terms only: ``every_section`` prefixes each with its table alias.
ISSUE_ORDER = (
    "number IS NULL, number DESC, date IS NULL, date DESC, sources, title COLLATE NOCASE, id"
)


def normalise_issue_id(issue_id: str) -> str:
    """``"#401"`` → ``"401"``; ``"U-AB12"`` → ``"u-ab12"``; whitespace stripped."""
    key = issue_id.strip().lstrip("#").strip()
    if key[:2].lower() == "u-":
        key = key.lower()  # unnumbered ids are "u-" + lower-case hex
    return key


def has_issues(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM issues LIMIT 1").fetchone() is not None


def issue_summaries(conn: sqlite3.Connection) -> list[IssueSummary]:
    """All issues, newest first (``ISSUE_ORDER``: by number; unnumbered ones last,
    by date, then by source)."""
    counts = dict(conn.execute("SELECT issue_id, count(*) FROM sections GROUP BY issue_id"))
    rows = conn.execute(f"SELECT {ISSUE_COLUMNS} FROM issues ORDER BY {ISSUE_ORDER}").fetchall()
    return [summary_from_row(row, counts.get(row[0], 0)) for row in rows]


def find_issue(conn: sqlite3.Connection, key: str) -> IssueRecord | None:
    """One issue by its normalised id, by number, or by the unnumbered id it once had."""
    query = f"SELECT {ISSUE_COLUMNS}, markdown FROM issues WHERE id = ?"
    row = conn.execute(query, (key,)).fetchone()
    if row is None and key.isdigit():
        # "0401" or an id the converter spelt differently: match the number.
        row = conn.execute(
            f"SELECT {ISSUE_COLUMNS}, markdown FROM issues WHERE number = ? ORDER BY id LIMIT 1",
            (int(key),),
        ).fetchone()
    if row is None and key.startswith("u-"):
        current = renamed_issue_id(conn, key)
        if current is not None:
            row = conn.execute(query, (current,)).fetchone()
    if row is None:
        return None
    sections = sections_of(conn, row[0])
    return IssueRecord(
        summary=summary_from_row(row, len(sections)), markdown=row[6], sections=tuple(sections)
    )


def find_section(conn: sqlite3.Connection, section_id: str) -> SectionRecord | None:
    """One section by its id (``"401/slug"``), also under its issue's old unnumbered id."""
    query = f"SELECT {SECTION_COLUMNS} FROM sections WHERE id = ?"
    key = section_id.strip()
    row = conn.execute(query, (key,)).fetchone()
    issue_id, _, slug = key.partition("/")
    if row is None and slug and issue_id.lower().startswith("u-"):
        current = renamed_issue_id(conn, issue_id.lower())
        if current is not None:
            row = conn.execute(query, (f"{current}/{slug}",)).fetchone()
    return section_from_row(row) if row else None


def sections_of(conn: sqlite3.Connection, issue_id: str) -> list[SectionRecord]:
    rows = conn.execute(
        f"SELECT {SECTION_COLUMNS} FROM sections WHERE issue_id = ? ORDER BY position",
        (issue_id,),
    ).fetchall()
    return [section_from_row(row) for row in rows]


def every_section(conn: sqlite3.Connection) -> list[SectionRecord]:
    """Every section of every issue, issue order then section order."""
    columns = ", ".join("s." + c.strip() for c in SECTION_COLUMNS.split(","))
    order = ", ".join("i." + p.strip() for p in ISSUE_ORDER.split(","))
    rows = conn.execute(
        f"SELECT {columns} FROM sections s JOIN issues i ON i.id = s.issue_id "
        f"ORDER BY {order}, s.position"
    ).fetchall()
    return [section_from_row(row) for row in rows]


def converter_version_of(conn: sqlite3.Connection) -> int | None:
    """The converter version the index was last written with (None if never)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'converter_version'").fetchone()
    return int(row[0]) if row else None


def summary_from_row(row: Sequence[Any], section_count: int) -> IssueSummary:
    issue_id, number, title, date, url, sources = row[:6]
    return IssueSummary(
        id=issue_id,
        number=number,
        title=title,
        date=date,
        section_count=section_count,
        sources=tuple(json.loads(sources)),
        url=url,
    )


def section_from_row(row: Sequence[Any]) -> SectionRecord:
    sid, issue_id, position, title, subtitle, kind, markdown, body, links = row
    return SectionRecord(
        id=sid,
        issue_id=issue_id,
        position=position,
        title=title,
        subtitle=subtitle,
        kind=kind,
        markdown=markdown,
        body=body,
        links=tuple(json.loads(links)),
    )
