"""Runs of empty structure are cut to two before the per-line stages (issue 13)."""

from __future__ import annotations

import time

import pytest

from importai_tui.convert import ConversionError, convert_bytes
from importai_tui.convert.runs import cut_runs


def test_runs_of_breaks_and_separators_are_cut_to_two():
    assert cut_runs("a<br><br/><BR >\n<br>b") == "a<br><br>b"
    text = "story one\n\n***\n\n***\n\n* * *\n---\n\nstory two\n"
    assert cut_runs(text) == "story one\n\n***\n\n***\n\nstory two\n"


@pytest.mark.parametrize(
    "text",
    [
        "a<br><br>b",  # two breaks are a paragraph: kept
        "---\ntitle: x\n---\n\n***\n\nbody\n",  # front matter and one separator
        "one\n***\n***\ntwo\n***\nthree\n",  # never three in a row
    ],
)
def test_text_without_long_runs_is_unchanged(text):
    assert cut_runs(text) == text


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"Import AI 400: x\n\nA headline\n\n" + b"***\n" * 125_000 + b"words at the end\n", "a.txt"),
        (b"<p>a</p>" + b"<br>" * 125_000 + b"<p>b</p>", "a.html"),
    ],
    ids=["separator-lines", "breaks"],
)
def test_dense_empty_structure_converts_quickly(data, name):
    started = time.perf_counter()
    try:
        convert_bytes(data, name)
    except ConversionError:
        pass  # refusing it is fine; only the converter's own error may escape
    assert time.perf_counter() - started < 1.0
