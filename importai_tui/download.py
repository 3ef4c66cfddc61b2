"""One HTTP GET, bounded: the network layer of ``importai fetch``.

``download(url, …) -> Download`` uses the standard library's ``urllib.request``
with a timeout, a wall-clock deadline per attempt, a size cap, a few retries
with exponential backoff (``Retry-After`` honoured on 429/503), only http(s)
redirects (at most 5, never https -> http) and conditional-GET headers
(``If-None-Match`` / ``If-Modified-Since``). Every failure is a ``FetchError``
with one line. Knows nothing of feeds or the library.
"""

from __future__ import annotations

import email.utils
import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

from importai_tui import __version__
from importai_tui.errors import ImportaiError
from importai_tui.feed_source import DEFAULT_TIMEOUT
from importai_tui.text import clean_text

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF = 1.0
# One attempt (connecting, redirects, headers and body) never takes longer than
# this many times the timeout, however slowly the server drips its answer.
DEADLINE_FACTOR = 4
MAX_REDIRECTS = 5
# A server asking us to wait longer than this is treated as failing for now.
MAX_RETRY_AFTER = 60.0
USER_AGENT = (
    f"importai-tui/{__version__} (+terminal reader for the Import AI newsletter)"
)
_CHUNK = 64 * 1024


class FetchError(ImportaiError):
    """The URL could not be fetched (or its feed read); the message is one line.

    ``status`` is the HTTP status when the server answered with an error
    (e.g. 404), None for network trouble, refusals and oversized answers.
    """

    def __init__(self, message: str = "", reason: str | None = None, status: int | None = None):
        super().__init__(message, reason)
        self.status = status


def _failure(source: str, reason: str, status: int | None = None) -> FetchError:
    return FetchError(f"{source}: {reason}", reason, status)


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


# -- HTTP -------------------------------------------------------------------


class _Retryable(Exception):
    """A failure worth another attempt (timeout, 5xx, 429, connection trouble)."""

    def __init__(self, reason: str, status: int | None = None, wait: float | None = None):
        super().__init__(reason)
        self.status = status
        self.wait = wait  # what the server's Retry-After asked for, if anything


class _Refused(Exception):
    """A redirect we will not follow; never retried."""


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
    accept: str | None = None,
) -> Download:
    """GET ``url`` conditionally; raise ``FetchError`` with one line on failure.

    ``timeout`` bounds connecting and every read, and each attempt as a whole
    takes at most ``DEADLINE_FACTOR`` times that: a watchdog closes the
    connection of a server that trickles its headers or body.
    Timeouts, connection errors, 5xx and 429 answers are retried ``retries``
    times, waiting ``backoff``, ``2*backoff``, … seconds in between, or what
    a 429/503 answer's ``Retry-After`` asks (up to ``MAX_RETRY_AFTER``;
    ``sleep`` is injectable so tests need not wait). Other 4xx answers,
    refused redirects and oversized bodies are not retried: asking again would
    not change them. ``None`` means the module defaults (``DEFAULT_RETRIES``,
    ``DEFAULT_BACKOFF``, ``time.sleep``), read at call time.
    """
    retries = DEFAULT_RETRIES if retries is None else retries
    backoff = DEFAULT_BACKOFF if backoff is None else backoff
    sleep = time.sleep if sleep is None else sleep
    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise _failure(url, "only http(s) feed URLs can be fetched")
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": accept
        or "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
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
                raise _failure(url, f"{error}{tries}", error.status) from None
            if error.wait is not None and error.wait > MAX_RETRY_AFTER:
                raise _failure(
                    url, f"{error} (the server asks to wait {error.wait:g} s; try later)",
                    error.status,
                ) from None
            sleep(error.wait if error.wait is not None else backoff * (2**attempt))
            attempt += 1


