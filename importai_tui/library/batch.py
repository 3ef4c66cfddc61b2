"""The single write transaction of an import or rebuild (``ImportBatch``).

Filled as the converter pool's outcomes arrive; see ``ImportBatch`` for the
order of its steps and why the FTS index is filled in batches.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from importai_tui.library.queries import SECTION_COLUMNS
from importai_tui.library.records import FileResult

if TYPE_CHECKING:
    from importai_tui.convert.model import Issue
    from importai_tui.library.jobs import Job, Outcome


@dataclass
class AddedSource:
    """A converted source about to be committed."""

    job: Job
    outcome: Outcome
    path: str | None
    result: FileResult | None  # the file's result line, filled after the merge


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


class ImportBatch:
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

    def add(self, item: AddedSource) -> None:
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
        already rendered (``render_issue``), ``markdown`` the whole document."""
        if parts is None or markdown is None:
            markdown, parts = render_issue(issue)
        conn = self.conn
        conn.execute(
            "INSERT INTO issues(id, number, title, date, url, sources, markdown) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (issue.id, *issue_row(issue, markdown)),
        )
        first = self.next_rowid
        conn.executemany(
            f"INSERT INTO sections(rowid, {SECTION_COLUMNS}) "
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
        merged = unique_ids(merge_by_component(every)) if every else []
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
            markdown, parts = render_issue(issue)
            old = existing.get(issue.id)
            if old is not None:
                if old == issue_row(issue, markdown) and not sections_differ(conn, issue):
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


def sections_differ(conn: sqlite3.Connection, issue: Issue) -> bool:
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


def render_issue(issue: Issue) -> tuple[str, list[str]]:
    """The issue's Markdown document and each section's Markdown, every
    section rendered once (the document is made of the sections' parts)."""
    from importai_tui import convert
    from importai_tui.convert.render import issue_markdown

    # Through the package attribute, so that a test may wrap it.
    parts = [convert.section_markdown(section) for section in issue.sections]
    return issue_markdown(issue, parts), parts


def issue_row(issue: Issue, markdown: str) -> tuple[Any, ...]:
    """The ``issues`` columns after ``id``."""
    return (
        issue.number,
        issue.title,
        issue.date,
        issue.url,
        json.dumps(issue.sources, ensure_ascii=False),
        markdown,
    )


def unique_ids(issues: list[Issue]) -> list[Issue]:
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
