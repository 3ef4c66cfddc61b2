"""One HTTP GET, bounded: the network layer of ``importai fetch``.

``download(url, …) -> Download`` uses the standard library's ``urllib.request``
with a timeout, a size cap, a few retries with exponential backoff and
conditional-GET headers (``If-None-Match`` / ``If-Modified-Since``). Every
failure is a ``FetchError`` with one line. Knows nothing of feeds or the library.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from importai_tui import __version__
from importai_tui.errors import ImportaiError
from importai_tui.feed_source import DEFAULT_TIMEOUT

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF = 1.0
USER_AGENT = (
    f"importai-tui/{__version__} (+terminal reader for the Import AI newsletter)"
)
_CHUNK = 64 * 1024


class FetchError(ImportaiError):
    """The URL could not be fetched (or its feed read); the message is one line."""


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
