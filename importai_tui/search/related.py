"""Related stories: the sections of other issues most like a given one (no network, no model).

A section is profiled by its most distinctive terms (tf-idf against the
index's own document counts, ``Vocabulary``) and its proper names
(``names``). The terms, and the names as phrases, run as one FTS5 query ranked
by ``bm25``; the best candidates (and the best of each issue the section
cross-references, and the sections that cross-reference its issue) are then
scored by the share of the profile they hold:

    score = 0.4 * bm25 (relative to the best candidate)
          + 1.0 * share of the term weight shared
          + 0.5 * share of the term weight shared in the candidate's headline
          + 0.6 * share of the name weight shared
          + 0.35 when one of the two mentions the other's issue ("Import AI #400")

Only the most distinctive terms whose postings fit a budget go into the query
(``_retrieval``), so its cost stays flat as the archive grows.

Measured on the bundled seeds by ``tests/test_related.py`` (a story's follow-up
in the top 5) and for speed by ``benchmarks/bench_threads.py``.
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from importai_tui.crossref import mentioned_issues
from importai_tui.search import index
from importai_tui.search.index import LibraryLike, SectionFilters
from importai_tui.search.names import ADDRESSES, proper_names
from importai_tui.search.query import quote, tokenize
from importai_tui.search.searcher import searcher_for
from importai_tui.search.vocabulary import Vocabulary

DEFAULT_LIMIT = 10
# The profile: this many terms and names go into the query.
QUERY_TERMS = 16
QUERY_NAMES = 6
# At most this many postings (sections per term, summed) are ranked, beyond the
# first few terms (see ``_retrieval``).
POSTINGS_BUDGET = 2000
MIN_RETRIEVAL = 4
# A term in more than this share of sections says nothing about a story.
COMMON_SHARE = 0.2
# Term counts in the headline and the subtitle weigh more than in the body.
TITLE_WEIGHT = 3
SUBTITLE_WEIGHT = 2
# bm25 candidates scored, and the best per cross-referenced issue.
POOL = 40
PER_REFERENCED_ISSUE = 3
BACK_REFERENCES = 10
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
    # The terms and names (as token tuples) the FTS5 query looks for.
    retrieval: tuple[tuple[str, ...], ...] = ()

    def match(self) -> str | None:
        """One FTS5 expression: the ``retrieval`` terms, multi-word names as phrases."""
        clauses = [quote(" ".join(key)) for key in self.retrieval]
        return " OR ".join(clauses) if clauses else None


def section_profile(
    title: str, subtitle: str | None, body: str, vocab: Vocabulary
) -> Profile:
    """The section's most distinctive terms and names, weighted by rarity in the index."""
    prose = ADDRESSES.sub(" ", body)
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
    return Profile(terms, top_names, mentions, contexts, _retrieval(terms, top_names, vocab))


def _retrieval(
    terms: dict[str, float], names: dict[tuple[str, ...], tuple[str, float]], vocab: Vocabulary
) -> tuple[tuple[str, ...], ...]:
    """The most distinctive terms and names whose postings fit ``POSTINGS_BUDGET``.

    bm25 scores every section matching any of them, so the query's cost grows
    with their document counts: the budget keeps it flat as the archive grows,
    while the rest of the profile still counts when candidates are scored.
    """
    chosen: list[tuple[str, ...]] = []
    spent = 0
    wanted = [((term,), weight) for term, weight in terms.items()]
    wanted += [(key, weight) for key, (_, weight) in names.items() if len(key) > 1]
    for key, _ in sorted(wanted, key=lambda item: -item[1]):
        cost = min(vocab.doc_freq.get(token, 0) for token in key)
        if len(chosen) >= MIN_RETRIEVAL and spent + cost > POSTINGS_BUDGET:
            continue
        chosen.append(key)
        spent += cost
    return tuple(chosen)


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
        searcher.connection(),
        searcher.vocabulary(),
        searcher.section_filters(),
        section_id,
        limit=limit,
    )


def find_related(
    connection: sqlite3.Connection,
    vocab: Vocabulary,
    filters: SectionFilters,
    section_id: str,
    *,
    limit: int,
) -> list[RelatedSection]:
    """``related_sections`` on an open connection, a loaded vocabulary and the section filters."""
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
    own = sorted(filters.by_issue.get(issue_id, frozenset()))
    pool = dict(index.ranked_among(connection, match, excluded=own, pool=max(POOL, limit)))
    referenced = {n for n in profile.mentions if n != number and str(n) in filters.by_issue}
    if referenced:
        # A mention names an issue, not a story: its best matches join the pool.
        rowids = sorted(
            set().union(*(filters.by_issue[str(n)] for n in referenced)) - set(own)
        )
        for candidate, rank in index.ranked_among(
            connection, match, only=rowids, pool=PER_REFERENCED_ISSUE * len(referenced)
        ):
            pool.setdefault(candidate, rank)
    if number is not None:
        # Later stories that point back at this issue.
        for candidate, _ in index.ranked_among(
            connection, quote(f"import ai {number}"), excluded=own, pool=BACK_REFERENCES
        ):
            pool.setdefault(candidate, 0.0)
    scored = _score(connection, profile, pool, referenced, number)
    return scored[:limit]


