"""Keep the archive current: download the newsletter's feed and import new issues.

The parts live in their layers: ``download`` (one bounded HTTP GET),
``convert.feed`` (RSS/Atom bytes into items), ``library.feeds`` (the stored
validators). ``fetch_feed(library, url, …) -> FetchReport`` puts them
together: every item is parsed *before* anything is written, then all items
go through ``Library.import_sources`` in one transaction (the library's own
merge decides whether a newer copy replaces an older one), and the feed's
ETag and Last-Modified are stored for the next conditional GET (not when an
item failed: the next fetch downloads the feed again and retries it).

Every failure of the network or of the feed as a whole is a ``FetchError``
with a one-line message, raised before the library is touched.

No Textual here: the CLI and the app's worker both call ``fetch_feed``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from importai_tui.convert.feed import FeedError, FeedItem, iter_feed_items
from importai_tui.download import DEFAULT_MAX_BYTES, FetchError, download
from importai_tui.feed_source import DEFAULT_FEED_URL, DEFAULT_TIMEOUT
from importai_tui.library import FileResult, Library
from importai_tui.library.feeds import load_feed_state, save_feed_state
from importai_tui.wording import plural

__all__ = ["DEFAULT_FEED_URL", "FetchError", "FetchReport", "fetch_feed", "import_items"]


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
    try:
        items = iter_feed_items(result.body, source=url)
    except FeedError as failure:
        raise FetchError(str(failure), failure.reason) from None
    report.item_count = len(items)
    import_items(library, items, report)
    # With an item that failed, the next fetch must not get a 304 for this
    # feed: that item would not be tried again until the feed changed.
    if report.failed:
        save_feed_state(library, url, None, None)
    else:
        save_feed_state(library, url, result.etag, result.last_modified)
    return report
