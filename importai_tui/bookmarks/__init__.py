"""Bookmarks with notes and tags: the store and its exporters (pure, no UI).

- ``model``: the ``Bookmark`` record, its one JSON form (``to_dict``/``from_dict``),
  tag parsing, and how two copies of one bookmark merge.
- ``store``: ``BookmarkStore`` keeps bookmarks in ``<data dir>/bookmarks.sqlite3``,
  a file of its own that no import, rebuild or converter upgrade opens. Each
  bookmark carries its own copy of the display fields (issue number and title,
  section headline and subtitle, links), so it survives a rebuild that changes
  or drops its section.
- ``export``: Markdown, JSON, CSV and Netscape-HTML exporters, and the parser of
  the JSON export (``importai bookmarks import``).

Nothing here imports Textual; the TUI screens live in ``importai_tui.tui``.
"""

from __future__ import annotations

from importai_tui.bookmarks.export import (
    EXPORT_FORMATS,
    JSON_SCHEMA_VERSION,
    ExportResult,
    export_bookmarks,
    parse_json_export,
)
from importai_tui.bookmarks.model import (
    Bookmark,
    BookmarkError,
    MergeReport,
    bookmark_from_records,
    parse_tags,
)
from importai_tui.bookmarks.store import BookmarkStore, BookmarkStoreError
from importai_tui.text import issue_label

__all__ = [
    "EXPORT_FORMATS",
    "JSON_SCHEMA_VERSION",
    "Bookmark",
    "BookmarkError",
    "BookmarkStore",
    "BookmarkStoreError",
    "ExportResult",
    "MergeReport",
    "bookmark_from_records",
    "export_bookmarks",
    "issue_label",
    "parse_json_export",
    "parse_tags",
]
