"""The library's ``archive_state`` table: where each ``fetch --all`` backfill stands.

One row per source URL, holding a small JSON object (``ArchiveState``). It
lives in the index, which a rebuild keeps; when it is lost (a damaged index
set aside) the next backfill walks the whole listing once more, recognising
every stored issue without downloading it again, so nothing is missed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from importai_tui.library.db import index_error

if TYPE_CHECKING:
    from importai_tui.library.store import Library


@dataclass
class ArchiveState:
    """What one source's backfill knows between runs.

    ``kind``: ``"wordpress"`` or ``"substack"`` once detected. ``complete``: a
    walk once reached the last page. ``resume_page``: the page an unfinished
    walk continues at. ``failed``: ``{"url", "reason"}`` objects, with the
    listing ``page`` or the Substack post ``slug`` to retry. ``seen``: a
    fingerprint of each Substack post's listing entry, to notice edits.
    """

    kind: str | None = None
    complete: bool = False
    resume_page: int | None = None
    failed: list[dict[str, Any]] = field(default_factory=list)
    seen: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, text: str) -> ArchiveState:
        """The state stored as ``text``; an empty state when it is unreadable."""
        try:
            data = json.loads(text)
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()
        state = cls()
        if data.get("kind") in ("wordpress", "substack"):
            state.kind = data["kind"]
        state.complete = data.get("complete") is True
        page = data.get("resume_page")
        state.resume_page = page if isinstance(page, int) and page > 0 else None
        failed = data.get("failed")
        if isinstance(failed, list):
            state.failed = [
                f for f in failed if isinstance(f, dict) and isinstance(f.get("url"), str)
            ]
        seen = data.get("seen")
        if isinstance(seen, dict):
            state.seen = {k: v for k, v in seen.items() if isinstance(v, str)}
        return state


def load_archive_state(library: Library, source: str) -> ArchiveState:
    """The stored state of ``source`` (empty when never backfilled)."""
    if not library.index_path.exists():
        return ArchiveState()
    connection = library.connect()
    try:
        row = connection.execute(
            "SELECT state_json FROM archive_state WHERE source = ?", (source,)
        ).fetchone()
    except sqlite3.OperationalError:
        return ArchiveState()  # an index too old to have the table (read-only)
    except sqlite3.DatabaseError as error:
        raise index_error(error, library.root, library.index_path) from None
    finally:
        connection.close()
    return ArchiveState.from_json(row[0]) if row else ArchiveState()


def save_archive_state(library: Library, source: str, state: ArchiveState) -> None:
    """Store ``state`` for ``source`` (one small transaction)."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with library.session() as connection, connection:
        connection.execute(
            "INSERT INTO archive_state(source, state_json, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(source) DO UPDATE SET state_json = excluded.state_json, "
            "updated_at = excluded.updated_at",
            (source, json.dumps(asdict(state), ensure_ascii=False), now),
        )


def stored_hashes(library: Library, hashes: Iterable[str]) -> set[str]:
    """Which of these source hashes the library holds (same bytes imported before)."""
    return _present(library, "sha256", list(hashes))


def stored_names(library: Library, names: Iterable[str]) -> set[str]:
    """Which of these source names (feed item links) the library holds."""
    return _present(library, "name", list(names))


def _present(library: Library, column: str, values: list[str]) -> set[str]:
    if not values or not library.index_path.exists():
        return set()
    connection = library.connect()
    try:
        marks = ",".join("?" * len(values))
        rows = connection.execute(
            f"SELECT DISTINCT {column} FROM sources WHERE {column} IN ({marks})",  # noqa: S608
            values,
        ).fetchall()
    except sqlite3.DatabaseError as error:
        raise index_error(error, library.root, library.index_path) from None
    finally:
        connection.close()
    return {row[0] for row in rows}
