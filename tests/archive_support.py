"""Local servers shaped like the two archive sources, for ``fetch --all`` tests.

``ArchiveServer`` serves synthetic issues newest first, either as a WordPress
feed (``/feed/``, ``/feed/?paged=N``, 10 items a page, 404 past the end) or as
a Substack API (``/api/v1/archive?sort=new&offset=N&limit=12`` and
``/api/v1/posts/SLUG``). Failures are injected per path; every request path is
recorded. 127.0.0.1, a random free port; it stops when the test leaves.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.utils import format_datetime
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from fetch_support import synthetic_html

WP_PAGE = 10


@dataclass(frozen=True)
class Issue:
    number: int
    title: str
    day: date
    html: str

    @property
    def slug(self) -> str:
        return f"import-ai-{self.number}"

    @property
    def wp_link(self) -> str:
        return f"https://jack-clark.net/{self.day.year}/import-ai-{self.number}/"

    @property
    def substack_link(self) -> str:
        return f"https://importai.substack.com/p/{self.slug}"


def make_issues(first: int, count: int) -> list[Issue]:
    """``count`` issues numbered from ``first`` upwards, returned newest first."""
    start = date(2016, 1, 4)
    issues = [
        Issue(n, f"Topic {n} and more", start + timedelta(days=7 * n), synthetic_html(f"topic{n}"))
        for n in range(first, first + count)
    ]
    return issues[::-1]


@dataclass
class ArchiveServer:
    """Shared with the handler; change fields between runs.

    ``fail``: path (without query for posts, with it for pages) -> a list of
    status codes answered first, one per request. ``retry_after`` is sent with
    429/503. ``up`` False: every connection is closed without an answer.
    ``down_after``: ``up`` turns False after this many more requests.
    """

    kind: str
    issues: list[Issue]
    fail: dict[str, list[int]] = field(default_factory=dict)
    retry_after: str | None = None
    up: bool = True
    down_after: int | None = None
    paths: list[str] = field(default_factory=list)
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base}/feed/" if self.kind == "wordpress" else self.base

    def answer(self, path: str) -> tuple[int, str, bytes]:
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        for key in (path, parts.path):
            codes = self.fail.get(key)
            if codes:
                code = codes.pop(0)
                return code, "text/plain", b"failing on purpose"
        if self.kind == "wordpress" and parts.path == "/feed/":
            page = int(query.get("paged", ["1"])[0])
            chunk = self.issues[(page - 1) * WP_PAGE : page * WP_PAGE]
            if page > 1 and not chunk:
                return 404, "text/html", b"<html>Page not found</html>"
            return 200, "application/rss+xml; charset=utf-8", wordpress_rss(chunk)
        if self.kind == "substack" and parts.path == "/api/v1/archive":
            offset, limit = int(query["offset"][0]), int(query["limit"][0])
            posts = [listing_entry(i) for i in self.issues[offset : offset + limit]]
            return 200, "application/json", json.dumps(posts).encode()
        if self.kind == "substack" and parts.path.startswith("/api/v1/posts/"):
            slug = parts.path.rsplit("/", 1)[1]
            for issue in self.issues:
                if issue.slug == slug:
                    post = {**listing_entry(issue), "body_html": issue.html}
                    return 200, "application/json", json.dumps(post).encode()
        return 404, "text/html", b"<html>not found</html>"


def listing_entry(issue: Issue) -> dict:
    return {
        "slug": issue.slug,
        "title": f"Import AI {issue.number}: {issue.title}",
        "post_date": f"{issue.day.isoformat()}T12:00:00.000Z",
        "canonical_url": issue.substack_link,
        "body_html": None,
    }


def wordpress_rss(issues: list[Issue]) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        "<channel><title>Import AI</title><link>https://jack-clark.net</link>",
    ]
    for issue in issues:
        when = datetime(issue.day.year, issue.day.month, issue.day.day, 12, tzinfo=timezone.utc)
        parts.append(
            f"<item><title>Import AI {issue.number}: {escape(issue.title)}</title>"
            f"<link>{issue.wp_link}</link><guid>{issue.wp_link}</guid>"
            f"<pubDate>{format_datetime(when)}</pubDate>"
            f"<content:encoded><![CDATA[{issue.html}]]></content:encoded></item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


class running_archive:
    """Context manager: an ``ArchiveServer`` listening on 127.0.0.1 in a thread."""

    def __init__(self, kind: str, issues: list[Issue]) -> None:
        self.state = ArchiveServer(kind=kind, issues=issues)

    def __enter__(self) -> ArchiveServer:
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802
                if state.down_after is not None:
                    state.down_after -= 1
                    if state.down_after < 0:
                        state.up, state.down_after = False, None
                if not state.up:
                    self.close_connection = True
                    return  # hang up without a word, like a server that died
                state.paths.append(self.path)
                code, kind, body = state.answer(self.path)
                self.send_response(code)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                if code in (429, 503) and state.retry_after is not None:
                    self.send_header("Retry-After", state.retry_after)
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        state.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        return state

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
