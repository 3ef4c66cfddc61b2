"""``importai fetch --all`` against local servers shaped like WordPress and Substack."""

from __future__ import annotations

import json

import pytest
from archive_support import make_issues, running_archive

from importai_tui import download as download_module
from importai_tui.backfill import BackfillReport, backfill
from importai_tui.library import Library
from importai_tui.library.archive import load_archive_state


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def library(tmp_path) -> Library:
    return Library(tmp_path / "data")


def run(library: Library, url: str, waits: list[float] | None = None) -> BackfillReport:
    """A backfill with no delay, one retry and no backoff (waits are recorded)."""
    return backfill(
        library, url, delay=0, timeout=5, retries=1, backoff=0,
        sleep=(waits.append if waits is not None else lambda s: None),
    )


def numbers(library: Library) -> set[int]:
    """The library's issue numbers: it must stay readable after every run."""
    return {s.number for s in library.list_issues()}


@pytest.mark.parametrize("kind", ["wordpress", "substack"])
def test_first_run_walks_to_the_end_and_second_costs_one_request(library, kind):
    issues = make_issues(1, 25)
    with running_archive(kind, issues) as server:
        first = run(library, server.url)
        assert first.failed == []
        assert sorted(first.new_issue_ids, key=int) == [str(n) for n in range(1, 26)]
        assert numbers(library) == set(range(1, 26))
        assert first.kind == kind
        if kind == "wordpress":
            # the Substack probe, 3 pages, the 404 past the end
            assert first.requests == 5
            assert server.paths[-1] == "/feed/?paged=4"
        else:
            # 3 listing pages (the probe is the first), an empty one, 25 posts
            assert first.requests == 3 + 1 + 25
        issue = library.get_issue("7")
        assert issue.summary.date == issues[-7].day.isoformat()
        assert issue.summary.url == (issues[-7].wp_link if kind == "wordpress" else issues[-7].substack_link)
        assert issue.summary.title == "Topic 7 and more"
        state = load_archive_state(library, server.url)
        assert (state.kind, state.complete, state.resume_page, state.failed) == (kind, True, None, [])

        server.paths.clear()
        second = run(library, server.url)
        assert (second.new_issue_ids, second.updated_issue_ids, second.failed) == ([], [], [])
        assert second.requests == 1 and len(server.paths) == 1

        # Three new issues cost one page (and their posts on Substack).
        server.issues[:0] = make_issues(26, 3)
        server.paths.clear()
        third = run(library, server.url)
        assert sorted(third.new_issue_ids) == ["26", "27", "28"]
        assert third.requests == (1 if kind == "wordpress" else 1 + 3)
        assert numbers(library) == set(range(1, 29))


def test_429_retry_after_is_honoured(library):
    with running_archive("wordpress", make_issues(1, 15)) as server:
        server.fail["/feed/?paged=2"] = [429]
        server.retry_after = "1"
        waits: list[float] = []
        report = run(library, server.url, waits)
    assert report.failed == []
    assert waits == [1.0]
    assert numbers(library) == set(range(1, 16))
    assert server.paths.count("/feed/?paged=2") == 2


def test_a_failing_post_is_reported_and_retried_by_the_next_run(library, capsys, monkeypatch):
    from importai_tui.cli import main

    monkeypatch.setattr(download_module, "DEFAULT_BACKOFF", 0)
    issues = make_issues(1, 14)
    with running_archive("substack", issues) as server:
        server.fail["/api/v1/posts/import-ai-5"] = [500] * 3
        base = ["--data-dir", str(library.root), "fetch", "--all", server.url, "--delay", "0"]
        assert main([*base, "--json"]) == 1
        summary = json.loads(capsys.readouterr().out)
        assert set(summary) == {"new", "updated", "failed", "requests"}
        assert summary["failed"] == [{
            "url": "https://importai.substack.com/p/import-ai-5",
            "reason": "HTTP 500 Internal Server Error (after 3 attempts)",
        }]
        assert "5" not in summary["new"] and "6" in summary["new"]
        assert 5 not in numbers(library)

        server.paths.clear()
        assert main(base) == 0
        out = capsys.readouterr().out
        assert "new  5  Topic 5 and more" in out
        assert out.splitlines()[-1].startswith("archive: 1 new issue, 0 updated")
        # the post itself, then the first listing page, which ends known
        assert server.paths == ["/api/v1/posts/import-ai-5", "/api/v1/archive?sort=new&offset=0&limit=12"]
        assert 5 in numbers(library)


