"""Substack's JSON API as an input shape: pure parsing, no network, no library.

A Substack publication lists its posts at ``/api/v1/archive?sort=new&offset=N&limit=12``
(a JSON array of post objects without their HTML) and serves each post at
``/api/v1/posts/SLUG`` (with ``body_html``). ``parse_archive_page`` reads the
first into ``ArchiveEntry`` objects, ``parse_post`` the second into a
``FeedItem`` for the converter, like an item of the RSS feed. Every string
taken from the JSON is cleaned (``text.clean_text``) before it is stored.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from importai_tui.convert.feed import FeedError, FeedItem, one_line, parse_entry_title
from importai_tui.text import is_web_url

_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
# The listing fields whose change means the post was edited.
_FINGERPRINT_KEYS = ("title", "subtitle", "post_date", "updated_at", "wordcount", "audience")


@dataclass(frozen=True)
class ArchiveEntry:
    """One post as the archive listing describes it (no HTML yet).

    ``url`` is how the post's source is named once imported (its canonical
    link); ``fingerprint`` changes when the listing says the post changed.
    """

    slug: str
    url: str
    fingerprint: str

    def post_path(self) -> str:
        """The API path that serves this post's HTML."""
        return f"/api/v1/posts/{quote(self.slug, safe='')}"


def _load(data: bytes, source: str) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise FeedError(f"{source}: not Substack JSON", "not Substack JSON") from None


def looks_like_archive_page(data: bytes) -> bool:
    """True when ``data`` is a JSON array (of posts, or empty): a Substack archive answer."""
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


def parse_archive_page(data: bytes, site: str, source: str = "archive") -> list[ArchiveEntry]:
    """The posts of one archive page, newest first; ``[]`` past the last page.

    ``site`` (``https://name.substack.com``) names posts whose canonical link
    is missing or not http(s). Raises ``FeedError`` when it is no JSON array.
    """
    value = _load(data, source)
    if not isinstance(value, list):
        raise FeedError(f"{source}: not a Substack archive page", "not a Substack archive page")
    entries: list[ArchiveEntry] = []
    for post in value:
        if not isinstance(post, dict):
            continue
        slug = one_line(str(post.get("slug") or ""))
        if not slug:
            continue
        picked = {k: post.get(k) for k in _FINGERPRINT_KEYS if k in post}
        fingerprint = hashlib.sha256(
            json.dumps(picked, sort_keys=True, default=str).encode()
        ).hexdigest()[:16]
        entries.append(ArchiveEntry(slug, _post_url(post, site, slug), fingerprint))
    return entries


def parse_post(data: bytes, entry: ArchiveEntry, source: str = "post") -> FeedItem:
    """One ``/api/v1/posts/SLUG`` answer as a feed item; ``FeedError`` without HTML.

    Number, title, date and link come from the post itself; a title without
    ``Import AI NNN`` gives no number (one is never invented).
    """
    post = _load(data, source)
    if not isinstance(post, dict):
        raise FeedError(f"{source}: not a Substack post", "not a Substack post")
    html = post.get("body_html")
    if not isinstance(html, str) or not html.strip():
        raise FeedError(f"{source}: the post has no HTML body", "the post has no HTML body")
    number, title = parse_entry_title(str(post.get("title") or ""))
    date_match = _DATE.match(str(post.get("post_date") or ""))
    url = entry.url if is_web_url(entry.url) else None
    return FeedItem(
        name=entry.url,
        html=html,
        number=number,
        title=title,
        date=date_match.group(1) if date_match else None,
        url=url,
    )


def _post_url(post: dict[str, Any], site: str, slug: str) -> str:
    canonical = one_line(str(post.get("canonical_url") or ""))
    if is_web_url(canonical):
        return canonical
    return f"{site.rstrip('/')}/p/{quote(slug, safe='')}"
