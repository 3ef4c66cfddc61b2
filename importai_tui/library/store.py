"""The Library class: SQLite index + Markdown files.

Write path (import, rebuild, fetched items):

1. read and hash every input; a hash already in ``sources`` at the current
   converter version is *unchanged* and costs nothing more;
2. open ONE SQLite transaction (``_Batch``) and convert the new (and stale:
   older converter version) sources, in a two-process pool when there are
   enough of them (``jobs.convert_all``). Each outcome is stored as it
   arrives, while the pool keeps converting: its source row, its converted
   issues (``source_issues``) and, in a library that held no issues (a first
   import, a rebuild), its issues' rows, provisionally; new sections are
   added to the FTS index in batches;
3. meanwhile a thread stores the raw bytes as ``sources/<sha256>``; before
   the commit one ``sources/manifest-<ns>.json`` per import records each new
   source's name, path and metadata, so a rebuild works even without the
   index (older libraries' per-source ``<sha256>.json`` sidecars are still
   read);
4. merge every source's issues (``merging.merge_by_component``), keep the
   provisional rows the merge passed through untouched, rewrite only the
   issues whose content changed, and commit once every file write succeeded;
5. after the commit, put ``issues/<id>.md`` in place atomically: each issue
   row written in step 2 or 4 was also written to a temporary file beside its
   ``.md`` by the writer thread, so this is one rename per file. The ids to
   write are recorded in ``meta.pending_md`` inside the transaction, so a
   process killed between the commit and the files is repaired (written from
   the index, its temporary files removed) by the next write.

A process killed at any point leaves the last committed library readable.
User data (``state.sqlite3``, ``bookmarks.sqlite3``) is never opened here.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from importai_tui.library.files import (
    atomic_write_bytes,
    atomic_write_text,
    discover,
    os_reason,
    read_input,
    remove_temp_files,
    safe_file_name,
    write_temp_beside,
)
from importai_tui.library.records import (
    FileResult,
    ImportReport,
    IssueRecord,
    IssueSummary,
    SectionRecord,
)
from importai_tui.library.schema import SCHEMA, SCHEMA_VERSION

if TYPE_CHECKING:
    from importai_tui.convert.model import Issue
    from importai_tui.library.jobs import Job, Outcome

# progress(done, total, label)
ProgressCallback = Callable[[int, int, str], None]

_ISSUE_COLUMNS = "id, number, title, date, url, sources"
_SECTION_COLUMNS = "id, issue_id, position, title, subtitle, kind, markdown, body, links"
# Newest first: numbered issues by number, then unnumbered ones by date, then title.
_ISSUE_ORDER = (
    "number IS NULL, number DESC, date IS NULL, date DESC, title COLLATE NOCASE, id"
)


class LibraryError(Exception):
    """The library cannot be used (e.g. its index is damaged); one-line message."""


@dataclass
class _Added:
    """A converted source about to be committed."""

    job: Job
    outcome: Outcome
    path: str | None
    result: FileResult | None  # the file's result line, filled after the merge


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

    # -- connection ----------------------------------------------------------
    def connect(self) -> sqlite3.Connection:
        """A new connection to the index (schema created if missing).

        The connection is in autocommit mode (``isolation_level=None``): write
        paths open their transaction explicitly with ``BEGIN IMMEDIATE``.
        Raises ``LibraryError`` when the index is damaged or too new.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.index_path, timeout=30.0, isolation_level=None)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            # WAL: the reader keeps reading while an import writes.
            conn.execute("PRAGMA journal_mode = WAL")
            # The index is rebuildable, so an OS crash may lose the last
            # transaction; an application crash still cannot (WAL semantics).
            conn.execute("PRAGMA synchronous = NORMAL")
            version = self._schema_version(conn)
            if version is not None and version > SCHEMA_VERSION:
                raise LibraryError(
                    f"the library index {self.index_path} was made by a newer importai "
                    f"(schema {version}); upgrade importai to read it"
                )
            if version is None:
                conn.executescript(SCHEMA)
                conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                    (str(SCHEMA_VERSION),),
                )
        except sqlite3.DatabaseError as error:
            conn.close()
            raise self._damaged(error) from None
        except BaseException:
            conn.close()
            raise
        return conn

    @staticmethod
    def _schema_version(conn: sqlite3.Connection) -> int | None:
        has_meta = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        ).fetchone()
        if not has_meta:
            return None
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else None

    def _damaged(self, error: sqlite3.DatabaseError) -> LibraryError:
        text = str(error)
        if "locked" in text or "busy" in text:
            return LibraryError(
                f"the library in {self.root} is busy (another importai is writing it); "
                "try again in a moment"
            )
        return LibraryError(
            f"the library index {self.index_path} is damaged ({text}); "
            "run `importai rebuild` to rebuild it from the stored sources "
            "(the damaged file is kept; bookmarks and reading state are not in it)"
        )

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """A connection whose database errors surface as ``LibraryError``."""
        conn = self.connect()
        try:
            yield conn
        except sqlite3.DatabaseError as error:
            raise self._damaged(error) from None
        finally:
            conn.close()

    # -- reading -------------------------------------------------------------
    def is_empty(self) -> bool:
        """True when no issue is stored (no index file counts as empty)."""
        if not self.index_path.exists():
            return True
        with self._db() as conn:
            return conn.execute("SELECT 1 FROM issues LIMIT 1").fetchone() is None

    def list_issues(self) -> list[IssueSummary]:
        """All issues, newest first (by number; unnumbered ones by date, then last)."""
        if not self.index_path.exists():
            return []
        with self._db() as conn:
            counts = dict(
                conn.execute("SELECT issue_id, count(*) FROM sections GROUP BY issue_id")
            )
            rows = conn.execute(
                f"SELECT {_ISSUE_COLUMNS} FROM issues ORDER BY {_ISSUE_ORDER}"
            ).fetchall()
        return [_summary(row, counts.get(row[0], 0)) for row in rows]

    def get_issue(self, issue_id: str) -> IssueRecord | None:
        """One issue by id; ``"401"``, ``"#401"`` and ``"u-…"`` ids are accepted."""
        key = normalise_issue_id(issue_id)
        if not key or not self.index_path.exists():
            return None
        with self._db() as conn:
            row = conn.execute(
                f"SELECT {_ISSUE_COLUMNS}, markdown FROM issues WHERE id = ?", (key,)
            ).fetchone()
            if row is None and key.isdigit():
                # "0401" or an id the converter spelt differently: match the number.
                row = conn.execute(
                    f"SELECT {_ISSUE_COLUMNS}, markdown FROM issues WHERE number = ? "
                    "ORDER BY id LIMIT 1",
                    (int(key),),
                ).fetchone()
            if row is None and key.startswith("u-"):
                current = _renamed_issue_id(conn, key)
                if current is not None:
                    row = conn.execute(
                        f"SELECT {_ISSUE_COLUMNS}, markdown FROM issues WHERE id = ?",
                        (current,),
                    ).fetchone()
            if row is None:
                return None
            sections = self._sections(conn, row[0])
        return IssueRecord(
            summary=_summary(row, len(sections)), markdown=row[6], sections=tuple(sections)
        )

    def list_sections(self, issue_id: str) -> list[SectionRecord]:
        """The issue's sections in order."""
        record = self.get_issue(issue_id)
        return list(record.sections) if record else []

    def get_section(self, section_id: str) -> SectionRecord | None:
        """One section by its id (``"401/slug"``)."""
        if not self.index_path.exists():
            return None
        with self._db() as conn:
            key = section_id.strip()
            row = conn.execute(
                f"SELECT {_SECTION_COLUMNS} FROM sections WHERE id = ?", (key,)
            ).fetchone()
            issue_id, _, slug = key.partition("/")
            if row is None and slug and issue_id.lower().startswith("u-"):
                current = _renamed_issue_id(conn, issue_id.lower())
                if current is not None:
                    row = conn.execute(
                        f"SELECT {_SECTION_COLUMNS} FROM sections WHERE id = ?",
                        (f"{current}/{slug}",),
                    ).fetchone()
        return _section(row) if row else None

    def resolve_issue_id(self, issue_id: str) -> str | None:
        """The id the issue known as ``issue_id`` has now, or None.

        An issue first imported without a number (``u-…``) is renamed to its
        number when a numbered copy arrives (a feed item, a text archive).
        Bookmarks and reading state saved under the old id still find it.
        """
        record = self.get_issue(issue_id)
        return record.id if record else None

    def iter_sections(self) -> Iterator[SectionRecord]:
        """Every section of every issue, issue order then section order."""
        if not self.index_path.exists():
            return iter(())
        with self._db() as conn:
            rows = conn.execute(
                f"SELECT {', '.join('s.' + c.strip() for c in _SECTION_COLUMNS.split(','))} "
                "FROM sections s JOIN issues i ON i.id = s.issue_id "
                f"ORDER BY {', '.join('i.' + p.strip() for p in _ISSUE_ORDER.split(','))}, "
                "s.position"
            ).fetchall()
        return iter([_section(row) for row in rows])

    def _sections(self, conn: sqlite3.Connection, issue_id: str) -> list[SectionRecord]:
        rows = conn.execute(
            f"SELECT {_SECTION_COLUMNS} FROM sections WHERE issue_id = ? ORDER BY position",
            (issue_id,),
        ).fetchall()
        return [_section(row) for row in rows]

    def stored_converter_version(self) -> int | None:
        """The converter version the index was last written with (None if never)."""
        if not self.index_path.exists():
            return None
        with self._db() as conn:
            row = conn.execute(
                "SELECT value FROM meta WHERE key = 'converter_version'"
            ).fetchone()
        return int(row[0]) if row else None

    # -- writing -------------------------------------------------------------
    def import_paths(
        self, paths: Sequence[Path], progress: ProgressCallback | None = None
    ) -> ImportReport:
        """Import files and folders (folders: every regular file inside, sorted).

        One ``FileResult`` per file, in order: ``imported`` (converted now),
        ``unchanged`` (same bytes already imported) or ``failed`` (with the
        reason). Failures never stop the other files.
        """
        from importai_tui.convert.feed import FeedError, iter_feed_items, looks_like_feed
        from importai_tui.library.jobs import Job

        inputs = discover([Path(p) for p in paths])
        results: list[FileResult | None] = []
        pending: list[tuple[int, Job, str | None, str]] = []  # (slot, job, absolute path, shown)
        for item in inputs:
            shown = str(item.path)
            if item.error:
                results.append(FileResult(shown, "failed", item.error))
                continue
            try:
                data = read_input(item.path)
            except OSError as error:
                results.append(FileResult(shown, "failed", f"cannot read: {os_reason(error)}"))
                continue
            if looks_like_feed(data):
                # A saved RSS/Atom feed: one source per item, stored exactly as
                # `importai fetch` stores them (item HTML + feed metadata).
                try:
                    feed_items = iter_feed_items(data, source=shown)
                except FeedError as failure:
                    results.append(FileResult(shown, "failed", failure.reason))
                    continue
                if not feed_items:
                    results.append(FileResult(shown, "unchanged", "a feed with no items"))
                for feed_item in feed_items:
                    html = feed_item.html.encode("utf-8")
                    job = Job(hashlib.sha256(html).hexdigest(), html, feed_item.name, feed_item.meta)
                    pending.append((len(results), job, None, f"{shown} > {feed_item.name}"))
                    results.append(None)
                continue
            sha = hashlib.sha256(data).hexdigest()
            pending.append(
                (len(results), Job(sha, data, item.path.name), _absolute(item.path), shown)
            )
            results.append(None)
        report = self._import_jobs(pending, results, progress)
        return report

    def import_source(
        self, data: bytes, name: str, *, meta: dict | None = None
    ) -> FileResult:
        """Import one in-memory source (a fetched feed item).

        ``meta`` may give ``number``, ``title``, ``date`` and ``url`` known from
        the feed; they are stored so that a rebuild converts it the same way.
        """
        from importai_tui.library.jobs import Job

        sha = hashlib.sha256(data).hexdigest()
        results: list[FileResult | None] = [None]
        job = Job(sha, data, name, dict(meta) if meta else None)
        self._import_jobs([(0, job, None, name)], results, None)
        result = results[0]
        assert result is not None
        return result

    def import_sources(
        self,
        sources: Sequence[tuple[bytes, str, dict | None]],
        progress: ProgressCallback | None = None,
    ) -> ImportReport:
        """Import in-memory sources ``(data, name, meta)`` in one transaction
        (all the items of one fetched feed); one ``FileResult`` each, in order."""
        from importai_tui.library.jobs import Job

        results: list[FileResult | None] = [None] * len(sources)
        pending = [
            (slot, Job(hashlib.sha256(data).hexdigest(), data, name, dict(meta) if meta else None), None, name)
            for slot, (data, name, meta) in enumerate(sources)
        ]
        return self._import_jobs(pending, results, progress)

    def ensure_seeded(self, progress: ProgressCallback | None = None) -> ImportReport | None:
        """Import the bundled seeds when the library is empty; else return None.

        An empty index beside stored sources (the index was deleted or set
        aside) is rebuilt from those sources instead of re-seeded.
        """
        if not self.is_empty():
            return None
        if self._sidecars():
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
        from importai_tui.library.jobs import Job

        report = ImportReport()
        try:
            conn = self.connect()
            try:
                conn.execute("SELECT count(*) FROM sources").fetchone()
                conn.execute("SELECT count(*) FROM source_issues").fetchone()
            except sqlite3.DatabaseError as error:
                conn.close()
                raise self._damaged(error) from None
        except LibraryError as error:
            if "busy" in str(error) or "newer importai" in str(error):
                raise
            kept = self._set_aside_index()
            report.notes.append(f"the damaged index was moved to {kept}; building a new one")
            conn = self.connect()
        try:
            self._sync_pending_markdown(conn)
            stored = self._stored_sources(conn)
        finally:
            conn.close()
        jobs: list[Job] = []
        results: list[FileResult | None] = []
        pending: list[tuple[int, Job, str | None, str]] = []
        for sha, info in stored.items():
            raw = self.sources_dir / sha
            try:
                data = read_input(raw)
            except OSError as error:
                results.append(
                    FileResult(
                        info["name"],
                        "failed",
                        f"stored copy missing ({os_reason(error)}); kept its last conversion",
                    )
                )
                continue
            job = Job(sha, data, info["name"], info.get("meta"))
            jobs.append(job)
            pending.append((len(results), job, info.get("path"), info["name"]))
            results.append(None)
        inner = self._import_jobs(pending, results, progress, rebuild=True, stored=stored)
        inner.notes[:0] = report.notes
        return inner

    # -- the write path ------------------------------------------------------
    def _import_jobs(
        self,
        pending: list[tuple[int, Job, str | None, str]],
        results: list[FileResult | None],
        progress: ProgressCallback | None,
        *,
        rebuild: bool = False,
        stored: dict[str, dict[str, Any]] | None = None,
    ) -> ImportReport:
        """Convert what is new or stale, then commit it (see module docstring)."""
        from importai_tui.library.jobs import Job

        report = ImportReport()
        with self._db() as conn:
            self._sync_pending_markdown(conn)
            known = dict(conn.execute("SELECT sha256, converter_version FROM sources"))
            version = _converter_version()
            to_convert: list[tuple[int | None, Job, str | None, str]] = []
            seen: dict[str, str] = {}
            for slot, job, path, shown in pending:
                if not rebuild and job.key in seen:
                    results[slot] = FileResult(
                        shown, "unchanged", f"same content as {seen[job.key]}"
                    )
                    continue
                seen[job.key] = shown
                if (
                    not rebuild
                    and known.get(job.key) == version
                    and not _meta_is_new(conn, job.key, job.meta)
                ):
                    results[slot] = FileResult(shown, "unchanged", "already imported")
                    continue
                to_convert.append((slot, job, path, shown))
            if not rebuild:
                # Sources converted by an older converter: reconvert them now, so
                # the merge below never mixes two converter versions.
                stale = [sha for sha, v in known.items() if v != version and sha not in seen]
                if stale:
                    stored = self._stored_sources(conn)
                    for sha in stale:
                        info = stored.get(sha)
                        try:
                            data = read_input(self.sources_dir / sha)
                        except OSError:
                            continue  # keep its last conversion; rebuild reports it
                        name = info["name"] if info else sha
                        meta = info.get("meta") if info else None
                        to_convert.append((None, Job(sha, data, name, meta), None, name))
            if not to_convert and not rebuild:
                report.results = [r for r in results if r is not None]
                return report

            from importai_tui.library.jobs import convert_all

            # Raw bytes are written by a thread while the pool converts (file
            # I/O releases the GIL); content-addressed, so a kill leaves only
            # harmless orphans. The commit waits for every write first, so the
            # index never names a missing source.
            # The threads start only once the pool's processes are forked.
            writer = ThreadPoolExecutor(max_workers=2, thread_name_prefix="importai-store")
            writes: list[Future[None]] = []

            def start_writes() -> None:
                writes.extend(
                    writer.submit(self._store_raw, job.key, job.data)
                    for _, job, _, _ in to_convert
                    if job.key not in known
                )

            # Each issue row written is also written, by the writer thread, to
            # a temporary file beside its ``issues/<id>.md`` while the pool
            # still converts; after the commit the files only need a rename
            # (~0.03 ms instead of ~0.25 ms of create + write, after the pool
            # is done and one core is idle). The last write of an id wins.
            prepared: dict[str, Future[str]] = {}
            dropped: list[Future[str]] = []

            def prepare(issue_id: str, markdown: str) -> None:
                target = self.issues_dir / (safe_file_name(issue_id) + ".md")
                if issue_id in prepared:
                    dropped.append(prepared[issue_id])
                prepared[issue_id] = writer.submit(write_temp_beside, target, markdown)

            batch = _Batch(conn, version, rebuild=rebuild, prepare=prepare)
            added: list[_Added] = []
            # What a rebuild needs beyond the bytes (name, path, feed metadata)
            # of every source stored now: one manifest file per import.
            manifest: dict[str, dict[str, Any]] = {}

            def on_outcome(index: int, outcome: Outcome) -> None:
                # Runs as each source's outcome arrives, while the pool keeps
                # converting: the parent's SQLite work overlaps the conversion.
                slot, job, path, shown = to_convert[index]
                if outcome.issues is None:
                    if slot is not None:
                        results[slot] = FileResult(shown, "failed", outcome.error or "failed")
                    if not (rebuild or job.key in known):
                        return
                    # A stored source the current converter rejects: keep the
                    # row (so it is not retried on every import) with no issues.
                item = _Added(job, outcome, path, None)
                if slot is not None and outcome.issues is not None:
                    item.result = FileResult(shown, "imported", "")
                    results[slot] = item.result
                added.append(item)
                batch.add(item)
                # (Known bytes arriving with feed metadata: describe them again
                # so a rebuild without the index keeps the metadata too.)
                if job.key not in known or job.meta:
                    manifest[job.key] = _describe(item)
                    if job.key in known:
                        writes.append(writer.submit(self._store_raw, job.key, job.data))

            committed = False
            try:
                batch.begin()
                # Inside the write lock: no other import is writing files now,
                # so temporary files found here are a killed process's.
                remove_temp_files(self.issues_dir)
                self.issues_dir.mkdir(parents=True, exist_ok=True)
                convert_all(
                    [entry[1] for entry in to_convert],
                    progress,
                    on_started=start_writes,
                    on_outcome=on_outcome,
                )
                if manifest:
                    writes.append(writer.submit(self._write_manifest, manifest))
                merged, new_ids = batch.finish(writes)
                committed = True
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            finally:
                writer.shutdown(wait=True, cancel_futures=True)
                ready = _temp_paths(prepared.values())
                for path in _temp_paths(dropped).values():
                    _unlink_quietly(path)
                if not committed:
                    for path in ready.values():
                        _unlink_quietly(path)
            report.new_issue_ids = new_ids
            by_source: dict[str, list[str]] = {}
            for issue in merged:
                for source in issue.sources:
                    by_source.setdefault(source, []).append(issue.id)
            for item in added:
                if item.result is None:
                    continue
                converted = item.outcome.issues or []
                count = len(converted)
                item.result.message = f"{count} issue" + ("" if count == 1 else "s")
                item.result.issue_ids = by_source.get(item.job.name) or [i.id for i in converted]
            self._sync_pending_markdown(conn, full=rebuild, prepared=_ids_of(prepared, ready))
        report.results = [r for r in results if r is not None]
        return report

    @staticmethod
    def _sections_differ(conn: sqlite3.Connection, issue: Issue) -> bool:
        """True when the stored section ids, kinds or links differ from ``issue``'s
        (the rest is covered by the issue's Markdown)."""
        stored = conn.execute(
            "SELECT id, kind, links FROM sections WHERE issue_id = ? ORDER BY position",
            (issue.id,),
        ).fetchall()
        fresh = [
            (s.id, s.kind, json.dumps(s.links, ensure_ascii=False)) for s in issue.sections
        ]
        return [tuple(r) for r in stored] != fresh

    def _sync_pending_markdown(
        self,
        conn: sqlite3.Connection,
        *,
        full: bool = False,
        prepared: dict[str, str] | None = None,
    ) -> None:
        """Write the ``issues/<id>.md`` files the last commit changed.

        With ``full``, every issue's file is rewritten and stray ``.md`` files
        (issues that no longer exist) are removed. ``prepared`` maps issue ids
        to temporary files already holding the Markdown of the row this
        process just committed (see ``_import_jobs``): those are renamed into
        place; every other temporary file given is removed.
        """
        prepared = dict(prepared or {})
        row = conn.execute("SELECT value FROM meta WHERE key = 'pending_md'").fetchone()
        if row is None and not full:
            for path in prepared.values():
                _unlink_quietly(path)
            return
        ids: list[str] = json.loads(row[0]) if row else []
        if row is not None and not prepared:
            # Repairing the files of a process killed after its commit: its
            # temporary files are leftovers. (Should they belong to a live
            # import instead, its rename fails and it writes the file anew.)
            remove_temp_files(self.issues_dir)
        if full:
            ids = [r[0] for r in conn.execute("SELECT id FROM issues")]
            keep = {safe_file_name(i) + ".md" for i in ids}
            if self.issues_dir.is_dir():
                for path in self.issues_dir.glob("*.md"):
                    if path.name not in keep:
                        path.unlink(missing_ok=True)
        placed: set[str] = set()
        if prepared:
            # A temporary file holds the committed text only if the row still
            # exists (the batch prepares every row it writes, the last one wins).
            pending = set(ids)
            live = {
                r[0]
                for r in conn.execute(
                    "SELECT id FROM issues WHERE id IN (SELECT value FROM json_each(?))",
                    (json.dumps(list(prepared)),),
                )
            }
            for issue_id, tmp in prepared.items():
                if issue_id in live and issue_id in pending:
                    target = self.issues_dir / (safe_file_name(issue_id) + ".md")
                    try:
                        os.replace(tmp, target)
                        placed.add(issue_id)
                        continue
                    except OSError:
                        pass  # (another import cleared it): written below
                _unlink_quietly(tmp)
            ids = [issue_id for issue_id in ids if issue_id not in placed]
        # One query for every document, not one per id.
        texts = dict(
            conn.execute(
                "SELECT id, markdown FROM issues WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(ids),),
            )
        )
        # (Serial on purpose: creating a file costs ~1 ms of kernel CPU here,
        # and threads only added CPU without saving time, measured.)
        for issue_id in ids:
            target = self.issues_dir / (safe_file_name(issue_id) + ".md")
            if issue_id in texts:
                atomic_write_text(target, texts[issue_id])
            else:
                target.unlink(missing_ok=True)
        conn.execute("DELETE FROM meta WHERE key = 'pending_md'")

    # -- stored sources ------------------------------------------------------
    def _store_raw(self, sha: str, data: bytes) -> None:
        """Keep a source's bytes as ``sources/<sha256>`` (once)."""
        raw = self.sources_dir / sha
        if not raw.exists():
            atomic_write_bytes(raw, data)

    def _write_manifest(self, entries: dict[str, dict[str, Any]]) -> None:
        """Describe this import's sources in one new ``sources/manifest-<ns>.json``.

        One file per import, not one sidecar per source: creating a file
        costs ~1 ms here, and a first import stores hundreds of sources.
        Names sort by time, so a later manifest's entry wins on reading.
        """
        name = f"{_MANIFEST_PREFIX}{time.time_ns():020d}-{os.getpid()}.json"
        atomic_write_text(self.sources_dir / name, json.dumps(entries, ensure_ascii=False))

    def _sidecars(self) -> dict[str, dict[str, Any]]:
        """Stored sources as described in ``sources/`` (no index needed):
        the per-import manifests, oldest first so that the newest entry wins,
        and the per-source ``<sha>.json`` sidecars older libraries wrote."""
        found: dict[str, dict[str, Any]] = {}
        if not self.sources_dir.is_dir():
            return found
        described: list[tuple[str, Any]] = []
        paths = sorted(self.sources_dir.glob("*.json"))
        for path in paths:  # legacy sidecars first: any manifest is newer
            if not path.name.startswith(_MANIFEST_PREFIX):
                described.append((path.stem, _read_json(path)))
        for path in paths:
            if path.name.startswith(_MANIFEST_PREFIX):
                entries = _read_json(path)
                if isinstance(entries, dict):
                    described.extend(entries.items())
        for sha, info in described:
            if len(sha) != 64 or not (self.sources_dir / sha).is_file():
                continue
            info = dict(info) if isinstance(info, dict) else {}
            info.setdefault("name", sha)
            found[sha] = info
        return found

    def _stored_sources(self, conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
        """Every stored source: the index's rows, plus sidecars it does not know."""
        stored = self._sidecars()
        for sha, name, path, meta_json in conn.execute(
            "SELECT sha256, name, path, meta_json FROM sources ORDER BY name, sha256"
        ):
            stored[sha] = {
                "name": name,
                "path": path,
                "meta": json.loads(meta_json) if meta_json else None,
            }
        return stored

    def _set_aside_index(self) -> Path:
        """Rename a damaged index (and its WAL files) aside; never delete it."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.index_path.with_name(f"{self.index_path.name}.damaged-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.index_path.with_name(f"{self.index_path.name}.damaged-{stamp}-{n}")
        os.replace(self.index_path, target)
        for suffix in ("-wal", "-shm"):
            extra = self.index_path.with_name(self.index_path.name + suffix)
            if extra.exists():
                os.replace(extra, target.with_name(target.name + suffix))
        return target


# -- the write transaction ----------------------------------------------------

_SOURCE_UPSERT = (
    "INSERT INTO sources(sha256, name, path, meta_json, imported_at, "
    "converter_version) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(sha256) DO UPDATE SET converter_version = excluded.converter_version, "
    "path = coalesce(excluded.path, sources.path), "
    # The same bytes met again as a feed item: its metadata (number,
    # title, date, link) is what the issue is now converted with.
    "name = CASE WHEN excluded.meta_json IS NULL THEN sources.name "
    "ELSE excluded.name END, "
    "meta_json = coalesce(excluded.meta_json, sources.meta_json)"
)
# FTS5's own 'automerge' setting (stored in sections_fts_config); 4 is its default.
_FTS_AUTOMERGE = "INSERT INTO sections_fts(sections_fts, rank) VALUES ('automerge', ?)"
_FTS_AUTOMERGE_DEFAULT = 4
_INDEX_NEW_SECTIONS = (
    "INSERT INTO sections_fts(rowid, title, subtitle, body) "
    "SELECT rowid, title, coalesce(subtitle, ''), body FROM sections "
    "WHERE rowid > ? AND rowid < ?"
)


class _Batch:
    """The single transaction of an import or rebuild, filled as outcomes arrive.

    - ``begin`` opens it and drops the FTS insert trigger for its length: new
      sections get explicit, increasing rowids and are indexed in batches by
      one ``INSERT ... SELECT`` (about twice as fast as the trigger's row by
      row, measured). The delete trigger stays, and every written row is
      indexed before any row is deleted, so deletes keep the index exact.
      A rebuild empties the tables and the index (``delete-all``) once,
      instead of deleting every row's terms one by one and re-indexing.
    - ``add`` (per converted source, while the pool still converts) records
      the source; when the library held no issues (a first import, a
      rebuild), it also writes the source's issues *provisionally*, unless
      one shares a merge key (number, story headline) or an id with an issue
      already seen.
    - ``finish`` merges every source's issues, keeps the provisional rows the
      merge passed through untouched (the same object with the same ids:
      ``merge_by_component`` hands lone issues back as they came), rewrites
      the rest, re-creates the trigger and commits.
    """

    # New sections indexed per ``INSERT ... SELECT`` (batches of ~20 issues
    # index as fast as one big batch; single issues are ~1.5x slower).
    FTS_BATCH = 150

    def __init__(
        self,
        conn: sqlite3.Connection,
        version: int,
        *,
        rebuild: bool,
        prepare: Callable[[str, str], None] | None = None,
    ) -> None:
        self.conn = conn
        self.prepare = prepare  # prepare(issue_id, markdown) for each issue row written
        self.version = version
        self.rebuild = rebuild
        self.now = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        self.fresh: dict[str, list[Issue]] = {}  # sha -> its issues, converted now
        self.provisional: dict[str, tuple[Issue, list[str]]] = {}  # id -> (issue, section ids)
        self.section_ids: set[str] = set()
        self.seen_keys: set[str] = set()
        self.ids_before: set[str] = set()
        self.optimistic = False
        self.next_rowid = 1
        self.indexed_upto = 0

    def begin(self) -> None:
        """Open the transaction; a rebuild empties the index tables."""
        from importai_tui.library.schema import SECTIONS_AD_TRIGGER

        conn = self.conn
        # A 64 MB page cache keeps the FTS index's pages in memory while a big
        # import fills it (~20% faster on 500 issues, measured).
        conn.execute("PRAGMA cache_size = -65536")
        conn.execute("BEGIN IMMEDIATE")
        self.ids_before = {row[0] for row in conn.execute("SELECT id FROM issues")}
        conn.execute("DROP TRIGGER IF EXISTS sections_ai")
        # No incremental segment merging while this transaction fills the
        # index: its segments are written once at the end rather than merged
        # over and over (~25% less CPU for the index, measured on 500
        # issues). FTS5's crisis merge still bounds the segment count, and
        # finish() restores the default before committing.
        conn.execute(_FTS_AUTOMERGE, (0,))
        if self.rebuild:
            conn.execute("DROP TRIGGER IF EXISTS sections_ad")
            conn.execute("DELETE FROM sections")
            conn.execute("DELETE FROM issues")
            # Everything is re-indexed from the rows written below, which also
            # repairs an index that had drifted from its table.
            conn.execute("INSERT INTO sections_fts(sections_fts) VALUES ('delete-all')")
            conn.execute(SECTIONS_AD_TRIGGER)
        self.optimistic = self.rebuild or not self.ids_before
        (top,) = conn.execute("SELECT coalesce(max(rowid), 0) FROM sections").fetchone()
        self.next_rowid = top + 1
        self.indexed_upto = top

    def add(self, item: _Added) -> None:
        """Record one converted source (and maybe write its issues)."""
        from importai_tui.library.jobs import issues_from_json

        job = item.job
        from_json = item.outcome.issues_json is not None
        text = item.outcome.json()
        self.conn.execute(
            _SOURCE_UPSERT,
            (
                job.key,
                job.name,
                item.path,
                json.dumps(job.meta) if job.meta else None,
                self.now,
                self.version,
            ),
        )
        self.conn.execute(
            "INSERT OR REPLACE INTO source_issues(sha256, issues_json) VALUES (?, ?)",
            (job.key, text),
        )
        if item.outcome.issues is None:
            return
        # The merge works on issues as the index stores them (JSON round
        # trip): the pool's outcomes already are; inline ones are re-read so
        # that the converter's own objects are never changed by the merge.
        issues = item.outcome.issues if from_json else issues_from_json(text)
        self.fresh[job.key] = issues
        if self.optimistic:
            for issue in issues:
                self._provisional(issue)

    def _provisional(self, issue: Issue) -> None:
        from importai_tui.library.merging import merge_keys

        keys = merge_keys(issue)
        clash = any(key in self.seen_keys for key in keys)
        self.seen_keys.update(keys)
        section_ids = [s.id for s in issue.sections]
        if (
            clash
            or issue.id in self.provisional
            or any(sid in self.section_ids for sid in section_ids)
        ):
            return  # left to finish(), after the merge
        self._insert(issue)
        self.provisional[issue.id] = (issue, section_ids)
        self.section_ids.update(section_ids)

    def _insert(
        self, issue: Issue, markdown: str | None = None, parts: list[str] | None = None
    ) -> None:
        """Write one issue's rows; ``parts`` are its sections' Markdown if
        already rendered (``_render``), ``markdown`` the whole document."""
        if parts is None or markdown is None:
            markdown, parts = _render(issue)
        conn = self.conn
        conn.execute(
            "INSERT INTO issues(id, number, title, date, url, sources, markdown) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (issue.id, *_issue_row(issue, markdown)),
        )
        first = self.next_rowid
        conn.executemany(
            f"INSERT INTO sections(rowid, {_SECTION_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    first + position,
                    section.id,
                    issue.id,
                    position,
                    section.title,
                    section.subtitle,
                    section.kind,
                    part,
                    section.body,
                    json.dumps(section.links, ensure_ascii=False),
                )
                for position, (section, part) in enumerate(zip(issue.sections, parts))
            ],
        )
        self.next_rowid = first + len(issue.sections)
        if self.prepare is not None:
            self.prepare(issue.id, markdown)
        if self.next_rowid - 1 - self.indexed_upto >= self.FTS_BATCH:
            self.index()

    def index(self) -> None:
        """Add every section written since the last call to the FTS index."""
        if self.next_rowid - 1 > self.indexed_upto:
            self.conn.execute(_INDEX_NEW_SECTIONS, (self.indexed_upto, self.next_rowid))
            self.indexed_upto = self.next_rowid - 1

    def _delete(self, issue_id: str) -> None:
        # Every row is indexed by now, so the delete trigger removes exactly
        # the terms that were added.
        self.conn.execute("DELETE FROM sections WHERE issue_id = ?", (issue_id,))
        self.conn.execute("DELETE FROM issues WHERE id = ?", (issue_id,))

    def finish(self, writes: Sequence[Future[None]]) -> tuple[list[Issue], list[str]]:
        """Merge, write what changed, commit. Returns the merged issues and the
        ids of issues new to the library.

        ``writes`` are the stored-source file writes running in a thread; the
        transaction commits only once all of them succeeded.
        """
        from importai_tui.library.merging import merge_by_component
        from importai_tui.library.schema import SECTIONS_AI_TRIGGER

        conn = self.conn
        self.index()
        every = self._every_issue()
        # Merge every source's issues: a new file may hold a better copy of an
        # issue another file brought, so the merge must see them all.
        merged = _unique_ids(merge_by_component(every)) if every else []
        wanted = {issue.id for issue in merged}
        new_ids = [issue.id for issue in merged if issue.id not in self.ids_before]
        removed = sorted(self.ids_before - wanted)
        existing: dict[str, tuple[Any, ...]] = {}
        if not self.rebuild:
            for issue_id in removed:
                self._delete(issue_id)
            if not self.optimistic:
                existing = {
                    row[0]: tuple(row[1:])
                    for row in conn.execute(
                        "SELECT id, number, title, date, url, sources, markdown FROM issues"
                    )
                }
        # Pass 1: decide, and delete every row to be replaced (before any
        # insert, so that no new row meets an old one's UNIQUE id).
        by_id = {issue.id: issue for issue in merged}
        kept = {
            issue_id
            for issue_id, (issue, section_ids) in self.provisional.items()
            if by_id.get(issue_id) is issue and section_ids == [s.id for s in issue.sections]
        }
        for issue_id in self.provisional:
            if issue_id not in kept:
                self._delete(issue_id)
        to_write: list[tuple[Issue, str, list[str]]] = []
        for issue in merged:
            if issue.id in kept:
                continue
            markdown, parts = _render(issue)
            old = existing.get(issue.id)
            if old is not None:
                if old == _issue_row(issue, markdown) and not Library._sections_differ(conn, issue):
                    continue
                self._delete(issue.id)
            to_write.append((issue, markdown, parts))
        # Pass 2: write.
        for issue, markdown, parts in to_write:
            self._insert(issue, markdown, parts)
        self.index()
        changed = sorted(kept) + [issue.id for issue, _, _ in to_write]
        conn.execute(SECTIONS_AI_TRIGGER)
        conn.execute(_FTS_AUTOMERGE, (_FTS_AUTOMERGE_DEFAULT,))
        conn.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('converter_version', ?)",
            (str(self.version),),
        )
        conn.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('pending_md', ?)",
            (json.dumps(changed + removed),),
        )
        for write in writes:
            write.result()  # re-raises an OSError: the transaction rolls back
        conn.execute("COMMIT")
        return merged, new_ids

    def _every_issue(self) -> list[Issue]:
        """Every stored source's issues, in a fixed order (name, hash) so that
        the merge, and ids, are stable; this batch's from memory."""
        from importai_tui.library.jobs import issues_from_json

        every: list[Issue] = []
        order = self.conn.execute(
            "SELECT s.sha256 FROM source_issues si JOIN sources s "
            "ON s.sha256 = si.sha256 ORDER BY s.name, s.sha256"
        ).fetchall()
        for (sha,) in order:
            issues = self.fresh.get(sha)
            if issues is None:
                (text,) = self.conn.execute(
                    "SELECT issues_json FROM source_issues WHERE sha256 = ?", (sha,)
                ).fetchone()
                issues = issues_from_json(text)
            every.extend(issues)
        return every


def _temp_paths(futures: Any) -> dict[Future[str], str]:
    """The temporary files the finished ``write_temp_beside`` futures made."""
    paths: dict[Future[str], str] = {}
    for future in futures:
        if future.done() and not future.cancelled() and future.exception() is None:
            paths[future] = future.result()
    return paths


def _ids_of(prepared: dict[str, Future[str]], ready: dict[Future[str], str]) -> dict[str, str]:
    """Issue id -> temporary file, for the prepared files that were written."""
    return {issue_id: ready[f] for issue_id, f in prepared.items() if f in ready}


def _unlink_quietly(path: str | Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _render(issue: Issue) -> tuple[str, list[str]]:
    """The issue's Markdown document and each section's Markdown, every
    section rendered once (the document is made of the sections' parts)."""
    from importai_tui import convert
    from importai_tui.convert.render import issue_markdown

    # Through the package attribute, so that a test may wrap it.
    parts = [convert.section_markdown(section) for section in issue.sections]
    return issue_markdown(issue, parts), parts


_MANIFEST_PREFIX = "manifest-"


def _describe(item: _Added) -> dict[str, Any]:
    """A stored source's manifest entry: what its bytes do not say."""
    return {
        "name": item.job.name,
        "path": item.path,
        "meta": item.job.meta,
        "imported_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def _read_json(path: Path) -> Any:
    """A JSON file's data, or None when it cannot be read or parsed."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _issue_row(issue: Issue, markdown: str) -> tuple[Any, ...]:
    """The ``issues`` columns after ``id``."""
    return (
        issue.number,
        issue.title,
        issue.date,
        issue.url,
        json.dumps(issue.sources, ensure_ascii=False),
        markdown,
    )


# -- helpers ------------------------------------------------------------------


def normalise_issue_id(issue_id: str) -> str:
    """``"#401"`` → ``"401"``; ``"U-AB12"`` → ``"u-ab12"``; whitespace stripped."""
    key = issue_id.strip().lstrip("#").strip()
    if key[:2].lower() == "u-":
        key = key.lower()  # unnumbered ids are "u-" + lower-case hex
    return key


def _renamed_issue_id(conn: sqlite3.Connection, old_id: str) -> str | None:
    """The current id of an issue once known as the unnumbered ``old_id``.

    Derived, not stored, so it survives every rebuild: the unnumbered id is a
    hash of the story headlines, so the issue whose headlines hash to it is the
    same issue under its number. Failing that (the merge kept another copy's
    sections), the per-source cache still holds the unnumbered copy: the
    issue that lists its source and shares the most section slugs is it.
    Runs only when an id is not found, so its scans cost nothing otherwise.
    """
    from importai_tui.convert.model import Section
    from importai_tui.convert.sections import unnumbered_id

    titles: dict[str, list[Section]] = {}
    for issue_id, title, kind in conn.execute(
        "SELECT issue_id, title, kind FROM sections ORDER BY issue_id, position"
    ):
        titles.setdefault(issue_id, []).append(
            Section(id="", title=title, subtitle=None, kind=kind, body="")
        )
    for issue_id, sections in titles.items():
        if issue_id != old_id and unnumbered_id(sections) == old_id:
            return issue_id
    needle = f'"id":"{old_id}"'
    for sha, text in conn.execute(
        "SELECT sha256, issues_json FROM source_issues WHERE instr(issues_json, ?) > 0",
        (needle,),
    ).fetchall():
        copy = next((d for d in json.loads(text) if d["id"] == old_id), None)
        name_row = conn.execute("SELECT name FROM sources WHERE sha256 = ?", (sha,)).fetchone()
        if copy is None or name_row is None:
            continue
        slugs = {s["id"].partition("/")[2] for s in copy["sections"]}
        best, best_overlap = None, 0
        for (issue_id,) in conn.execute(
            "SELECT id FROM issues WHERE instr(sources, ?) > 0",
            (json.dumps(name_row[0], ensure_ascii=False),),
        ).fetchall():
            overlap = sum(
                1
                for (sid,) in conn.execute("SELECT id FROM sections WHERE issue_id = ?", (issue_id,))
                if sid.partition("/")[2] in slugs
            )
            if overlap > best_overlap:
                best, best_overlap = issue_id, overlap
        if best is not None:
            return best
    return None


def _meta_is_new(conn: sqlite3.Connection, sha: str, meta: dict[str, Any] | None) -> bool:
    """True when ``meta`` (feed metadata) differs from what the source was stored with."""
    if not meta:
        return False
    row = conn.execute("SELECT meta_json FROM sources WHERE sha256 = ?", (sha,)).fetchone()
    stored = json.loads(row[0]) if row and row[0] else None
    return stored != meta


def _converter_version() -> int:
    from importai_tui.convert import CONVERTER_VERSION

    return int(CONVERTER_VERSION)


def _absolute(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:
        return str(path.absolute())


def _unique_ids(issues: list[Issue]) -> list[Issue]:
    """Guard the index's UNIQUE ids: should the converter ever hand out one id
    twice, suffix the later copy rather than fail the whole import."""
    seen_issues: set[str] = set()
    seen_sections: set[str] = set()
    for issue in issues:
        if issue.id in seen_issues:
            n = 2
            while f"{issue.id}-{n}" in seen_issues:
                n += 1
            issue.id = f"{issue.id}-{n}"
        seen_issues.add(issue.id)
        for section in issue.sections:
            if section.id in seen_sections:
                n = 2
                while f"{section.id}-{n}" in seen_sections:
                    n += 1
                section.id = f"{section.id}-{n}"
            seen_sections.add(section.id)
    return issues


def _summary(row: Sequence[Any], section_count: int) -> IssueSummary:
    issue_id, number, title, date, url, sources = row[:6]
    return IssueSummary(
        id=issue_id,
        number=number,
        title=title,
        date=date,
        section_count=section_count,
        sources=tuple(json.loads(sources)),
        url=url,
    )


def _section(row: Sequence[Any]) -> SectionRecord:
    sid, issue_id, position, title, subtitle, kind, markdown, body, links = row
    return SectionRecord(
        id=sid,
        issue_id=issue_id,
        position=position,
        title=title,
        subtitle=subtitle,
        kind=kind,
        markdown=markdown,
        body=body,
        links=tuple(json.loads(links)),
    )