@dataclass
class _Candidate:
    """A pooled section being scored."""

    score: float
    rowid: int
    issue_id: str
    number: int | None
    date: str | None
    section_id: str
    title: str
    kind: str
    terms: list[str]
    names: list[tuple[str, ...]]
    crossref: bool  # it points back at the section's issue, or is boosted as the one meant
    mentioned: bool  # its issue is one the section mentions
    fit: float  # how well it fits the words around that mention


def _score(
    connection: sqlite3.Connection,
    profile: Profile,
    pool: dict[int, float],
    referenced: set[int],
    number: int | None,
) -> list[RelatedSection]:
    details = index.section_details(connection, list(pool))
    best_rank = max((-rank for rank in pool.values()), default=0.0) or 1.0
    term_total = sum(profile.terms.values()) or 1.0
    name_total = sum(weight for _, weight in profile.names.values()) or 1.0
    back_reference = f" import ai {number} " if number is not None else None
    candidates = []
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
            BM25_WEIGHT * (-rank / best_rank)
            + TERMS_WEIGHT * sum(profile.terms[t] for t in terms) / term_total
            + HEADLINE_WEIGHT * sum(profile.terms[t] for t in terms if t in headline) / term_total
            + NAMES_WEIGHT * sum(profile.names[k][1] for k in names) / name_total
        )
        mentioned = number_ in referenced
        context = profile.contexts.get(number_, {}) if mentioned else {}
        candidates.append(
            _Candidate(
                score, rowid, issue_id, number_, date, section_id, title, kind, terms, names,
                crossref=back_reference is not None and back_reference in joined,
                mentioned=mentioned,
                fit=sum(weight for token, weight in context.items() if token in present),
            )
        )
    # A mention names an issue: its boost goes to the section of that issue
    # that best fits the words around the mention.
    candidates.sort(key=lambda c: (-c.fit, -c.score, c.rowid))
    boosted_issues: set[str] = set()
    for candidate in candidates:
        if candidate.crossref or (
            candidate.mentioned and candidate.issue_id not in boosted_issues
        ):
            candidate.score += CROSSREF_BOOST
            candidate.crossref = True
            if candidate.mentioned:
                boosted_issues.add(candidate.issue_id)
    candidates.sort(key=lambda c: (-c.score, c.rowid))
    return [_related(profile, candidate) for candidate in candidates]


def _related(profile: Profile, candidate: _Candidate) -> RelatedSection:
    covered = {token for key in candidate.names for token in key}
    shown = [profile.names[key][0] for key in candidate.names]
    shown += [term for term in candidate.terms if term not in covered]
    return RelatedSection(
        issue_id=candidate.issue_id,
        issue_number=candidate.number,
        issue_date=candidate.date,
        section_id=candidate.section_id,
        title=candidate.title,
        kind=candidate.kind,
        score=round(candidate.score, 4),
        shared_terms=tuple(shown[:SHOWN_TERMS]),
        highlight_terms=frozenset(candidate.terms) | covered,
        crossref=candidate.crossref,
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
    """Worth matching on: not a bare number, not a one- or two-letter stub ("o1" stays),
    not an English function word or everyday verb (which look rare in a small library)."""
    if term.isdigit() or term in _PLAIN_ENGLISH:
        return False
    return len(term) >= 3 or not term.isalpha()


# Words that say nothing about a story's subject, however rare they look in a
# library of a few issues (where "took" or "place" may appear only twice).
_PLAIN_ENGLISH = frozenset(
    """
    about above after again against all also although among and another any are
    because been before being below between both but came can cannot come could did does
    doing done down during each either else even ever every few for from further get gets
    getting give given gives go goes going gone got had has have having her here hers him
    his how however into its itself just keep kept know known less like made make makes
    making many may might more most much must near need never next not now off often once
    only onto other others our out over own per perhaps place put quite rather really said
    same say says see seem seems seen several shall she should since some still such take
    taken takes taking than that the their them then there these they thing things this
    those though through thus too took toward under until upon use used uses using very
    want was way ways well went were what when where whether which while who whom whose
    why will with within without would yet you your
    """.split()
)
