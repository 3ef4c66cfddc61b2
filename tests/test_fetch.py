"""Tests of ``importai_tui.fetch`` against a local HTTP server (127.0.0.1 only).

The HTTP layer (timeouts, size cap, retries, conditional GET) and the feed
parsing are tested on their own; the library tests check what lands in the
archive and that every failure leaves it exactly as it was.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from fetch_support import SEEDS_DIR, Item, atom, rss, running_server, seed_items, synthetic_html

from importai_tui import download as download_module
from importai_tui.convert import feed
from importai_tui.convert.feed import FeedError, iter_feed_items, parse_entry_title
from importai_tui.download import FetchError, download
from importai_tui.fetch import FetchReport, fetch_feed
from importai_tui.library import Library
from importai_tui.library.feeds import load_feed_state


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    """urllib honours proxy variables; the tests talk to 127.0.0.1 directly."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def server():
    """A feed server serving the three HTML-seed items."""
    with running_server(rss(seed_items())) as state:
        yield state


# -- titles and feed parsing ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Import AI 402: Cheating models; CUDA", (402, "Cheating models; CUDA")),
        ("Import AI #7 - early days", (7, "early days")),
        ("import ai 399 \u2014 dashes", (399, "dashes")),
        ("  Import  AI 12:   spaced   out ", (12, "spaced out")),
        ("A special essay about compute", (None, "A special essay about compute")),
        ("Import AI: the book", (None, "Import AI: the book")),
        ("Import AI 5:", (5, "Import AI 5:")),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_parse_entry_title(text, expected):
    assert parse_entry_title(text) == expected


def test_iter_feed_items_reads_rss_metadata_and_full_html():
    items = iter_feed_items(rss(seed_items()))
    assert [(i.number, i.title, i.date) for i in items] == [
        (412, "Decentralized training; 32B parameters", "2025-04-21"),
        (411, "Microsoft's $80bn buildout", "2025-01-06"),
        (410, "Misalignment predictions come true", "2024-12-30"),
    ]
    first = items[0]
    assert first.url == first.name == "https://importai.substack.com/p/import-ai-412"
    # content:encoded wins over the teaser in <description>, and the HTML is
    # passed through unsanitised (the converter sanitises).
    assert first.html == seed_items()[0].html
    assert first.meta == {
        "number": 412,
        "title": "Decentralized training; 32B parameters",
        "date": "2025-04-21",
        "url": "https://importai.substack.com/p/import-ai-412",
    }


def test_iter_feed_items_falls_back_to_description_and_reads_atom():
    seeds = seed_items()
    from_description = iter_feed_items(rss(seeds[:1], description_only=True))
    assert from_description[0].html == seeds[0].html
    from_atom = iter_feed_items(atom(seeds))
    assert [(i.number, i.date, i.url) for i in from_atom] == [
        (s_num, s.published.date().isoformat(), s.link)
        for s_num, s in zip((412, 411, 410), seeds)
    ]
    assert from_atom[1].html == seeds[1].html


def test_item_without_number_keeps_none_and_odd_links_are_not_urls():
    item = Item("A special essay", "javascript:alert(1)", seed_items()[0].published, "<p>x</p>")
    (parsed,) = iter_feed_items(rss([item]))
    assert parsed.number is None
    assert parsed.title == "A special essay"
    assert parsed.url is None
    assert parsed.name  # still named (by the guid), never empty


@pytest.mark.parametrize(
    "data",
    [
        b"<rss><channel><item><title>Import AI 1",
        b"this is not xml at all",
        b"<html><body>Just a page</body></html>",
        b"",
    ],
)
def test_malformed_feed_is_a_feed_error(data):
    with pytest.raises(FeedError) as caught:
        iter_feed_items(data, source="saved.xml")
    message = str(caught.value)
    assert message.startswith("saved.xml: not a")
    assert "\n" not in message


def test_truncated_feed_imports_nothing_even_if_items_were_complete():
    data = rss(seed_items())
    cut = data[: data.rindex(b"</item>") + len(b"</item>")]  # channel never closed
    with pytest.raises(FeedError, match=r"XML error at line \d+"):
        iter_feed_items(cut, source="cut.xml")


def test_feed_bytes_are_never_taken_for_a_path(tmp_path):
    # feedparser opens a str/bytes argument as a file if it can; the fetch
    # code passes a stream so a body naming a local file cannot read it.
    secret = tmp_path / "secret.xml"
    secret.write_bytes(rss(seed_items()[:1]))
    with pytest.raises(FeedError):
        iter_feed_items(str(secret).encode())


