"""Golden Markdown files: the converter's full output for chosen issues.

When the output changes on purpose, regenerate the files and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/convert/test_convert_golden.py

(and bump ``CONVERTER_VERSION`` so that libraries reconvert their issues).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from convert_support import HTML_SEEDS, TEXT_SEEDS

from importai_tui.convert import issue_markdown

GOLDEN = Path(__file__).parent / "golden"

CASES = [
    # (golden file, seed, issue number or None for the only issue of an HTML seed)
    ("html_000.md", HTML_SEEDS[0], None),
    ("html_004.md", HTML_SEEDS[2], None),
    ("text_401.md", TEXT_SEEDS[0], 401),
    ("text_387.md", TEXT_SEEDS[1], 387),
]


@pytest.mark.parametrize("golden, seed, number", CASES, ids=[c[0] for c in CASES])
def test_golden_markdown(converted, golden, seed, number):
    issues = converted[seed]
    issue = issues[0] if number is None else next(i for i in issues if i.number == number)
    actual = issue_markdown(issue)
    path = GOLDEN / golden
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing {path}; run with UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


def test_merged_issue_396_golden(merged):
    actual = issue_markdown(merged["396"])
    path = GOLDEN / "merged_396.md"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_importing_the_converter_and_renderer_stays_light():
    """The reader imports the model and renderer on warm start: no markdownify, no bs4."""
    code = (
        "import sys\n"
        "import importai_tui.convert as c\n"
        "import importai_tui.convert.render, importai_tui.convert.model\n"
        "heavy = [m for m in ('markdownify', 'bs4', 'lxml') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_front_matter_is_valid_yaml_shape(merged):
    import json

    md = issue_markdown(merged["396"])
    head, _, _ = md[4:].partition("\n---\n")
    fields = dict(line.split(": ", 1) for line in head.split("\n") if not line.startswith(("  -", "sources")))
    assert json.loads(fields["id"]) == "396"
    assert fields["number"] == "396"
    assert json.loads(fields["title"]).startswith("$80bn on AI infrastructure")
    sources = [json.loads(line[4:]) for line in head.split("\n") if line.startswith("  - ")]
    assert sources == ["001_a42ab760318425e2.txt", "003_5e8b8ebf436356d6.txt"]
