"""Titles for the command palette: every issue and section found by its title."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from importai_tui.search.index import LibraryLike, in_reading_order, newest_issues_first
from importai_tui.text import issue_label


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
        where = f"#{number}" if number is not None else issue_id
        tale = "Tech Tales: " if kind == "tale" else ""
        entries.append(
            TitleEntry("section", f"section: {tale}{title} ({where})", issue_id, section_id, number)
        )
    return entries


def rank_titles(
    query: str, entries: Sequence[TitleEntry], *, limit: int = 40
) -> list[tuple[float, TitleEntry]]:
    """Entries whose label fuzzily matches ``query``, best first, scores in 0..1.

    rapidfuzz's WRatio runs over every label in C: tens of thousands of titles
    cost tens of milliseconds, which suits the palette (it runs off the UI thread).
    """
    if not query.strip() or not entries:
        return []
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
