"""The reader's ``r`` key: fetch in a worker, say what arrived, show it in the list.

Only 127.0.0.1 is ever contacted: the feed URL is pointed at a local server.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from fetch_support import Item, rss, running_server, seed_items, synthetic_html

from importai_tui import download, fetch


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def feed_server(monkeypatch):
    """A local feed with one issue the seeded library lacks; the app fetches it."""
    new = Item(
        "Import AI 420: Zebrafish and robots",
        "https://importai.substack.com/p/import-ai-420",
        datetime(2025, 5, 5, 12, 0, tzinfo=timezone.utc),
        synthetic_html("zebrafish"),
    )
    with running_server(rss([new])) as state:
        monkeypatch.setattr(fetch, "DEFAULT_FEED_URL", state.url)
        monkeypatch.setattr(download, "DEFAULT_BACKOFF", 0)
        yield state


def record_notifications(app) -> list[tuple[str, str]]:
    """Wrap ``app.notify`` to keep (message, severity) pairs."""
    seen: list[tuple[str, str]] = []
    notify = app.notify

    def spy(message, *args, **kwargs):
        seen.append((str(message), kwargs.get("severity", "information")))
        return notify(message, *args, **kwargs)

    app.notify = spy
    return seen


def issue_ids(app) -> list[str]:
    issue_list = app.main.issue_list
    return [issue_list.get_option_at_index(i).id for i in range(issue_list.option_count)]


async def test_r_fetches_in_a_worker_and_shows_the_new_issue(make_app, feed_server):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "420" not in issue_ids(app)
        seen = record_notifications(app)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert ("1 new issue arrived.", "information") in seen
        assert issue_ids(app)[0] == "420"  # newest first, dated
        prompt = app.main.issue_list.get_option_at_index(0).prompt
        assert "2025-05-05" in str(prompt)
        assert "Zebrafish and robots" in str(prompt)
        # A second press costs one 304 and says so.
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert seen[-1] == ("No new issues (the feed is unchanged).", "information")
        assert feed_server.requests[-1]["if-none-match"] == feed_server.etag


async def test_r_failure_is_one_notification_and_the_list_is_kept(make_app, feed_server):
    feed_server.mode = "500"
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        before = issue_ids(app)
        seen = record_notifications(app)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        errors = [message for message, severity in seen if severity == "error"]
        assert errors == [f"{feed_server.url}: HTTP 500 Internal Server Error (after 3 attempts)"]
        assert issue_ids(app) == before


async def test_r_with_many_new_items_converts_them_in_the_pool(make_app, monkeypatch):
    # Enough bytes and items for the library's process pool. Inside a running
    # app the pool cannot start ("bad value(s) in fds_to_keep": Textual's
    # sys.stderr has no file descriptor), so the library converts inline.
    from importai_tui.library import jobs

    items = [
        Item(
            f"Import AI {430 + i}: Topic {i}",
            f"https://importai.substack.com/p/import-ai-{430 + i}",
            datetime(2025, 6, 1 + i, tzinfo=timezone.utc),
            synthetic_html(f"topic{i}", 160),
        )
        for i in range(jobs.POOL_MIN_SOURCES)
    ]
    body = rss(items)
    assert len(body) > jobs.POOL_MIN_BYTES
    with running_server(body) as server:
        monkeypatch.setattr(fetch, "DEFAULT_FEED_URL", server.url)
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            seen = record_notifications(app)
            await pilot.press("r")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert (f"{len(items)} new issues arrived.", "information") in seen
            assert issue_ids(app)[: len(items)] == [str(430 + i) for i in reversed(range(len(items)))]
