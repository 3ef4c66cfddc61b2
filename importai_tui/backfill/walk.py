"""The walk of one ``fetch --all`` run: pages in this thread, imports in a worker.

See the package docstring for what it does; ``_Run`` is where it happens.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

from importai_tui.backfill.report import BackfillProgress, BackfillReport, PoliteClient
from importai_tui.convert.feed import FeedError, FeedItem, iter_feed_items
from importai_tui.convert.substack_api import (
    ArchiveEntry,
    looks_like_archive_page,
    parse_archive_page,
    parse_post,
)
from importai_tui.download import DEFAULT_MAX_BYTES, FetchError
from importai_tui.feed_source import DEFAULT_ARCHIVE_DELAY, DEFAULT_ARCHIVE_URL, DEFAULT_TIMEOUT
from importai_tui.library import Library
from importai_tui.library.archive import (
    ArchiveState,
    load_archive_state,
    save_archive_state,
    stored_hashes,
    stored_names,
)
from importai_tui.text import is_web_url

SUBSTACK_PAGE_SIZE = 12
# A server that never ends its pages cannot keep a run going for ever.
MAX_PAGES = 2000
_JSON = "application/json"


class _Unreachable(Exception):
    """The server stopped answering: end this run, resume next time."""


def backfill(
    library: Library,
    url: str | None = None,
    *,
    delay: float = DEFAULT_ARCHIVE_DELAY,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    retries: int | None = None,
    backoff: float | None = None,
    sleep: Callable[[float], None] | None = None,
    progress: Callable[[BackfillProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> BackfillReport:
    """Import every issue of the archive at ``url`` that the library lacks.

    Failures of single pages or posts are collected in the report (and
    retried by the next run); ``FetchError`` only for a URL that is not
    http(s). ``should_stop`` is asked before every request: a reader quitting
    mid-way ends the run cleanly, resumable.
    """
    url = url or DEFAULT_ARCHIVE_URL
    if not is_web_url(url):
        raise FetchError(f"{url}: only http(s) URLs can be fetched", "only http(s) URLs")
    client = PoliteClient(
        delay, sleep or time.sleep,
        timeout=timeout, max_bytes=max_bytes, retries=retries, backoff=backoff,
    )
    run = _Run(library, url, client, progress, should_stop or (lambda: False))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="importai-backfill") as pool:
        run.pool = pool
        try:
            run.walk()
        finally:
            run.finish()
    return run.report


class _Run:
    """One backfill run: the walk in this thread, imports and saves in ``pool``."""

    def __init__(
        self, library: Library, url: str, client: PoliteClient,
        progress: Callable[[BackfillProgress], None] | None, should_stop: Callable[[], bool],
    ) -> None:
        self.library, self.url, self.client = library, url, client
        self.progress, self.should_stop = progress, should_stop
        self.state = load_archive_state(library, url)
        self.report = BackfillReport(source=url, kind=self.state.kind)
        self.before = {summary.id for summary in library.list_issues()}
        self.pool: ThreadPoolExecutor | None = None
        self.pending: Future[None] | None = None
        self.lock = threading.Lock()
        # Failures of earlier runs stay recorded until they are tried again
        # (a listing page, or a Substack post; anything else was only said).
        self.carried = [f for f in self.state.failed if "page" in f or "slug" in f]
        self.revisit = {f["page"] for f in self.carried if isinstance(f.get("page"), int)}
        if self.state.resume_page:
            self.revisit.add(self.state.resume_page)
        self.failed_now: list[dict[str, Any]] = []
        self.touched: list[str] = []
        self.first_page: bytes | None = None
        self.posts: dict[str, ArchiveEntry] = {}  # Substack items by name, for the state

    # -- the walk ----------------------------------------------------------
    def walk(self) -> None:
        self.report.kind = self.state.kind or self._detect()
        if self.report.kind is None:  # no answer at all: nothing to decide on yet
            return self._save_later(None)
        self._retry_failed_posts()
        page, previous_names, streak = 1, None, 0
        while page <= MAX_PAGES:
            if self.should_stop():
                return self._save_later(page)
            listing = self._listing_url(page)
            try:
                entries = self._read_page(page, listing)
            except FetchError as failure:
                if self.report.kind == "wordpress" and failure.status in (404, 410):
                    return self._reached_end()
                self._fail(listing, failure.reason, page=page)
                self._tell(listing)
                streak += 1
                # Gone, too slow, or page after page unusable: ask again next run.
                if failure.status is None or streak >= 3:
                    return self._save_later(page - streak + 1)
                page += 1
                continue
            names = [name for name, _ in entries]
            if not entries or names == previous_names:
                return self._reached_end()  # (a server ignoring ?paged repeats page 1)
            previous_names, streak = names, 0
            self.report.pages += 1
            self._tell(listing)
            self._forget(page)
            items, settled, cut_short = self._new_items(page, entries)
            if cut_short:  # import what arrived; this page is visited again next run
                return self._submit(page, items, page)
            later = sorted(p for p in self.revisit if p > page)
            if settled and not later and self.state.complete:
                return self._submit(page, items, None)
            following = later[0] if settled and later else page + 1
            self._submit(page, items, following)
            page = following
        self._reached_end()

    def _detect(self) -> str | None:
        """``substack`` when the site answers its archive API with a JSON array,
        ``wordpress`` when it answers anything else, None when it does not answer."""
        probe = self._listing_url(1, "substack")
        try:
            body = self.client.get(probe, accept=_JSON)
        except FetchError as failure:
            if failure.status is None:
                self._fail(self.url, failure.reason)
                return None
            return "wordpress"
        if looks_like_archive_page(body):
            self.first_page = body
            return "substack"
        return "wordpress"

    def _listing_url(self, page: int, kind: str | None = None) -> str:
        parts = urlsplit(self.url)
        if (kind or self.report.kind) == "substack":
            offset = (page - 1) * SUBSTACK_PAGE_SIZE
            return (f"{parts.scheme}://{parts.netloc}/api/v1/archive"
                    f"?sort=new&offset={offset}&limit={SUBSTACK_PAGE_SIZE}")
        if page == 1:
            return self.url
        return f"{self.url}{'&' if parts.query else '?'}paged={page}"

    def _read_page(self, page: int, listing: str) -> list[tuple[str, Any]]:
        """``(name, entry)`` pairs of one listing page; FetchError when unusable."""
        if page == 1 and self.first_page is not None:
            body, self.first_page = self.first_page, None
        else:
            substack = self.report.kind == "substack"
            body = self.client.get(listing, accept=_JSON if substack else None)
        try:
            if self.report.kind == "substack":
                site = f"{urlsplit(self.url).scheme}://{urlsplit(self.url).netloc}"
                return [(e.url, e) for e in parse_archive_page(body, site, listing)]
            return [(item.name, item) for item in iter_feed_items(body, source=listing)]
        except FeedError as failure:
            raise FetchError(str(failure), failure.reason, status=0) from None

    def _new_items(
        self, page: int, entries: list[tuple[str, Any]]
    ) -> tuple[list[FeedItem], bool, bool]:
        """The page's items the library lacks (downloading Substack posts),
        whether the page ends with a known item, and whether the server went away.

        Items come newest first, so a known last item means everything older
        was seen by an earlier walk: the walk may stop (or jump) after it."""
        if self.report.kind == "wordpress":
            items: list[FeedItem] = [item for _, item in entries]
            known = stored_hashes(self.library, (_sha(i) for i in items))
            fresh = [i for i in items if _sha(i) not in known]
            self.report.known += len(items) - len(fresh)
            return fresh, _sha(items[-1]) in known, False
        posts: list[ArchiveEntry] = [entry for _, entry in entries]
        named = stored_names(self.library, (p.url for p in posts))
        with self.lock:
            seen = dict(self.state.seen)
        fresh_posts = [
            p for p in posts
            if p.url not in named or seen.get(p.url, p.fingerprint) != p.fingerprint
        ]
        for post in posts:
            if post.url in named and post.url not in seen:
                with self.lock:  # known from an earlier fetch: remember its entry
                    self.state.seen[post.url] = post.fingerprint
        self.report.known += len(posts) - len(fresh_posts)
        fetched: list[FeedItem] = []
        for post in fresh_posts:
            try:
                item = self._post(post)
            except _Unreachable:
                return fetched, False, True
            if item is not None:
                fetched.append(item)
        return fetched, posts[-1] not in fresh_posts, False

    def _post(self, entry: ArchiveEntry) -> FeedItem | None:
        """One Substack post as an item; None (recorded) when it failed."""
        if self.should_stop():
            raise _Unreachable
        parts = urlsplit(self.url)
        api = f"{parts.scheme}://{parts.netloc}{entry.post_path()}"
        try:
            body = self.client.get(api, accept=_JSON)
            item = parse_post(body, entry, source=api)
        except FetchError as failure:
            self._fail(entry.url, failure.reason, slug=entry.slug)
            if failure.status is None:
                raise _Unreachable from None
            return None
        except FeedError as failure:
            self._fail(entry.url, failure.reason, slug=entry.slug)
            return None
        finally:
            self._tell(api)
        self.posts[item.name] = entry
        return item

    def _retry_failed_posts(self) -> None:
        retry = [f for f in self.state.failed if isinstance(f.get("slug"), str)]
        if not retry or self.report.kind != "substack":
            return
        items: list[FeedItem] = []
        for failure in retry:
            entry = ArchiveEntry(failure["slug"], failure["url"], "")
            with self.lock:
                self.carried.remove(failure)
            try:
                item = self._post(entry)
            except _Unreachable:
                break
            if item is not None:
                items.append(item)
        if items:  # in the library before the walk asks what it holds
            self._submit(None, items, None, save=False)
            self._wait()

    # -- importing and saving (in the pool, one page at a time, in order) ----
    def _submit(
        self, page: int | None, items: list[FeedItem], resume: int | None, *, save: bool = True
    ) -> None:
        """Import ``items`` in the pool, then save the state with ``resume``
        (the page to go on at should the run end before the next save)."""
        self._wait()
        assert self.pool is not None
        self.pending = self.pool.submit(self._import, page, items, resume, save)

    def _save_later(self, resume: int | None) -> None:
        """Save after the import in flight: saves land in the order they were made."""
        self._submit(None, [], resume)

    def _import(
        self, page: int | None, items: list[FeedItem], resume: int | None, save: bool
    ) -> None:
        if items:
            outcome = self.library.import_sources(
                [(item.html.encode("utf-8"), item.name, item.meta) for item in items]
            )
            for item, result in zip(items, outcome.results):
                post = self.posts.get(item.name)
                if not result.ok:
                    where = {"slug": post.slug} if post else {"page": page}
                    self._fail(item.name, result.message or "conversion failed", **where)
                    continue
                with self.lock:
                    self.touched.extend(i for i in result.issue_ids if i not in self.touched)
                    if post and post.fingerprint:
                        self.state.seen[item.name] = post.fingerprint
            self._tell(self.url)
        if save:
            self._save(resume)

    def _wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def _reached_end(self) -> None:
        with self.lock:
            self.state.complete = True
        self._save_later(None)

    def _save(self, resume: int | None) -> None:  # in the pool only
        with self.lock:
            self.state.kind = self.report.kind
            self.state.resume_page = resume
            self.state.failed = [*self.carried, *self.failed_now]
            snapshot = ArchiveState(**{**self.state.__dict__, "failed": list(self.state.failed),
                                       "seen": dict(self.state.seen)})
        save_archive_state(self.library, self.url, snapshot)

    def finish(self) -> None:
        """Wait for the last import, then fill the report (also after an error)."""
        try:
            self._wait()
        finally:
            with self.lock:
                touched = list(self.touched)
                self.report.failed = [dict(f) for f in self.failed_now]
            self.report.new_issue_ids = [i for i in touched if i not in self.before]
            self.report.updated_issue_ids = [i for i in touched if i in self.before]
            self.report.requests = self.client.requests

    # -- bookkeeping -----------------------------------------------------------
    def _fail(self, url: str, reason: str, **where: Any) -> None:
        with self.lock:
            self.failed_now.append({"url": url, "reason": " ".join(reason.split()), **where})

    def _forget(self, page: int) -> None:
        """Page ``page`` is being visited now: its old failures are retried here."""
        self.revisit.discard(page)
        with self.lock:
            self.carried = [f for f in self.carried if f.get("page") != page]

    def _tell(self, url: str) -> None:
        if self.progress is None:
            return
        with self.lock:
            touched, failed = len(self.touched), len(self.failed_now)
        self.progress(BackfillProgress(
            self.report.pages, touched, self.report.known, failed, self.client.requests, url,
        ))


def _sha(item: FeedItem) -> str:
    return hashlib.sha256(item.html.encode("utf-8")).hexdigest()
