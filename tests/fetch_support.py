"""A local feed server for the fetch tests: 127.0.0.1, a random free port, no real network.

``FeedServer`` serves one RSS document built from the HTML seeds and answers
conditional GETs like Substack does (304 when the ETag or Last-Modified match).
``mode`` switches it to the failures the fetch code must survive. Every request's
headers are recorded so tests can assert what the client sent.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from email.utils import format_datetime
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


@dataclass(frozen=True)
class Item:
    """One RSS item: its title, link, publication date and HTML content."""

    title: str
    link: str
    published: datetime
    html: str


def seed_html(prefix: str) -> str:
    """The text of the HTML seed whose file name starts with ``prefix`` (e.g. ``"003"``)."""
    (path,) = sorted(SEEDS_DIR.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


def seed_items() -> list[Item]:
    """Three items built from the HTML seeds 000, 003 and 004, numbered 410-412."""
    return [
        Item(
            "Import AI 412: Decentralized training; 32B parameters",
            "https://importai.substack.com/p/import-ai-412",
            datetime(2025, 4, 21, 12, 0, tzinfo=timezone.utc),
            seed_html("000"),
        ),
        Item(
            "Import AI 411: Microsoft's $80bn buildout",
            "https://importai.substack.com/p/import-ai-411",
            datetime(2025, 1, 6, 13, 30, tzinfo=timezone.utc),
            seed_html("003"),
        ),
        Item(
            "Import AI 410: Misalignment predictions come true",
            "https://importai.substack.com/p/import-ai-410",
            datetime(2024, 12, 30, 9, 15, tzinfo=timezone.utc),
            seed_html("004"),
        ),
    ]


def rss(items: list[Item], *, description_only: bool = False) -> bytes:
    """An RSS 2.0 document shaped like Substack's (HTML in ``content:encoded``)."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "<channel><title>Import AI</title><link>https://importai.substack.com</link>",
        "<description>Import AI</description>",
    ]
    for item in items:
        body = f"<![CDATA[{item.html}]]>"
        content = (
            f"<description>{body}</description>"
            if description_only
            else f"<description>A short teaser.</description><content:encoded>{body}</content:encoded>"
        )
        parts.append(
            f"<item><title>{escape(item.title)}</title><link>{escape(item.link)}</link>"
            f'<guid isPermaLink="false">{escape(item.link)}</guid>'
            f"<pubDate>{format_datetime(item.published)}</pubDate>{content}</item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


def atom(items: list[Item]) -> bytes:
    """An Atom 1.0 document with the items' HTML as ``content type="html"``."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Import AI</title>',
        "<id>urn:importai</id><updated>2025-04-21T12:00:00Z</updated>",
    ]
    for item in items:
        parts.append(
            f"<entry><title>{escape(item.title)}</title>"
            f'<link rel="alternate" href="{escape(item.link)}"/><id>{escape(item.link)}</id>'
            f"<updated>{item.published.strftime('%Y-%m-%dT%H:%M:%SZ')}</updated>"
            f'<content type="html">{escape(item.html)}</content></entry>'
        )
    parts.append("</feed>")
    return "\n".join(parts).encode("utf-8")


@dataclass
class FeedServer:
    """State shared with the request handler. Change fields between fetches.

    ``mode``: ``"ok"`` (conditional GET), ``"500"``, ``"hang"`` (accepts and
    never answers), ``"huge"`` (streams without Content-Length), ``"garbage"``
    (not HTTP at all), ``"fail_then_ok"``
    (``failures_left`` 503s, then ok).
    """

    body: bytes = b""
    etag: str = '"v1"'
    last_modified: str = "Mon, 21 Apr 2025 12:00:00 GMT"
    mode: str = "ok"
    failures_left: int = 0
    requests: list[dict[str, str]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/feed"


def make_handler(state: FeedServer) -> type[BaseHTTPRequestHandler]:
    """A handler class bound to ``state``."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # keep test output clean

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            state.requests.append({k.lower(): v for k, v in self.headers.items()})
            mode = state.mode
            if self.path.split("?")[0] != "/feed":
                self._plain(404, b"not found")
                return
            if mode == "fail_then_ok" and state.failures_left > 0:
                state.failures_left -= 1
                self._plain(503, b"try later")
                return
            if mode == "500":
                self._plain(500, b"boom")
                return
            if mode == "garbage":
                self.wfile.write(b"THIS IS NOT HTTP\r\n\r\n")
                return
            if mode == "hang":
                # Hold the connection open without answering until the test ends.
                state.release.wait(10)
                return
            if mode == "huge":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                chunk = b"<!-- padding -->" * 4096
                try:
                    for _ in range(64):
                        self.wfile.write(chunk)
                except OSError:
                    pass  # the client gave up, as it should
                return
            # RFC 9110: If-None-Match, when sent, decides; If-Modified-Since
            # only counts without it.
            if_none_match = self.headers.get("If-None-Match")
            if (
                if_none_match == state.etag
                if if_none_match is not None
                else self.headers.get("If-Modified-Since") == state.last_modified
            ):
                self.send_response(304)
                self.send_header("ETag", state.etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(state.body)))
            self.send_header("ETag", state.etag)
            self.send_header("Last-Modified", state.last_modified)
            self.end_headers()
            self.wfile.write(state.body)

        def _plain(self, code: int, body: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


class running_server:
    """Context manager: a ``FeedServer`` listening on 127.0.0.1 in a thread."""

    def __init__(self, body: bytes = b"") -> None:
        self.state = FeedServer(body=body)

    def __enter__(self) -> FeedServer:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self.state))
        self.server.daemon_threads = True
        self.state.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        return self.state

    def __exit__(self, *exc: object) -> None:
        self.state.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def synthetic_html(topic: str, sections: int = 3) -> str:
    """A small issue body in the Substack shape of the HTML seeds, about ``topic``.

    Each section has a bold headline ending in a colon, an emphasised
    ``…subtitle…`` and a body with a link, like the real newsletter.
    """
    parts = [
        "<p>Welcome to Import AI, a newsletter about AI research.</p>",
    ]
    for n in range(1, sections + 1):
        parts.append(
            f"<p><strong>{topic} finding number {n}:<br /></strong>"
            f"<em>&#8230;what {topic} study {n} tells us&#8230;<br /></em>"
            f"Researchers studied {topic} in experiment {n} and wrote it up in detail."
            f'<br />   <strong>Read more:</strong> <a href="https://example.org/{n}">paper {n}</a></p>'
        )
    return "".join(parts)
