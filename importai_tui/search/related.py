"""Related stories: the sections of other issues most like a given one (no network, no model).

A section is profiled by its most distinctive terms (tf-idf against the
index's own document counts, ``Vocabulary``) and its proper names
(``names``). The terms, and the names as phrases, run as one FTS5 query ranked
by ``bm25``; the best candidates (and the best of each issue the section
cross-references, and the sections that cross-reference its issue) are then
scored by the share of the profile they hold:

    score = 0.4 * bm25 (relative to the best candidate)
          + 1.0 * share of the term weight shared
          + 0.6 * share of the name weight shared
          + 0.35 when one of the two mentions the other's issue ("Import AI #400")

Measured on the bundled seeds by ``tests/test_related.py`` (a story's follow-up
in the top 5) and for speed by ``benchmarks/bench_threads.py``.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from importai_tui.crossref import mentioned_issues
from importai_tui.search import index
from importai_tui.search.index import LibraryLike
from importai_tui.search.names import proper_names
from importai_tui.search.query import quote, tokenize
from importai_tui.search.searcher import searcher_for
from importai_tui.search.vocabulary import Vocabulary

DEFAULT_LIMIT = 10
# The profile: this many terms and names go into the query.
QUERY_TERMS = 16
QUERY_NAMES = 6
# A term in more than this share of sections says nothing about a story.
COMMON_SHARE = 0.2
# Term counts in the headline and the subtitle weigh more than in the body.
TITLE_WEIGHT = 3
SUBTITLE_WEIGHT = 2
# bm25 candidates scored, and the best per cross-referenced issue.
POOL = 40
PER_REFERENCED_ISSUE = 3
# Score parts (see the module docstring).
BM25_WEIGHT = 0.4
TERMS_WEIGHT = 1.0
NAMES_WEIGHT = 0.6
CROSSREF_BOOST = 0.35
HEADLINE_WEIGHT = 0.5
# Tokens around a mention of another issue that tell which of its stories is meant.
CONTEXT_BEFORE = 24
CONTEXT_AFTER = 12
# Shared terms shown as the "why" of a result.
SHOWN_TERMS = 6
_ADDRESSES = re.compile(r"\]\([^)]*\)|<https?://[^>\s]*>|https?://\S+")


@dataclass(frozen=True)
class RelatedSection:
    """One related section, best first.

    ``shared_terms`` explain the match: shared proper names as written, then
    shared index terms, most distinctive first. ``highlight_terms`` are the
    index tokens behind them (for ``match_spans``).
    """

    issue_id: str
    issue_number: int | None
    issue_date: str | None
    section_id: str
    title: str
    kind: str
    score: float
    shared_terms: tuple[str, ...]
    highlight_terms: frozenset[str]
    crossref: bool = False

    def to_json(self) -> dict[str, Any]:
        """The ``related --json`` record."""
        return {
            "issue_id": self.issue_id,
            "number": self.issue_number,
            "date": self.issue_date,
            "section_id": self.section_id,
            "title": self.title,
            "score": self.score,
            "shared_terms": list(self.shared_terms),
        }


@dataclass(frozen=True)
class Profile:
    """What makes a section distinctive: weighted terms and names, and the issues it mentions."""

    terms: dict[str, float]
    names: dict[tuple[str, ...], tuple[str, float]]
    mentions: tuple[int, ...]
    # Per mentioned issue: the weighted terms around its mentions (which story it means).
    contexts: dict[int, dict[str, float]] = field(default_factory=dict)

    def match(self) -> str | None:
        """One FTS5 expression: every term, and every multi-word name as a phrase."""
        clauses = [quote(term) for term in self.terms]
        clauses += [quote(" ".join(key)) for key in self.names if len(key) > 1]
        return " OR ".join(clauses) if clauses else None


def section_profile(
    title: str, subtitle: str | None, body: str, vocab: Vocabulary
) -> Profile:
    """The section's most distinctive terms and names, weighted by rarity in the index."""
    prose = _ADDRESSES.sub(" ", body)
    counts: Counter[str] = Counter(tokenize(prose))
    for token in tokenize(title):
        counts[token] += TITLE_WEIGHT
    for token in tokenize(subtitle or ""):
        counts[token] += SUBTITLE_WEIGHT
    documents = max(vocab.documents, 1)
    ceiling = max(2, COMMON_SHARE * documents)

    def rarity(term: str) -> float:
        return math.log(documents / max(vocab.doc_freq.get(term, 1), 1))

    weights: dict[str, float] = {}
    for term, count in counts.items():
        found_in = vocab.doc_freq.get(term, 0)
        if found_in < 2 or found_in > ceiling or not _meaningful(term):
            continue  # only here (matches nothing else) or everywhere (says nothing)
        weights[term] = (1 + math.log(count)) * rarity(term)
    terms = dict(sorted(weights.items(), key=lambda item: -item[1])[:QUERY_TERMS])
    names: dict[tuple[str, ...], tuple[str, float]] = {}
    for key, written in proper_names(f"{subtitle or ''}\n{body}").items():
        known = [vocab.doc_freq.get(token, 0) for token in key]
        if min(known) < 1 or min(known) > ceiling:
            continue  # a common word at a sentence's start, or not indexed
        if len(key) == 1 and vocab.doc_freq.get(key[0], 0) < 2:
            continue
        names[key] = (written, max(rarity(token) for token in key))
    top_names = dict(sorted(names.items(), key=lambda item: -item[1][1])[:QUERY_NAMES])
    mentions = tuple(mentioned_issues(body))
    contexts: dict[int, dict[str, float]] = {}
    if mentions:
        tokens = tokenize(body)
        for number in mentions:
            around: dict[str, float] = {}
            for start in _mention_starts(tokens, number):
                for token in tokens[max(0, start - CONTEXT_BEFORE) : start + CONTEXT_AFTER]:
                    if 2 <= vocab.doc_freq.get(token, 0) <= ceiling and _meaningful(token):
                        around[token] = rarity(token)
            contexts[number] = around
    return Profile(terms, top_names, mentions, contexts)


