"""The HTTP layer's bounds against hostile servers on 127.0.0.1 (random ports).

A server dripping its headers or its body one byte at a time must not hold a
fetch longer than the per-attempt deadline; redirects are followed only to
http(s), at most five times, never from https down to http, and every refusal
is one line.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fetch_support import rss, seed_items

from importai_tui import download as download_module
from importai_tui.download import FetchError, download, redirect_refusal, retry_after_seconds


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


Script = Callable[[BaseHTTPRequestHandler, threading.Event], None]


@contextmanager
def scripted_server(script: Script) -> Iterator[tuple[str, list[str]]]:
    """A server on a random port running ``script(handler, stop)`` for every GET.

    Yields its base URL and the list of requested paths. ``stop`` is set when
    the test leaves, so dripping handlers end by themselves.
    """
    stop = threading.Event()
    paths: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802
            paths.append(self.path)
            try:
                script(self, stop)
            except OSError:
                pass  # the client hung up, as it should

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", paths
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def drip(handler: BaseHTTPRequestHandler, stop: threading.Event, data: bytes, every: float) -> None:
    for position in range(len(data)):
        if stop.wait(every):
            return
        handler.wfile.write(data[position : position + 1])
        handler.wfile.flush()


def drip_headers(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    drip(handler, stop, b"HTTP/1.1 200 OK\r\n" + b"X-Padding: " + b"a" * 500 + b"\r\n\r\n", 0.05)


def drip_body(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    body = rss(seed_items()[:1])
    handler.send_response(200)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.flush()
    drip(handler, stop, body, 0.05)


@pytest.mark.parametrize("script", [drip_headers, drip_body], ids=["headers", "body"])
def test_a_dripping_server_cannot_outlast_the_deadline(script):
    with scripted_server(script) as (base, _):
        started = time.monotonic()
        with pytest.raises(FetchError) as caught:
            download(f"{base}/feed", timeout=0.3, retries=0)
        elapsed = time.monotonic() - started
    # Each byte comes well within the 0.3 s read timeout; only the deadline
    # (4 x 0.3 s for the whole attempt) can end it.
    assert elapsed < 3, elapsed
    assert str(caught.value) == f"{base}/feed: no complete answer within 1.2 s"


def test_cli_fetch_with_timeout_1_ends_against_a_dripping_body(capsys, monkeypatch):
    from importai_tui.cli import main

    monkeypatch.setattr(download_module, "DEFAULT_RETRIES", 0)
    with scripted_server(drip_body) as (base, _):
        started = time.monotonic()
        code = main(["fetch", f"{base}/feed", "--timeout", "1"])
        elapsed = time.monotonic() - started
    assert code == 1
    assert elapsed < 10, elapsed  # the deadline is 4 s; it used to run for minutes
    err = capsys.readouterr().err
    assert err == f"importai: error: {base}/feed: no complete answer within 4 s\n"


def redirect_to(target: Callable[[str], str | None]) -> Script:
    """Answer 302 to ``target(path)``, or the feed when it returns None."""

    def script(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        location = target(handler.path)
        if location is None:
            body = rss(seed_items()[:1])
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            return
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return script


def hop(path: str) -> str | None:
    """/r/N redirects to /r/N+1 up to /r/5, then to the feed."""
    number = int(path.rsplit("/", 1)[1]) if path.startswith("/r/") else None
    if number is None:
        return None
    return f"/r/{number + 1}" if number < 5 else "/feed"


def test_five_redirects_are_followed():
    with scripted_server(redirect_to(hop)) as (base, paths):
        result = download(f"{base}/r/1", timeout=5, retries=0)
    assert result.body.startswith(b"<?xml")
    assert paths == ["/r/1", "/r/2", "/r/3", "/r/4", "/r/5", "/feed"]


def test_more_than_five_redirects_are_refused():
    with scripted_server(redirect_to(lambda p: f"/r/{int(p.rsplit('/', 1)[1]) + 1}")) as (
        base,
        paths,
    ):
        with pytest.raises(FetchError) as caught:
            download(f"{base}/r/0", timeout=5, retries=3, sleep=lambda s: None)
    assert str(caught.value) == f"{base}/r/0: too many redirects (more than 5)"
    assert len(paths) == 6  # refused, not retried


def test_a_redirect_loop_is_one_line():
    with scripted_server(redirect_to(lambda p: "/b" if p == "/a" else "/a")) as (base, paths):
        with pytest.raises(FetchError) as caught:
            download(f"{base}/a", timeout=5, retries=0)
    assert str(caught.value) == f"{base}/a: redirect loop (2 redirects, back to {base}/a)"
    assert paths == ["/a", "/b"]


@pytest.mark.parametrize("target", ["ftp://127.0.0.1/feed", "file:///etc/passwd"])
def test_a_redirect_to_another_scheme_is_refused(target):
    with scripted_server(redirect_to(lambda p: target)) as (base, paths):
        with pytest.raises(FetchError) as caught:
            download(f"{base}/feed", timeout=5, retries=2, sleep=lambda s: None)
    message = str(caught.value)
    assert message.startswith(f"{base}/feed: ")
    assert "\n" not in message
    assert "ftp:" in message or "file" in message
    assert paths == ["/feed"]


def test_redirect_decisions():
    chain = ["https://a.example/feed"]
    assert redirect_refusal(chain[0], "https://b.example/feed", chain) is None
    assert redirect_refusal("http://a.example/", "https://a.example/", ["http://a.example/"]) is None
    assert redirect_refusal(chain[0], "http://a.example/feed", chain) == (
        "refused a redirect from https to plain http"
    )
    assert "non-http(s)" in redirect_refusal(chain[0], "ftp://a.example/feed", chain)
    six = [f"http://a.example/{n}" for n in range(6)]
    assert redirect_refusal(six[-1], "http://a.example/x", six) == "too many redirects (more than 5)"
    assert redirect_refusal(six[4], "http://a.example/x", six[:5]) is None


def test_429_waits_for_retry_after_then_succeeds():
    answers = iter([429, 503, 200])

    def script(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        code = next(answers)
        body = rss(seed_items()[:1]) if code == 200 else b"slow down"
        handler.send_response(code)
        if code != 200:
            handler.send_header("Retry-After", "1" if code == 429 else "0")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    waits: list[float] = []
    with scripted_server(script) as (base, paths):
        result = download(f"{base}/feed", timeout=5, retries=2, backoff=7, sleep=waits.append)
    assert result.body.startswith(b"<?xml")
    assert waits == [1.0, 0.0]  # the server's wish, not the 7 s backoff
    assert len(paths) == 3


def test_an_excessive_retry_after_is_a_failure_without_waiting():
    def script(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        handler.send_response(429)
        handler.send_header("Retry-After", "3600")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    waits: list[float] = []
    with scripted_server(script) as (base, _):
        with pytest.raises(FetchError) as caught:
            download(f"{base}/feed", timeout=5, retries=2, sleep=waits.append)
    assert waits == []
    assert caught.value.status == 429
    assert "asks to wait 3600 s" in str(caught.value)


def test_retry_after_parsing():
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("5", now) == 5.0
    assert retry_after_seconds("Wed, 01 Jan 2025 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Wed, 01 Jan 2025 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


def test_http_errors_carry_their_status():
    def script(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        handler.send_response(404)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    with scripted_server(script) as (base, _):
        with pytest.raises(FetchError) as caught:
            download(f"{base}/feed", timeout=5, retries=0)
    assert caught.value.status == 404
