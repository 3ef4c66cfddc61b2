"""Download the whole archive: ``importai fetch --all``, page by page, newest first.

Two kinds of source. A WordPress feed (the default, ``https://jack-clark.net/feed/``)
serves older items at ``FEED?paged=N`` with their full HTML, and 404 (or an
empty page) past the last. A Substack publication, detected by asking
``/api/v1/archive`` on the URL's site, lists posts 12 at a time
(``?sort=new&offset=N&limit=12``) and serves each post's HTML at
``/api/v1/posts/SLUG``.

Incremental and resumable: items already in the library (same bytes, or for
Substack the same link and listing entry) are not downloaded or converted
again; once a walk has reached the end, a later run stops after the first page
that ends with a known item (items come newest first: all older ones are
known). Where a walk stands (``library.archive``) is saved
after every page's import, so a killed or failed run loses nothing and the
next run goes on where it stopped and retries what failed.

Polite: one request at a time, ``delay`` seconds apart; ``download`` adds the
User-Agent, timeouts, a deadline, the size cap, retries and Retry-After.
Each page is imported (one ``Library.import_sources`` transaction) in a
worker thread while the next page downloads. No Textual here: the CLI and
the reader both call ``backfill``.
"""

from __future__ import annotations

from importai_tui.backfill.report import BackfillProgress, BackfillReport
from importai_tui.backfill.walk import backfill

__all__ = ["BackfillProgress", "BackfillReport", "backfill"]