def related_sections(
    library: LibraryLike, section_id: str, *, limit: int = DEFAULT_LIMIT
) -> list[RelatedSection]:
    """The sections of other issues most related to ``section_id``, best first.

    Uses the library's shared searcher (its vocabulary is loaded once per
    index generation). An unknown section, or one with nothing distinctive
    in it, has no related sections. Never raises on odd input.
    """
    searcher = searcher_for(library)
    return find_related(
        searcher.connection(), searcher.vocabulary(), section_id, limit=limit
    )


def find_related(
    connection: sqlite3.Connection, vocab: Vocabulary, section_id: str, *, limit: int
) -> list[RelatedSection]:
    """``related_sections`` on an open connection and a loaded vocabulary."""
    limit = max(0, int(limit))
    found = index.section_rowid(connection, section_id.strip())
    if found is None or limit == 0:
        return []
    rowid, issue_id = found
    _, _, number, _, title, subtitle, body, _ = index.section_details(connection, [rowid])[rowid]
    profile = section_profile(title, subtitle, body, vocab)
    match = profile.match()
    if match is None:
        return []
    own = index.rowids_of_issues(connection, [issue_id])
    pool = dict(index.ranked_among(connection, match, excluded=own, pool=max(POOL, limit)))
    referenced = {
        referenced_id: mentioned
        for mentioned, referenced_id in index.issue_ids_by_number(
            connection, [n for n in profile.mentions if n != number]
        ).items()
        if referenced_id != issue_id
    }
    if referenced:
        # A mention names an issue, not a story: its best matches join the pool.
        for candidate, rank in index.ranked_among(
            connection,
            match,
            only=index.rowids_of_issues(connection, sorted(referenced)),
            pool=PER_REFERENCED_ISSUE * len(referenced),
        ):
            pool.setdefault(candidate, rank)
    if number is not None:
        # Later stories that point back at this issue.
        for candidate, _ in index.ranked_among(
            connection, quote(f"import ai {number}"), excluded=own, pool=POOL
        ):
            pool.setdefault(candidate, 0.0)
    scored = _score(connection, profile, pool, referenced, number)
    return scored[:limit]


