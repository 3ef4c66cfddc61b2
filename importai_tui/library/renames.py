"""Finding an issue under the id it had before it was renamed.

An issue first imported without a number (``u-…``) is renamed to its number
when a numbered copy arrives (a feed item, a text archive). Bookmarks and
reading state saved under the old id must still find it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable


def renamed_issue_id(conn: sqlite3.Connection, old_id: str) -> str | None:
    """The current id of an issue once known as the unnumbered ``old_id``.

    Derived, not stored, so it survives every rebuild: the unnumbered id is a
    hash of the story headlines, so the issue whose headlines hash to it is the
    same issue under its number. Failing that (the merge kept another copy's
    sections), the per-source cache still holds the unnumbered copy: the
    issue that lists its source and shares the most section slugs is it.
    Runs only when an id is not found, so its scans cost nothing otherwise.
    """
    from importai_tui.convert.model import Section
    from importai_tui.convert.ids import unnumbered_id

    titles: dict[str, list[Section]] = {}
    for issue_id, title, kind in conn.execute(
        "SELECT issue_id, title, kind FROM sections ORDER BY issue_id, position"
    ):
        titles.setdefault(issue_id, []).append(
            Section(id="", title=title, subtitle=None, kind=kind, body="")
        )
    for issue_id, sections in titles.items():
        if issue_id != old_id and unnumbered_id(sections) == old_id:
            return issue_id
    needle = f'"id":"{old_id}"'
    for sha, text in conn.execute(
        "SELECT sha256, issues_json FROM source_issues WHERE instr(issues_json, ?) > 0",
        (needle,),
    ).fetchall():
        copy = next((d for d in json.loads(text) if d["id"] == old_id), None)
        name_row = conn.execute("SELECT name FROM sources WHERE sha256 = ?", (sha,)).fetchone()
        if copy is None or name_row is None:
            continue
        slugs = {s["id"].partition("/")[2] for s in copy["sections"]}
        best, best_overlap = None, 0
        for (issue_id,) in conn.execute(
            "SELECT id FROM issues WHERE instr(sources, ?) > 0",
            (json.dumps(name_row[0], ensure_ascii=False),),
        ).fetchall():
            overlap = sum(
                1
                for (sid,) in conn.execute("SELECT id FROM sections WHERE issue_id = ?", (issue_id,))
                if sid.partition("/")[2] in slugs
            )
            if overlap > best_overlap:
                best, best_overlap = issue_id, overlap
        if best is not None:
            return best
    return None


def renamed_pairs(
    saved: Iterable[str], known: set[str], resolve: Callable[[str], str | None]
) -> list[tuple[str, str]]:
    """``(old id, new id)`` for each saved issue id the library now knows by another.

    For the user's stores (read marks, bookmarks): ids still in ``known`` are
    current; ``resolve`` (``Library.resolve_issue_id``) maps the others, and an
    id that resolves to nothing stays as it is, never dropped.
    """
    pairs = []
    for old in sorted(set(saved) - known):
        new = resolve(old)
        if new and new != old:
            pairs.append((old, new))
    return pairs
