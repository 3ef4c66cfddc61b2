"""The palette's "archive: Download the whole archive": a thread worker and its status line.

``importai_tui.backfill.backfill`` walks the archive in a thread worker (one
request at a time, ``feed_source.DEFAULT_ARCHIVE_DELAY`` apart, read at call
time). Its progress callback runs in that thread and in the backfill's import
thread: it only posts messages to this widget, a line above the footer, whose
handlers repaint it and list the issues that arrived. Quitting cancels the
worker: the walk stops before its next request, and the next run resumes
where this one stopped (the backfill keeps its state in the library).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.content import Content
from textual.widgets import Static
from textual.worker import get_current_worker

from importai_tui.tui.messages import ArchiveFinished, ArchiveProgressed
from importai_tui.wording import plural

if TYPE_CHECKING:
    from importai_tui.library import Library

ARCHIVE_GROUP = "archive"
# New issues are listed at most this often while the download goes on.
LIST_EVERY = 1.0
# How long the last line stays once the download is over.
SHOW_RESULT_FOR = 10.0


class ArchiveStatus(Static):
    """One line: the archive download's pages, issues new/known/failed and requests."""

    DEFAULT_CSS = """
    ArchiveStatus {
        height: 1;
        padding: 0 1;
        background: $boost;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(
        self,
        library: Library,
        *,
        list_arrivals: Callable[[], object],
        on_finished: Callable[[], object],
        id: str | None = None,
    ) -> None:
        super().__init__("Downloading the archive…", id=id, markup=False)
        self.library = library
        self._list_arrivals = list_arrivals
        self._on_finished = on_finished
        self._listed_new = 0
        self._listed_at = 0.0
        self._hide_timer = None

    @property
    def running(self) -> bool:
        return any(
            worker.group == ARCHIVE_GROUP and not worker.is_finished for worker in self.workers
        )

    def start(self) -> None:
        """Start a download unless one runs (then say so)."""
        if self.running:
            self.notify(
                "Already downloading the archive (quit any time: the next run resumes).",
                title="Archive", markup=False,
            )
            return
        if self._hide_timer is not None:
            self._hide_timer.stop()
            self._hide_timer = None
        self._listed_new = 0
        self.display = True
        self.update(Content("Archive: asking the server…"))
        self._download()

    @work(thread=True, group=ARCHIVE_GROUP, exit_on_error=False)
    def _download(self) -> None:
        """The worker: walk the archive; post progress and the end, nothing else."""
        from importai_tui import feed_source
        from importai_tui.backfill import backfill

        worker = get_current_worker()

        def progress(where) -> None:
            if not worker.is_cancelled:
                self.post_message(ArchiveProgressed(where))

        try:
            report = backfill(
                self.library,
                url=None,
                delay=feed_source.DEFAULT_ARCHIVE_DELAY,
                progress=progress,
                should_stop=lambda: worker.is_cancelled,
                # Waits (between requests, before retries) end at once on quit.
                sleep=worker.cancelled_event.wait,
            )
        except Exception as failure:  # noqa: BLE001 - said in the UI, never a traceback
            detail = " ".join(str(failure).split())
            self.post_message(ArchiveFinished(None, f"{type(failure).__name__}: {detail}"))
            return
        if not worker.is_cancelled:
            self.post_message(ArchiveFinished(report))

    def on_archive_progressed(self, message: ArchiveProgressed) -> None:
        where = message.progress
        line = (
            f"Archive: {plural(where.pages, 'page')} · {where.new} new · {where.known} known"
            f" · {where.failed} failed · {plural(where.requests, 'request')}"
            "  (quit any time: the next run resumes)"
        )
        self.update(Content(line))
        now = time.monotonic()
        if where.new > self._listed_new and now - self._listed_at >= LIST_EVERY:
            self._listed_new, self._listed_at = where.new, now
            self._list_arrivals()

    def on_archive_finished(self, message: ArchiveFinished) -> None:
        if message.report is None:
            line = f"Archive download failed: {message.error}"
            self.notify(line, title="Archive", severity="error", markup=False, timeout=10)
        else:
            report = message.report
            line = report.summary()
            failures = "; ".join(f"{f['url']}: {f['reason']}" for f in report.failed[:3])
            self.notify(
                f"{line}. Failed: {failures}" if failures else line,
                title="Archive", severity="warning" if report.failed else "information",
                markup=False, timeout=10,
            )
            if report.new_issue_ids or report.updated_issue_ids:
                self._on_finished()
        self.update(Content(line))
        self._hide_timer = self.set_timer(SHOW_RESULT_FOR, self._hide)

    def _hide(self) -> None:
        self._hide_timer = None
        self.display = False
