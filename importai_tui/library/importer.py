"""One import run as an object: plan what to convert, convert and commit it.

Write path (import, rebuild, fetched items):

1. read and hash every input; a hash already in ``sources`` at the current
   converter version is *unchanged* and costs nothing more;
2. open ONE SQLite transaction (``ImportBatch``) and convert the new (and
   stale: older converter version) sources, in a two-process pool when there
   are enough of them (``jobs.convert_all``). Each outcome is stored as it
   arrives, while the pool keeps converting: its source row, its converted
   issues (``source_issues``) and, in a library that held no issues (a first
   import, a rebuild), its issues' rows, provisionally; new sections are
   added to the FTS index in batches;
3. meanwhile a thread stores the raw bytes as ``sources/<sha256>``; before
   the commit one manifest per import records each new source's name, path
   and metadata (``library.sources``);
4. merge every source's issues, keep the provisional rows the merge passed
   through untouched, rewrite only the issues whose content changed, and
   commit once every file write succeeded;
5. after the commit, put ``issues/<id>.md`` in place (``library.mdfiles``):
   each issue row written in step 2 or 4 was also written to a temporary file
   beside its ``.md`` by the writer thread, so this is one rename per file.

A process killed at any point leaves the last committed library readable.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from importai_tui.library.batch import AddedSource, ImportBatch
from importai_tui.library.files import discover, os_reason, read_input, write_temp_beside
from importai_tui.library.mdfiles import MarkdownFiles, finished_temp_paths, unlink_quietly
from importai_tui.library.records import FileResult, ImportReport
from importai_tui.library.sources import StoredSources, manifest_entry
from importai_tui.wording import plural

if TYPE_CHECKING:
    from importai_tui.library.jobs import Job, Outcome

# progress(done, total, label)
ProgressCallback = Callable[[int, int, str], None]
# (slot in the results, job, absolute path or None, name shown to people)
PendingJob = tuple[int, "Job", "str | None", str]


class ImportRun:
    """Converts what is new or stale among ``pending`` and commits it.

    ``results`` has one slot per input, filled in place; ``stored`` is every
    stored source when the caller (a rebuild) has already read them.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        sources: StoredSources,
        mdfiles: MarkdownFiles,
        pending: list[PendingJob],
        results: list[FileResult | None],
        progress: ProgressCallback | None,
        *,
        rebuild: bool = False,
        stored: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.conn = conn
        self.sources = sources
        self.mdfiles = mdfiles
        self.pending = pending
        self.results = results
        self.progress = progress
        self.rebuild = rebuild
        self.stored = stored
        self.version = converter_version()
        self.known: dict[str, int] = {}
        self.to_convert: list[tuple[int | None, Job, str | None, str]] = []
        # Raw bytes and prepared Markdown are written by a thread while the
        # pool converts (file I/O releases the GIL); content-addressed, so a
        # kill leaves only harmless orphans. The commit waits for every write
        # first, so the index never names a missing source.
        self.writer: ThreadPoolExecutor | None = None
        self.writes: list[Future[None]] = []
        self.prepared: dict[str, Future[str]] = {}  # issue id -> its temporary file
        self.dropped: list[Future[str]] = []
        self.added: list[AddedSource] = []
        # What a rebuild needs beyond the bytes (name, path, feed metadata)
        # of every source stored now: one manifest file per import.
        self.manifest: dict[str, dict[str, Any]] = {}
        self.batch: ImportBatch | None = None

    def run(self) -> ImportReport:
        report = ImportReport()
        self.mdfiles.sync_pending(self.conn)
        # (A rebuild writes every file anyway.)
        repaired = 0 if self.rebuild else self.mdfiles.repair_missing(self.conn)
        if repaired:
            files = plural(repaired, "missing issue file")
            report.notes.append(f"{files} in {self.mdfiles.folder} written again from the index")
        self._plan()
        if not self.to_convert and not self.rebuild:
            report.results = self._results()
            return report
        merged, new_ids, ready = self._convert_and_commit()
        report.new_issue_ids = new_ids
        self._describe_results(merged)
        prepared = {i: ready[f] for i, f in self.prepared.items() if f in ready}
        self.mdfiles.sync_pending(self.conn, full=self.rebuild, prepared=prepared)
        report.results = self._results()
        return report

    def _results(self) -> list[FileResult]:
        return [r for r in self.results if r is not None]

    def _plan(self) -> None:
        """Decide what to convert: new bytes, new feed metadata, stale sources."""
        from importai_tui.library.jobs import Job

        conn, rebuild = self.conn, self.rebuild
        self.known = known = dict(conn.execute("SELECT sha256, converter_version FROM sources"))
        seen: dict[str, str] = {}
        for slot, job, path, shown in self.pending:
            if not rebuild and job.key in seen:
                self.results[slot] = FileResult(shown, "unchanged", f"same content as {seen[job.key]}")
                continue
            seen[job.key] = shown
            if (
                not rebuild
                and known.get(job.key) == self.version
                and not meta_is_new(conn, job.key, job.meta)
            ):
                self.results[slot] = FileResult(shown, "unchanged", "already imported")
                continue
            self.to_convert.append((slot, job, path, shown))
        if rebuild:
            return
        # Sources converted by an older converter: reconvert them now, so the
        # merge never mixes two converter versions.
        stale = [sha for sha, v in known.items() if v != self.version and sha not in seen]
        if not stale:
            return
        self.stored = stored = self.sources.every(conn)
        for sha in stale:
            info = stored.get(sha)
            try:
                data = read_input(self.sources.path(sha))
            except OSError:
                continue  # keep its last conversion; rebuild reports it
            name = info["name"] if info else sha
            meta = info.get("meta") if info else None
            self.to_convert.append((None, Job(sha, data, name, meta), None, name))

    def _convert_and_commit(self) -> tuple[list[Any], list[str], dict[Future[str], str]]:
        from importai_tui.library.jobs import convert_all

        conn = self.conn
        # The threads start only once the pool's processes are forked.
        self.writer = writer = ThreadPoolExecutor(max_workers=2, thread_name_prefix="importai-store")
        self.batch = batch = ImportBatch(conn, self.version, rebuild=self.rebuild, prepare=self._prepare)
        committed = False
        try:
            batch.begin()
            # Inside the write lock: no other import is writing files now, so
            # temporary files found here are a killed process's.
            self.mdfiles.clear_leftovers()
            convert_all(
                [entry[1] for entry in self.to_convert],
                self.progress,
                on_started=self._start_writes,
                on_outcome=self._on_outcome,
            )
            if self.manifest:
                self.writes.append(writer.submit(self.sources.write_manifest, self.manifest))
            merged, new_ids = batch.finish(self.writes)
            committed = True
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            writer.shutdown(wait=True, cancel_futures=True)
            # The batch holds this run's ``_prepare`` (a cycle through every
            # source's bytes and issues): drop it now so reference counting
            # frees them, instead of waiting for a full garbage collection.
            self.batch = None
            self.writer = None
            ready = finished_temp_paths(self.prepared.values())
            for path in finished_temp_paths(self.dropped).values():
                unlink_quietly(path)
            if not committed:
                for path in ready.values():
                    unlink_quietly(path)
        return merged, new_ids, ready

    def _start_writes(self) -> None:
        assert self.writer is not None
        self.writes.extend(
            self.writer.submit(self.sources.store, job.key, job.data)
            for _, job, _, _ in self.to_convert
            if job.key not in self.known
        )

    def _prepare(self, issue_id: str, markdown: str) -> None:
        """Write an issue row's document to a temporary file beside its ``.md``
        while the pool still converts: after the commit only a rename is left
        (~0.03 ms instead of ~0.25 ms of create + write, once one core is
        idle). The last write of an id wins."""
        assert self.writer is not None
        if issue_id in self.prepared:
            self.dropped.append(self.prepared[issue_id])
        target = self.mdfiles.path(issue_id)
        self.prepared[issue_id] = self.writer.submit(write_temp_beside, target, markdown)

    def _on_outcome(self, index: int, outcome: Outcome) -> None:
        """Runs as each source's outcome arrives, while the pool keeps
        converting: the parent's SQLite work overlaps the conversion."""
        assert self.writer is not None and self.batch is not None
        slot, job, path, shown = self.to_convert[index]
        if outcome.issues is None:
            if slot is not None:
                self.results[slot] = FileResult(shown, "failed", outcome.error or "failed")
            if not (self.rebuild or job.key in self.known):
                return
            # A stored source the current converter rejects: keep the row (so
            # it is not retried on every import) with no issues.
        item = AddedSource(job, outcome, path, None)
        if slot is not None and outcome.issues is not None:
            item.result = FileResult(shown, "imported", "")
            self.results[slot] = item.result
        self.added.append(item)
        self.batch.add(item)
        # (Known bytes arriving with feed metadata: describe them again so a
        # rebuild without the index keeps the metadata too.)
        if job.key not in self.known or job.meta:
            self.manifest[job.key] = manifest_entry(job.name, path, job.meta)
            if job.key in self.known:
                self.writes.append(self.writer.submit(self.sources.store, job.key, job.data))

    def _describe_results(self, merged: list[Any]) -> None:
        """Each imported file's line: how many issues, and which ids they have now."""
        by_source: dict[str, list[str]] = {}
        for issue in merged:
            for source in issue.sources:
                by_source.setdefault(source, []).append(issue.id)
        for item in self.added:
            if item.result is None:
                continue
            converted = item.outcome.issues or []
            # An archive may carry an issue twice (the copies merge): count issues.
            ids = list(dict.fromkeys(by_source.get(item.job.name) or [i.id for i in converted]))
            count = len(ids)
            item.result.message = f"{count} issue" + ("" if count == 1 else "s")
            item.result.issue_ids = ids


