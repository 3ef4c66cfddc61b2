"""Merge a whole library's issues fast: ``merge_issues`` per connected group.

``convert.merge_issues`` compares every unnumbered issue with every group, and
measures every group's words, which is most of the cost of a 500-issue import
although almost every issue stands alone. Copies of one issue can only merge
when they share a number or a story headline (the merge's documented rule),
so this splits the issues into components linked by those keys, runs
``merge_issues`` on each component of two or more, and passes lone issues
through untouched. A test checks that the result equals
``merge_issues`` over everything.
"""

from __future__ import annotations

from importai_tui.convert.model import Issue


def _headline_key(text: str) -> str:
    try:
        from importai_tui.convert.mdtext import normalise_headline
    except ImportError:  # the converter's helper moved: fall back to a looser key
        return " ".join(text.lower().split())
    return normalise_headline(text)


def merge_keys(issue: Issue) -> list[str]:
    """The keys by which copies of ``issue`` can find each other: its number
    and its story headlines. Two issues sharing no key never merge."""
    # Story headlines only, as the merge compares: every copy of a seed
    # shares its Tech Tales title and intro, which never make copies match.
    keys = [f"h:{_headline_key(s.title)}" for s in issue.sections if s.kind == "story"]
    keys = [key for key in keys if key not in ("h:", "h: ")]
    if issue.number is not None:
        keys.append(f"n:{issue.number}")
    return keys


def merge_by_component(issues: list[Issue]) -> list[Issue]:
    """Same result as ``merge_issues(issues)``, in order of first appearance."""
    from importai_tui.convert import merge_issues

    parent = list(range(len(issues)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for index, issue in enumerate(issues):
        for key in merge_keys(issue):
            other = owner.setdefault(key, index)
            if other != index:
                a, b = find(index), find(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    components: dict[int, list[int]] = {}
    for index in range(len(issues)):
        components.setdefault(find(index), []).append(index)
    merged: list[tuple[int, Issue]] = []
    lone: list[tuple[int, Issue]] = []
    for root, members in components.items():
        if len(members) == 1:
            lone.append((root, issues[root]))
        else:
            group = [issues[i] for i in members]
            merged.extend((members[0], m) for m in merge_issues(group))
    # A lone issue comes out of merge_issues as it went in (the converter
    # already gave it its final ids), so it skips the merge entirely.
    merged.extend(lone)
    merged.sort(key=lambda pair: pair[0])
    return [issue for _, issue in merged]