class _Watchdog:
    """The wall-clock deadline of one attempt.

    Every connection the attempt opens (redirects included) registers its
    socket; when the deadline passes, the sockets are shut down, which wakes
    any read blocked on them.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        # Gone before we return: an import right after a fetch forks its
        # converter pool only when no other thread runs (library.jobs).
        self._timer.join()

    def register(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        # The base class's shutdown, also for TLS sockets: it acts on the file
        # descriptor without touching the TLS state another thread is reading.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def _watched(base: type[http.client.HTTPConnection], watchdog: _Watchdog) -> Callable[..., Any]:
    """A connection factory for ``base`` whose sockets ``watchdog`` can shut."""

    class Watched(base):  # type: ignore[valid-type, misc]
        def connect(self) -> None:
            super().connect()
            watchdog.register(self.sock)

    return Watched


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self._watchdog = watchdog

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_watched(http.client.HTTPConnection, self._watchdog), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self._watchdog = watchdog

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(
            _watched(http.client.HTTPSConnection, self._watchdog), req,
            context=self._context,
        )


def redirect_refusal(from_url: str, to_url: str, hops: list[str]) -> str | None:
    """Why the redirect from ``from_url`` to ``to_url`` is refused (None: follow it).

    ``hops`` are the URLs already visited in this chain, the first included.
    Only http(s) targets, never https -> http, at most ``MAX_REDIRECTS``, no loops.
    """
    scheme = urlsplit(to_url).scheme.lower()
    if scheme not in ("http", "https"):
        return f"refused a redirect to a non-http(s) URL ({scheme or 'no scheme'}:)"
    if urlsplit(from_url).scheme.lower() == "https" and scheme == "http":
        return "refused a redirect from https to plain http"
    if to_url in hops:
        return f"redirect loop ({len(hops)} redirects, back to {to_url})"
    if len(hops) > MAX_REDIRECTS:
        return f"too many redirects (more than {MAX_REDIRECTS})"
    return None


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str,
        headers: Any, newurl: str,
    ) -> urllib.request.Request | None:
        hops: list[str] = getattr(req, "importai_hops", [req.full_url])
        refusal = redirect_refusal(req.full_url, newurl, hops)
        if refusal:
            raise _Refused(refusal)
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.importai_hops = [*hops, newurl]  # type: ignore[attr-defined]
        return new


def _get_once(url: str, headers: dict[str, str], *, timeout: float, max_bytes: int) -> Download:
    with _Watchdog(DEADLINE_FACTOR * timeout) as watchdog:
        try:
            return _get_within(url, headers, watchdog, timeout=timeout, max_bytes=max_bytes)
        except _Retryable:
            if watchdog.expired:
                raise _Retryable(f"no complete answer within {watchdog.seconds:g} s") from None
            raise


def _get_within(
    url: str, headers: dict[str, str], watchdog: _Watchdog, *, timeout: float, max_bytes: int
) -> Download:
    opener = urllib.request.build_opener(
        _HTTPHandler(watchdog), _HTTPSHandler(watchdog), _RedirectHandler()
    )
    request = urllib.request.Request(url, headers=headers, method="GET")
    try:
        response = opener.open(request, timeout=timeout)
    except _Refused as refused:
        raise _failure(url, str(refused)) from None
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
            # The reason phrase is the server's text: cleaned like any stored string.
            reason = f"HTTP {error.code} {' '.join(clean_text(str(error.reason)).split())}".rstrip()
            if error.code >= 500 or error.code == 429:
                wait = None
                if error.code in (429, 503):
                    wait = retry_after_seconds(error.headers.get("Retry-After"))
                raise _Retryable(reason, error.code, wait) from None
            raise _failure(url, reason, error.code) from None
    except urllib.error.URLError as error:
        raise _Retryable(_reason(error.reason, timeout)) from None
    except (TimeoutError, socket.timeout):
        raise _Retryable(f"timed out after {timeout:g} s") from None
    except OSError as error:  # e.g. a reset connection surfacing outside URLError
        raise _Retryable(_reason(error, timeout)) from None
    except http.client.HTTPException as error:  # garbled status line, too many headers
        raise _Retryable(f"bad HTTP response ({type(error).__name__})") from None
    except ValueError as error:  # a malformed URL
        raise _failure(url, " ".join(str(error).split())) from None
    with response:
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise _failure(
                url, f"response is {_size(int(length))}, over the {_size(max_bytes)} limit"
            )
        body = _read_capped(response, url, timeout=timeout, max_bytes=max_bytes)
        if watchdog.expired:  # a shut socket may look like a short, complete body
            raise _Retryable("deadline passed")
        return Download(
            url=url,
            body=body,
            not_modified=False,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
        )


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A ``Retry-After`` header (seconds or an HTTP date) as seconds from now, or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(int(value[:9]))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def _read_capped(response: Any, url: str, *, timeout: float, max_bytes: int) -> bytes:
    """Read the body in chunks, stopping as soon as it passes ``max_bytes``."""
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


def _reason(reason: object, timeout: float) -> str:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return "cannot resolve the host name (offline?)"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, OSError) and reason.strerror:
        return f"cannot connect ({reason.strerror})"
    return f"cannot connect ({' '.join(str(reason).split())})"


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if count >= 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count} bytes"
