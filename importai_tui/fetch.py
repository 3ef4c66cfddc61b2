"""Keep the archive current: download the newsletter's feed and import new issues.

Three layers, each usable (and tested) on its own:

- ``download(url, …) -> Download``: one HTTP GET with the standard library's
  ``urllib.request``, a timeout, a size cap, a few retries with exponential
  backoff and conditional-GET headers (``If-None-Match`` / ``If-Modified-Since``).
- ``iter_feed_items(data) -> list[FeedItem]``: parse RSS or Atom bytes with
  feedparser into items carrying the issue HTML and its metadata.
- ``fetch_feed(library, url, …) -> FetchReport``: the two above plus the
  library: every item is parsed *before* anything is written, then all items
  go through ``Library.import_sources`` in one transaction (the library's own
  merge decides whether a newer copy replaces an older one), and the feed's
  ETag and Last-Modified are stored for the next conditional GET (not when an
  item failed: the next fetch downloads the feed again and retries it).

Every failure of the network or of the feed as a whole is a ``FetchError``
with a one-line message, raised before the library is touched.

No Textual here: the CLI and the app's worker both call ``fetch_feed``.
"""

from __future__ import annotations

import http.client
import io
import re
import socket
import sqlite3
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from xml.sax import SAXParseException

from importai_tui import __version__
from importai_tui.feed_source import DEFAULT_FEED_URL, DEFAULT_TIMEOUT
from importai_tui.wording import plural

if TYPE_CHECKING:  # the library imports this module lazily; no cycle at runtime
    from importai_tui.library import FileResult, Library

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF = 1.0
USER_AGENT = (
    f"importai-tui/{__version__} (+terminal reader for the Import AI newsletter)"
)
_CHUNK = 64 * 1024

# "Import AI 402: Title", "Import AI #402 - Title", "Import AI 402 — Title".
_TITLE_NUMBER = re.compile(
    r"^\s*import\s*ai\s*#?\s*(\d{1,5})\b\s*(?:[:\-\u2013\u2014|]\s*)?(.*)$",
    re.IGNORECASE | re.DOTALL,
)
# The start of a feed document, after an optional BOM, XML declaration,
# comments, processing instructions and a DOCTYPE.
_FEED_ROOT = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?[^>]*\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*"
    rb"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF)[\s>/]",
    re.DOTALL,
)


class FetchError(Exception):
    """The feed could not be fetched or read; the message is one human line.

    ``reason`` is the same line without the leading URL or file name, for
    callers that name the source themselves (an import's per-file results).
    """

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message


def _failure(source: str, reason: str) -> FetchError:
    return FetchError(f"{source}: {reason}", reason)


@dataclass(frozen=True)
class Download:
    """The outcome of one conditional GET.

    ``not_modified`` is True for a 304 (``body`` is then empty). ``etag`` and
    ``last_modified`` are the validators to send next time.
    """

    url: str
    body: bytes
    not_modified: bool
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class FeedItem:
    """One feed entry, ready for the converter.

    ``name`` is how the stored source is named (the item's link, else its id,
    else a position); ``number`` is None when the title states none.
    """

    name: str
    html: str
    number: int | None
    title: str | None
    date: str | None
    url: str | None

    @property
    def meta(self) -> dict[str, Any]:
        """The metadata the library stores with the source (``sources.meta_json``)."""
        return {"number": self.number, "title": self.title, "date": self.date, "url": self.url}


