"""Search hits as Rich text, for the reader's result list and the CLI's table.

Newsletter text only ever enters ``Text`` as plain text; matched words are
styled by span, so no markup is parsed. Not imported by the package itself:
only renderers pay for Rich.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text

from importai_tui.search.hits import SearchHit
from importai_tui.search.snippets import Span

MATCH_STYLE = "bold reverse"


@dataclass(frozen=True)
class HitText:
    """The parts of a hit every layout shows: where it is, its headline and its snippet."""

    where: str  # "#401", or the issue id when the issue has no number
    headline: Text
    snippet: Text


def marked(text: str, spans: Iterable[Span], *, style: str = "") -> Text:
    """``text`` as plain Rich text with each span in ``MATCH_STYLE``."""
    rendered = Text(text, style=style)
    for start, end in spans:
        rendered.stylize(MATCH_STYLE, start, end)
    return rendered


def hit_text(hit: SearchHit) -> HitText:
    """The marked headline and snippet of ``hit``, and where it is."""
    return HitText(
        where=hit.location,
        headline=marked(hit.section_title, hit.title_spans, style="bold"),
        snippet=marked(hit.snippet, hit.snippet_spans),
    )