def test_looks_like_feed():
    assert feed.looks_like_feed(rss(seed_items()[:1]))
    assert feed.looks_like_feed(atom(seed_items()[:1]))
    assert feed.looks_like_feed(b"\xef\xbb\xbf<!-- saved -->\n<rss version='2.0'>")
    assert feed.looks_like_feed(b'<rdf:RDF xmlns:rdf="x">')
    assert not feed.looks_like_feed(b"<p>Welcome to Import AI</p>")
    assert not feed.looks_like_feed(b"Import AI\n\nImport AI 401: ...")
    assert not feed.looks_like_feed(b"<html><body><rss>")


# -- HTTP ------------------------------------------------------------------------


def test_download_sends_user_agent_and_returns_validators(server):
    result = download(server.url, timeout=5)
    assert result.body == server.body
    assert not result.not_modified
    assert (result.etag, result.last_modified) == (server.etag, server.last_modified)
    (headers,) = server.requests
    assert headers["user-agent"].startswith("importai-tui/")
    assert "if-none-match" not in headers


def test_download_conditional_get_gets_304(server):
    result = download(server.url, etag=server.etag, last_modified=server.last_modified, timeout=5)
    assert result.not_modified
    assert result.body == b""
    headers = server.requests[-1]
    assert headers["if-none-match"] == server.etag
    assert headers["if-modified-since"] == server.last_modified


def test_download_retries_5xx_with_exponential_backoff(server):
    server.mode = "fail_then_ok"
    server.failures_left = 2
    waits: list[float] = []
    result = download(server.url, timeout=5, retries=2, backoff=0.5, sleep=waits.append)
    assert result.body == server.body
    assert waits == [0.5, 1.0]
    assert len(server.requests) == 3


def test_download_gives_up_after_the_retries(server):
    server.mode = "500"
    waits: list[float] = []
    with pytest.raises(FetchError) as caught:
        download(server.url, timeout=5, retries=2, backoff=0.25, sleep=waits.append)
    assert str(caught.value) == f"{server.url}: HTTP 500 Internal Server Error (after 3 attempts)"
    assert waits == [0.25, 0.5]
    assert len(server.requests) == 3


def test_download_does_not_retry_4xx(server):
    waits: list[float] = []
    with pytest.raises(FetchError, match="HTTP 404"):
        download(server.url.replace("/feed", "/missing"), retries=3, sleep=waits.append)
    assert waits == []
    assert len(server.requests) == 1


def test_download_timeout_is_a_clear_error(server):
    server.mode = "hang"
    with pytest.raises(FetchError) as caught:
        download(server.url, timeout=0.2, retries=1, backoff=0, sleep=lambda s: None)
    assert str(caught.value) == f"{server.url}: timed out after 0.2 s (after 2 attempts)"


def test_download_garbled_answer_is_a_clear_error(server):
    server.mode = "garbage"
    with pytest.raises(FetchError) as caught:
        download(server.url, timeout=5, retries=1, backoff=0, sleep=lambda s: None)
    assert str(caught.value) == f"{server.url}: bad HTTP response (BadStatusLine) (after 2 attempts)"


def test_download_size_cap_with_content_length(server):
    with pytest.raises(FetchError) as caught:
        download(server.url, timeout=5, max_bytes=1000, sleep=lambda s: None)
    assert "over the 1000 bytes limit" in str(caught.value)
    assert len(server.requests) == 1  # an oversized answer is not retried


def test_download_size_cap_while_streaming(server):
    server.mode = "huge"  # no Content-Length: the cap must hold while reading
    with pytest.raises(FetchError) as caught:
        download(server.url, timeout=5, max_bytes=100 * 1024, sleep=lambda s: None)
    assert str(caught.value) == f"{server.url}: response is over the 100 KB limit"


def test_download_connection_refused_is_offline_error():
    import socket

    with socket.socket() as sock:  # find a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/feed"
    with pytest.raises(FetchError) as caught:
        download(url, timeout=1, retries=1, backoff=0, sleep=lambda s: None)
    assert str(caught.value) == f"{url}: connection refused (after 2 attempts)"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed", "feed"])
def test_download_refuses_non_http_urls(url):
    with pytest.raises(FetchError, match="only http"):
        download(url)


# -- into the library ------------------------------------------------------------


