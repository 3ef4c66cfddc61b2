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



def test_search_package_stays_below_the_reader_and_the_cli():
    """The search package may use the library, convert and the leaves, never the layers above."""
    code = (
        "import pkgutil, importlib, sys, importai_tui.search as package;"
        "[importlib.import_module('importai_tui.search.' + m.name)"
        " for m in pkgutil.iter_modules(package.__path__)];"
        "above = ('textual', 'importai_tui.tui', 'importai_tui.commands', 'importai_tui.fetch');"
        "bad = [n for n in sys.modules if n.startswith(above)];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_hit_text_marks_matches_without_parsing_markup():
    from importai_tui.search import SearchHit
    from importai_tui.search.render import MATCH_STYLE, hit_text

    hit = SearchHit(
        issue_id="u-x", issue_number=None, issue_title="t", section_id="u-x/y",
        section_title="[b]Zephyr[/b] engines", kind="story", score=1.0,
        snippet="the zephyr flies", snippet_spans=((4, 10),), title_spans=((3, 9),),
    )
    parts = hit_text(hit)
    assert parts.where == "u-x"
    assert parts.headline.plain == "[b]Zephyr[/b] engines"
    assert [(s.start, s.end, str(s.style)) for s in parts.headline.spans] == [(3, 9, MATCH_STYLE)]
    assert str(parts.headline.style) == "bold"
    assert [(s.start, s.end) for s in parts.snippet.spans] == [(4, 10)]

# -- relevance on the real seeds ------------------------------------------------------

# (query, a section id that must be among the top 3). Names, topics, typos and
# Tech Tales titles; ids are those of the converted seed library.
RELEVANCE = [
    ("distrbuted trainng", "387/the-10bn-parameter-distributed-training-run-has-arrived"),
    ("stockfish", "401/reasoning-models-cheat-when-they-think-they-might-lose"),
    ("chess cheating reasoning", "401/reasoning-models-cheat-when-they-think-they-might-lose"),
    ("cuda kernals", "401/sakana-uses-ai-to-make-dramatically-more-efficient-cuda-kernels"),
    ("Evo2 biology", "401/evo2-the-machinery-of-life-itself-will-be-predicted-just-as-well-as-language"),
    ("MuJoCo Playground", "400/diy-robots-just-got-easier-thanks-to-mujoco-playground"),
    ("cerebras wafer", "400/microsoft-uses-cerebrass-wafer-scale-chip-to-sample-40x-faster-than-a-gpu"),
    ("Seventeen ways to get rich", "399/seventeen-ways-to-get-rich-during-the-singularity"),
    ("Watching the Gate", "400/watching-the-gate-where-the-gods-are-said-to-walk"),
    ("nuclear fuser claude", "396/a-hardware-novice-uses-claude-to-build-a-nuclear-fusor-in-36-hours"),
    ("FrontierMath", "391/can-60-very-talented-mathematicians-make-a-benchmark-that-withstands-ai-progress"),
    ("Hunyuan", "391/the-worlds-most-capable-open-weight-model-is-now-made-in-china"),
    ("Nick Land accelerationism", "384/techno-accelerationism-is-either-hubristic-e-acc-or-nihilistic-nick-land"),
    ("DisTrO", "384/nous-research-might-have-figured-out-a-way-to-make-distributed-training-work"),
    ("cyborg jellyfish", "383/cyborgjellyfish"),
    ("GSM8K overfitting", "387/apple-shows-that-most-llms-are-overfitting"),
    ("sophon game theory", "385/sophon-game-theory"),
    ("Aya Expanse Cohere", "389/cohere-releases-two-powerful-multilingual-models"),
    ("DiLoCo scaling laws", "u-032ed888/google-makes-scaling-laws-for-distributed-training-which-means-there-will-be"),
    ("INTELLECT-2", "u-04bbb3b2/prime-intellect-launches-a-decentralized-training-run-for-a-32b-parameter-model"),
    ("prima.cpp", "u-04bbb3b2/wanna-run-deepseek-r1-on-your-home-devices-prima-cpp-makes-it-easy"),
    ("$80bn microsoft", "396/microsoft-plans-to-spend-80bn-on-ai-buildout-in-2025"),
    ("the classifcation engine", "390/the-classification-engine"),
    ("1,000 samples reasoning", "399/you-can-make-a-powerful-reasoning-llm-with-just-1-000-samples"),
]


@pytest.fixture(scope="module")
def seeds_searcher(tmp_path_factory, seed_paths):
    """One seeded library for the read-only relevance table (built once)."""
    library = Library(tmp_path_factory.mktemp("relevance") / "data")
    assert not library.import_paths(seed_paths).failed
    return Searcher(library)


@pytest.mark.parametrize(("query", "section_id"), RELEVANCE)
@pytest.mark.parametrize("prefix", [False, True], ids=["cli", "typing"])
def test_relevance_top3(seeds_searcher, query, section_id, prefix):
    top = ids(seeds_searcher.search(query, limit=3, prefix=prefix))
    assert section_id in top, top


def test_seeds_tale_filter_and_issue_number(seeds_searcher):
    tales = seeds_searcher.search("uplift tale:", limit=50, prefix=False)
    assert tales and all(hit.kind == "tale" for hit in tales)
    assert "387/intelligence-piled-high" in ids(tales)
    in_401 = seeds_searcher.search("#401 models", limit=50, prefix=False)
    assert in_401 and {hit.issue_number for hit in in_401} == {401}
    assert ids(seeds_searcher.search("models", issue=401, limit=50, prefix=False)) == ids(in_401)


def test_seeds_typo_query_finds_distributed_training_sections(seeds_searcher):
    hits = seeds_searcher.search("distrbuted trainng", limit=10, prefix=False)
    titles = [hit.section_title.casefold() for hit in hits[:4]]
    assert all("distributed" in title for title in titles), titles


# -- the CLI ---------------------------------------------------------------------------


def test_cli_json(seeded_library, capsys):
    from importai_tui.cli import main

    code = main(["--data-dir", str(seeded_library.root), "search", "distrbuted", "trainng",
                 "--limit", "3", "--json"])
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 3
    assert set(rows[0]) == {"issue_id", "issue_number", "section_id", "section_title", "score", "snippet"}
    assert rows[0]["section_id"] == "387/the-10bn-parameter-distributed-training-run-has-arrived"
    assert rows[0]["issue_number"] == 387
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True)