def meta_is_new(conn: sqlite3.Connection, sha: str, meta: dict[str, Any] | None) -> bool:
    """True when ``meta`` (feed metadata) differs from what the source was stored with."""
    if not meta:
        return False
    row = conn.execute("SELECT meta_json FROM sources WHERE sha256 = ?", (sha,)).fetchone()
    stored = json.loads(row[0]) if row and row[0] else None
    return stored != meta


def converter_version() -> int:
    from importai_tui.convert import CONVERTER_VERSION

    return int(CONVERTER_VERSION)


def jobs_from_paths(paths: list[Path]) -> tuple[list[PendingJob], list[FileResult | None]]:
    """Read every input file into a job; a saved RSS/Atom feed gives one job per item.

    Returns the jobs and one result slot per input (filled now for inputs that
    cannot be read, ``None`` for those the run will decide).
    """
    from importai_tui.convert.feed import FeedError, iter_feed_items, looks_like_feed
    from importai_tui.library.jobs import Job

    results: list[FileResult | None] = []
    pending: list[PendingJob] = []
    for item in discover(paths):
        shown = str(item.path)
        if item.error:
            results.append(FileResult(shown, "failed", item.error))
            continue
        try:
            too_large = _too_large(item.path)
            data = b"" if too_large else read_input(item.path)
        except OSError as error:
            results.append(FileResult(shown, "failed", f"cannot read: {os_reason(error)}"))
            continue
        if too_large:
            results.append(FileResult(shown, "failed", too_large))
            continue
        if looks_like_feed(data):
            # Stored exactly as `importai fetch` stores items: item HTML + feed metadata.
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
        job = Job(hashlib.sha256(data).hexdigest(), data, item.path.name)
        pending.append((len(results), job, _absolute(item.path), shown))
        results.append(None)
    return pending, results


def jobs_from_sources(
    sources: Sequence[tuple[bytes, str, dict | None]],
) -> tuple[list[PendingJob], list[FileResult | None]]:
    """In-memory sources ``(data, name, meta)`` (fetched feed items) as jobs."""
    from importai_tui.library.jobs import Job

    pending: list[PendingJob] = [
        (slot, Job(hashlib.sha256(data).hexdigest(), data, name, dict(meta) if meta else None), None, name)
        for slot, (data, name, meta) in enumerate(sources)
    ]
    return pending, [None] * len(sources)


def _too_large(path: Path) -> str | None:
    """Why a file is too large to read at all (checked before reading it), or None."""
    from importai_tui.convert.errors import ConversionError
    from importai_tui.convert.feed import looks_like_feed
    from importai_tui.convert.limits import check_input_size, max_feed_file_bytes

    size = path.stat().st_size
    try:
        check_input_size(size)
    except ConversionError as error:
        with open(path, "rb") as handle:
            head = handle.read(4096)
        if looks_like_feed(head) and size <= max_feed_file_bytes():
            return None
        return str(error)
    return None


def _absolute(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:
        return str(path.absolute())
