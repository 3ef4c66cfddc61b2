"""Shape 3 (issue 11): the 2026 Substack editor.

Spans everywhere, most of an issue inside one ``<p>`` split by
``<br><br>***<br><br>``, "DOUBLE FEATURE:" labels, ``<ul><li><p><span>`` lists,
a bold ``***`` then a headline that is not bold, a leading thumbnail,
subscribe wrappers, and "Tech Tales:" sharing a ``<strong>`` with the title.
"""

from __future__ import annotations

import pytest
from shape_support import lost_words, shape

from importai_tui.convert import convert_html

SUBSTACK_2026 = (
    '<div class="captioned-image-container"><figure><img src="https://example.com/thumb.png" alt=""></figure></div>'
    '<p><span>Welcome to Import AI, a newsletter about AI research. Please subscribe.</span></p>'
    '<div class="subscription-widget-wrap-editor"><div class="subscription-widget"><form><input type="email"></form>'
    '<p class="button-wrapper"><a class="button" href="https://importai.substack.com/subscribe"><span>Subscribe now</span></a></p></div></div>'
    '<p><span>A note before we start: this issue was written on a plane.</span><br><br>'
    '<strong><span>Tiny models read maps:</span></strong><br>'
    '<em><span>…Small networks, big atlases…</span></em><br>'
    '<span>A group trained a compact model to answer questions about </span>'
    '<a href="https://example.com/maps"><span>old maps</span></a><span>.</span><br><br>'
    '<span>***</span><br><br>'
    '<strong><span>DOUBLE FEATURE:</span></strong><br>'
    '<strong><span>Robots that sort socks:</span></strong><br>'
    '<em><span>…A laundry benchmark…</span></em><br>'
    '<span>The benchmark pairs socks from a pile of thousands.</span><br><br>'
    '<strong><span>Robots that fold shirts:</span></strong><br>'
    '<em><span>…The second half of the feature…</span></em><br>'
    '<span>Folding remains harder than sorting, the authors find.</span></p>'
    '<ul><li><p><span>Folding success rate: low.</span></p></li><li><p><span>Sorting success rate: high.</span></p></li></ul>'
    '<p><strong>***</strong></p>'
    '<p><span>Chips cross the ocean:</span><br><em><span>…Export rules tighten…</span></em><br>'
    '<span>New rules restrict shipments of accelerators.</span></p>'
    '<p><span>***</span></p>'
    '<p><strong><span>Tech Tales: The Sock Whisperer</span></strong></p>'
    '<p><em><span>[A basement laundromat, 2035]</span></em></p>'
    '<p><span>Every sock found its pair, except one, which the machine kept.</span></p>'
    '<p><em><span>Things that inspired this story: laundry; lost things.</span></em></p>'
)

BOILERPLATE = "Welcome to Import AI a newsletter about AI research Please subscribe Subscribe now"
EXPECTED = [
    ("intro", "Introduction"),
    ("story", "Tiny models read maps"),
    ("story", "DOUBLE FEATURE: Robots that sort socks"),
    ("story", "Robots that fold shirts"),
    ("story", "Chips cross the ocean"),
    ("tale", "The Sock Whisperer"),
]


def test_2026_editor_issue():
    issue = convert_html(SUBSTACK_2026, "feed", title="Import AI 450: Socks and maps")
    assert (issue.number, issue.title) == (450, "Socks and maps")
    assert shape(issue) == EXPECTED
    assert [s.subtitle for s in issue.sections] == [
        None,
        "Small networks, big atlases",
        "A laundry benchmark",
        "The second half of the feature",
        "Export rules tighten",
        "A basement laundromat, 2035",
    ]
    assert issue.sections[0].body == "A note before we start: this issue was written on a plane."
    assert issue.sections[1].links == ["https://example.com/maps"]
    assert issue.sections[3].body.endswith(
        "- Folding success rate: low.\n- Sorting success rate: high."
    )
    assert not lost_words(SUBSTACK_2026, [issue], ignore=BOILERPLATE)


@pytest.mark.parametrize(
    "old, new",
    [
        # "Tech Tales:" and the title in one <strong>, a line break between them.
        ("Tech Tales: The Sock Whisperer", "Tech Tales:<br>The Sock Whisperer"),
        # The label in the headline's own <strong>.
        ("DOUBLE FEATURE:</span></strong><br><strong><span>", "DOUBLE FEATURE: "),
    ],
)
def test_2026_editor_variants(old, new):
    html = SUBSTACK_2026.replace(old, new)
    assert old in SUBSTACK_2026 and html != SUBSTACK_2026
    issue = convert_html(html, "feed", title="Import AI 450: Socks and maps")
    assert shape(issue) == EXPECTED
    assert not lost_words(html, [issue], ignore=BOILERPLATE)
