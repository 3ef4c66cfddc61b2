"""Titles for the command palette: every issue and section found by its title."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from importai_tui.search.index import LibraryLike, in_reading_order, newest_issues_first
from importai_tui.text import issue_label, issue_location

# A query that names one issue by number: "390", "#390", "issue: 390",
# "Import AI 390", "section: #390".
_NUMBER_QUERY = re.compile(
    r"^\s*(?P<category>issue|section)?\s*:?\s*(?:import\s*ai\s*)?(?:#|no\.?\s*)?"
    r"(?P<number>\d{1,5})\s*$",
    re.IGNORECASE,
)
# Fuzzy scores are scaled below this when a typed number names an issue, so
# that issue and its sections stay first whatever the fuzzy scorer thinks.
_BELOW_NUMBER = 0.9


@dataclass(frozen=True)
class TitleEntry:
    """An issue or a section, found by its title in the command palette.

    ``label`` is what the palette shows: ``"issue: Import AI 401: …"`` or
    ``"section: <headline> (#401)"``.
    """

    kind: str  # "issue" | "section"
    label: str
    issue_id: str
    section_id: str | None
    issue_number: int | None


def title_entries(library: LibraryLike) -> list[TitleEntry]:
    """Every issue and section title, newest issue first (one cheap query each)."""
    connection = library.connect()
    try:
        issues = connection.execute(
            f"SELECT id, number, title FROM issues ORDER BY {newest_issues_first()}"
        ).fetchall()
        sections = in_reading_order(
            connection.execute("SELECT issue_id, position, id, title, kind FROM sections"),
            [issue_id for issue_id, _, _ in issues],
        )
    finally:
        connection.close()
    entries = [
        TitleEntry("issue", f"issue: {issue_label(number, title)}", issue_id, None, number)
        for issue_id, number, title in issues
    ]
    numbers = {issue_id: number for issue_id, number, _ in issues}
    for issue_id, _, section_id, title, kind in sections:
        number = numbers[issue_id]
        where = issue_location(number, issue_id)
        tale = "Tech Tales: " if kind == "tale" else ""
        entries.append(
            TitleEntry("section", f"section: {tale}{title} ({where})", issue_id, section_id, number)
        )
    return entries


def rank_titles(
    query: str, entries: Sequence[TitleEntry], *, limit: int = 40
) -> list[tuple[float, TitleEntry]]:
    """Entries whose label fuzzily matches ``query``, best first, scores in 0..1.

    A query that is an issue number ("390", "#390", "issue: 390") puts that
    issue first and its sections next, above every fuzzy match: a fuzzy scorer
    rates "#388" or "(#397)" about as like "390" as "Import AI 390" is.

    rapidfuzz's WRatio runs over every label in C: tens of thousands of titles
    cost tens of milliseconds, which suits the palette (it runs off the UI thread).
    """
    if not query.strip() or not entries:
        return []
    named = _issue_named_by_number(query, entries)
    fuzzy = _rank_fuzzily(query, entries, limit)
    if not named:
        return fuzzy
    first = set(named)
    rest = [(score * _BELOW_NUMBER, entry) for score, entry in fuzzy if entry not in first]
    # 1.0 for the first, then a hair less each: the palette sorts by score only.
    exact = [(1.0 - index * 1e-4, entry) for index, entry in enumerate(named)]
    return (exact + rest)[: max(limit, len(exact))]


def _issue_named_by_number(query: str, entries: Sequence[TitleEntry]) -> list[TitleEntry]:
    """The entries of the issue a number-only query names: the issue, then its
    sections (its sections first when the query says ``section``)."""
    match = _NUMBER_QUERY.match(query)
    if match is None:
        return []
    number = int(match.group("number"))
    of_issue = [entry for entry in entries if entry.issue_number == number]
    wants_sections = (match.group("category") or "").casefold() == "section"
    return sorted(of_issue, key=lambda entry: (entry.kind == "issue") == wants_sections)


def _rank_fuzzily(
    query: str, entries: Sequence[TitleEntry], limit: int
) -> list[tuple[float, TitleEntry]]:
    from rapidfuzz import fuzz, process, utils

    # Compare with the label minus its "issue: "/"section: " category prefix,
    # unless the user typed the category.
    wants_category = query.strip().casefold().startswith(("issue", "section"))
    labels = [e.label if wants_category else e.label.split(": ", 1)[1] for e in entries]
    results = process.extract(
        query,
        labels,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=55,
    )
    return [(score / 100.0, entries[index]) for _, score, index in results]
