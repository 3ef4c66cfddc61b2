"""The searcher: one library's vocabulary and filters cached per index generation, and ranking.

The corrected query (``plan``) runs as one FTS5 MATCH ranked by ``bm25`` with
column weights, then a small rerank boosts sections whose headline or issue
title holds every query word. Each hit carries a plain-text snippet and the
spans of its matched words (``snippets``).
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from importai_tui.search import index
from importai_tui.search.hits import SearchHit
from importai_tui.search.index import LibraryLike, SectionFilters
from importai_tui.search.plan import Plan, covers, plan_query
from importai_tui.search.query import parse_query
from importai_tui.search.snippets import lead, make_snippet, match_spans
from importai_tui.search.vocabulary import (
    VOCABULARY_FILE,
    Vocabulary,
    load_vocabulary,
    save_vocabulary,
)

# Rerank boosts applied on top of bm25.
TITLE_BOOST = 1.6  # every query word is in the section headline
ISSUE_TITLE_BOOST = 1.15  # every query word is in the issue's title
DEFAULT_LIMIT = 20
# How many bm25 candidates the rerank looks at (beyond ``limit``).
RERANK_POOL = 60


class Searcher:
    """Searches one library; keeps the vocabulary cached per library generation.

    Safe to share across threads: each thread gets its own SQLite connection.
    """

    def __init__(self, library: LibraryLike) -> None:
        self.library = library
        self._local = threading.local()
        self._lock = threading.Lock()
        self._vocab: Vocabulary | None = None
        self._vocab_key: tuple | None = None
        self._filters_cache: tuple[tuple, SectionFilters] | None = None

    # -- plumbing ----------------------------------------------------------
    def connection(self) -> sqlite3.Connection:
        """This thread's connection to the index (opened on first use, kept until ``close``)."""
        return self._connection()

    def generation(self) -> tuple:
        """A fingerprint of the index that changes whenever it is written (for callers' caches)."""
        return self._generation()

    def section_filters(self) -> SectionFilters:
        """Each section's kind and issue (rowid sets), cached per index generation."""
        return self._sections()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self.library.connect()
            self._local.connection = connection
        return connection

    def close(self) -> None:
        """Close this thread's connection (others close when their thread ends)."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def _generation(self) -> tuple:
        """A fingerprint of the index that changes whenever it is written (``index.generation``)."""
        return index.generation(self._connection(), self.library.index_path)

    def _cache_key(self, generation: tuple) -> str | None:
        """The key of the vocabulary saved for this ``generation`` (``index.vocabulary_key``)."""
        return index.vocabulary_key(self._connection(), generation)

    def vocabulary(self) -> Vocabulary:
        """The index vocabulary, reloaded only when the index has changed."""
        key = self._generation()
        vocab = self._vocab
        if vocab is not None and key == self._vocab_key:
            return vocab
        with self._lock:
            if self._vocab is not None and key == self._vocab_key:
                return self._vocab
            cache = Path(self.library.index_path).with_name(VOCABULARY_FILE)
            cache_key = self._cache_key(key)
            vocab = load_vocabulary(cache, cache_key) if cache_key else None
            if vocab is None:
                vocab = index.read_vocabulary(self._connection())
                if cache_key:
                    # Reading sections_vocab walks the whole index (seconds
                    # for a large archive); the next start reads this file.
                    save_vocabulary(cache, cache_key, vocab)
            self._vocab = vocab
            self._vocab_key = key
            return self._vocab

    def warm(self) -> None:
        """Load the vocabulary, its prefix tables and the filter sets ahead of the first keystroke."""
        self.vocabulary().warm()
        self._sections()

    def _ready_vocabulary(self) -> Vocabulary | None:
        """The vocabulary, or None while another thread is still loading it.

        A large archive's vocabulary takes seconds to load (``warm`` runs it in a
        worker when the search screen opens); keystrokes meanwhile search
        without typo correction instead of waiting.
        """
        if self._vocab is not None and self._generation() == self._vocab_key:
            return self._vocab
        if self._lock.locked():
            return None
        return self.vocabulary()

    def _sections(self) -> SectionFilters:
        """Each section's kind and issue (for filters), reloaded when the index changes."""
        key = self._generation()
        cached = self._filters_cache
        if cached is not None and cached[0] == key:
            return cached[1]
        filters = index.read_section_filters(self._connection())
        self._filters_cache = (key, filters)
        return filters

    # -- searching ---------------------------------------------------------
    def search(
        self,
        query: str,
        *,
        limit: int = DEFAULT_LIMIT,
        tales_only: bool = False,
        issue: int | None = None,
        prefix: bool = True,
    ) -> list[SearchHit]:
        """Sections matching ``query``, best first; never raises on odd input.

        ``tales_only`` and ``issue`` narrow like ``tale:`` and ``#401`` in the
        query. ``prefix`` lets the last word match as a prefix (as-you-type).
        An empty query returns nothing unless a filter is given, in which case
        the filtered sections come back newest first.
        """
        limit = max(0, int(limit))
        if limit == 0:
            return []
        selection = self._select(query, tales_only=tales_only, issue=issue, prefix=prefix)
        if selection is None:
            return []
        plan, kind, number = selection
        if plan is None:
            return self._browse(kind, number, limit)
        return self._ranked(plan, kind, number, limit)

    def matching_rowids(
        self,
        query: str,
        *,
        tales_only: bool = False,
        issue: int | None = None,
        prefix: bool = False,
    ) -> list[int]:
        """The rowids of every section ``search`` finds for the same arguments, with no limit.

        The same parsing, filters and typo correction (``_select``); in no
        particular order.
        """
        selection = self._select(query, tales_only=tales_only, issue=issue, prefix=prefix)
        if selection is None:
            return []
        plan, kind, number = selection
        filters = self._sections()
        allowed = filters.allowed(kind, number)
        if plan is None:
            return [rowid for rowid in filters.order if allowed is None or rowid in allowed]
        # Every match, in no particular order: ranking them all would cost more than finding them.
        unranked = replace(plan, unranked=True)
        matches = index.match_rows(self._connection(), unranked, allowed, index.NO_LIMIT)
        return [rowid for rowid, _ in matches]

    def _select(
        self, query: str, *, tales_only: bool, issue: int | None, prefix: bool
    ) -> tuple[Plan | None, str | None, int | None] | None:
        """What a query asks for: ``(plan, kind, number)``; a None plan browses the
        filtered sections; None when it asks for nothing."""
        parsed = parse_query(query or "")
        if not prefix:
            parsed = replace(parsed, open_end=False)
        kind = "tale" if tales_only else parsed.kind
        number = issue if issue is not None else parsed.issue_number
        if not parsed.has_terms:
            return None if kind is None and number is None else (None, kind, number)
        plan = plan_query(parsed, self._ready_vocabulary())
        if plan.match is None:
            # Only one-letter words so far ("tale: u"): a filter still lists.
            return None if kind is None and number is None else (None, kind, number)
        return plan, kind, number

    def _browse(self, kind: str | None, number: int | None, limit: int) -> list[SearchHit]:
        # Newest first from the cached order: sorting the joined tables in
        # SQL cost 30 ms per keystroke at 5,000 issues.
        filters = self._sections()
        allowed = filters.allowed(kind, number)
        chosen: list[int] = []
        for rowid in filters.order:
            if allowed is None or rowid in allowed:
                chosen.append(rowid)
                if len(chosen) >= limit:
                    break
        if not chosen:
            return []
        connection = self._connection()
        headlines = index.section_headlines(connection, chosen)
        bodies = index.section_bodies(connection, chosen)
        hits = []
        for rowid in chosen:
            if rowid not in headlines:
                continue
            section_id, issue_id, title, kind_, number_, issue_title = headlines[rowid]
            subtitle, body = bodies.get(rowid, (None, ""))
            hits.append(
                SearchHit(
                    issue_id=issue_id,
                    issue_number=number_,
                    issue_title=issue_title,
                    section_id=section_id,
                    section_title=title,
                    kind=kind_,
                    score=0.0,
                    snippet=lead(subtitle, body),
                )
            )
        return hits

    def _ranked(
        self, plan: Plan, kind: str | None, number: int | None, limit: int
    ) -> list[SearchHit]:
        connection = self._connection()
        allowed = self._sections().allowed(kind, number)
        matches = index.match_rows(connection, plan, allowed, max(limit, RERANK_POOL))
        if not matches:
            return []
        # Section and issue details for the pool only: joining them inside the
        # FTS query costs a row lookup per match (70 ms for a common word in
        # 31,000 sections), the pool costs 60 lookups.
        details = index.section_headlines(connection, [rowid for rowid, _ in matches])
        rows = [(rowid, *details[rowid], rank) for rowid, rank in matches if rowid in details]
        scored = []
        for rowid, section_id, issue_id, title, kind_, number_, issue_title, rank in rows:
            score = -rank
            if covers(plan, title):
                score *= TITLE_BOOST
            if covers(plan, issue_title):
                score *= ISSUE_TITLE_BOOST
            scored.append((score, rowid, section_id, issue_id, title, kind_, number_, issue_title))
        scored.sort(key=lambda row: -row[0])
        scored = scored[:limit]
        bodies = index.section_bodies(connection, [row[1] for row in scored])
        hits = []
        for score, rowid, section_id, issue_id, title, kind_, number_, issue_title in scored:
            subtitle, body = bodies.get(rowid, (None, ""))
            snippet, spans = make_snippet(body, plan.terms, plan.prefixes, subtitle=subtitle)
            hits.append(
                SearchHit(
                    issue_id=issue_id,
                    issue_number=number_,
                    issue_title=issue_title,
                    section_id=section_id,
                    section_title=title,
                    kind=kind_,
                    score=float(f"{score:.6g}"),
                    snippet=snippet,
                    snippet_spans=tuple(spans),
                    title_spans=tuple(match_spans(title, plan.terms, plan.prefixes)),
                    terms=tuple(sorted(plan.terms)),
                    prefixes=plan.prefixes,
                )
            )
        return hits


# -- one shared searcher per index ----------------------------------------------------

_SEARCHERS: dict[str, Searcher] = {}
_SEARCHERS_LOCK = threading.Lock()


def searcher_for(library: LibraryLike) -> Searcher:
    """A shared Searcher per index file, so the vocabulary cache is reused."""
    key = str(Path(library.index_path).resolve())
    with _SEARCHERS_LOCK:
        searcher = _SEARCHERS.get(key)
        if searcher is None or searcher.library is not library:
            searcher = Searcher(library)
            _SEARCHERS[key] = searcher
        return searcher


def search(library: LibraryLike, query: str, **options: Any) -> list[SearchHit]:
    """Search ``library`` (see ``Searcher.search`` for the options)."""
    return searcher_for(library).search(query, **options)