def test_cli_table_and_filters(seeded_library, capsys):
    from importai_tui.cli import main

    root = str(seeded_library.root)
    assert main(["--data-dir", root, "search", "uplift", "--tales", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(row["section_id"].split("/")[0] for row in rows)
    assert main(["--data-dir", root, "search", "stockfish"]) == 0
    out = capsys.readouterr().out
    assert "#401" in out and "Stockfish" in out
    assert main(["--data-dir", root, "search", "qqxqzv"]) == 0
    assert "No matches" in capsys.readouterr().out
    assert main(["--data-dir", root, "search", "x", "--limit", "0"]) == 2
    assert "--limit" in capsys.readouterr().err


def test_cli_awkward_query_does_not_fail(seeded_library, capsys):
    from importai_tui.cli import main

    root = str(seeded_library.root)
    for query in ['"unclosed', "NEAR(a b)", "-", "((", "机器学习", "*"]:
        assert main(["--data-dir", root, "search", query, "--json"]) == 0
        assert isinstance(json.loads(capsys.readouterr().out), list)


def test_cli_seeds_an_empty_library(data_dir, capsys):
    from importai_tui.cli import main

    assert main(["--data-dir", str(data_dir), "search", "stockfish", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["issue_number"] == 401


def test_title_entries_and_ranking(seeded_library):
    from importai_tui.search import rank_titles, title_entries

    entries = title_entries(seeded_library)
    labels = [entry.label for entry in entries]
    assert any(label.startswith("issue: ") and "401" in label for label in labels)
    assert "section: Tech Tales: Sophon Game Theory (#385)" in labels
    best = rank_titles("sophon game", entries)[0][1]
    assert best.section_id == "385/sophon-game-theory"
    issue = rank_titles("issue cheating reasoning models", entries)[0][1]
    assert issue.kind == "issue" and issue.issue_id == "401"
    assert rank_titles("", entries) == []


def test_search_does_not_wait_for_a_vocabulary_being_loaded(tiny):
    searcher = Searcher(tiny)
    with searcher._lock:  # as if a worker were loading the vocabulary
        assert "11/s2" in ids(searcher.search("stockfish", prefix=False))
        assert "11/s2" in ids(searcher.search("stockf"))
        assert searcher.search("stokfish", prefix=False) == []  # no correction yet
    assert "11/s2" in ids(searcher.search("stokfish", prefix=False))


# -- filters, unranked listing and the saved vocabulary -------------------------------


def test_kind_filter_gives_the_same_hits_streamed_or_listed(seeds_searcher, monkeypatch):
    import importai_tui.search.index as search_module

    listed = ids(seeds_searcher.search("the tale:", limit=50, prefix=False))
    in_issue = ids(seeds_searcher.search("models #401", limit=50, prefix=False))
    # Force the other path: filter rowids read while streaming ordered matches.
    monkeypatch.setattr(search_module, "SMALL_FILTER", 0)
    assert ids(seeds_searcher.search("the tale:", limit=50, prefix=False)) == listed
    assert ids(seeds_searcher.search("models #401", limit=50, prefix=False)) == in_issue
    assert listed and in_issue
    assert seeds_searcher.search("models #99999", prefix=False) == []


def test_common_words_in_a_large_library_list_newest_matches_first(tiny, monkeypatch):
    import importai_tui.search.plan as search_module

    monkeypatch.setattr(search_module, "COMMON_MIN_DOCUMENTS", 1)
    monkeypatch.setattr(search_module, "COMMON_SHARE", 0.0)
    hits = Searcher(tiny).search("zephyr", prefix=False)
    # Unranked: every match, newest (highest rowid) first, scores all zero.
    assert ids(hits) == ["10/s2", "10/s1", "10/s0"]
    assert {hit.score for hit in hits} == {0.0}
    assert all(hit.snippet for hit in hits)


def _insert_section(library: Library, section_id: str, title: str, body: str) -> None:
    conn = library.connect()
    try:
        conn.execute(
            "INSERT INTO sections(id, issue_id, position, title, subtitle, kind, markdown, body)"
            " VALUES (?, '10', 9, ?, NULL, 'story', '', ?)",
            (section_id, title, body),
        )
    finally:
        conn.close()


def _saved_key(path) -> str:
    from importai_tui.search.vocabulary import _VOCABULARY_MAGIC

    data = path.read_bytes()
    assert data.startswith(_VOCABULARY_MAGIC)
    return json.loads(data[len(_VOCABULARY_MAGIC) : data.index(b"\n", len(_VOCABULARY_MAGIC))])["key"]


def test_vocabulary_is_saved_beside_the_index_and_read_back(tiny):
    from importai_tui.search import VOCABULARY_FILE, Vocabulary, save_vocabulary

    cache = tiny.index_path.with_name(VOCABULARY_FILE)
    assert not cache.exists()
    first = Searcher(tiny).vocabulary()
    assert cache.exists() and "zephyr" in first
    # Doctor the saved file under the same key: a new searcher must read it
    # instead of the index.
    doctored = Vocabulary([*first.doc_freq.items(), ("zyzzyva", 7)], first.documents)
    assert save_vocabulary(cache, _saved_key(cache), doctored)
    again = Searcher(tiny).vocabulary()
    assert again.doc_freq["zyzzyva"] == 7 and again.documents == first.documents
    assert again.doc_freq["zephyr"] == first.doc_freq["zephyr"]


def test_saved_vocabulary_is_ignored_once_the_index_changes(tiny):
    from importai_tui.search import VOCABULARY_FILE

    searcher = Searcher(tiny)
    searcher.vocabulary()
    cache = tiny.index_path.with_name(VOCABULARY_FILE)
    before = _saved_key(cache)
    _insert_section(tiny, "10/s9", "Quokkas everywhere", "A body about quokkas.")
    assert "quokkas" in Searcher(tiny).vocabulary()
    assert "quokkas" in searcher.vocabulary()  # the cached instance notices too
    assert _saved_key(cache) != before
    assert "10/s9" in ids(searcher.search("quokas", prefix=False))  # corrected


@pytest.mark.parametrize(
    "damage",
    [b"", b"garbage", b"importai-search-vocabulary 1\n{not json", None],
    ids=["empty", "garbage", "bad-header", "truncated"],
)
def test_damaged_saved_vocabulary_is_rebuilt(tiny, damage):
    from importai_tui.search import VOCABULARY_FILE, load_vocabulary

    Searcher(tiny).vocabulary()
    cache = tiny.index_path.with_name(VOCABULARY_FILE)
    key = _saved_key(cache)
    data = cache.read_bytes()
    cache.write_bytes(data[: len(data) - 5] if damage is None else damage)
    assert load_vocabulary(cache, key) is None
    vocab = Searcher(tiny).vocabulary()
    assert "zephyr" in vocab and "stockfish" in vocab
    assert load_vocabulary(cache, key) is not None  # rewritten


def test_saved_vocabulary_round_trip_and_unwritable_place(tmp_path):
    from importai_tui.search import Vocabulary, load_vocabulary, save_vocabulary

    vocab = Vocabulary([("reseau", 2), ("привет", 1), ("日本", 3), ("o1", 4)], documents=9)
    path = tmp_path / "vocab.cache"
    assert save_vocabulary(path, "k1", vocab)
    loaded = load_vocabulary(path, "k1")
    assert loaded is not None and loaded.doc_freq == vocab.doc_freq
    assert loaded.sorted_terms == vocab.sorted_terms and loaded.documents == 9
    assert load_vocabulary(path, "k2") is None  # another index generation
    assert not save_vocabulary(tmp_path / "missing" / "vocab.cache", "k1", vocab)
    assert save_vocabulary(path, "k3", Vocabulary([], 0))
    empty = load_vocabulary(path, "k3")
    assert empty is not None and len(empty) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["vocab.cache"]  # no temp files left


def test_browsing_a_filter_lists_newest_issue_first_in_reading_order(seeds_searcher):
    conn = seeds_searcher.library.connect()
    try:
        expected = [
            row[0]
            for row in conn.execute(
                "SELECT s.id FROM sections s JOIN issues i ON i.id = s.issue_id WHERE s.kind = 'tale'"
                # Unnumbered issues in the order of their source files (ISSUE_ORDER).
                " ORDER BY i.number IS NULL, i.number DESC, i.date DESC, i.sources, s.issue_id,"
                " s.position"
            )
        ]
    finally:
        conn.close()
    assert len(expected) > 3
    assert ids(seeds_searcher.search("tale:", limit=500)) == expected
    # A one-letter word narrows nothing yet: the filter still lists.
    assert ids(seeds_searcher.search("tale: u", limit=500)) == expected
    in_401 = seeds_searcher.search("#401", limit=500)
    assert in_401 and {hit.issue_number for hit in in_401} == {401}
    assert seeds_searcher.search("x") == []


@pytest.mark.parametrize(
    "query", ["tale:robots", "tales:robots", "TT:robots", "techtales:robots", "issue:397 robots"]
)
def test_a_filter_glued_to_a_word_is_a_filter_and_a_word(query):
    parsed = parse_query(query)
    assert parsed.words == ("robots",) and parsed.phrases == ()
    assert parsed.kind == "tale" or parsed.issue_number == 397


def test_a_plural_also_finds_the_singular_with_or_without_a_filter(seeds_searcher):
    # Tech Tales of the seeds say "robot", none says "robots": with a filter the
    # plural finds them as the singular does, typed or not, glued or spaced.
    singular = set(ids(seeds_searcher.search("tale: robot", prefix=False)))
    assert singular
    for query in ("tale: robots", "tale:robots", "robots tale:"):
        for prefix in (False, True):
            found = ids(seeds_searcher.search(query, prefix=prefix, limit=50))
            assert singular <= set(found), (query, prefix)
    # A plain plural finds the sections that only say the singular too.
    plain = set(ids(seeds_searcher.search("robots", prefix=False, limit=50)))
    assert singular <= plain


def test_cli_piped_output_is_one_tab_separated_line_per_result(seeded_library, capsys):
    from importai_tui.cli import main

    root = str(seeded_library.root)
    assert main(["--data-dir", root, "search", "decentralized", "--json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    assert any(row["issue_number"] is None for row in expected)  # a u-… issue among them
    assert main(["--data-dir", root, "search", "decentralized"]) == 0
    out = capsys.readouterr().out
    assert not any(ch in out for ch in "┏┃│└")
    lines = out.splitlines()
    assert len(lines) == len(expected)
    for line, row in zip(lines, expected):
        location, section_id, headline, snippet = line.split("\t")
        number = row["issue_number"]
        assert location == (f"#{number}" if number is not None else row["issue_id"])
        assert section_id == row["section_id"]
        assert headline == " ".join(row["section_title"].split())
        assert snippet == " ".join(row["snippet"].split())


def test_cli_piped_output_keeps_each_result_on_one_safe_line(monkeypatch, capsys):
    from importai_tui.commands import search as command
    from importai_tui.search.hits import SearchHit

    hit = SearchHit(
        issue_id="u-1234abcd", issue_number=None, issue_title="t", section_id="u-1234abcd/x",
        section_title="Tab\there\nand \x1b[31mred", kind="story", score=1.0,
        snippet="line one\n  line\ttwo\u202e",
    )
    command.print_hits([hit])
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "\x1b" not in out and "\u202e" not in out
    assert out.rstrip("\n").split("\t")[:3] == ["u-1234abcd", "u-1234abcd/x", r"Tab here and \x1b[31mred"]


def test_cli_terminal_keeps_the_table(seeded_library, capsys, monkeypatch):
    from importai_tui.cli import main

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert main(["--data-dir", str(seeded_library.root), "search", "stockfish"]) == 0
    out = capsys.readouterr().out
    assert "┃" in out and "#401" in out and "\t" not in out