def snapshot(library: Library) -> tuple[list, dict[str, bytes]]:
    """Everything a fetch could change: the issue list and every file's bytes.

    ``-shm`` is SQLite's shared-memory index, rewritten by mere readers.
    """
    files = {
        str(path.relative_to(library.root)): path.read_bytes()
        for path in sorted(library.root.rglob("*"))
        if path.is_file() and not path.name.endswith("-shm")
    }
    return library.list_issues(), files


@pytest.fixture
def library(data_dir) -> Library:
    return Library(data_dir)


def fetch_quick(library: Library, url: str, **kwargs) -> FetchReport:
    """``fetch_feed`` with test-sized timeouts and no waiting between retries."""
    kwargs.setdefault("timeout", 5)
    kwargs.setdefault("retries", 1)
    kwargs.setdefault("backoff", 0)
    return fetch_feed(library, url, **kwargs)


def test_first_fetch_imports_every_item_with_feed_metadata(server, library):
    report = fetch_quick(library, server.url)
    assert not report.not_modified
    assert report.item_count == 3
    assert sorted(report.new_issue_ids) == ["410", "411", "412"]
    assert report.updated_issue_ids == [] and report.failed == []
    assert report.summary() == "3 new issues, 0 updated (0 unchanged; 3 feed items)"
    issues = {s.id: s for s in library.list_issues()}
    assert set(issues) == {"410", "411", "412"}
    latest = issues["412"]
    assert (latest.number, latest.title, latest.date, latest.url) == (
        412,
        "Decentralized training; 32B parameters",
        "2025-04-21",
        "https://importai.substack.com/p/import-ai-412",
    )
    assert latest.sources == ("https://importai.substack.com/p/import-ai-412",)
    assert latest.section_count > 3  # the full HTML was converted, not a teaser
    record = library.get_issue("411")
    assert "Microsoft plans to spend $80bn on AI buildout in 2025" in record.markdown
    # The items are stored as sources with their metadata, so a rebuild keeps it.
    rebuilt = library.rebuild()
    assert not rebuilt.failed
    assert {s.id: (s.number, s.title, s.date, s.url) for s in library.list_issues()} == {
        i: (s.number, s.title, s.date, s.url) for i, s in issues.items()
    }


def test_second_fetch_is_conditional_and_converts_nothing(server, library, monkeypatch):
    fetch_quick(library, server.url)
    before = snapshot(library)
    converted: list[object] = []
    from importai_tui.library import jobs

    real_convert_all = jobs.convert_all
    monkeypatch.setattr(
        jobs, "convert_all", lambda js, *a, **k: converted.append(js) or real_convert_all(js, *a, **k)
    )
    report = fetch_quick(library, server.url)
    assert report.not_modified
    assert report.summary() == "feed unchanged (304)"
    headers = server.requests[-1]
    assert headers["if-none-match"] == server.etag
    assert headers["if-modified-since"] == server.last_modified
    assert converted == []
    assert snapshot(library) == before


def test_changed_feed_without_new_content_converts_nothing(server, library):
    fetch_quick(library, server.url)
    before = library.list_issues()
    server.etag, server.last_modified = '"v2"', "Tue, 22 Apr 2025 08:00:00 GMT"
    report = fetch_quick(library, server.url)
    assert (report.unchanged, report.new_issue_ids, report.updated_issue_ids) == (3, [], [])
    assert library.list_issues() == before
    assert load_feed_state(library, server.url).etag == '"v2"'


def test_one_new_item_adds_exactly_one_issue(server, library):
    fetch_quick(library, server.url)
    before = {s.id for s in library.list_issues()}
    new = Item(
        "Import AI 413: Zebrafish and robots",
        "https://importai.substack.com/p/import-ai-413",
        datetime(2025, 4, 28, 12, 0, tzinfo=timezone.utc),
        synthetic_html("zebrafish"),
    )
    server.body = rss([new, *seed_items()])
    server.etag = '"v2"'
    report = fetch_quick(library, server.url)
    assert report.new_issue_ids == ["413"]
    assert report.unchanged == 3
    after = {s.id: s for s in library.list_issues()}
    assert set(after) == before | {"413"}
    assert after["413"].date == "2025-04-28"
    assert after["413"].title == "Zebrafish and robots"


def test_issues_missing_from_a_later_feed_are_kept(server, library):
    fetch_quick(library, server.url)
    server.body = rss(seed_items()[:1])
    server.etag = '"short"'
    fetch_quick(library, server.url)
    assert {s.id for s in library.list_issues()} == {"410", "411", "412"}


