"""What a backfill run reports, and the polite HTTP client it asks through."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from importai_tui.download import download
from importai_tui.wording import plural


@dataclass(frozen=True)
class BackfillProgress:
    """Where a run stands, sent after every request and every page's import
    (for a progress bar; the import's comes from the worker thread).

    ``new``: issues imported or updated so far; ``known``: items recognised
    without downloading; ``url``: what was asked last.
    """

    pages: int
    new: int
    known: int
    failed: int
    requests: int
    url: str


@dataclass
class BackfillReport:
    """What one ``backfill`` run did.

    ``failed``: ``{"url", "reason"}`` for every page or post that failed (the
    next run retries them); ``known``: items recognised without downloading.
    """

    source: str
    kind: str | None = None
    new_issue_ids: list[str] = field(default_factory=list)
    updated_issue_ids: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    requests: int = 0
    pages: int = 0
    known: int = 0

    def as_json(self) -> dict[str, Any]:
        """The ``importai fetch --all --json`` object."""
        return {
            "new": list(self.new_issue_ids),
            "updated": list(self.updated_issue_ids),
            "failed": [{"url": f["url"], "reason": f["reason"]} for f in self.failed],
            "requests": self.requests,
        }

    def summary(self) -> str:
        """One line for people."""
        new, updated = len(self.new_issue_ids), len(self.updated_issue_ids)
        line = f"archive: {plural(new, 'new issue')}, {updated} updated, {self.known} known"
        if self.failed:
            line += f", {len(self.failed)} failed"
        return f"{line} ({plural(self.pages, 'page')}, {plural(self.requests, 'request')})"


class PoliteClient:
    """One request at a time, at least ``delay`` seconds apart, counted."""

    def __init__(self, delay: float, sleep: Callable[[float], None], **options: Any) -> None:
        self.delay = delay
        self.sleep = sleep
        self.options = options
        self.requests = 0
        self._last: float | None = None

    def get(self, url: str, accept: str | None = None) -> bytes:
        if self._last is not None:
            wait = self._last + self.delay - time.monotonic()
            if wait > 0:
                self.sleep(wait)
        self.requests += 1
        try:
            return download(url, accept=accept, sleep=self.sleep, **self.options).body
        finally:
            self._last = time.monotonic()
