"""The reader's ``r`` key: fetch the newsletter's feed in a thread worker.

The download and the import run in a thread (network and SQLite must not block
the UI); the thread never touches widgets. It hands its report to the app's
thread with ``App.call_from_thread``, where the notification is shown and the
``on_arrived`` callback refreshes the lists. The controller is given the app,
the library and that callback: it never imports the app. The feed URL is read
from ``importai_tui.fetch.DEFAULT_FEED_URL`` at call time (tests point it at a
local server).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

if TYPE_CHECKING:
    from textual.app import App

    from importai_tui.fetch import FetchReport
    from importai_tui.library import Library

FETCH_GROUP = "fetch"


@dataclass
class FeedFetcher:
    """Runs one fetch at a time on ``app``'s workers; ``on_arrived`` runs when issues came."""

    app: App
    library: Library
    on_arrived: Callable[[], object]

    def start(self, url: str | None = None) -> None:
        """Fetch ``url`` (default: the newsletter's feed) unless a fetch is running."""
        from importai_tui import fetch  # lazy: urllib and feedparser only when asked

        app = self.app
        if any(w.group == FETCH_GROUP and not w.is_finished for w in app.workers):
            app.notify("Already fetching new issues…", title="Fetch", markup=False)
            return
        target = url or fetch.DEFAULT_FEED_URL
        app.notify("Fetching new issues…", title="Fetch", markup=False, timeout=3)
        app.run_worker(
            partial(self._fetch_in_thread, target),
            name="fetch",
            group=FETCH_GROUP,
            thread=True,
            exit_on_error=False,
        )

    def _fetch_in_thread(self, url: str) -> None:
        """The worker: fetch and import, then report on the app's thread."""
        from importai_tui import fetch
        from importai_tui.library import LibraryError

        worker = get_current_worker()

        def sleep(seconds: float) -> None:
            # Wait between retries, but give up at once when the app is closing.
            if worker.cancelled_event.wait(seconds):
                raise fetch.FetchError("fetch cancelled")

        try:
            report = fetch.fetch_feed(self.library, url, sleep=sleep)
        except (fetch.FetchError, LibraryError, OSError) as failure:
            if not worker.is_cancelled:
                self._hand_over(partial(self._failed, str(failure)))
            return
        except Exception as failure:  # noqa: BLE001 - a bug must still be reported, not swallowed
            if not worker.is_cancelled:
                detail = " ".join(str(failure).split())
                self._hand_over(partial(self._failed, f"{type(failure).__name__}: {detail}"))
            return
        if not worker.is_cancelled:
            self._hand_over(partial(self._finished, report))

    def _hand_over(self, callback: partial[None]) -> None:
        try:
            self.app.call_from_thread(callback)
        except RuntimeError:
            pass  # the app closed while we were fetching; nobody to tell

    def _failed(self, message: str) -> None:
        self.app.notify(message, title="Fetch failed", severity="error", markup=False, timeout=10)

    def _finished(self, report: FetchReport) -> None:
        """Say what arrived (newsletter text never reaches markup) and refresh the lists."""
        notify = self.app.notify
        if report.not_modified:
            notify("No new issues (the feed is unchanged).", title="Fetch", markup=False)
            return
        new, updated = len(report.new_issue_ids), len(report.updated_issue_ids)
        if new:
            message = f"{new} new issue{'' if new == 1 else 's'} arrived."
        else:
            message = "No new issues."
        if updated:
            message += f" {updated} updated."
        severity = "information"
        if report.failed:
            failed = len(report.failed)
            message += f" {failed} feed item{'' if failed == 1 else 's'} failed."
            severity = "warning"
        notify(message, title="Fetch", severity=severity, markup=False)
        if new or updated:
            self.on_arrived()
