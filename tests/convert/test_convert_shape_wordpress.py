"""Shape 2 (issue 11): the WordPress era (2016-2022), as text exports and feed HTML.

Long ``#`` separators (alone or glued to text), headlines not bold, headline,
subtitle and body run together on one line, undecoded entities, a tale title
running into its ``[Place, year]`` line, and older recurring sections.
"""

from __future__ import annotations

from shape_support import lost_words, shape

from importai_tui.convert import convert_bytes, convert_html

RULE = "#" * 60

WORDPRESS_TEXT = f"""Import AI 52: Stacking robots; translation at scale; a new chip

by Jack Clark

Robots learn to stack blocks: &hellip;Simulation plus a little real data goes a long way&hellip; Researchers trained an arm in simulation and tuned it on fifty real trials. It worked four times in five.
Read more: Stacking in the real world (Arxiv).{RULE}
Bigger models, better translation:
&hellip;Scaling keeps paying off&hellip;
A team doubled their network and saw gains on every language pair they tried, which they call &lsquo;boring but reliable&rsquo;.
{RULE}
A chip for sparse math: &#8230;Skipping the zeros&#8230;
The startup&#8217;s new accelerator ignores zero-valued weights entirely.
{RULE}OpenAI Bits &amp; Pieces:

Playing together: We released a paper on agents that learn to cooperate in simple games.
{RULE}
Tech Tales:

The Quiet Fleet[Pacific Ocean, 2029]
The ships stopped answering the harbour and kept fishing anyway.
"""


def test_wordpress_text_export():
    (issue,) = convert_bytes(WORDPRESS_TEXT.encode(), "wp.txt")
    assert issue.number == 52
    assert shape(issue) == [
        ("story", "Robots learn to stack blocks"),
        ("story", "Bigger models, better translation"),
        ("story", "A chip for sparse math"),
        ("story", "OpenAI Bits & Pieces"),
        ("tale", "The Quiet Fleet"),
    ]
    subtitles = [s.subtitle for s in issue.sections]
    assert subtitles == [
        "Simulation plus a little real data goes a long way",
        "Scaling keeps paying off",
        "Skipping the zeros",
        None,
        "Pacific Ocean, 2029",
    ]
    first = issue.sections[0].body
    assert first.startswith("Researchers trained an arm")
    assert "#" not in first
    assert "\u2018boring but reliable\u2019" in issue.sections[1].body
    assert "startup\u2019s" in issue.sections[2].body
    assert not lost_words(WORDPRESS_TEXT, [issue], ignore="by Jack Clark")


WORDPRESS_HTML = (
    "<p>Welcome to Import AI, subscribe here.</p>"
    "<p>Robots learn to stack blocks:<br />&#8230;Simulation goes a long way&#8230;<br />"
    "Researchers trained an arm in <a href=\"https://example.com/sim\">simulation</a>.</p>"
    "<p>###########################################</p>"
    "<p><b>Bigger models, better translation: </b>&#8230;Scaling pays&#8230; A team doubled "
    "their network and saw gains.</p>"
    f"<p>Read more here.{RULE}</p>"
    "<p><strong>Tech Tales:</strong></p><p><strong>The Quiet Fleet [Pacific, 2029]</strong></p>"
    "<p>The ships stopped answering.</p>"
)


def test_wordpress_feed_item():
    issue = convert_html(WORDPRESS_HTML, "wp-feed", title="Import AI 53: Blocks and words")
    assert issue.number == 53
    assert shape(issue) == [
        ("story", "Robots learn to stack blocks"),
        ("story", "Bigger models, better translation"),
        ("tale", "The Quiet Fleet"),
    ]
    assert [s.subtitle for s in issue.sections] == [
        "Simulation goes a long way",
        "Scaling pays",
        "Pacific, 2029",
    ]
    assert issue.sections[1].body == "A team doubled their network and saw gains.\n\nRead more here."
    assert not lost_words(WORDPRESS_HTML, [issue], ignore="Welcome to Import AI subscribe here")