def test_a_poorer_copy_never_replaces_a_richer_one(server, library):
    fetch_quick(library, server.url)
    full = library.get_issue("411")
    seeds = seed_items()
    html = seeds[1].html
    cut = html[: html.index("What Microsoft thinks")] + "</p>"  # one section, cut short
    server.body = rss([Item(seeds[1].title, seeds[1].link + "?v=2", seeds[1].published, cut)])
    server.etag = '"poorer"'
    fetch_quick(library, server.url)
    kept = library.get_issue("411")
    assert len(kept.sections) == len(full.sections)
    assert kept.markdown.split("---\n", 2)[2] == full.markdown.split("---\n", 2)[2]


def test_feed_metadata_lands_on_an_issue_imported_without_it(server, library):
    # The HTML seed 003 imported as a file has no number, date or link;
    # the same bytes arriving from the feed bring them.
    (seed,) = (p for p in SEEDS_DIR.glob("003_*.txt"))
    library.import_paths([seed])
    (plain,) = library.list_issues()
    assert plain.date is None and plain.url is None
    fetch_quick(library, server.url)
    issue = library.get_issue("411")
    assert issue is not None
    assert (issue.summary.date, issue.summary.url) == (
        "2025-01-06",
        "https://importai.substack.com/p/import-ai-411",
    )


@pytest.mark.parametrize(
    ("mode", "body", "kwargs", "expected"),
    [
        ("ok", b"<rss><channel><item><title>Import AI 9", {}, "not a valid RSS or Atom feed"),
        ("ok", b"<html><body>Moved</body></html>", {}, "not an RSS or Atom feed"),
        ("500", None, {}, "HTTP 500 Internal Server Error (after 2 attempts)"),
        ("hang", None, {"timeout": 0.2}, "timed out after 0.2 s (after 2 attempts)"),
        ("ok", None, {"max_bytes": 4096}, "over the 4 KB limit"),
        ("huge", None, {"max_bytes": 4096}, "response is over the 4 KB limit"),
    ],
    ids=["malformed-xml", "not-a-feed", "http-500", "timeout", "oversized", "oversized-stream"],
)
def test_failures_leave_the_library_as_it_was(server, library, mode, body, kwargs, expected):
    fetch_quick(library, server.url)
    before = snapshot(library)
    state_before = load_feed_state(library, server.url)
    server.mode = mode
    server.etag = '"changed"'  # not a 304: the failure must come from the answer
    if body is not None:
        server.body = body
    with pytest.raises(FetchError) as caught:
        fetch_quick(library, server.url, **kwargs)
    message = str(caught.value)
    assert message.startswith(f"{server.url}: ")
    assert expected in message
    assert "\n" not in message
    assert snapshot(library) == before
    assert load_feed_state(library, server.url) == state_before


def test_failure_on_an_empty_data_dir_creates_nothing(server, library):
    server.mode = "500"
    with pytest.raises(FetchError):
        fetch_quick(library, server.url, retries=0)
    assert not library.root.exists()


# -- the command line --------------------------------------------------------------


def test_cli_fetch_reports_arrivals_then_304(server, capsys, seeded_library):
    from importai_tui.cli import main

    base = ["--data-dir", str(seeded_library.root), "fetch", server.url]
    assert main([*base, "--timeout", "5"]) == 0
    out = capsys.readouterr().out
    assert "3 feed items" in out
    assert out.splitlines()[-1].startswith("3 new issues")
    assert main([*base, "--timeout", "5"]) == 0
    assert capsys.readouterr().out.strip() == "feed unchanged (304)"
    assert main([*base, "--json"]) == 0
    assert '"not_modified": true' in capsys.readouterr().out


def test_cli_fetch_seeds_an_empty_data_dir_first(server, capsys):
    from importai_tui.cli import main
    from importai_tui.paths import bundled_seed_files

    assert main(["fetch", server.url]) == 0
    sources = {src for s in Library(fetch_data_dir()).list_issues() for src in s.sources}
    # The text-archive seeds (never in any feed) are there beside the feed's items.
    assert {p.name for p in bundled_seed_files() if p.name.startswith(("001", "002"))} <= sources
    assert "https://importai.substack.com/p/import-ai-410" in sources


