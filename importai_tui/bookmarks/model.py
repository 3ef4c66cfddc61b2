"""The bookmark record: what one bookmark holds, its JSON form, and how two copies merge.

Pure: no I/O. ``Bookmark.to_dict``/``Bookmark.from_dict`` are the one JSON form
of a bookmark, used by ``bookmarks list --json``, the JSON export and
``bookmarks import``. Every string a bookmark stores goes through
``text.clean_text`` (``sanitized``), whatever built it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from importai_tui.errors import ImportaiError
from importai_tui.links import story_link
from importai_tui.text import clean_text, is_web_url, issue_label

if TYPE_CHECKING:  # records are only needed for type hints; keep imports light
    from importai_tui.library.records import IssueSummary, SectionRecord

Clock = Callable[[], datetime]


class BookmarkError(ImportaiError):
    """Any bookmark problem the user must hear about; the message is one line."""


def utc_now() -> datetime:
    """The default clock: now, in UTC."""
    return datetime.now(timezone.utc)


def format_timestamp(moment: datetime) -> str:
    """``2025-01-02T03:04:05Z``: UTC, whole seconds (sorts as text)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(value: str) -> datetime:
    """Parse a timestamp written by ``format_timestamp`` (or any ISO 8601 with zone)."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"timestamp without a time zone: {value!r}")
    return moment


def parse_tags(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Tags from user input: split on commas and whitespace, ``#`` dropped, deduplicated.

    A string is split (``"ai, policy #safety"`` gives ``("ai", "policy",
    "safety")``); an iterable's items are each split the same way, so a tag
    never contains a comma or whitespace (CSV and HTML exports join on them).
    """
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    tags: list[str] = []
    for item in items:
        for raw in re.split(r"[,\s]+", clean_text(str(item))):
            tag = raw.lstrip("#")
            if tag and tag not in tags:
                tags.append(tag)
    return tuple(tags)


@dataclass(frozen=True)
class Bookmark:
    """One bookmark: the user's note and tags plus a copy of the display fields."""

    section_id: str
    issue_id: str
    issue_number: int | None
    issue_title: str
    section_title: str
    section_subtitle: str | None = None
    issue_url: str | None = None
    links: tuple[str, ...] = ()
    note: str = ""
    tags: tuple[str, ...] = ()
    created_at: str = ""
    updated_at: str = ""

    @property
    def issue_display(self) -> str:
        """``Import AI 401: title`` (or the title of an unnumbered issue)."""
        return issue_label(self.issue_number, self.issue_title)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of one bookmark (schema documented in the README)."""
        return {
            "section_id": self.section_id,
            "issue_id": self.issue_id,
            "issue_number": self.issue_number,
            "issue_title": self.issue_title,
            "issue_url": self.issue_url,
            "section_title": self.section_title,
            "section_subtitle": self.section_subtitle,
            "links": list(self.links),
            "note": self.note,
            "tags": list(self.tags),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Bookmark:
        """Validate and build a bookmark from its JSON form; ValueError says what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("a bookmark is not an object")

        def text(key: str, *, optional: bool = False) -> str | None:
            value = data.get(key)
            if value is None and optional:
                return None
            if not isinstance(value, str):
                raise ValueError(f"{key!r} must be a string")
            return clean_text(value)

        section_id = _one_line(text("section_id") or "")
        issue_id = _one_line(text("issue_id") or "")
        if not section_id or not issue_id:
            raise ValueError("'section_id' and 'issue_id' must not be empty")
        number = data.get("issue_number")
        if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
            raise ValueError("'issue_number' must be an integer or null")
        links = data.get("links", [])
        if not isinstance(links, list) or not all(isinstance(x, str) for x in links):
            raise ValueError("'links' must be a list of strings")
        tags = data.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(x, str) for x in tags):
            raise ValueError("'tags' must be a list of strings")
        stamps = {}
        for key in ("created_at", "updated_at"):
            value = text(key)
            try:
                parse_timestamp(value or "")
            except ValueError:
                raise ValueError(f"{key!r} is not an ISO 8601 timestamp: {value!r}") from None
            stamps[key] = value
        # A hostile file: sanitized() makes every string as clean as a bookmark
        # made in the app (no controls, bidi or line separators; one-line ids).
        return sanitized(
            cls(
                section_id=section_id,
                issue_id=issue_id,
                issue_number=number,
                issue_title=text("issue_title") or "",
                issue_url=text("issue_url", optional=True),
                section_title=text("section_title") or "",
                section_subtitle=text("section_subtitle", optional=True),
                links=tuple(links),
                note=text("note") or "",
                tags=parse_tags(tags),
                created_at=stamps["created_at"] or "",
                updated_at=stamps["updated_at"] or "",
            )
        )


