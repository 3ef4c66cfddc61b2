"""The Library: the cached archive in one data dir, as one object.

A thin facade over the rooms that do the work: ``db`` (opening the index,
naming its errors), ``queries`` (reads), ``renames`` (old unnumbered ids),
``importer`` (one import run), ``batch`` (its transaction), ``sources``
(stored raw files and manifests) and ``mdfiles`` (the ``issues/*.md`` files).

User data (``state.sqlite3``, ``bookmarks.sqlite3``) is never opened here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from importai_tui.library import queries
from importai_tui.library.db import (
    LibraryError,
    index_connection,
    index_error,
    open_index,
    set_aside_index,
)
from importai_tui.library.files import os_reason, read_input
from importai_tui.library.importer import (
    ImportRun,
    PendingJob,
    ProgressCallback,
    jobs_from_paths,
    jobs_from_sources,
)
from importai_tui.library.lock import DEFAULT_WAIT, writer_lock
from importai_tui.library.mdfiles import MarkdownFiles
from importai_tui.library.queries import normalise_issue_id
from importai_tui.library.records import (
    FileResult,
    ImportReport,
    IssueRecord,
    IssueSummary,
    SectionRecord,
)
from importai_tui.library.sources import StoredSources

__all__ = ["Library", "LibraryError", "ProgressCallback", "normalise_issue_id"]


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
        self.sources = StoredSources(self.sources_dir)
        self.mdfiles = MarkdownFiles(self.issues_dir)
        # Told (one line) when an import must wait for another process's.
        self.on_lock_wait: Callable[[str], None] | None = None
        self.lock_wait = DEFAULT_WAIT

    def connect(self) -> sqlite3.Connection:
        """A new autocommit connection to the index (schema created if missing);
        ``LibraryError`` when the index is damaged or too new."""
        return open_index(self.root, self.index_path)

    @contextmanager
    def session(self) -> Iterator[sqlite3.Connection]:
        """A connection, closed after the block, whose SQLite errors surface as
        ``LibraryError`` (for the library's own small tables: feeds, archive state)."""
        with index_connection(self.root, self.index_path) as conn:
            yield conn

    # -- reading -------------------------------------------------------------
    def is_empty(self) -> bool:
        """True when no issue is stored (no index file counts as empty)."""
        if not self.index_path.exists():
            return True
        with self.session() as conn:
            return not queries.has_issues(conn)

    def list_issues(self) -> list[IssueSummary]:
        """All issues, newest first (by number; unnumbered ones by date, then last)."""
        if not self.index_path.exists():
            return []
        with self.session() as conn:
            return queries.issue_summaries(conn)

    def get_issue(self, issue_id: str) -> IssueRecord | None:
        """One issue by id; ``"401"``, ``"#401"`` and ``"u-…"`` ids are accepted."""
        key = normalise_issue_id(issue_id)
        if not key or not self.index_path.exists():
            return None
        with self.session() as conn:
            return queries.find_issue(conn, key)

    def list_sections(self, issue_id: str) -> list[SectionRecord]:
        """The issue's sections in order."""
        record = self.get_issue(issue_id)
        return list(record.sections) if record else []

    def get_section(self, section_id: str) -> SectionRecord | None:
        """One section by its id (``"401/slug"``)."""
        if not self.index_path.exists():
            return None
        with self.session() as conn:
            return queries.find_section(conn, section_id)

    def resolve_issue_id(self, issue_id: str) -> str | None:
        """The id the issue known as ``issue_id`` has now, or None.

        An issue first imported without a number (``u-…``) is renamed to its
        number when a numbered copy arrives (a feed item, a text archive).
        Bookmarks and reading state saved under the old id still find it.
        """
        record = self.get_issue(issue_id)
        return record.id if record else None

    # -- writing -------------------------------------------------------------
    def import_paths(
        self, paths: Sequence[Path], progress: ProgressCallback | None = None
    ) -> ImportReport:
        """Import files and folders (folders: every regular file inside, sorted).

        One ``FileResult`` per file, in order: ``imported`` (converted now),
        ``unchanged`` (same bytes already imported) or ``failed`` (with the
        reason). Failures never stop the other files. A saved RSS/Atom feed
        is imported item by item, as ``importai fetch`` would.
        """
        pending, results = jobs_from_paths([Path(p) for p in paths])
        with self._writing():
            return self._run(pending, results, progress)

    def import_sources(
        self,
        sources: Sequence[tuple[bytes, str, dict | None]],
        progress: ProgressCallback | None = None,
    ) -> ImportReport:
        """Import in-memory sources ``(data, name, meta)`` in one transaction
        (all the items of one fetched feed); one ``FileResult`` each, in order."""
        pending, results = jobs_from_sources(sources)
        with self._writing():
            return self._run(pending, results, progress)

    def ensure_seeded(self, progress: ProgressCallback | None = None) -> ImportReport | None:
        """Import the bundled seeds when the library is empty; else return None.

        An empty index beside stored sources (the index was deleted or set
        aside) is rebuilt from those sources instead of re-seeded.
        """
        if not self.is_empty():
            return None
        if self.sources.described():
            report = self.rebuild(progress)
            if not self.is_empty():
                return report
        from importai_tui.paths import bundled_seed_files

        return self.import_paths(bundled_seed_files(), progress)

    def rebuild(self, progress: ProgressCallback | None = None) -> ImportReport:
        """Reconvert everything from the stored sources.

        A damaged index is renamed aside (kept, never deleted) and a new one
        is built. Only ``library.sqlite3``, ``issues/`` and ``sources/`` are
        touched; user data lives in other files.
        """
        with self._writing():
            return self._rebuild(progress)

    def _rebuild(self, progress: ProgressCallback | None) -> ImportReport:
        from importai_tui.library.jobs import Job

        notes: list[str] = []
        try:
            conn = self.connect()
            try:
                conn.execute("SELECT count(*) FROM sources").fetchone()
                conn.execute("SELECT count(*) FROM source_issues").fetchone()
            except sqlite3.DatabaseError as error:
                conn.close()
                raise index_error(error, self.root, self.index_path) from None
        except LibraryError as error:
            if error.kind != "damaged":
                raise  # a full disk or a busy index is no reason to set a healthy index aside
            kept = set_aside_index(self.index_path)
            notes.append(f"the damaged index was moved to {kept}; building a new one")
            conn = self.connect()
        try:
            self.mdfiles.sync_pending(conn)
            stored = self.sources.every(conn)
        finally:
            conn.close()
        results: list[FileResult | None] = []
        pending: list[PendingJob] = []
        for sha, info in stored.items():
            try:
                data = read_input(self.sources.path(sha))
            except OSError as error:
                reason = f"stored copy missing ({os_reason(error)}); kept its last conversion"
                results.append(FileResult(info["name"], "failed", reason))
                continue
            job = Job(sha, data, info["name"], info.get("meta"))
            pending.append((len(results), job, info.get("path"), info["name"]))
            results.append(None)
        report = self._run(pending, results, progress, rebuild=True, stored=stored)
        report.notes[:0] = notes
        return report

    def _writing(self) -> AbstractContextManager[None]:
        return writer_lock(self.root, wait=self.lock_wait, on_wait=self.on_lock_wait)

    def _run(
        self,
        pending: list[PendingJob],
        results: list[FileResult | None],
        progress: ProgressCallback | None,
        *,
        rebuild: bool = False,
        stored: dict[str, dict[str, Any]] | None = None,
    ) -> ImportReport:
        with self.session() as conn:
            run = ImportRun(
                conn, self.sources, self.mdfiles, pending, results, progress,
                rebuild=rebuild, stored=stored,
            )
            return run.run()