def test_cli_fetch_lists_the_new_issues(server, capsys, seeded_library):
    from importai_tui.cli import main

    assert main(["--data-dir", str(seeded_library.root), "fetch", server.url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "new  412  Decentralized training; 32B parameters" in lines


def test_cli_fetch_error_is_one_line_and_exit_1(server, capsys, monkeypatch, seeded_library):
    from importai_tui.cli import main

    monkeypatch.setattr(download_module, "DEFAULT_BACKOFF", 0)
    server.mode = "500"
    before = snapshot(seeded_library)
    assert main(["--data-dir", str(seeded_library.root), "fetch", server.url, "--timeout", "2"]) == 1
    assert snapshot(seeded_library) == before
    captured = capsys.readouterr()
    assert captured.err == (
        f"importai: error: {server.url}: HTTP 500 Internal Server Error (after 3 attempts)\n"
    )
    assert "Traceback" not in captured.out + captured.err


def test_cli_fetch_bad_timeout(capsys):
    from importai_tui.cli import main

    assert main(["fetch", "http://127.0.0.1:9/feed", "--timeout", "0"]) == 2
    assert "--timeout" in capsys.readouterr().err


@pytest.mark.parametrize("builder", [rss, atom], ids=["rss", "atom"])
def test_import_a_saved_feed_file(tmp_path, capsys, builder):
    from importai_tui.cli import main

    saved = tmp_path / "importai-feed.xml"
    saved.write_bytes(builder(seed_items()))
    assert main(["import", str(saved)]) == 0
    out = capsys.readouterr().out
    assert "https://importai.substack.com/p/import-ai-411" in out
    library = Library(fetch_data_dir())
    issues = {s.id: s for s in library.list_issues()}
    assert {"410", "411", "412"} <= set(issues)
    assert issues["410"].date == "2024-12-30"
    assert issues["410"].url == "https://importai.substack.com/p/import-ai-410"
    # Importing the same file again converts nothing.
    assert main(["import", str(saved)]) == 0
    assert "0 imported, 3 unchanged" in capsys.readouterr().out


def test_import_a_broken_feed_file_fails_cleanly(tmp_path, capsys):
    from importai_tui.cli import main

    saved = tmp_path / "broken.xml"
    saved.write_bytes(rss(seed_items())[:-40])  # cut off mid-document
    assert main(["import", str(saved)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"importai: error: {saved}: not a valid RSS or Atom feed (XML error")
    assert len(err.splitlines()) == 1
    assert Library(fetch_data_dir()).list_issues() == []


def fetch_data_dir():
    """The data dir the CLI uses in tests (conftest points IMPORTAI_DATA_DIR at it)."""
    from importai_tui.paths import data_dir

    return data_dir()


def test_offline_dns_failure_is_one_clear_line(monkeypatch):
    import socket

    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(FetchError) as caught:
        download("https://importai.substack.com/feed", retries=0)
    assert str(caught.value) == (
        "https://importai.substack.com/feed: cannot resolve the host name (offline?)"
    )


def test_fetch_module_imports_neither_textual_nor_feedparser_eagerly():
    import subprocess
    import sys

    code = (
        "import sys, importai_tui.fetch, importai_tui.commands.fetch; "
        "print(sorted(m for m in ('textual', 'feedparser') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_failed_item_is_retried_by_the_next_fetch(server, library):
    broken = Item(
        "Import AI 413: not an issue",
        "https://importai.substack.com/p/import-ai-413",
        datetime(2025, 4, 28, 12, 0, tzinfo=timezone.utc),
        # A numbered item with text is an essay (issue 11, rule one): only an
        # item with no text at all still fails to convert.
        '<p><img src="https://example.com/only-a-picture.png"></p>',
    )
    server.body = rss([broken, *seed_items()])
    first = fetch_quick(library, server.url)
    assert [result.path for result in first.failed] == [broken.link]
    assert len(first.new_issue_ids) == 3
    # No validators were kept, so the next fetch is not answered with a 304...
    assert load_feed_state(library, server.url).etag is None
    second = fetch_quick(library, server.url)
    assert not second.not_modified
    # ... and tries the failed item again (the others are unchanged).
    assert [result.path for result in second.failed] == [broken.link]
    assert second.unchanged == 3
    # Once every item goes in, the validators are kept and a 304 follows.
    server.body = rss(seed_items())
    third = fetch_quick(library, server.url)
    assert third.failed == [] and load_feed_state(library, server.url).etag
    assert fetch_quick(library, server.url).not_modified
