"""The library: converted issues cached in the data dir.

Layout of the data dir (``paths.data_dir()``):

- ``library.sqlite3``  the index: issues, sections, FTS5 search index, stored
  sources with content hashes, converter version. Everything here can be
  rebuilt from the stored sources; a rebuild may drop and refill it.
- ``issues/<id>.md``   one Markdown document per issue (written atomically).
- ``sources/<sha256>`` the raw bytes of every imported file, so a new converter
  version can reconvert without the original paths.
- ``state.sqlite3``    user-owned reading state and settings (``importai_tui.state``).
- ``bookmarks.sqlite3`` user-owned bookmarks (``importai_tui.bookmarks``).

User-owned files are never opened by the import or rebuild code.

This package imports nothing heavy: the converter is imported lazily inside the
import/rebuild functions, so that reading the cache never loads markdownify.
"""

from __future__ import annotations

from importai_tui.library.records import (
    FileResult,
    ImportReport,
    IssueRecord,
    IssueSummary,
    SectionRecord,
)
from importai_tui.library.store import Library, LibraryError

__all__ = [
    "FileResult",
    "ImportReport",
    "IssueRecord",
    "IssueSummary",
    "Library",
    "LibraryError",
    "SectionRecord",
]
