"""The converter's data model: plain dataclasses, no heavy imports.

The library, search, bookmarks and the TUI all read these; importing this module
must stay cheap (no markdownify, no BeautifulSoup).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SectionKind = Literal["intro", "story", "tale"]


@dataclass
class Section:
    """One section of an issue.

    ``title`` is the headline without its trailing colon (for a Tech Tales
    section: the story's own title). ``body`` is Markdown without the heading
    and subtitle; ``links`` are the section's http(s) URLs in order of
    appearance, without duplicates.
    """

    id: str
    title: str
    subtitle: str | None
    kind: SectionKind
    body: str
    links: list[str] = field(default_factory=list)


@dataclass
class Issue:
    """One unique issue of the newsletter.

    ``id`` is stable: the issue number as a string when the source states one,
    otherwise ``u-`` plus a short hash of the section headlines. ``number`` is
    never invented. ``date`` is an ISO ``YYYY-MM-DD`` string when known.
    """

    id: str
    number: int | None
    title: str
    date: str | None
    sources: list[str]
    sections: list[Section]
    url: str | None = None
