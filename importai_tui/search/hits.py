"""One search result: a matching section with its snippet and match spans."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from importai_tui.search.snippets import Span
from importai_tui.text import issue_location


@dataclass(frozen=True)
class SearchHit:
    """One matching section, best first.

    ``snippet`` is plain text; ``snippet_spans`` and ``title_spans`` are
    ``(start, end)`` character offsets of matched words in ``snippet`` and
    ``section_title``. ``terms`` are the index terms the query matched (after
    correction), for highlighting elsewhere (``match_spans``).
    """

    issue_id: str
    issue_number: int | None
    issue_title: str
    section_id: str
    section_title: str
    kind: str
    score: float
    snippet: str
    snippet_spans: tuple[Span, ...] = ()
    title_spans: tuple[Span, ...] = ()
    terms: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()

    @property
    def location(self) -> str:
        """Where the hit is: ``#401``, or the issue id when the issue has no number."""
        return issue_location(self.issue_number, self.issue_id)

    def to_json(self) -> dict[str, Any]:
        """The CLI's ``--json`` record."""
        return {
            "issue_id": self.issue_id,
            "issue_number": self.issue_number,
            "section_id": self.section_id,
            "section_title": self.section_title,
            "score": self.score,
            "snippet": self.snippet,
        }
