"""The Library class: SQLite index + Markdown files. (Contract; being implemented.)"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from importai_tui.library.records import (
    FileResult,
    ImportReport,
    IssueRecord,
    IssueSummary,
    SectionRecord,
)

# progress(done, total, label)
ProgressCallback = Callable[[int, int, str], None]


class LibraryError(Exception):
    """The library cannot be used (e.g. its index is damaged); one-line message."""


class Library:
    """The cached archive in one data dir. Constructing it does no I/O.

    Every method opens its own SQLite connection, so a Library may be shared by
    threads (a connection never crosses threads).
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.index_path = self.root / "library.sqlite3"
        self.issues_dir = self.root / "issues"
        self.sources_dir = self.root / "sources"

    def connect(self) -> sqlite3.Connection:
        """A new connection to the index (schema created if missing)."""
        raise NotImplementedError

    # -- reading -----------------------------------------------------------
    def is_empty(self) -> bool:
        """True when no issue is stored (no index file counts as empty)."""
        raise NotImplementedError

    def list_issues(self) -> list[IssueSummary]:
        """All issues, newest first (by number; unnumbered ones by date, then last)."""
        raise NotImplementedError

    def get_issue(self, issue_id: str) -> IssueRecord | None:
        """One issue by id; ``"401"``, ``"#401"`` and ``"u-…"`` ids are accepted."""
        raise NotImplementedError

    def list_sections(self, issue_id: str) -> list[SectionRecord]:
        """The issue's sections in order."""
        raise NotImplementedError

    def get_section(self, section_id: str) -> SectionRecord | None:
        """One section by its id (``"401/slug"``)."""
        raise NotImplementedError

    def iter_sections(self) -> Iterator[SectionRecord]:
        """Every section of every issue, issue order then section order."""
        raise NotImplementedError

    # -- writing -----------------------------------------------------------
    def import_paths(
        self, paths: Sequence[Path], progress: ProgressCallback | None = None
    ) -> ImportReport:
        """Import files and folders (folders: every regular file inside, sorted)."""
        raise NotImplementedError

    def import_source(
        self, data: bytes, name: str, *, meta: dict | None = None
    ) -> FileResult:
        """Import one in-memory source (a fetched feed item)."""
        raise NotImplementedError

    def ensure_seeded(self, progress: ProgressCallback | None = None) -> ImportReport | None:
        """Import the bundled seeds when the library is empty; else return None."""
        raise NotImplementedError

    def rebuild(self, progress: ProgressCallback | None = None) -> ImportReport:
        """Reconvert everything from the stored sources."""
        raise NotImplementedError
