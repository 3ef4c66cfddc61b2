"""The links of one section, as the reader's links list (``o``) shows them.

Pure text processing, no I/O and no UI. Two kinds of entry:

- jumps to other issues in the library (``Import AI #400`` in the text, or a
  link to that issue's web page), listed first, once per issue;
- web links, each with what the section says about it: the link's text, led
  by its bold label when the link follows one (``Read more: GFormer… (arXiv)``).

Web links are only those the converter kept for the section
(``SectionRecord.links``, all http(s)); one that the Markdown does not show as
a link of its own is listed bare at the end.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from importai_tui.crossref import (
    issue_number_from_url,
    link_crossrefs,
    markdown_links,
    parse_issue_link,
)
from importai_tui.text import terminal_safe

# A label this long or longer is a sentence, not a label ("Read more:", "Get the code").
_MAX_LABEL = 40
_EMPHASIS = re.compile(r"\*+|`+|(?<!\w)_+|_+(?!\w)")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])")
_LEADER = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|>\s*)*")


@dataclass(frozen=True)
class SectionLink:
    """One entry of the links list."""

    text: str
    """What the section says about the link, one line ("" for a bare URL)."""
    url: str
    """The web URL ("" for a jump that came from a plain-text mention)."""
    issue_number: int | None = None
    """Set for a jump to that issue in the library."""

    @property
    def host(self) -> str:
        """The web URL's host, without ``www.`` ("" when there is none)."""
        try:
            host = urlsplit(self.url).hostname or ""
        except ValueError:
            return ""
        return terminal_safe(host.removeprefix("www."))


def section_links(
    markdown: str, links: Sequence[str], exists: Callable[[int], bool]
) -> list[SectionLink]:
    """The links list of a section: jumps to issues for which ``exists(number)``
    first, then the web ``links`` with their text, in the order they appear."""
    linked = link_crossrefs(markdown, exists)
    allowed = set(links)
    jumps: dict[int, SectionLink] = {}
    web: dict[str, SectionLink] = {}
    for link in markdown_links(linked):
        number = parse_issue_link(link.target)
        if number is not None:
            jumps.setdefault(number, SectionLink(_one_line(link.text), "", number))
        elif link.target in allowed and link.target not in web:
            web[link.target] = SectionLink(_described(linked, link.start, link.text), link.target)
    for url in links:
        if issue_number_from_url(url) not in jumps:  # a page already listed as a jump
            web.setdefault(url, SectionLink("", url))
    return [*jumps.values(), *web.values()]


def _described(markdown: str, start: int, text: str) -> str:
    """The link's text, led by the bold label the line opens with, if the link is
    the line's first (``**Read more:** [paper](…)`` -> ``Read more: paper``)."""
    line_start = markdown.rfind("\n", 0, start) + 1
    before = _LEADER.sub("", markdown[line_start:start])
    text = _one_line(text)
    if not before.startswith("**") or "](" in before:
        return text
    label = _one_line(before)
    if not label or len(label) >= _MAX_LABEL:
        return text
    return f"{label} {text}" if text else label


def _one_line(markdown: str) -> str:
    """Markdown inline text as plain, printable text on one line."""
    text = _ESCAPED.sub(r"\1", _EMPHASIS.sub("", markdown))
    return terminal_safe(" ".join(text.split()))


__all__ = ["SectionLink", "section_links"]
