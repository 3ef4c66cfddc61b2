"""The palette's "archive: Download the whole archive": a worker, a status line, issues
listed as they arrive, a reader that stays responsive and a quit that loses nothing.

Only 127.0.0.1 is contacted: the archive URL is pointed at a local server.
"""

from __future__ import annotations

import re
import time

import pytest
from archive_support import make_issues, running_archive

from importai_tui import download, feed_source
from importai_tui.backfill import backfill, walk
from importai_tui.tui.messages import ArchiveProgressed
from importai_tui.tui.widgets.archive_status import ArchiveStatus

SIZE = (120, 40)
NEW = [str(n) for n in range(500, 525)]


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setattr(download, "DEFAULT_BACKOFF", 0)


@pytest.fixture
def archive(monkeypatch):
    """A WordPress-shaped archive of 25 issues (#500-#524) the seeded library lacks."""
    with running_archive("wordpress", make_issues(500, 25)) as server:
        monkeypatch.setattr(walk, "DEFAULT_ARCHIVE_URL", server.url)
        yield server


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def issue_ids(app) -> list[str]:
    issue_list = app.main.issue_list
    return [issue_list.get_option_at_index(i).id for i in range(issue_list.option_count)]


async def run_from_palette(pilot) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"archive")
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause()


def archive_running(app) -> bool:
    return any(w.group == "archive" and not w.is_finished for w in app.workers)


async def test_the_palette_downloads_the_archive_listing_issues_as_they_arrive(
    make_app, archive, monkeypatch
):
    monkeypatch.setattr(feed_source, "DEFAULT_ARCHIVE_DELAY", 0.4)
    progress: list[ArchiveProgressed] = []
    app = make_app()
    async with app.run_test(
        size=SIZE,
        message_hook=lambda m: progress.append(m) if isinstance(m, ArchiveProgressed) else None,
    ) as pilot:
        await settle(pilot)
        section = app.main.section.id
        await run_from_palette(pilot)
        assert archive_running(app)
        status = app.main.query_one(ArchiveStatus)
        listed_while_running = responsive = False
        lines: set[str] = set()
        while archive_running(app):
            await pilot.pause(0.05)
            lines.add(str(status.render()))
            if "524" in issue_ids(app) and archive_running(app):
                listed_while_running = True
            if not responsive and archive_running(app):
                await pilot.press("n")  # the reader still answers its keys
                responsive = app.main.section.id != section
        await settle(pilot)
        assert listed_while_running and responsive
        assert issue_ids(app)[:25] == NEW[::-1]
        pattern = r"Archive: \d pages? · \d+ new · 0 known · 0 failed · \d requests  \(quit any"
        assert any(re.match(pattern, line) for line in lines), lines
        assert str(status.render()) == "archive: 25 new issues, 0 updated, 0 known (3 pages, 5 requests)"
        assert progress[-1].progress.new == 25 and progress[-1].progress.pages == 3
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("archive: 25 new issues") for m in messages), messages
        # Once more: nothing new, one page, said so; the line hides after a while.
        await run_from_palette(pilot)
        await settle(pilot)
        assert any(m.startswith("archive: 0 new issues") for m in (n.message for n in app._notifications))
        status._hide()
        await pilot.pause()
        assert not status.display


async def test_quitting_mid_download_is_prompt_and_the_next_run_resumes(
    make_app, archive, monkeypatch, seeded_library
):
    monkeypatch.setattr(feed_source, "DEFAULT_ARCHIVE_DELAY", 0.5)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_from_palette(pilot)
        while "524" not in issue_ids(app):  # the first page arrived
            await pilot.pause(0.05)
        assert archive_running(app)
        quit_at = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - quit_at < 2.0
    got = {issue.id for issue in seeded_library.list_issues()}
    assert "524" in got and not set(NEW) <= got  # the library is readable, the run was cut
    missing = set(NEW) - got
    report = backfill(seeded_library, archive.url, delay=0, sleep=lambda s: None)
    assert set(report.new_issue_ids) == missing and report.failed == []
    assert set(NEW) <= {issue.id for issue in seeded_library.list_issues()}


async def test_a_failing_archive_is_one_notification_and_the_reader_goes_on(
    make_app, archive, monkeypatch
):
    monkeypatch.setattr(feed_source, "DEFAULT_ARCHIVE_DELAY", 0)
    archive.fail["/feed/"] = [500] * 10
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = issue_ids(app)
        await run_from_palette(pilot)
        await settle(pilot)
        warnings = [n for n in app._notifications if n.severity in ("warning", "error")]
        assert len(warnings) == 1 and "failed" in warnings[0].message
        assert issue_ids(app) == before
        await pilot.press("n")
