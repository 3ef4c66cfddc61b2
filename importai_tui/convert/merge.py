"""Merge copies of the same issue into one ``Issue``.

Copies match when they share an issue number, or when an unnumbered copy's
story headlines mostly match a numbered one's (an HTML file of an issue that a
text archive also holds). The richest copy's sections are kept: among copies
that are nearly complete (at least 90% of the longest copy's words), links
beat no links, then more words (a corrected ``Read more: X`` has one more word
than ``Read moreX``). Number, title, date and url come from whichever copy
knows them; every source is listed once, in input order.
"""

from __future__ import annotations

import dataclasses

from importai_tui.convert.mdtext import normalise_headline, words
from importai_tui.convert.model import Issue
from importai_tui.convert.ids import assign_ids, unnumbered_id

MATCH_RATIO = 0.6  # share of the smaller headline set that must match


def _headlines(issue: Issue) -> set[str]:
    return {normalise_headline(s.title) for s in issue.sections if s.kind == "story"}


def _word_count(issue: Issue) -> int:
    return sum(len(words(s.title)) + len(words(s.subtitle or "")) + len(words(s.body))
               for s in issue.sections)


def _has_links(issue: Issue) -> bool:
    return any(s.links for s in issue.sections)


def _same_issue(a: set[str], b: set[str]) -> bool:
    """Most headlines of the smaller set match (two at least, or all of them)."""
    common, small = len(a & b), min(len(a), len(b))
    return (common >= 2 and common >= MATCH_RATIO * small) or common == small >= 1


def _merge_group(group: list[Issue]) -> Issue:
    counts = [_word_count(i) for i in group]
    most = max(counts)
    candidates = [i for i, c in zip(group, counts) if c >= 0.9 * most]
    best = max(candidates, key=lambda i: (_has_links(i), _word_count(i)))
    # Fresh Section objects: assign_ids() rewrites ids, inputs stay untouched.
    merged = dataclasses.replace(
        best,
        sections=[dataclasses.replace(s, links=list(s.links)) for s in best.sections],
    )
    numbered = next((i for i in group if i.number is not None), None)
    if numbered is not None:
        merged.number = numbered.number
        merged.id = str(numbered.number)
        merged.title = numbered.title
    else:
        merged.id = unnumbered_id(merged.sections)
    merged.date = best.date or next((i.date for i in group if i.date), None)
    merged.url = best.url or next((i.url for i in group if i.url), None)
    merged.sources = list(dict.fromkeys(s for i in group for s in i.sources))
    return assign_ids(merged)


def merge_issues(issues: list[Issue]) -> list[Issue]:
    """One issue per unique issue, in order of first appearance."""
    groups: list[list[Issue]] = []
    by_number: dict[int, int] = {}
    unnumbered: list[Issue] = []
    for issue in issues:
        if issue.number is None:
            unnumbered.append(issue)
            continue
        if issue.number in by_number:
            groups[by_number[issue.number]].append(issue)
        else:
            by_number[issue.number] = len(groups)
            groups.append([issue])
    heads = [set().union(*(_headlines(i) for i in g)) for g in groups]
    # headline -> groups holding it, so an unnumbered copy is compared only with
    # groups it shares a headline with (no all-pairs work on big imports).
    index: dict[str, set[int]] = {}
    for k, h in enumerate(heads):
        for head in h:
            index.setdefault(head, set()).add(k)
    for issue in unnumbered:
        mine = _headlines(issue)
        candidates = set().union(*(index.get(h, set()) for h in mine)) if mine else set()
        best_k, best_overlap = None, 0
        for k in sorted(candidates):
            overlap = len(mine & heads[k])
            if _same_issue(mine, heads[k]) and overlap > best_overlap:
                best_k, best_overlap = k, overlap
        if best_k is None:
            best_k = len(groups)
            groups.append([])
            heads.append(set())
        groups[best_k].append(issue)
        heads[best_k] |= mine
        for head in mine:
            index.setdefault(head, set()).add(best_k)
    # Preserve input order of first appearance.
    position = {id(i): n for n, i in enumerate(issues)}
    groups.sort(key=lambda g: min(position[id(i)] for i in g))
    return [_merge_group(g) for g in groups]
