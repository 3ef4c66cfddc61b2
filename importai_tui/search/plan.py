"""Planning: a parsed query and the vocabulary into one FTS5 MATCH expression.

An exact term is kept, the word being typed also matches as a prefix, and a
word that is not in the vocabulary is replaced by its nearest terms. Very common
words are left out when rarer ones are present (ranking every section for them
is slow and barely changes bm25).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from importai_tui.search.query import ParsedQuery, quote, tokenize
from importai_tui.search.vocabulary import Vocabulary

# A word group matching more than this share of sections counts as "common".
COMMON_SHARE = 0.3
# ... in libraries large enough for ranking every match to cost (sections).
COMMON_MIN_DOCUMENTS = 2000


@dataclass(frozen=True)
class Plan:
    """A parsed query turned into an FTS5 expression and the terms to highlight."""

    match: str | None
    terms: frozenset[str] = field(default_factory=frozenset)
    prefixes: tuple[str, ...] = ()
    groups: tuple[frozenset[str], ...] = ()  # per query word: the terms accepted
    group_prefixes: tuple[tuple[str, ...], ...] = ()
    # Only very common words: list matches unranked (bm25 over every section is slow).
    unranked: bool = False


def plan_query(query: ParsedQuery, vocab: Vocabulary | None) -> Plan:
    """The FTS5 expression for ``query``; without a vocabulary (still loading), words stay uncorrected."""
    clauses: list[str] = []
    terms: set[str] = set()
    prefixes: list[str] = []
    groups: list[frozenset[str]] = []
    group_prefixes: list[tuple[str, ...]] = []
    last_word_open = query.open_end and not query.last_is_phrase
    common: list[str] = []
    for index, word in enumerate(query.words):
        typing = last_word_open and index == len(query.words) - 1
        if len(word) < 2:
            continue  # one letter narrows nothing and matches most sections
        if vocab is None:
            # No vocabulary yet: the word as typed (and as a prefix), uncorrected.
            exact, prefix = {word}, [word] if typing and len(word) >= 2 else []
            alternatives = [quote(word)] + [quote(p) + " *" for p in prefix]
        else:
            alternatives, exact, prefix = _expand(word, vocab, typing=typing)
        if not alternatives:
            continue  # nothing like this word exists: ignore it, forgive it
        clause = "(" + " OR ".join(alternatives) + ")"
        if (
            vocab is not None
            and vocab.documents >= COMMON_MIN_DOCUMENTS
            and _estimate(vocab, exact, prefix) > COMMON_SHARE * vocab.documents
        ):
            # A word in most sections ("the", or a two-letter stub being
            # typed) barely changes bm25 but costs ranking every section:
            # leave it out when rarer words are present.
            common.append(clause)
            continue
        clauses.append(clause)
        terms.update(exact)
        prefixes.extend(prefix)
        groups.append(frozenset(exact))
        group_prefixes.append(tuple(prefix))
    for index, phrase in enumerate(query.phrases):
        typing = query.open_end and query.last_is_phrase and index == len(query.phrases) - 1
        if typing and len(phrase[-1]) < 2:
            # A one-letter final prefix ("scaling l") merges the postings of
            # every term starting with that letter (30 ms at 5,000 issues)
            # to narrow almost nothing: match the words before it for now.
            phrase, typing = phrase[:-1], False
        literal = quote(" ".join(phrase))
        clauses.append(literal + (" *" if typing else ""))
        terms.update(phrase[:-1] if typing else phrase)
        if typing:
            prefixes.append(phrase[-1])
    unranked = False
    if not clauses and common:
        clauses, unranked = common, True
    if not clauses:
        return Plan(match=None)
    expression = " AND ".join(clauses)
    if query.excluded:
        expression = f"({expression}) NOT (" + " OR ".join(quote(t) for t in query.excluded) + ")"
    return Plan(
        match=expression,
        terms=frozenset(terms),
        prefixes=tuple(prefixes),
        groups=tuple(groups),
        group_prefixes=tuple(group_prefixes),
        unranked=unranked,
    )


def _expand(word: str, vocab: Vocabulary, *, typing: bool) -> tuple[list[str], set[str], list[str]]:
    """FTS5 alternatives for one query word: exact, prefix and corrected terms."""
    alternatives: list[str] = []
    exact: set[str] = set()
    prefixes: list[str] = []
    known = word in vocab
    if known:
        alternatives.append(quote(word))
        exact.add(word)
    for singular in singulars(word):
        # "robots" finds a section that only says "robot" (as "robot" finds
        # "robots" while typing): the plural alone would miss it.
        if singular in vocab and singular not in exact:
            alternatives.append(quote(singular))
            exact.add(singular)
    if typing and len(word) >= 2 and vocab.has_prefix(word):
        # Prefix matches for short stubs are costly and noisy; 2+ characters
        # are served by the index's prefix tables.
        alternatives.append(quote(word) + " *")
        prefixes.append(word)
        return alternatives, exact, prefixes
    rare = known and vocab.doc_freq.get(word, 0) < 3
    if not known or rare:
        # Unknown (or a rare spelling, likely itself a typo in the text): add the
        # nearest frequent terms.
        floor = 10 * vocab.doc_freq.get(word, 0)
        for term in vocab.corrections(word):
            if term != word and vocab.doc_freq.get(term, 0) > floor:
                alternatives.append(quote(term))
                exact.add(term)
        if typing and not known and not exact:
            for stem in vocab.prefix_corrections(word):
                alternatives.append(quote(stem) + " *")
                prefixes.append(stem)
    return alternatives, exact, prefixes


def singulars(word: str) -> list[str]:
    """The singulars an English plural may have: "robots" -> "robot", "policies" -> "policy".

    Only candidates: the caller keeps those the vocabulary knows.
    """
    if len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return []
    if word.endswith("ies") and len(word) > 4:
        return [word[:-3] + "y", word[:-1]]
    return [word[:-1]]


def _estimate(vocab: Vocabulary, exact: set[str], prefixes: list[str]) -> int:
    """An upper bound of the sections one word group matches."""
    return sum(vocab.doc_freq.get(term, 0) for term in exact) + sum(
        vocab.prefix_doc_count(prefix) for prefix in prefixes
    )


@lru_cache(maxsize=4096)
def _title_tokens(text: str) -> frozenset[str]:
    """The tokens of a headline or issue title; cached, since every keystroke reranks the same titles."""
    return frozenset(tokenize(text))


def covers(plan: Plan, text: str) -> bool:
    """True when every query word group has a match among ``text``'s tokens (for the rerank)."""
    if not plan.groups:
        return False
    tokens = _title_tokens(text)
    for accepted, group_prefixes in zip(plan.groups, plan.group_prefixes):
        if tokens & accepted:
            continue
        if any(token.startswith(p) for p in group_prefixes for token in tokens):
            continue
        return False
    return True
