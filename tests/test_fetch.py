"""Tests of ``importai_tui.fetch`` against a local HTTP server (127.0.0.1 only).

The HTTP layer (timeouts, size cap, retries, conditional GET) and the feed
parsing are tested on their own; the library tests check what lands in the
archive and that every failure leaves it exactly as it was.
"""

from __future__ import annotations

import pytest
from fetch_support import Item, atom, rss, running_server, seed_items

from importai_tui import fetch
from importai_tui.fetch import FetchError, download, iter_feed_items, parse_entry_title


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
def test_malformed_feed_is_a_fetch_error(data):
    with pytest.raises(FetchError) as caught:
        iter_feed_items(data, source="saved.xml")
    message = str(caught.value)
    assert message.startswith("saved.xml: not a")
    assert "\n" not in message


def test_truncated_feed_imports_nothing_even_if_items_were_complete():
    data = rss(seed_items())
    cut = data[: data.rindex(b"</item>") + len(b"</item>")]  # channel never closed
    with pytest.raises(FetchError, match=r"XML error at line \d+"):
        iter_feed_items(cut, source="cut.xml")


def test_feed_bytes_are_never_taken_for_a_path(tmp_path):
    # feedparser opens a str/bytes argument as a file if it can; the fetch
    # code passes a stream so a body naming a local file cannot read it.
    secret = tmp_path / "secret.xml"
    secret.write_bytes(rss(seed_items()[:1]))
    with pytest.raises(FetchError):
        iter_feed_items(str(secret).encode())


def test_looks_like_feed():
    assert fetch.looks_like_feed(rss(seed_items()[:1]))
    assert fetch.looks_like_feed(atom(seed_items()[:1]))
    assert fetch.looks_like_feed(b"\xef\xbb\xbf<!-- saved -->\n<rss version='2.0'>")
    assert fetch.looks_like_feed(b'<rdf:RDF xmlns:rdf="x">')
    assert not fetch.looks_like_feed(b"<p>Welcome to Import AI</p>")
    assert not fetch.looks_like_feed(b"Import AI\n\nImport AI 401: ...")
    assert not fetch.looks_like_feed(b"<html><body><rss>")


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
