"""Search: parsing, typo correction, ranking, filters, snippets, awkward input, CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from importai_tui.library import Library
from importai_tui.search import (
    Searcher,
    fold,
    make_snippet,
    match_spans,
    parse_query,
    search,
    tokenize,
)

# (issue number, issue title, [(title, subtitle, kind, body)])
TINY = [
    (
        10,
        "Import AI 10: zephyr engines; distributed training",
        [
            ("Zephyr engines go fast", "A subtitle about nothing", "story", "Plain body text here."),
            ("Something else", "Zephyr in the subtitle", "story", "Another body."),
            ("A third headline", None, "story", "The body mentions zephyr once, among words."),
        ],
    ),
    (
        11,
        "Import AI 11: decentralized compute",
        [
            (
                "Prime Intellect trains across continents",
                "…a decentralized run…",
                "story",
                "They used distributed training over the internet with "
                "[a link](https://example.com/distributed) and **bold** words. "
                "Training a 32B model in a distributed way is hard.",
            ),
            ("The Lighthouse Keeper", "Tech Tales", "tale", "A story about a keeper and a lamp."),
            (
                "Chess engines cheat",
                None,
                "story",
                "Reasoning models hack Stockfish. GPT-4o did not; o1-preview did. Réseau naïve café.",
            ),
        ],
    ),
]


def _build(library: Library, issues=TINY) -> Library:
    conn = library.connect()
    try:
        for number, issue_title, sections in issues:
            conn.execute(
                "INSERT INTO issues(id, number, title, sources, markdown) VALUES (?, ?, ?, '[]', '')",
                (str(number), number, issue_title),
            )
            for position, (title, subtitle, kind, body) in enumerate(sections):
                conn.execute(
                    "INSERT INTO sections(id, issue_id, position, title, subtitle, kind, markdown, body)"
                    " VALUES (?, ?, ?, ?, ?, ?, '', ?)",
                    (f"{number}/s{position}", str(number), position, title, subtitle, kind, body),
                )
    finally:
        conn.close()
    return library


@pytest.fixture
def tiny(data_dir) -> Library:
    """A library with a handful of hand-written sections (no converter involved)."""
    return _build(Library(data_dir))


def ids(hits) -> list[str]:
    return [hit.section_id for hit in hits]


# -- parsing --------------------------------------------------------------------


def test_parse_query_words_phrases_filters():
    parsed = parse_query('Distributed "exact Phrase" -noise tale: #401 GPT-4o trai')
    assert parsed.words == ("distributed", "trai")
    assert parsed.phrases == (("exact", "phrase"), ("gpt", "4o"))
    assert parsed.excluded == ("noise",)
    assert parsed.kind == "tale"
    assert parsed.issue_number == 401
    assert parsed.open_end and not parsed.last_is_phrase


def test_parse_query_open_end_and_issue_forms():
    assert not parse_query("training ").open_end
    assert parse_query('"an open phrase').last_is_phrase
    assert parse_query("issue:12 kind:story").issue_number == 12
    assert parse_query("issue:12 kind:story").kind == "story"


def test_tokenize_matches_index_folding():
    assert tokenize("Réseau naïve_café GPT-4o") == ["reseau", "naive", "cafe", "gpt", "4o"]
    assert fold("ÉCOLE") == "ecole"


# -- ranking and correction -------------------------------------------------------


def test_headline_beats_subtitle_beats_body(tiny):
    hits = search(tiny, "zephyr", prefix=False)
    assert ids(hits) == ["10/s0", "10/s1", "10/s2"]
    assert hits[0].score > hits[1].score > hits[2].score > 0


def test_typos_are_corrected(tiny):
    hits = search(tiny, "distrbuted trainng", prefix=False)
    assert "11/s0" in ids(hits)[:1]
    assert {"distributed", "training"} <= set(hits[0].terms)


def test_typo_while_typing_a_prefix(tiny):
    # "distrbu" is not a prefix of any word but is one edit from "distribu".
    assert "11/s0" in ids(search(tiny, "distrbu"))


def test_prefix_only_when_typing(tiny):
    assert "11/s2" in ids(search(tiny, "stockf"))
    assert search(tiny, "stockf", prefix=False) == []


def test_phrase_matches_exactly(tiny):
    assert ids(search(tiny, '"distributed training"', prefix=False)) == ["11/s0"]
    assert search(tiny, '"training distributed"', prefix=False) == []


def test_hyphenated_words_are_phrases(tiny):
    assert ids(search(tiny, "o1-preview", prefix=False)) == ["11/s2"]
    assert ids(search(tiny, "gpt-4o", prefix=False)) == ["11/s2"]


def test_excluded_words(tiny):
    assert "10/s0" in ids(search(tiny, "zephyr", prefix=False))
    assert "10/s0" not in ids(search(tiny, "zephyr -engines", prefix=False))


def test_diacritics_are_folded(tiny):
    assert ids(search(tiny, "reseau naive", prefix=False)) == ["11/s2"]
    assert ids(search(tiny, "Réseau", prefix=False)) == ["11/s2"]


def test_tales_and_issue_filters(tiny):
    assert ids(search(tiny, "keeper tale:", prefix=False)) == ["11/s1"]
    assert search(tiny, "zephyr tale:", prefix=False) == []
    assert ids(search(tiny, "keeper", tales_only=True, prefix=False)) == ["11/s1"]
    assert set(ids(search(tiny, "#10 zephyr"))) == {"10/s0", "10/s1", "10/s2"}
    assert search(tiny, "zephyr", issue=11, prefix=False) == []
    # A filter alone browses: every tale; every section of the issue in order.
    assert ids(search(tiny, "tale:")) == ["11/s1"]
    assert ids(search(tiny, "#11")) == ["11/s0", "11/s1", "11/s2"]


def test_limit(tiny):
    assert len(search(tiny, "zephyr", limit=2, prefix=False)) == 2
    assert search(tiny, "zephyr", limit=0) == []


def test_unknown_words_are_forgiven_not_fatal(tiny):
    # A word with nothing like it in the index is dropped rather than
    # emptying the results.
    assert "11/s2" in ids(search(tiny, "stockfish qqxqzv", prefix=False))
    assert search(tiny, "qqxqzv", prefix=False) == []


def test_vocabulary_follows_library_changes(tiny):
    searcher = Searcher(tiny)
    assert searcher.search("quokka", prefix=False) == []
    _build(tiny, [(12, "Import AI 12", [("Quokka robots", None, "story", "Quokka body.")])])
    assert ids(searcher.search("quokka", prefix=False)) == ["12/s0"]
    assert ids(searcher.search("quoka", prefix=False)) == ["12/s0"]


# -- awkward input ------------------------------------------------------------------

AWKWARD = [
    "",
    "   ",
    '"',
    '""',
    '"unclosed phrase',
    "*",
    "zeph*",
    "-",
    "--",
    "-zephyr",
    ":",
    "tale:",
    "kind:",
    "#",
    "#abc",
    "#99999999999",
    "(",
    ")",
    "(zephyr OR",
    "zephyr AND",
    "AND",
    "OR OR OR",
    "NOT zephyr",
    'NEAR(zephyr engines, 2)',
    "^zephyr",
    "title:zephyr",
    "body : zephyr",
    ".*[a-z]+(?=x)\\",
    "$^|?+{}[]",
    "机器学习",
    "Привет мир",
    "مرحبا",
    "🤖 emoji",
    "\x00nul",
    "'single' `back`",
    "a" * 500,
    "zephyr " * 60,
    "\\\"escaped\\\"",
]


@pytest.mark.parametrize("query", AWKWARD)
def test_awkward_queries_never_raise(tiny, query):
    for prefix in (True, False):
        hits = search(tiny, query, prefix=prefix)
        assert isinstance(hits, list)
        for hit in hits:
            for start, end in hit.snippet_spans:
                assert 0 <= start < end <= len(hit.snippet)


def test_empty_query_returns_nothing(tiny):
    assert search(tiny, "") == []
    assert search(tiny, "  ") == []


# -- snippets and spans -------------------------------------------------------------


def test_snippet_spans_mark_matched_words(tiny):
    hits = search(tiny, "distrbuted trainng", prefix=False)
    hit = hits[0]
    marked = {fold(hit.snippet[start:end]) for start, end in hit.snippet_spans}
    assert marked == {"distributed", "training"}
    # Markdown is reduced to text: link targets and emphasis marks are gone.
    assert "https://" not in hit.snippet and "**" not in hit.snippet
    assert "a link" in hit.snippet


def test_title_spans(tiny):
    hit = search(tiny, "zephyr", prefix=False)[0]
    assert [hit.section_title[s:e] for s, e in hit.title_spans] == ["Zephyr"]


def test_make_snippet_window_and_ellipses():
    body = "word " * 100 + "target here " + "filler " * 100
    snippet, spans = make_snippet(body, {"target"}, width=80)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) <= 82
    assert [snippet[s:e] for s, e in spans] == ["target"]


def test_match_spans_prefixes_and_folding():
    text = "Café training trains TRAIN"
    assert match_spans(text, {"cafe"}) == [(0, 4)]
    assert [text[s:e] for s, e in match_spans(text, set(), ["train"])] == ["training", "trains", "TRAIN"]


# -- hygiene --------------------------------------------------------------------------


def test_search_module_does_not_import_textual():
    code = (
        "import sys, importai_tui.search, importai_tui.commands.search;"
        "assert 'textual' not in sys.modules, 'textual imported';"
        "assert 'rapidfuzz' not in sys.modules, 'rapidfuzz imported at import time'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
