"""Issue and section ids, and an issue title built from its headlines.

Light (the model and ``mdtext`` only): merging and the library's id renames
use these without the splitter.
"""

from __future__ import annotations

import hashlib

from importai_tui.convert.mdtext import normalise_headline, slugify
from importai_tui.convert.model import Issue, Section


def section_id(issue_id: str, slug: str) -> str:
    """A section id: ``{issue_id}/{slug}``."""
    return f"{issue_id}/{slug}"


def unnumbered_id(sections: list[Section]) -> str:
    """``u-`` plus 8 hex digits of a hash of the normalised story headlines."""
    heads = [normalise_headline(s.title) for s in sections if s.kind != "intro"]
    digest = hashlib.sha256("\n".join(heads).encode("utf-8")).hexdigest()
    return "u-" + digest[:8]


def title_from_headlines(sections: list[Section], limit: int = 3) -> str:
    """An issue title built from its first story headlines (never a number)."""
    parts = []
    for s in sections:
        if s.kind != "story":
            continue
        t = s.title
        if len(t) > 48:
            t = t[:48].rsplit(" ", 1)[0].rstrip(",;:-–") + "…"
        parts.append(t)
        if len(parts) == limit:
            break
    if not parts:
        parts = [s.title for s in sections[:1]]
    return "; ".join(parts) or "Untitled issue"


def assign_ids(issue: Issue) -> Issue:
    """(Re)compute section ids from the issue id and headline slugs, de-duplicated."""
    seen: dict[str, int] = {}
    for sec in issue.sections:
        base = "intro" if sec.kind == "intro" else slugify(sec.title)
        n = seen.get(base, 0) + 1
        seen[base] = n
        sec.id = section_id(issue.id, base if n == 1 else f"{base}-{n}")
    return issue
