"""Shape 7 (issue 11): concatenated archives, each header glued to the issue before.

Rule two: two issues never merge into one, and a line that merely starts with
an issue's name inside a story does not start an issue.
"""

from __future__ import annotations

from shape_support import lost_words, shape

from importai_tui.convert import convert_bytes

GLUED_TEXT = """Import AI 410: Folding robots; quiet chips
Robots fold towels:
…A household dataset grows up…
A lab released ten thousand clips of robot arms folding towels.
Import AI 300: we covered an earlier attempt at this, which mostly failed.

Chips get quieter:
…Cooling without fans…
Engineers showed a passive cooling design for accelerator boards.

Tech Tales:

The Towel Oracle
[A laundromat, 2038]
It folded every towel perfectly and then, one night, folded itself.
Import AI 411: Maps from satellites

by Jack Clark

Satellite maps update daily:
…Roads appear within hours…
A startup now rebuilds street maps every day from fresh imagery.
Import AI 412: A short essay on patience
Sometimes the best research result is waiting a year for the data to come in.
"""


def test_glued_headers_start_new_issues():
    issues = convert_bytes(GLUED_TEXT.encode(), "archive.txt")
    assert [(i.number, i.title) for i in issues] == [
        (410, "Folding robots; quiet chips"),
        (411, "Maps from satellites"),
        (412, "A short essay on patience"),
    ]
    assert shape(issues[0]) == [
        ("story", "Robots fold towels"),
        ("story", "Chips get quieter"),
        ("tale", "The Towel Oracle"),
    ]
    assert shape(issues[1]) == [("story", "Satellite maps update daily")]
    assert shape(issues[2]) == [("story", "A short essay on patience")]
    # The tale ends where the next issue begins.
    assert issues[0].sections[2].body.endswith("folded itself.")
    # An issue named inside a sentence stays in its story.
    assert "Import AI 300: we covered" in issues[0].sections[0].body
    assert not lost_words(GLUED_TEXT, issues, ignore="by Jack Clark")


GLUED_MARKDOWN = """# Import AI 420: Two exports in one file

**Sensors that smell:**
*…An electronic nose learns wine…*
A team trained a small model on gas sensor readings from wine bottles.
# Import AI 421: The second export

**Translation for whales:**
*…Clicks, codas and a dictionary…*
Researchers proposed a vocabulary for sperm whale codas.
"""


def test_markdown_headings_of_two_issues_never_merge():
    issues = convert_bytes(GLUED_MARKDOWN.encode(), "two.md")
    assert [(i.number, shape(i)) for i in issues] == [
        (420, [("story", "Sensors that smell")]),
        (421, [("story", "Translation for whales")]),
    ]
    assert not lost_words(GLUED_MARKDOWN, issues)


def test_markdown_export_with_a_page_heading_before_its_issues():
    md = "# My saved issues\n\n" + GLUED_MARKDOWN.replace("# Import AI", "Import AI")
    issues = convert_bytes(md.encode(), "saved.md")
    assert [i.number for i in issues] == [420, 421]
    assert not lost_words(md, issues, ignore="My saved issues")


GLUED_HTML = (
    "<html><body><p>Import AI 430: Sensors</p>"
    "<p><strong>Sensors that smell:</strong><br><em>…An electronic nose learns wine…</em><br>"
    "A team trained a small model on gas sensor readings.<br>"
    "Import AI 431: Whales</p>"
    "<p><strong>Translation for whales:</strong><br><em>…Clicks and codas…</em><br>"
    "Researchers proposed a vocabulary for sperm whale codas.</p></body></html>"
)


def test_a_saved_page_holding_two_issues_gives_two():
    issues = convert_bytes(GLUED_HTML.encode(), "two.html")
    assert [(i.number, shape(i)) for i in issues] == [
        (430, [("story", "Sensors that smell")]),
        (431, [("story", "Translation for whales")]),
    ]
    assert not lost_words(GLUED_HTML, issues)
