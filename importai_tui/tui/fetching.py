"""The reader's ``r`` key: fetch the newsletter's feed in a thread worker.

The download and the import run in a thread (network and SQLite must not block
the UI); the thread never touches widgets. It hands its report to the app's
thread with ``App.call_from_thread``, where the notification is shown and
``app.reload_library()`` refreshes the lists. The feed URL is read from
``importai_tui.fetch.DEFAULT_FEED_URL`` at call time (tests point it at a
local server).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

if TYPE_CHECKING:
    from importai_tui.fetch import FetchReport
    from importai_tui.tui.app import ImportAIApp

FETCH_GROUP = "fetch"


def start_fetch(app: ImportAIApp, url: str | None = None) -> None:
    """Fetch ``url`` (default: the newsletter's feed) unless a fetch is running."""
    from importai_tui import fetch  # lazy: urllib and feedparser only when asked

    if any(w.group == FETCH_GROUP and not w.is_finished for w in app.workers):
        app.notify("Already fetching new issues…", title="Fetch", markup=False)
        return
    target = url or fetch.DEFAULT_FEED_URL
    app.notify("Fetching new issues…", title="Fetch", markup=False, timeout=3)
    app.run_worker(
        partial(_fetch_in_thread, app, target),
        name="fetch",
        group=FETCH_GROUP,
        thread=True,
        exit_on_error=False,
    )


def _fetch_in_thread(app: ImportAIApp, url: str) -> None:
    """The worker: fetch and import, then report on the app's thread."""
    from importai_tui import fetch
    from importai_tui.library import LibraryError

    worker = get_current_worker()

    def sleep(seconds: float) -> None:
        # Wait between retries, but give up at once when the app is closing.
        if worker.cancelled_event.wait(seconds):
            raise fetch.FetchError("fetch cancelled")

    try:
        report = fetch.fetch_feed(app.library, url, sleep=sleep)
    except (fetch.FetchError, LibraryError, OSError) as failure:
        if not worker.is_cancelled:
            _hand_over(app, partial(_failed, app, str(failure)))
        return
    except Exception as failure:  # noqa: BLE001 - a bug must still be reported, not swallowed
        if not worker.is_cancelled:
            detail = " ".join(str(failure).split())
            _hand_over(app, partial(_failed, app, f"{type(failure).__name__}: {detail}"))
        return
    if not worker.is_cancelled:
        _hand_over(app, partial(_finished, app, report))


def _hand_over(app: ImportAIApp, callback: partial[None]) -> None:
    try:
        app.call_from_thread(callback)
    except RuntimeError:
        pass  # the app closed while we were fetching; nobody to tell


def _failed(app: ImportAIApp, message: str) -> None:
    app.notify(message, title="Fetch failed", severity="error", markup=False, timeout=10)


def _finished(app: ImportAIApp, report: FetchReport) -> None:
    """Say what arrived (newsletter text never reaches markup) and refresh the lists."""
    if report.not_modified:
        app.notify("No new issues (the feed is unchanged).", title="Fetch", markup=False)
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
        message += f" {len(report.failed)} feed item{'' if len(report.failed) == 1 else 's'} failed."
        severity = "warning"
    app.notify(message, title="Fetch", severity=severity, markup=False)
    if new or updated:
        app.reload_library()