@pytest.mark.parametrize("kind", ["wordpress", "substack"])
def test_a_server_dying_mid_run_loses_nothing_and_the_next_run_resumes(library, kind):
    issues = make_issues(1, 40)
    with running_archive(kind, issues) as server:
        server.down_after = 3 if kind == "wordpress" else 20  # the probe counts
        first = run(library, server.url)
        assert first.failed and all("\n" not in f["reason"] for f in first.failed)
        got = numbers(library)
        assert 0 < len(got) < 40
        state = load_archive_state(library, server.url)
        assert state.resume_page is not None and not state.complete

        server.up = True
        server.issues[:0] = make_issues(41, 2)  # and two new ones meanwhile
        server.paths.clear()
        second = run(library, server.url)
        assert second.failed == []
        assert numbers(library) == set(range(1, 43))
        assert sorted(map(int, second.new_issue_ids)) == sorted(set(range(1, 43)) - got)
        if kind == "substack":  # only the missing posts were downloaded
            posts = [p for p in server.paths if p.startswith("/api/v1/posts/")]
            assert len(posts) == 42 - len(got)
        state = load_archive_state(library, server.url)
        assert (state.complete, state.resume_page, state.failed) == (True, None, [])
        server.paths.clear()
        assert run(library, server.url).requests == 1


def test_lost_state_walks_the_listing_again_without_downloading_posts(library):
    with running_archive("substack", make_issues(1, 20)) as server:
        run(library, server.url)
        library.rebuild()
        assert load_archive_state(library, server.url).complete  # a rebuild keeps it
        with library.connect() as conn:
            conn.execute("DELETE FROM archive_state")
        server.paths.clear()
        again = run(library, server.url)
    assert again.new_issue_ids == [] and again.failed == []
    assert not any(p.startswith("/api/v1/posts/") for p in server.paths)
    assert again.known == 20


def test_a_server_ignoring_paged_ends_the_walk(library):
    with running_archive("wordpress", make_issues(1, 5)) as server:
        server.issues = server.issues  # page 2 would repeat page 1 if ?paged were ignored
        original = server.answer
        server.answer = lambda path: original(path.split("?")[0])  # type: ignore[method-assign]
        report = run(library, server.url)
    assert report.failed == [] and numbers(library) == set(range(1, 6))
    assert report.requests == 3  # probe, page 1, page 2 (the same again: the end)


def test_non_http_url_is_one_line(library):
    from importai_tui.download import FetchError

    with pytest.raises(FetchError, match="only http"):
        backfill(library, "ftp://example.org/feed/")


def test_stopping_mid_way_is_safe_and_resumable(library):
    events = []

    def stop_after_two_pages() -> bool:
        return bool(events) and events[-1].pages >= 2

    with running_archive("wordpress", make_issues(1, 35)) as server:
        first = backfill(
            library, server.url, delay=0, timeout=5, retries=0,
            progress=events.append, should_stop=stop_after_two_pages,
        )
        assert first.failed == [] and first.pages == 2
        assert numbers(library) == set(range(16, 36))
        assert load_archive_state(library, server.url).resume_page == 3
        second = run(library, server.url)
    assert numbers(library) == set(range(1, 36))
    assert sorted(map(int, second.new_issue_ids)) == list(range(1, 16))
    assert events[-1].new == 20 and events[-1].requests == first.requests


def test_cli_text_output_and_bad_delay(library, capsys):
    from importai_tui.cli import main

    assert main(["fetch", "--all", "http://127.0.0.1:9/feed/", "--delay", "-1"]) == 2
    assert "--delay" in capsys.readouterr().err
    with running_archive("wordpress", make_issues(1, 3)) as server:
        base = ["--data-dir", str(library.root), "fetch", "--all", server.url, "--delay", "0"]
        assert main(base) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "new  3  Topic 3 and more" in lines
    assert lines[-1] == "archive: 3 new issues, 0 updated, 0 known (1 page, 3 requests)"


def test_an_unreachable_site_is_one_failure_and_decides_nothing(library):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/feed/"
    report = run(library, url)
    assert report.failed == [{"url": url, "reason": "connection refused (after 2 attempts)"}]
    assert report.requests == 1
    assert load_archive_state(library, url).kind is None


def test_an_edited_substack_post_is_downloaded_again(library):
    with running_archive("substack", make_issues(1, 5)) as server:
        run(library, server.url)
        edited = server.issues[2]
        server.issues[2] = type(edited)(edited.number, "A better title", edited.day, edited.html)
        server.paths.clear()
        report = run(library, server.url)
    assert report.updated_issue_ids == [str(edited.number)]
    assert [p for p in server.paths if "/posts/" in p] == [f"/api/v1/posts/{edited.slug}"]
    assert library.get_issue(str(edited.number)).summary.title == "A better title"


def test_an_older_index_gains_the_archive_table(tmp_path):
    import sqlite3

    from importai_tui.library.schema import SCHEMA_VERSION

    library = Library(tmp_path / "data")
    library.import_sources([(b"<p>x</p>", "x", None)])
    with sqlite3.connect(library.index_path) as conn:  # as an older importai left it
        conn.execute("DROP TABLE archive_state")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    assert load_archive_state(library, "https://example.org/feed/").kind is None
    conn = library.connect()
    try:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    assert int(version[0]) == SCHEMA_VERSION == 2
    assert "archive_state" in tables


def test_after_an_unreachable_first_try_the_next_run_starts_clean(library):
    with running_archive("wordpress", make_issues(1, 3)) as server:
        server.up = False
        first = run(library, server.url)
        assert len(first.failed) == 1
        server.up = True
        second = run(library, server.url)
    assert second.failed == [] and numbers(library) == {1, 2, 3}
    assert load_archive_state(library, server.url).failed == []
