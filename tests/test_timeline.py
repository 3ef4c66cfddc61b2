"""A topic's timeline: counts against a brute force over ``show --json``, placement, odd input."""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from datetime import date

import pytest

from importai_tui.cli import main
from importai_tui.library import Library
from importai_tui.search.query import tokenize
from importai_tui.search.searcher import search, searcher_for
from importai_tui.search.timeline import _placed, timeline


@pytest.fixture(scope="module")
def seeds(tmp_path_factory, _seeded_template) -> Library:
    root = tmp_path_factory.mktemp("timeline") / "data"
    shutil.copytree(_seeded_template, root)
    return Library(root)


@pytest.fixture
def cli_seeds(seeds, monkeypatch):
    monkeypatch.setenv("IMPORTAI_DATA_DIR", str(seeds.root))
    return seeds


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def shown_sections(capsys) -> list[tuple[str, dict]]:
    """Every section as ``show --json`` prints it, with its issue's label."""
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0
    sections = []
    for issue in json.loads(out):
        code, out, _ = run(capsys, "show", issue["id"], "--json")
        record = json.loads(out)
        label = f"#{record['number']}" if record["number"] is not None else record["id"]
        sections.extend((label, section) for section in record["sections"])
    return sections


def brute_force(sections, words=(), phrase=(), kind=None) -> Counter:
    """Per issue label: the sections holding every word (and the phrase), by their tokens.

    A word given as a tuple is any of its forms (search lets a plural find its singular).
    """
    counts: Counter = Counter()
    for label, section in sections:
        tokens = tokenize(section["markdown"])
        if kind and section["kind"] != kind:
            continue
        forms = [(word,) if isinstance(word, str) else word for word in words]
        if not all(any(form in tokens for form in word) for word in forms):
            continue
        if phrase and not any(
            tuple(tokens[i : i + len(phrase)]) == phrase for i in range(len(tokens))
        ):
            continue
        counts[label] += 1
    return counts


CASES = [
    ("distributed training", dict(words=("distributed", "training"))),
    ("deepseek", dict(words=("deepseek",))),
    ("Huawei", dict(words=("huawei",))),
    ("minecraft neural", dict(words=("minecraft", "neural"))),
    ("distrbuted trainng", dict(words=("distributed", "training"))),  # two typos, corrected
    ('"scaling laws"', dict(phrase=("scaling", "laws"))),
    ("tale: machines", dict(words=(("machines", "machine"),), kind="tale")),
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[case[0] for case in CASES])
def test_counts_match_a_brute_force_over_show_json(capsys, cli_seeds, query, expected):
    wanted = brute_force(shown_sections(capsys), **expected)
    assert wanted, "the case must match something"
    code, out, _ = run(capsys, "timeline", query, "--by", "issue", "--json")
    assert code == 0
    periods = json.loads(out)
    assert {p["period"]: p["count"] for p in periods} == dict(wanted)
    for by in ("year", "month"):
        totals = json.loads(run(capsys, "timeline", query, "--by", by, "--json")[1])
        assert sum(p["count"] for p in totals) == sum(wanted.values())


@pytest.mark.parametrize("query", ["deepseek", "distrbuted trainng", "tale:", "#401", "kind:story chip"])
def test_exactly_the_sections_search_finds(seeds, query):
    found = {hit.section_id for hit in search(seeds, query, limit=100_000, prefix=False)}
    result = timeline(seeds, query, by="month")
    listed = [section_id for period in result.to_json() for section_id in period["sections"]]
    assert len(listed) == len(set(listed)) == result.total
    assert set(listed) == found


def test_undated_issues_are_placed_by_number(seeds):
    # The seeds carry no dates; links to jack-clark.net issue pages date #401,
    # #393, #381 and others, and the issues between them are placed by number.
    result = timeline(seeds, "#401", by="month")
    assert [(p.period, p.count) for p in result.periods] == [("2025-02", 5)]
    assert result.placed_by_number == 1 and result.undated == 0
    everything = timeline(seeds, "kind:story", by="year")
    assert [p.period for p in everything.periods] == ["2024", "2025", "undated"]
    assert everything.placed_by_number == 16 and everything.undated == 2
    by_issue = [p.period for p in timeline(seeds, "kind:story", by="issue").periods]
    assert by_issue[:2] == ["#382", "#383"] and by_issue[-3] == "#401"
    assert set(by_issue[-2:]) == {"u-032ed888", "u-04bbb3b2"}


def test_placement_between_and_beyond_anchors():
    anchors = [(381, date(2024, 8, 5)), (393, date(2024, 12, 3)), (401, date(2025, 2, 24))]
    assert _placed(393, anchors) == "2024-12-03"
    assert _placed(397, anchors) == "2025-01-14"  # halfway between #393 and #401 (83 days)
    assert _placed(402, anchors) == "2025-03-03"  # a week per issue beyond the last
    assert _placed(380, anchors) == "2024-07-29"
    assert _placed(None, anchors) is None
    assert _placed(400, []) is None
    assert _placed(10**9, anchors) is None  # beyond any calendar


AWKWARD = ["", "   ", '"', '""', '"unclosed', "-", "-deepseek", "tale:", "#401", "issue:99999",
           "kind:story", "AND OR NOT", "NEAR(a b)", "*", "title:x", "机器学习", "Привет мир",
           "مرحبا", "🤖", "\x00", "a" * 500, "\\\"x\\\""]


@pytest.mark.parametrize("query", AWKWARD)
def test_awkward_queries_never_raise(seeds, query):
    for by in ("year", "month", "issue"):
        result = timeline(seeds, query, by=by)
        assert result.total == sum(p["count"] for p in result.to_json())


def test_the_matching_rowids_follow_the_index(seeds):
    searcher = searcher_for(seeds)
    assert searcher.matching_rowids("") == []
    assert len(searcher.matching_rowids("tale:")) == 18


# -- the command ---------------------------------------------------------------------


def test_timeline_json_shape(capsys, cli_seeds):
    code, out, err = run(capsys, "timeline", "deepseek", "--json")
    assert code == 0 and err == ""
    periods = json.loads(out)
    assert [p["period"] for p in periods] == ["2024", "2025", "undated"]
    for period in periods:
        assert list(period) == ["period", "count", "sections"]
        assert period["count"] == len(period["sections"])


def test_timeline_tab_separated_when_piped(capsys, cli_seeds):
    code, out, err = run(capsys, "timeline", "deepseek", "--by", "month")
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines()]
    assert all(len(row) == 2 and row[1].isdigit() for row in rows)
    assert rows[-1][0] == "undated"
    assert "without a date placed by number" in err


def test_timeline_chart_on_a_terminal(capsys, cli_seeds, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = run(capsys, "timeline", "minecraft", "--by", "issue")
    assert code == 0
    assert "█" in out and "#390" in out and "Minecraft – inside the weights" in out


def test_timeline_nothing_found(capsys, cli_seeds):
    assert run(capsys, "timeline", "zzzzqqq", "--json")[1].strip() == "[]"
    assert run(capsys, "timeline", "zzzzqqq") == (0, "", "")