@dataclass
class FetchReport:
    """What one fetch did.

    ``not_modified``: the server answered 304 and nothing was converted.
    ``new_issue_ids``: issues that did not exist before; ``updated_issue_ids``:
    existing issues whose stored copy was replaced or enriched;
    ``unchanged``: items whose content was already imported.
    """

    url: str
    not_modified: bool = False
    item_count: int = 0
    new_issue_ids: list[str] = field(default_factory=list)
    updated_issue_ids: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed: list[FileResult] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people: what arrived, or that the feed was unchanged."""
        if self.not_modified:
            return "feed unchanged (304)"
        new, updated = len(self.new_issue_ids), len(self.updated_issue_ids)
        line = f"{plural(new, 'new issue')}, {updated} updated"
        extra = [f"{self.unchanged} unchanged"]
        if self.failed:
            extra.append(f"{len(self.failed)} failed")
        return f"{line} ({', '.join(extra)}; {plural(self.item_count, 'feed item')})"

    def as_json(self) -> dict[str, Any]:
        """The ``importai fetch --json`` object."""
        return {
            "url": self.url,
            "not_modified": self.not_modified,
            "items": self.item_count,
            "new": list(self.new_issue_ids),
            "updated": list(self.updated_issue_ids),
            "unchanged": self.unchanged,
            "failed": [{"name": r.path, "message": r.message} for r in self.failed],
        }


# -- HTTP -------------------------------------------------------------------


class _Retryable(Exception):
    """A failure worth another attempt (timeout, 5xx, connection trouble)."""


def download(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    retries: int | None = None,
    backoff: float | None = None,
    sleep: Callable[[float], None] | None = None,
) -> Download:
    """GET ``url`` conditionally; raise ``FetchError`` with one line on failure.

    ``timeout`` bounds connecting and every read (and the whole body at
    ``timeout`` times four, so a trickling server cannot hold us forever).
    Timeouts, connection errors and 5xx answers are retried ``retries`` times,
    waiting ``backoff``, ``2*backoff``, … seconds in between (``sleep`` is
    injectable so tests need not wait). 4xx answers and oversized bodies are
    not retried: asking again would not change them. ``None`` means the
    module defaults (``DEFAULT_RETRIES``, ``DEFAULT_BACKOFF``, ``time.sleep``),
    read at call time.
    """
    retries = DEFAULT_RETRIES if retries is None else retries
    backoff = DEFAULT_BACKOFF if backoff is None else backoff
    sleep = time.sleep if sleep is None else sleep
    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise _failure(url, "only http(s) feed URLs can be fetched")
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    attempt = 0
    while True:
        try:
            return _get_once(url, headers, timeout=timeout, max_bytes=max_bytes)
        except _Retryable as error:
            if attempt >= retries:
                tries = f" (after {attempt + 1} attempts)" if attempt else ""
                raise _failure(url, f"{error}{tries}") from None
            sleep(backoff * (2**attempt))
            attempt += 1


def _get_once(url: str, headers: dict[str, str], *, timeout: float, max_bytes: int) -> Download:
    request = urllib.request.Request(url, headers=headers, method="GET")
    try:
        response = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - scheme checked
    except urllib.error.HTTPError as error:
        with error:
            if error.code == 304:
                return Download(
                    url=url,
                    body=b"",
                    not_modified=True,
                    etag=error.headers.get("ETag") or headers.get("If-None-Match"),
                    last_modified=error.headers.get("Last-Modified")
                    or headers.get("If-Modified-Since"),
                )
            reason = f"HTTP {error.code} {error.reason}".rstrip()
            if error.code >= 500:
                raise _Retryable(reason) from None
            raise _failure(url, reason) from None
    except urllib.error.URLError as error:
        raise _Retryable(_reason(error.reason, timeout)) from None
    except (TimeoutError, socket.timeout):
        raise _Retryable(f"timed out after {timeout:g} s") from None
    except OSError as error:  # e.g. a reset connection surfacing outside URLError
        raise _Retryable(_reason(error, timeout)) from None
    except http.client.HTTPException as error:  # garbled status line, too many headers
        raise _Retryable(f"bad HTTP response ({type(error).__name__})") from None
    except ValueError as error:  # a malformed URL
        raise _failure(url, str(error)) from None
    with response:
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise _failure(
                url, f"response is {_size(int(length))}, over the {_size(max_bytes)} limit"
            )
        body = _read_capped(response, url, timeout=timeout, max_bytes=max_bytes)
        return Download(
            url=url,
            body=body,
            not_modified=False,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
        )


def _read_capped(response: Any, url: str, *, timeout: float, max_bytes: int) -> bytes:
    """Read the body in chunks, stopping as soon as it passes ``max_bytes``."""
    deadline = time.monotonic() + 4 * timeout
    chunks: list[bytes] = []
    total = 0
    while True:
        try:
            chunk = response.read(_CHUNK)
        except (TimeoutError, socket.timeout):
            raise _Retryable(f"timed out after {timeout:g} s while reading") from None
        except OSError as error:
            raise _Retryable(_reason(error, timeout)) from None
        except Exception as error:  # http.client.IncompleteRead and friends
            raise _Retryable(f"connection broke while reading ({type(error).__name__})") from None
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > max_bytes:
            raise _failure(url, f"response is over the {_size(max_bytes)} limit")
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise _Retryable(f"timed out after {4 * timeout:g} s while reading")


def _reason(reason: object, timeout: float) -> str:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return "cannot resolve the host name (offline?)"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, OSError) and reason.strerror:
        return f"cannot connect ({reason.strerror})"
    return f"cannot connect ({reason})"


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if count >= 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count} bytes"


# -- feed parsing -------------------------------------------------------------


def looks_like_feed(data: bytes) -> bool:
    """True when ``data`` starts like an RSS or Atom document (``<rss``/``<feed``/RDF root)."""
    return _FEED_ROOT.match(data[:4096]) is not None


def parse_entry_title(text: str | None) -> tuple[int | None, str | None]:
    """Split ``"Import AI 402: Title"`` into ``(402, "Title")``.

    A title without an issue number gives ``(None, title)``: a number is never
    invented. Empty or missing titles give ``(None, None)``.
    """
    title = " ".join((text or "").split())
    if not title:
        return None, None
    match = _TITLE_NUMBER.match(title)
    if match is None:
        return None, title
    rest = match.group(2).strip()
    return int(match.group(1)), rest or title


def iter_feed_items(data: bytes, source: str = "feed") -> list[FeedItem]:
    """Parse RSS or Atom bytes into items; raise ``FetchError`` if it is no feed.

    XML that is not well formed is rejected as a whole (no entries at all, so a
    truncated file cannot import a cut-short issue); feedparser's milder
    warnings (e.g. a wrong declared encoding) are tolerated. Entries without
    any HTML content are skipped.
    """
    import feedparser  # lazy: only fetch and feed imports need it

    # A stream, never bytes or str: feedparser treats a string as a URL or a
    # file name to open, which untrusted input must never steer.
    parsed = feedparser.parse(
        io.BytesIO(data),
        # The converter sanitises and keeps only http(s) links itself; leave the
        # HTML exactly as published so it converts like the HTML seeds.
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, SAXParseException):
        # feedparser's loose fallback would still hand out entries, but from a
        # truncated or broken document they may be cut short: import none.
        raise _failure(
            source,
            f"not a valid RSS or Atom feed (XML error at line {problem.getLineNumber()}, "
            f"column {problem.getColumnNumber()}: {problem.getMessage()})",
        )
    entries = list(parsed.get("entries") or [])
    if not entries and not parsed.get("version"):
        detail = f" ({' '.join(str(problem).split())})" if problem else ""
        raise _failure(source, f"not an RSS or Atom feed{detail}")
    items: list[FeedItem] = []
    for position, entry in enumerate(entries, start=1):
        html = _entry_html(entry)
        if not html.strip():
            continue
        number, title = parse_entry_title(entry.get("title"))
        link = _http_link(entry.get("link"))
        name = link or str(entry.get("id") or "") or f"{source}#item-{position}"
        items.append(
            FeedItem(
                name=name,
                html=html,
                number=number,
                title=title,
                date=_entry_date(entry),
                url=link,
            )
        )
    return items


def _entry_html(entry: Any) -> str:
    """The fullest HTML the entry has: ``content`` (HTML first), else ``summary``."""
    contents = entry.get("content") or []
    html_parts = [c for c in contents if "html" in str(c.get("type", "")).lower()]
    for part in html_parts or contents:
        value = part.get("value") or ""
        if value.strip():
            return str(value)
    return str(entry.get("summary") or "")


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return time.strftime("%Y-%m-%d", parsed)
            except (TypeError, ValueError):
                continue
    return None


def _http_link(link: object) -> str | None:
    if isinstance(link, str) and link.strip().lower().startswith(("http://", "https://")):
        return link.strip()
    return None


# -- the library side ----------------------------------------------------------


@dataclass(frozen=True)
class FeedState:
    """The validators stored from the last successful fetch of one URL."""

    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None


def load_feed_state(library: Library, url: str) -> FeedState:
    """The stored ETag/Last-Modified for ``url`` (empty when never fetched).

    Reads only: when the index does not exist yet nothing is created.
    """
    if not library.index_path.exists():
        return FeedState()
    wal = library.index_path.with_name(library.index_path.name + "-wal")
    # Without a -wal file every committed row is in the main file: open it
    # immutable, so this read leaves no trace (a plain read-only open of a WAL
    # database creates an empty -wal file). With one, read through it.
    mode = "ro" if wal.exists() else "ro&immutable=1"
    try:
        connection = sqlite3.connect(f"{library.index_path.as_uri()}?mode={mode}", uri=True)
        try:
            row = connection.execute(
                "SELECT etag, last_modified, fetched_at FROM feeds WHERE url = ?", (url,)
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        # No feeds table yet (or an unreadable index, which the import reports):
        # fetch unconditionally.
        return FeedState()
    return FeedState(*row) if row else FeedState()


def save_feed_state(
    library: Library, url: str, download_result: Download, *, validators: bool = True
) -> None:
    """Remember when ``url`` was fetched and, with ``validators``, its ETag and
    Last-Modified for the next conditional GET (one small transaction)."""
    fetched_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    etag, last_modified = download_result.etag, download_result.last_modified
    if not validators:
        etag = last_modified = None
    connection = library.connect()
    try:
        with connection:
            connection.execute(
                "INSERT INTO feeds(url, etag, last_modified, fetched_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, "
                "last_modified = excluded.last_modified, fetched_at = excluded.fetched_at",
                (url, etag, last_modified, fetched_at),
            )
    finally:
        connection.close()


def import_items(library: Library, items: list[FeedItem], report: FetchReport) -> None:
    """Import parsed items through the library in one transaction, filling ``report``.

    The library merges copies of the same issue and keeps the richest; it never
    removes one. Items whose bytes were imported before are *unchanged*.
    """
    before = {summary.id for summary in library.list_issues()}
    outcome = library.import_sources(
        [(item.html.encode("utf-8"), item.name, item.meta) for item in items]
    )
    touched: list[str] = []
    for result in outcome.results:
        if not result.ok:
            report.failed.append(result)
        elif result.status == "unchanged":
            report.unchanged += 1
        else:
            touched.extend(i for i in result.issue_ids if i not in touched)
    report.new_issue_ids = [i for i in touched if i not in before]
    report.updated_issue_ids = [i for i in touched if i in before]


def fetch_feed(
    library: Library,
    url: str = DEFAULT_FEED_URL,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    retries: int | None = None,
    backoff: float | None = None,
    sleep: Callable[[float], None] | None = None,
) -> FetchReport:
    """Fetch ``url`` and import every item whose content is new.

    Raises ``FetchError`` (one line) for network failures, HTTP errors,
    oversized answers and malformed feeds; in all those cases nothing in the
    library has been written. A 304 answer converts nothing.
    """
    state = load_feed_state(library, url)
    result = download(
        url,
        etag=state.etag,
        last_modified=state.last_modified,
        timeout=timeout,
        max_bytes=max_bytes,
        retries=retries,
        backoff=backoff,
        sleep=sleep,
    )
    report = FetchReport(url=url)
    if result.not_modified:
        report.not_modified = True
        return report
    # Parse everything before the first write: a broken feed leaves the library as it was.
    items = iter_feed_items(result.body, source=url)
    report.item_count = len(items)
    import_items(library, items, report)
    # With an item that failed, the next fetch must not get a 304 for this
    # feed: that item would not be tried again until the feed changed.
    save_feed_state(library, url, result, validators=not report.failed)
    return report
