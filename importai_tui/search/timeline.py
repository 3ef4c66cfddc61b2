"""A topic's timeline: how many sections match a query, per year, month or issue.

The sections are exactly those ``search`` finds for the query (the same parsing,
filters and typo correction; ``Searcher.matching_rowids``), with no limit.
Each is placed by its issue's date. An issue without a date is placed by its
number: between the dated issues around it (the library's own dates, and the
dates in links to issue pages on jack-clark.net, which carry them), or at a
week per issue beyond them. An issue with neither goes to the ``undated``
period, listed last.
"""

from __future__ import annotations

import json
import threading
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from importai_tui.crossref import dated_issue_from_url
from importai_tui.search import index
from importai_tui.search.index import LibraryLike
from importai_tui.search.searcher import Searcher, searcher_for
from importai_tui.text import issue_location

GROUPINGS = ("year", "month", "issue")
UNDATED = "undated"
# The newsletter's cadence, to place issues beyond the last dated one.
DAYS_PER_ISSUE = 7


@dataclass(frozen=True)
class TimelineSection:
    """One matching section: where it is and what it is called."""

    section_id: str
    issue_id: str
    issue_number: int | None
    title: str
    kind: str


@dataclass(frozen=True)
class Period:
    """One bar of the timeline: a year ("2024"), a month ("2024-03"), an issue ("#401") or ``undated``."""

    period: str
    sections: tuple[TimelineSection, ...]

    @property
    def count(self) -> int:
        return len(self.sections)

    def to_json(self) -> dict[str, Any]:
        """The ``timeline --json`` record."""
        return {
            "period": self.period,
            "count": self.count,
            "sections": [section.section_id for section in self.sections],
        }


@dataclass(frozen=True)
class Timeline:
    """The periods in time order (``undated`` last), and how the matching issues were placed.

    ``placed_by_number``: matching issues without a date, placed by their number.
    ``undated``: matching issues with neither date nor number (or no dated
    issue to place them by), counted in the ``undated`` period.
    """

    query: str
    by: str
    periods: tuple[Period, ...]
    placed_by_number: int = 0
    undated: int = 0

    @property
    def total(self) -> int:
        return sum(period.count for period in self.periods)

    def to_json(self) -> list[dict[str, Any]]:
        return [period.to_json() for period in self.periods]


@dataclass(frozen=True)
class _Issue:
    number: int | None
    date: str | None  # its own date
    placed: str | None  # its own date, else the one estimated from its number


class _Catalogue:
    """Every section's issue and headline, and every issue's (placed) date: one index generation."""

    def __init__(self, searcher: Searcher) -> None:
        connection = searcher.connection()
        rows = index.issue_catalogue(connection)
        anchors = _anchors(rows, index.issue_page_links(connection))
        self.issues = {
            issue_id: _Issue(number, issue_date, issue_date or _placed(number, anchors))
            for issue_id, number, issue_date in rows
        }
        self.dated = frozenset(issue_id for issue_id, _, issue_date in rows if issue_date)
        numbers = {issue_id: number for issue_id, number, _ in rows}
        self.sections = {
            rowid: TimelineSection(section_id, issue_id, numbers.get(issue_id), title, kind)
            for rowid, section_id, issue_id, title, kind in index.section_catalogue(connection)
            if issue_id in numbers
        }
        ordered = sorted(self.sections, key=lambda rowid: _reading_order(self.sections[rowid]))
        self.rank = {rowid: place for place, rowid in enumerate(ordered)}
        self._placements: dict[str, dict[str, tuple[str, tuple]]] = {}

    def placement(self, by: str) -> dict[str, tuple[str, tuple]]:
        """``issue id -> (period label, time-order key)`` for one grouping (cached)."""
        placement = self._placements.get(by)
        if placement is None:
            placement = {issue_id: _period(issue_id, info, by) for issue_id, info in self.issues.items()}
            self._placements[by] = placement
        return placement


_CATALOGUES: dict[str, tuple[tuple, _Catalogue]] = {}
_CATALOGUES_LOCK = threading.Lock()


