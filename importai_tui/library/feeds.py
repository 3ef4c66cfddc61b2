"""The library's ``feeds`` table: what was last fetched from each feed URL.

The ETag and Last-Modified validators stored here make the next fetch a
conditional GET. The table lives in the index, so a rebuild may drop it: the
next fetch is then simply unconditional.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importai_tui.library.store import Library


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
    library: Library, url: str, etag: str | None, last_modified: str | None
) -> None:
    """Remember when ``url`` was fetched and the ETag and Last-Modified to send
    with the next conditional GET (None: fetch unconditionally next time)."""
    fetched_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with library.session() as connection, connection:
        connection.execute(
            "INSERT INTO feeds(url, etag, last_modified, fetched_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, fetched_at = excluded.fetched_at",
            (url, etag, last_modified, fetched_at),
        )