def _score(
    connection: sqlite3.Connection,
    profile: Profile,
    pool: dict[int, float],
    referenced: dict[str, int],
    number: int | None,
) -> list[RelatedSection]:
    details = index.section_details(connection, list(pool))
    best_rank = max((-rank for rank in pool.values()), default=0.0) or 1.0
    term_total = sum(profile.terms.values()) or 1.0
    name_total = sum(weight for _, weight in profile.names.values()) or 1.0
    back_reference = f" import ai {number} " if number is not None else None
    rows = []
    for rowid, rank in pool.items():
        if rowid not in details:
            continue
        section_id, issue_id, number_, date, title, subtitle, body, kind = details[rowid]
        tokens = tokenize(f"{title}\n{subtitle or ''}\n{body}")
        present = set(tokens)
        joined = " " + " ".join(tokens) + " "
        terms = [term for term in profile.terms if term in present]
        names = [key for key in profile.names if " " + " ".join(key) + " " in joined]
        headline = set(tokenize(title))
        score = (
            HEADLINE_WEIGHT * sum(profile.terms[t] for t in terms if t in headline) / term_total
            +
            BM25_WEIGHT * (-rank / best_rank)
            + TERMS_WEIGHT * sum(profile.terms[t] for t in terms) / term_total
            + NAMES_WEIGHT * sum(profile.names[k][1] for k in names) / name_total
        )
        points_back = back_reference is not None and back_reference in joined
        context = profile.contexts.get(referenced.get(issue_id, -1), {})
        fit = sum(weight for token, weight in context.items() if token in present)
        rows.append(
            [score, rowid, issue_id, points_back, terms, names,
             (section_id, number_, date, title, kind), fit]
        )
    # A mention names an issue: its boost goes to the section of that issue
    # that best fits the words around the mention.
    rows.sort(key=lambda row: (-row[7], -row[0], row[1]))
    boosted_issues: set[str] = set()
    for row in rows:
        issue_id = row[2]
        if row[3] or (issue_id in referenced and issue_id not in boosted_issues):
            row[0] += CROSSREF_BOOST
            row[3] = True
            if issue_id in referenced:
                boosted_issues.add(issue_id)
    rows.sort(key=lambda row: (-row[0], row[1]))
    return [_related(profile, row) for row in rows]


def _related(profile: Profile, row: list) -> RelatedSection:
    score, _, issue_id, crossref, terms, names, info, _ = row
    section_id, number, date, title, kind = info
    covered = {token for key in names for token in key}
    shown = [profile.names[key][0] for key in names]
    shown += [term for term in terms if term not in covered]
    return RelatedSection(
        issue_id=issue_id,
        issue_number=number,
        issue_date=date,
        section_id=section_id,
        title=title,
        kind=kind,
        score=round(score, 4),
        shared_terms=tuple(shown[:SHOWN_TERMS]),
        highlight_terms=frozenset(terms) | covered,
        crossref=crossref,
    )


def _mention_starts(tokens: list[str], number: int) -> list[int]:
    """Where ``import ai <number>`` occurs in ``tokens`` (text mentions and issue-page URLs alike)."""
    wanted = str(number)
    return [
        i
        for i in range(len(tokens) - 2)
        if tokens[i] == "import" and tokens[i + 1] == "ai" and tokens[i + 2].lstrip("0") == wanted
    ]


def _meaningful(term: str) -> bool:
    """Worth matching on: not a bare number, not a one- or two-letter stub ("o1" stays)."""
    if term.isdigit():
        return False
    return len(term) >= 3 or not term.isalpha()