def _catalogue(searcher: Searcher) -> _Catalogue:
    key = str(Path(searcher.library.index_path).resolve())
    generation = searcher.generation()
    cached = _CATALOGUES.get(key)
    if cached is not None and cached[0] == generation:
        return cached[1]
    with _CATALOGUES_LOCK:
        cached = _CATALOGUES.get(key)  # another thread may have built it meanwhile
        if cached is not None and cached[0] == generation:
            return cached[1]
        catalogue = _Catalogue(searcher)
        _CATALOGUES[key] = (generation, catalogue)
        return catalogue


def timeline(
    library: LibraryLike,
    query: str,
    *,
    by: str = "year",
    tales_only: bool = False,
    issue: int | None = None,
) -> Timeline:
    """The timeline of ``query`` (as ``importai search QUERY`` parses it); never raises on odd input."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}")
    searcher = searcher_for(library)
    rowids = searcher.matching_rowids(query or "", tales_only=tales_only, issue=issue)
    catalogue = _catalogue(searcher)
    sections = catalogue.sections
    # Reading order (oldest issue first) once; each period's list then comes out in order.
    found = sorted((rowid for rowid in rowids if rowid in sections), key=catalogue.rank.__getitem__)
    placement = catalogue.placement(by)
    buckets: dict[str, list[TimelineSection]] = {}
    seen: set[str] = set()
    last_issue, bucket = None, []
    for rowid in found:
        section = sections[rowid]
        if section.issue_id != last_issue:
            # Reading order keeps an issue's sections together: one lookup per issue.
            last_issue = section.issue_id
            seen.add(last_issue)
            label = placement[last_issue][0]
            bucket = buckets.get(label) or buckets.setdefault(label, [])
        bucket.append(section)
    issues = catalogue.issues
    without_date = seen - catalogue.dated
    undated = {issue_id for issue_id in without_date if issues[issue_id].placed is None}
    order = {label: key for label, key in placement.values() if label in buckets}
    periods = tuple(
        Period(label, tuple(buckets[label])) for label in sorted(buckets, key=order.__getitem__)
    )
    return Timeline(query, by, periods, len(without_date) - len(undated), len(undated))


def _reading_order(section: TimelineSection) -> tuple:
    """Within a period: oldest issue first, then the section's id."""
    number = section.issue_number
    return (number is None, number if number is not None else 0, section.section_id)


def _period(issue_id: str, info: _Issue, by: str) -> tuple[str, tuple]:
    """The period an issue falls in, and a key ordering periods in time (``undated`` last)."""
    placed = info.placed
    if by == "issue":
        label = issue_location(info.number, issue_id)
        if placed is None and info.number is None:
            return label, (2, "", 0, issue_id)
        return label, (0 if placed else 1, placed or "", info.number or 0, issue_id)
    if placed is None:
        return UNDATED, (3, "", 0, "")
    label = placed[:4] if by == "year" else placed[:7]
    return label, (0, label, 0, "")


def _anchors(rows: list[tuple[str, int | None, str | None]], links: list[str]) -> list[tuple[int, date]]:
    """``(number, date)`` pairs the library knows, sorted by number (one per number)."""
    known: dict[int, date] = {}
    for text in links:
        try:
            urls = json.loads(text)
        except ValueError:
            continue
        for url in urls if isinstance(urls, list) else ():
            found = dated_issue_from_url(url) if isinstance(url, str) else None
            parsed = _parse_date(found[1]) if found else None
            if found and parsed:
                known.setdefault(found[0], parsed)
    for _, number, issue_date in rows:
        parsed = _parse_date(issue_date)
        if number is not None and parsed is not None:
            known[number] = parsed  # the issue's own date wins over a link's
    return sorted(known.items())


def _placed(number: int | None, anchors: list[tuple[int, date]]) -> str | None:
    """The date of issue ``number`` estimated from the dated issues around it."""
    if number is None or not anchors:
        return None
    at = bisect_left(anchors, (number, date.min))
    if at < len(anchors) and anchors[at][0] == number:
        return anchors[at][1].isoformat()
    if 0 < at < len(anchors):
        (low, low_date), (high, high_date) = anchors[at - 1], anchors[at]
        days = (high_date - low_date).days * (number - low) / (high - low)
        return (low_date + timedelta(days=round(days))).isoformat()
    nearest, nearest_date = anchors[0] if at == 0 else anchors[-1]
    try:
        return (nearest_date + timedelta(days=DAYS_PER_ISSUE * (number - nearest))).isoformat()
    except OverflowError:
        return None


def _parse_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
