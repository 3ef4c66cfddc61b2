"""The prepared ``issues/<id>.md`` files: one Markdown document per issue.

The index is the truth; these files follow it. Each import writes the
documents it changes to temporary files beside their targets while it still
converts, and renames them into place after its commit. The ids to write are
recorded in ``meta.pending_md`` inside the transaction, so a process killed
between the commit and the files is repaired (written from the index, its
temporary files removed) by the next write.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from concurrent.futures import Future
from pathlib import Path

from importai_tui.fsutil import atomic_write_text, remove_temp_files
from importai_tui.library.files import safe_file_name


class MarkdownFiles:
    """The ``issues/`` folder of one library."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, issue_id: str) -> Path:
        return self.folder / (safe_file_name(issue_id) + ".md")

    def clear_leftovers(self) -> None:
        """Remove temporary files; only safe inside the write lock, where any
        temporary file found is a killed process's."""
        remove_temp_files(self.folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def sync_pending(
        self,
        conn: sqlite3.Connection,
        *,
        full: bool = False,
        prepared: dict[str, str] | None = None,
    ) -> None:
        """Write the files the last commit changed.

        With ``full``, every issue's file is rewritten and stray ``.md`` files
        (issues that no longer exist) are removed. ``prepared`` maps issue ids
        to temporary files already holding the Markdown of the row this
        process just committed: those are renamed into place; every other
        temporary file given is removed.
        """
        prepared = dict(prepared or {})
        row = conn.execute("SELECT value FROM meta WHERE key = 'pending_md'").fetchone()
        if row is None and not full:
            for path in prepared.values():
                unlink_quietly(path)
            return
        ids: list[str] = json.loads(row[0]) if row else []
        if row is not None and not prepared:
            # Repairing the files of a process killed after its commit: its
            # temporary files are leftovers. (Should they belong to a live
            # import instead, its rename fails and it writes the file anew.)
            remove_temp_files(self.folder)
        if full:
            ids = [r[0] for r in conn.execute("SELECT id FROM issues")]
            keep = {safe_file_name(i) + ".md" for i in ids}
            if self.folder.is_dir():
                for path in self.folder.glob("*.md"):
                    if path.name not in keep:
                        path.unlink(missing_ok=True)
        if prepared:
            placed = self._place_prepared(conn, set(ids), prepared)
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
            target = self.path(issue_id)
            if issue_id in texts:
                atomic_write_text(target, texts[issue_id])
            else:
                target.unlink(missing_ok=True)
        conn.execute("DELETE FROM meta WHERE key = 'pending_md'")

    def repair_missing(self, conn: sqlite3.Connection) -> int:
        """Write the file of every issue in the index that has none; return how many.

        Files go missing when someone deletes them, or (before writers held
        the lock) when two imports cleared each other's; the index knows
        the text, so every import puts them back.
        """
        try:
            present = set(os.listdir(self.folder))
        except FileNotFoundError:
            present = set()
        missing = [
            issue_id
            for (issue_id,) in conn.execute("SELECT id FROM issues")
            if safe_file_name(issue_id) + ".md" not in present
        ]
        if missing:
            self.folder.mkdir(parents=True, exist_ok=True)
            texts = conn.execute(
                "SELECT id, markdown FROM issues WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(missing),),
            )
            for issue_id, markdown in texts:
                atomic_write_text(self.path(issue_id), markdown)
        return len(missing)

    def _place_prepared(
        self, conn: sqlite3.Connection, pending: set[str], prepared: dict[str, str]
    ) -> set[str]:
        """Rename prepared files into place; return the ids placed.

        A temporary file holds the committed text only if the row still exists
        (the batch prepares every row it writes, the last one wins).
        """
        placed: set[str] = set()
        live = {
            r[0]
            for r in conn.execute(
                "SELECT id FROM issues WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(list(prepared)),),
            )
        }
        for issue_id, tmp in prepared.items():
            if issue_id in live and issue_id in pending:
                try:
                    os.replace(tmp, self.path(issue_id))
                    placed.add(issue_id)
                    continue
                except OSError:
                    pass  # (another import cleared it): written from the index
            unlink_quietly(tmp)
        return placed


def finished_temp_paths(futures: Iterable[Future[str]]) -> dict[Future[str], str]:
    """The temporary files the finished ``write_temp_beside`` futures made."""
    paths: dict[Future[str], str] = {}
    for future in futures:
        if future.done() and not future.cancelled() and future.exception() is None:
            paths[future] = future.result()
    return paths


def unlink_quietly(path: str | Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
