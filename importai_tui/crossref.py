"""Cross-references between issues: find mentions of other issues and link them.

Pure text processing, no I/O and no UI. A section's Markdown mentions other
issues in a few shapes:

- plain text: ``Import AI #393``, ``(Import AI 392)``, ``Import AI 380``;
- links to an issue page: ``https://jack-clark.net/2024/12/03/import-ai-393-…``
  or ``https://importai.substack.com/p/import-ai-393-…``.

``link_crossrefs`` rewrites those into links with the internal scheme
``importai://issue/<number>`` when the caller says the issue exists, so that the
reader can jump to it in-app; mentions of issues that are not in the library are
left as they were (plain text stays text, web links stay web links).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

# Which URLs are issue pages is decided in one place (``links``, a leaf that
# bookmarks can use too); re-exported here for the callers that know it here.
from importai_tui.links import issue_number_from_url

INTERNAL_PREFIX = "importai://issue/"

# "Import AI #393", "Import AI 392", "Import AI №401"; not "Import AI, a newsletter".
_TEXT_MENTION = re.compile(r"\bImport\s+AI\s*(?:#|№|No\.?\s*)?\s*(\d{1,4})\b", re.IGNORECASE)

# The WordPress home puts the publication date in the path.
_DATED_URL = re.compile(
    r"^https?://(?:www\.)?jack-clark\.net/(\d{4})/(\d{2})/(\d{2})/import-ai-(\d{1,4})(?:[-/?#]|$)",
    re.IGNORECASE,
)

# Spans of Markdown that plain-text mentions must not be rewritten inside:
# inline links/images (text and target), autolinks, bare URLs and code spans.
_PROTECTED = re.compile(
    r"""
    (?P<link>!?\[(?P<text>(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\((?P<target>(?:[^()\s\\]|\\.|\([^()\s]*\))*)(?P<title>\s+"[^"]*")?\))
    | (?P<auto><https?://[^>\s]+>)
    | (?P<bare>https?://[^\s)\]>]+)
    | (?P<code>`+[^`]*`+)
    """,
    re.VERBOSE,
)


def issue_link(number: int) -> str:
    """The internal link target that jumps to issue ``number``."""
    return f"{INTERNAL_PREFIX}{number}"


def parse_issue_link(href: str) -> int | None:
    """The issue number of an internal link, or None for any other target."""
    if not href.startswith(INTERNAL_PREFIX):
        return None
    rest = href[len(INTERNAL_PREFIX) :]
    return int(rest) if rest.isdigit() else None


def dated_issue_from_url(url: str) -> tuple[int, str] | None:
    """``(number, "YYYY-MM-DD")`` when ``url`` is a dated issue page on jack-clark.net, else None."""
    match = _DATED_URL.match(url.strip())
    if not match:
        return None
    year, month, day, number = match.groups()
    if not ("01" <= month <= "12" and "01" <= day <= "31"):
        return None
    return int(number), f"{year}-{month}-{day}"


def mentioned_issues(markdown: str) -> list[int]:
    """The issue numbers ``markdown`` mentions, in order of first mention.

    Exactly the mentions ``link_crossrefs`` would link (one set of rules):
    its ``exists`` callback sees each of them and declines, so nothing is rewritten.
    """
    seen: dict[int, None] = {}

    def note(number: int) -> bool:
        seen.setdefault(number, None)
        return False

    link_crossrefs(markdown, note)
    return list(seen)


def link_crossrefs(markdown: str, exists: Callable[[int], bool]) -> str:
    """Rewrite mentions of issues for which ``exists(number)`` into internal links.

    - a link whose target is an issue page keeps its text and gets the internal
      target;
    - an autolink or bare issue-page URL becomes ``[Import AI #N](internal)``;
    - a plain-text mention outside links and code becomes a link with the
      mention as its text.
    Everything else (including mentions of missing issues) is left unchanged.
    """
    out: list[str] = []
    position = 0
    for match in _PROTECTED.finditer(markdown):
        out.append(_link_plain_mentions(markdown[position : match.start()], exists))
        out.append(_rewrite_protected(match, exists))
        position = match.end()
    out.append(_link_plain_mentions(markdown[position:], exists))
    return "".join(out)


class MarkdownLink(NamedTuple):
    """A link found in Markdown: where it starts, its text ("" for a bare URL), its target."""

    start: int
    text: str
    target: str


def markdown_links(markdown: str) -> Iterator[MarkdownLink]:
    """The inline links, autolinks and bare URLs of ``markdown``, in order (not images,
    not URLs inside code spans)."""
    for match in _PROTECTED.finditer(markdown):
        whole = match.group(0)
        if match.group("link") and not whole.startswith("!"):
            yield MarkdownLink(match.start(), match.group("text"), match.group("target"))
        elif match.group("auto") or match.group("bare"):
            yield MarkdownLink(match.start(), "", whole.strip("<>"))


def _link_plain_mentions(text: str, exists: Callable[[int], bool]) -> str:
    def replace(match: re.Match[str]) -> str:
        number = int(match.group(1))
        if not exists(number):
            return match.group(0)
        return f"[{match.group(0)}]({issue_link(number)})"

    return _TEXT_MENTION.sub(replace, text)


def _rewrite_protected(match: re.Match[str], exists: Callable[[int], bool]) -> str:
    whole = match.group(0)
    if match.group("link"):
        if whole.startswith("!"):
            return whole  # an image stays an image
        number = issue_number_from_url(match.group("target"))
        if number is None or not exists(number):
            return whole
        return f"[{match.group('text')}]({issue_link(number)})"
    if match.group("auto") or match.group("bare"):
        url = whole.strip("<>")
        number = issue_number_from_url(url)
        if number is None or not exists(number):
            return whole
        return f"[Import AI #{number}]({issue_link(number)})"
    return whole  # code span


__all__ = [
    "INTERNAL_PREFIX",
    "dated_issue_from_url",
    "issue_link",
    "issue_number_from_url",
    "link_crossrefs",
    "markdown_links",
    "MarkdownLink",
    "mentioned_issues",
    "parse_issue_link",
]
