"""A section's links: which one is its story's ("Read more"), and which point at issues.

Pure text processing, a leaf (no I/O, no UI). A story of the newsletter ends
with its source: ``**Read more:** [Paper title (arXiv)](https://…)``, or "Read
the paper", "Read the blog"…; links earlier in the text are often references
to older issues (``[Import AI #393](https://jack-clark.net/…/import-ai-393-…)``).
``story_link`` is the one place that chooses the link a bookmark stands for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from importai_tui.text import is_web_url

# Issue pages on the two homes of the newsletter.
_ISSUE_URL = re.compile(
    r"^https?://(?:www\.)?"
    r"(?:jack-clark\.net/\d{4}/\d{2}/\d{2}/|importai\.substack\.com/p/)"
    r"import-ai-(\d{1,4})(?:[-/?#]|$)",
    re.IGNORECASE,
)

# A "Read more" / "Read the paper" / "Read the research paper" label opening a
# line (after a list marker, a quote marker or emphasis): "Readers" is no label.
_READ_LABEL = re.compile(
    r"^[ \t]*(?:[-+][ \t]+)?(?:>[ \t]*)*(?:[*_]{1,3}[ \t]*)?Read\b", re.MULTILINE
)

# Inline links (images excluded by the caller), autolinks and bare URLs, in text order.
# Each whitespace run inside ``(…)`` is matched atomically (a lookahead captures it,
# a backreference consumes it): the runs never trade characters, so "[a](" plus a
# long run of spaces fails at once instead of in cubic time.
_LINK = re.compile(
    r"""
    (?P<image>!)?\[(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*\]
        \((?=(?P<lead>\s*))(?P=lead)<?(?P<inline>[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)>?
        (?:(?=(?P<gap>\s+))(?P=gap)(?:"[^"]*"|'[^']*'))?(?=(?P<tail>\s*))(?P=tail)\)
    | <(?P<auto>https?://[^>\s]+)>
    | (?P<bare>https?://[^\s<>()\[\]]+(?:\([^\s()]*\)[^\s<>()\[\]]*)*)
    """,
    re.VERBOSE,
)
# Sentence punctuation and emphasis that end a bare URL in running text.
_BARE_TAIL = ".,;:!?*_'\""


def issue_number_from_url(url: str) -> int | None:
    """The issue number when ``url`` is an Import AI issue page, else None."""
    match = _ISSUE_URL.match(url.strip())
    return int(match.group(1)) if match else None


# The newsletter's two homes: a page there is Import AI even without a number in its address.
_NEWSLETTER_HOSTS = ("jack-clark.net", "importai.substack.com")


def is_newsletter_url(url: str | None) -> bool:
    """True for a page on one of the newsletter's homes (any post, numbered or not)."""
    if not url:
        return False
    host = urlsplit(url.strip()).hostname or ""
    return any(host == home or host.endswith("." + home) for home in _NEWSLETTER_HOSTS)


def is_issue_url(url: str) -> bool:
    """True when ``url`` is the page of an Import AI issue (a cross-reference)."""
    return issue_number_from_url(url) is not None


def markdown_links(markdown: str) -> Iterator[str]:
    """The targets of ``markdown``'s links (inline, autolinks, bare URLs) in order; no images."""
    for match in _LINK.finditer(markdown):
        if match.group("image"):
            continue
        if match.group("bare"):
            yield match.group("bare").rstrip(_BARE_TAIL)
        else:
            yield match.group("inline") or match.group("auto") or ""


def story_link(links: Iterable[str], markdown: str | None = None) -> str | None:
    """The link a section's story stands for, or None.

    The first web link after a "Read more"/"Read the paper"/… label in
    ``markdown``; else the first of ``links`` (or of the Markdown's links) that
    is a web URL and not a reference to another issue; else None. Never a
    link to an issue page: a bookmark of a story should open the story's
    source, not an older issue that mentioned it.
    """
    if markdown:
        for label in _READ_LABEL.finditer(markdown):
            line_end = markdown.find("\n", label.end())
            line = markdown[label.end() : line_end if line_end != -1 else len(markdown)]
            chosen = _first_story_url(markdown_links(line))
            if chosen:
                return chosen
    candidates = list(links)
    if not candidates and markdown:
        candidates = list(markdown_links(markdown))
    return _first_story_url(candidates)


def _first_story_url(urls: Iterable[str]) -> str | None:
    for url in urls:
        if is_web_url(url) and not is_issue_url(url):
            return url
    return None


__all__ = ["is_issue_url", "issue_number_from_url", "markdown_links", "story_link"]
