"""Fuzzy full-text search over the library (pure logic: no Textual).

Measured in ``benchmarks/bench_search.py``. A query goes through:

1. ``query``: parsed into word groups, exact phrases (``"..."``), excluded
   words (``-word``) and filters (``tale:``, ``kind:story``, ``#401``,
   ``issue:401``); every token is re-quoted, so user text never reaches FTS5 raw.
2. ``plan``: each word corrected against the index's own vocabulary
   (``vocabulary``, loaded once per index generation and cached on disk), the
   word being typed also matching as a prefix.
3. ``searcher``: one FTS5 MATCH ranked by ``bm25`` with column weights
   (headline 10, subtitle 4, body 1; the SQL is in ``index``), then a rerank
   boosting sections whose headline or issue title holds every query word.
4. ``snippets``: each hit carries a short plain-text snippet and the character
   spans of the matched words (spans, never markup: newsletter text is untrusted);
   ``render`` turns them into Rich text for the reader and the CLI.

``titles`` serves the command palette. ``related`` finds the sections of other
issues most like one section (with ``names`` spotting proper names), and
``timeline`` counts a query's matches per year, month or issue. The names below
are the package's public API.
"""

from __future__ import annotations

from importai_tui.search.hits import SearchHit
from importai_tui.search.query import fold, parse_query, tokenize
from importai_tui.search.related import RelatedSection, related_sections
from importai_tui.search.searcher import Searcher, search, searcher_for
from importai_tui.search.snippets import make_snippet, match_spans
from importai_tui.search.timeline import Period, Timeline, TimelineSection, timeline
from importai_tui.search.titles import TitleEntry, rank_titles, title_entries
from importai_tui.search.vocabulary import (
    VOCABULARY_FILE,
    Vocabulary,
    load_vocabulary,
    save_vocabulary,
)

__all__ = [
    "VOCABULARY_FILE",
    "Period",
    "RelatedSection",
    "SearchHit",
    "Searcher",
    "Timeline",
    "TimelineSection",
    "TitleEntry",
    "Vocabulary",
    "fold",
    "load_vocabulary",
    "make_snippet",
    "match_spans",
    "parse_query",
    "rank_titles",
    "related_sections",
    "save_vocabulary",
    "search",
    "searcher_for",
    "timeline",
    "title_entries",
    "tokenize",
]
