"""RSS and Atom feeds as an input shape: pure parsing, no network, no library.

``iter_feed_items(data)`` turns feed bytes (downloaded by ``importai fetch`` or
saved to a file and imported) into items carrying each issue's HTML and the
metadata the feed states (number, title, date, link). The HTML then goes
through the converter like any other input.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass
from typing import Any
from xml.sax import SAXParseException

from importai_tui.errors import ImportaiError
from importai_tui.text import clean_text, is_web_url

# "Import AI 402: Title", "Import AI #402 - Title", "Import AI 402 — Title".
_TITLE_NUMBER = re.compile(
    r"^\s*import\s*ai\s*#?\s*(\d{1,5})\b\s*(?:[:\-\u2013\u2014|]\s*)?(.*)$",
    re.IGNORECASE | re.DOTALL,
)
# The start of a feed document, after an optional BOM, XML declaration,
# comments, processing instructions and a DOCTYPE.
_FEED_ROOT = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?[^>]*\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*"
    rb"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF)[\s>/]",
    re.DOTALL,
)



class FeedError(ImportaiError):
    """The bytes are not a usable RSS or Atom feed; the message is one line."""


def _feed_error(source: str, reason: str) -> FeedError:
    return FeedError(f"{source}: {reason}", reason)


@dataclass(frozen=True)
class FeedItem:
    """One feed entry, ready for the converter.

    ``name`` is how the stored source is named (the item's link, else its id,
    else a position); ``number`` is None when the title states none.
    """

    name: str
    html: str
    number: int | None
    title: str | None
    date: str | None
    url: str | None

    @property
    def meta(self) -> dict[str, Any]:
        """The metadata the library stores with the source (``sources.meta_json``)."""
        return {"number": self.number, "title": self.title, "date": self.date, "url": self.url}


def looks_like_feed(data: bytes) -> bool:
    """True when ``data`` starts like an RSS or Atom document (``<rss``/``<feed``/RDF root)."""
    return _FEED_ROOT.match(data[:4096]) is not None


def parse_entry_title(text: str | None) -> tuple[int | None, str | None]:
    """Split ``"Import AI 402: Title"`` into ``(402, "Title")``.

    A title without an issue number gives ``(None, title)``: a number is never
    invented. Empty or missing titles give ``(None, None)``.
    """
    title = one_line(text or "")
    if not title:
        return None, None
    match = _TITLE_NUMBER.match(title)
    if match is None:
        return None, title
    rest = match.group(2).strip()
    return int(match.group(1)), rest or title


def iter_feed_items(data: bytes, source: str = "feed") -> list[FeedItem]:
    """Parse RSS or Atom bytes into items; raise ``FeedError`` if it is no feed.

    XML that is not well formed is rejected as a whole (no entries at all, so a
    truncated file cannot import a cut-short issue); feedparser's milder
    warnings (e.g. a wrong declared encoding) are tolerated. Entries without
    any HTML content are skipped.
    """
    import feedparser  # lazy: only fetch and feed imports need it

    # A stream, never bytes or str: feedparser treats a string as a URL or a
    # file name to open, which untrusted input must never steer.
    parsed = feedparser.parse(
        io.BytesIO(data),
        # The converter sanitises and keeps only http(s) links itself; leave the
        # HTML exactly as published so it converts like the HTML seeds.
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, SAXParseException):
        # feedparser's loose fallback would still hand out entries, but from a
        # truncated or broken document they may be cut short: import none.
        raise _feed_error(
            source,
            f"not a valid RSS or Atom feed (XML error at line {problem.getLineNumber()}, "
            f"column {problem.getColumnNumber()}: {problem.getMessage()})",
        )
    entries = list(parsed.get("entries") or [])
    if not entries and not parsed.get("version"):
        detail = f" ({' '.join(str(problem).split())})" if problem else ""
        raise _feed_error(source, f"not an RSS or Atom feed{detail}")
    items: list[FeedItem] = []
    for position, entry in enumerate(entries, start=1):
        html = _entry_html(entry)
        if not html.strip():
            continue
        number, title = parse_entry_title(entry.get("title"))
        link = _http_link(entry.get("link"))
        # Stored as the source's name and printed later: never raw feed text.
        name = link or one_line(str(entry.get("id") or "")) or f"{source}#item-{position}"
        items.append(
            FeedItem(
                name=name,
                html=html,
                number=number,
                title=title,
                date=_entry_date(entry),
                url=link,
            )
        )
    return items


def _entry_html(entry: Any) -> str:
    """The fullest HTML the entry has: ``content`` (HTML first), else ``summary``."""
    contents = entry.get("content") or []
    html_parts = [c for c in contents if "html" in str(c.get("type", "")).lower()]
    for part in html_parts or contents:
        value = part.get("value") or ""
        if value.strip():
            return str(value)
    return str(entry.get("summary") or "")


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return time.strftime("%Y-%m-%d", parsed)
            except (TypeError, ValueError):
                continue
    return None


def one_line(text: str) -> str:
    """``text`` cleaned for storage (``text.clean_text``) with its whitespace collapsed."""
    return " ".join(clean_text(text).split())


def _http_link(link: object) -> str | None:
    if not isinstance(link, str):
        return None
    link = clean_text(link).strip()
    return link if is_web_url(link) else None
