"""Markdown copies of issues (third input shape): synthetic fixtures in two dialects."""

from __future__ import annotations

import pytest

from importai_tui.convert import ConversionError, convert_bytes, issue_markdown

# Dialect A: bold headlines whose ** straddles a line break, _…subtitle…_, *****
# and #### separators, a "Tech Tales:" label with a bold story title.
DIALECT_A = """---
title: "Import AI 402: Robots \\"everywhere\\"; a tale"
url: https://importai.substack.com/p/import-ai-402
date: 2025-03-03
---

Welcome to Import AI, a newsletter about AI research. If you'd like to support this, please subscribe.

**Robots learn to fold laundry:
**_…A fun result from a lab…_
Researchers have taught a robot to fold laundry. See [the paper](https://arxiv.org/abs/1234.5678) and [bad](javascript:alert(1)).
**Why this matters:** it matters.

*****

**Second story, with *emphasis*:**
*...Another subtitle...*
* first bullet
* second bullet

############

**Tech Tales:**

**The Last Laundry**
*[A story told by a folding machine]*
Once upon a time.
**Things that inspired this story:** laundry.

Thanks for reading!
"""

# Dialect B: single-quoted YAML, an H1 title, ## headlines, plain …subtitle… lines,
# * * * and ---- separators, "Tech Tales: Title" on one heading line, an autolink.
DIALECT_B = """---
title: 'Import AI 403: It''s here'
url: "https://jack-clark.net/2025/03/10/import-ai-403/"
---
# Import AI 403: It's here

## First headline
…Subtitle one…

Body one with <https://example.com/x> autolink and <span>inline html</span> &amp; an entity.

* * *

## Second headline:
_…Subtitle two…_

Body two.

----

### Tech Tales: Inline Title
[framing text]

Story body.
"""


def _one(text: str):
    (issue,) = convert_bytes(text.encode("utf-8"), "copy.md")
    return issue


def test_dialect_a_metadata_from_front_matter():
    issue = _one(DIALECT_A)
    assert (issue.id, issue.number) == ("402", 402)
    assert issue.title == 'Robots "everywhere"; a tale'
    assert issue.date == "2025-03-03"
    assert issue.url == "https://importai.substack.com/p/import-ai-402"


def test_dialect_a_sections_straddling_bold_and_separators():
    issue = _one(DIALECT_A)
    assert [(s.kind, s.title, s.subtitle) for s in issue.sections] == [
        ("story", "Robots learn to fold laundry", "A fun result from a lab"),
        ("story", "Second story, with emphasis", "Another subtitle"),
        ("tale", "The Last Laundry", "A story told by a folding machine"),
    ]
    first = issue.sections[0]
    assert first.links == ["https://arxiv.org/abs/1234.5678"]
    assert "javascript" not in issue_markdown(issue)
    assert "and bad." in first.body  # the unsafe link keeps its text
    assert "- first bullet\n- second bullet" in issue.sections[1].body
    md = issue_markdown(issue)
    assert "Thanks for reading" not in md and "Welcome to Import AI" not in md


def test_dialect_b_heading_title_and_inline_tale_title():
    issue = _one(DIALECT_B)
    assert (issue.number, issue.title, issue.date) == (403, "It's here", None)
    assert [(s.kind, s.title, s.subtitle) for s in issue.sections] == [
        ("story", "First headline", "Subtitle one"),
        ("story", "Second headline", "Subtitle two"),
        ("tale", "Inline Title", "framing text"),
    ]
    first = issue.sections[0]
    assert first.links == ["https://example.com/x"]
    assert "<span>" not in first.body and "inline html" in first.body
    assert "&amp;" not in first.body and "& an entity" in first.body
    # The H1 is the issue heading, not a section or body text.
    assert issue_markdown(issue).count("# Import AI 403") == 1


def test_markdown_copy_merges_with_other_copies_by_number():
    from importai_tui.convert import merge_issues

    a = _one(DIALECT_A)
    b = _one(DIALECT_A.replace("Once upon a time.", "Once upon a time, for real."))
    b.sources = ["copy2.md"]
    (issue,) = merge_issues([a, b])
    assert issue.sources == ["copy.md", "copy2.md"]
    assert "for real" in issue.sections[-1].body  # the longer copy wins


def test_markdown_without_issue_structure_is_rejected():
    with pytest.raises(ConversionError):
        convert_bytes(b"---\ntitle: My holiday\n---\n\n# Holiday\n\nWe went to the sea.\n", "h.md")