def bookmark_url(bookmark: Bookmark, markdown: str | None = None) -> str | None:
    """The one URL a bookmark stands for (the exports' ``HREF`` and ``url``), or None.

    Its story's link (``links.story_link``: the link after "Read more" in the
    section's ``markdown`` when the caller has it, else the first of its links
    that is not another issue's page), else its issue's page. Never invented:
    text-archive issues carry no links and give None.
    """
    chosen = story_link(bookmark.links, markdown)
    if chosen:
        return chosen
    if bookmark.issue_url and is_web_url(bookmark.issue_url):
        return bookmark.issue_url
    return None


def bookmark_from_records(
    section: SectionRecord,
    issue: IssueSummary,
    *,
    note: str = "",
    tags: Iterable[str] = (),
) -> Bookmark:
    """A bookmark (without timestamps) for a library section and its issue."""
    return Bookmark(
        section_id=section.id,
        issue_id=section.issue_id,
        issue_number=issue.number,
        issue_title=clean_text(issue.title),
        issue_url=issue.url if issue.url and is_web_url(issue.url) else None,
        section_title=clean_text(section.title),
        section_subtitle=clean_text(section.subtitle) if section.subtitle else None,
        links=tuple(link for link in section.links if is_web_url(link)),
        note=clean_text(note).strip(),
        tags=parse_tags(list(tags)),
    )


def sanitized(bookmark: Bookmark) -> Bookmark:
    """The bookmark with control, bidi and line-separator characters dropped (ids,
    titles and links on one line; the note may keep its newlines), only http(s)
    links, clean tags.

    Applied to everything the store writes and everything ``bookmarks import``
    reads, whatever built the bookmark.
    """
    subtitle = bookmark.section_subtitle
    return replace(
        bookmark,
        section_id=_one_line(bookmark.section_id),
        issue_id=_one_line(bookmark.issue_id),
        issue_title=_one_line(bookmark.issue_title),
        issue_url=_web_url(bookmark.issue_url),
        section_title=_one_line(bookmark.section_title),
        section_subtitle=_one_line(subtitle) if subtitle is not None else None,
        links=tuple(url for url in map(_web_url, bookmark.links) if url),
        note=clean_text(bookmark.note),
        tags=parse_tags(list(bookmark.tags)),
    )


def _one_line(text: str) -> str:
    cleaned = clean_text(text)
    if "\n" in cleaned or "\t" in cleaned:
        cleaned = cleaned.replace("\n", " ").replace("\t", " ")
    return cleaned


def _web_url(url: str | None) -> str | None:
    """The cleaned URL when it is an http(s) one (``text.is_web_url``), else None."""
    if not url:
        return None
    cleaned = clean_text(url)
    return cleaned if is_web_url(cleaned) else None


@dataclass
class MergeReport:
    """What an import did: section ids added, updated (merged) and left unchanged."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def merge_pair(existing: Bookmark, incoming: Bookmark) -> Bookmark:
    """Merge two bookmarks of the same section (an import meeting a stored one).

    Tags are united (stored ones first); the note and display fields come from
    the more recently updated copy (the stored one on a tie, unless its note is
    empty); the earliest creation and latest update times are kept.
    """
    newer = incoming if incoming.updated_at > existing.updated_at else existing
    note = newer.note
    if not note:
        note = existing.note or incoming.note
    return replace(
        newer,
        note=note,
        tags=parse_tags(list(existing.tags) + list(incoming.tags)),
        created_at=min(existing.created_at, incoming.created_at),
        updated_at=max(existing.updated_at, incoming.updated_at),
    )
