"""Bad and hostile input: encodings, empty/binary files, foreign HTML, truncation, escapes."""

from __future__ import annotations

import re

import pytest
from convert_support import HTML_SEEDS, seed_bytes

from importai_tui.convert import ConversionError, convert_bytes, convert_html, issue_markdown
from importai_tui.convert.sanitize import clean_text, safe_url

ISSUE_TEXT = (
    "Import AI 7: caf\u00e9 and \u201cquotes\u201d\n\nby Jack Clark\n\n"
    "Robots fold laundry:\n\u2026A result from a lab\u2026\nBody text na\u00efve.\n\n***\n\n"
    "Tech Tales:\n\nThe End\n[A framing line]\nIt ended.\n"
)


def test_cp1252_text_is_decoded():
    data = ISSUE_TEXT.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    (issue,) = convert_bytes(data, "cp.txt")
    assert issue.title == "caf\u00e9 and \u201cquotes\u201d"
    assert issue.sections[0].subtitle == "A result from a lab"
    assert "na\u00efve" in issue.sections[0].body


def test_latin1_text_with_bytes_undefined_in_cp1252_is_decoded_and_cleaned():
    text = ISSUE_TEXT.replace("\u2026", "...").replace("\u201c", '"').replace("\u201d", '"')
    data = text.encode("latin-1").replace(b"Body text", b"Body \x81text")
    (issue,) = convert_bytes(data, "latin1.txt")
    assert issue.title == 'caf\u00e9 and "quotes"'
    assert "Body text na\u00efve." in issue.sections[0].body


def test_utf8_bom_is_accepted():
    (issue,) = convert_bytes(b"\xef\xbb\xbf" + ISSUE_TEXT.encode("utf-8"), "bom.txt")
    assert issue.number == 7


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"  \n\t\r\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
        (b"\x00\x01\x02\x03" * 100, "binary"),
        (b"\x00\x01\x02binary", "binary"),  # small: a few control bytes are a large share
    ],
)
def test_empty_and_binary_files_are_rejected(data, reason):
    with pytest.raises(ConversionError, match=reason):
        convert_bytes(data, "bad")


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body><p>Hello</p></body></html>",
        b"<!doctype html><html><head><title>Blog</title></head><body><h1>My post</h1>"
        b"<h2>Part one</h2><p>Text.</p><h2>Part two</h2><p>More.</p></body></html>",
        b"just some notes\nwith a few lines\n",
    ],
)
def test_input_that_is_not_an_import_ai_issue_is_rejected(data):
    with pytest.raises(ConversionError, match="not an Import AI issue"):
        convert_bytes(data, "page.html")


def test_error_messages_are_one_line():
    for data in (b"", b"\x00" * 50, b"<p>Hello</p><p>there</p>"):
        with pytest.raises(ConversionError) as info:
            convert_bytes(data, "x")
        assert "\n" not in str(info.value)


@pytest.mark.parametrize("fraction", [0.5, 0.37, 0.9])
def test_truncated_html_is_imported_as_far_as_it_goes(fraction):
    """Decision: a cut HTML file keeps the sections it has (lxml closes open tags)."""
    html = seed_bytes(HTML_SEEDS[1])
    full = convert_bytes(html, "full")[0]
    cut = convert_bytes(html[: int(len(html) * fraction)], "cut")[0]
    titles = [s.title for s in cut.sections]
    assert 1 <= len(titles) <= len(full.sections)
    assert titles[:-1] == [s.title for s in full.sections][: len(titles) - 1]
    md = issue_markdown(cut)
    assert not re.search(r"(?<!\\)<[A-Za-z/]", md)
    assert "&#" not in md


def test_truncated_html_cut_inside_a_tag_leaves_no_markup():
    html = seed_bytes(HTML_SEEDS[0]).decode("utf-8")
    cut = html[: html.index('href="https://www.primeintellect.ai') + 20]
    issue = convert_html(cut, "cut")
    md = issue_markdown(issue)
    assert "href" not in md and not re.search(r"(?<!\\)<[A-Za-z/]", md)


HOSTILE_HTML = (
    "<p><strong>Evil headline \x1b[31mred\x1b[0m:<br /></strong>"
    "<em>&#8230;sub\u202etitle\u2066x\u2069&#8230;<br /></em>"
    "Body \x00NUL, \x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\ here, &#27;[2Jclear, "
    "\x9b31mCSI8, \x07bell, <a href=\"javascript:alert(1)\">js link</a>, "
    "<a href=\"data:text/html,x\">data link</a>, <a href=\"/relative\">rel link</a>, "
    "<a href=\" HTTPS://ok.example/a(b) \">ok link</a>, <script>alert(1)</script>"
    "<img src=x onerror=alert(1)> &lt;b&gt;not bold&lt;/b&gt; 1 &lt; 2 &amp;amp; done.</p>"
)


def test_hostile_html_is_sanitised():
    issue = convert_html(HOSTILE_HTML, "evil")
    md = issue_markdown(issue)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", md)
    sec = issue.sections[0]
    assert sec.title == "Evil headline red"
    assert sec.subtitle == "subtitlex"
    assert "NUL" in sec.body and "click here" in sec.body and "clear" in sec.body
    assert "evil.example" not in md
    assert "javascript" not in md and "data:" not in md and "/relative" not in md
    assert "js link" in sec.body and "data link" in sec.body and "rel link" in sec.body
    assert sec.links == ["https://ok.example/a%28b%29"]
    assert "alert" not in md
    # Escaped markup renders as the text it was, never as a tag or entity.
    assert "\\<b>not bold\\</b>" in sec.body
    assert "1 < 2" in sec.body and "&amp;" in sec.body.replace("\\&", "&")


def test_hostile_text_archive_is_sanitised():
    text = ISSUE_TEXT.replace("Body text", "Body \x1b[2J\x1b]0;title\x07\u202etext \x00*not* _em_ [x](javascript:y)")
    (issue,) = convert_bytes(text.encode("utf-8"), "evil.txt")
    body = issue.sections[0].body
    # Escaped where it matters: no emphasis, and "](" can no longer form a link.
    assert body.startswith("Body text \\*not\\* \\_em\\_ [x\\](javascript:y)")
    assert issue.sections[0].links == []


def test_clean_text_and_safe_url_units():
    assert clean_text("a\x1b[1;31mb\x1b[0mc") == "abc"
    assert clean_text("x\x1b]8;;https://e\x07y\x1b]8;;\x07z") == "xyz"
    assert clean_text("l\u202eo\u2067l\u2069") == "lol"
    assert clean_text("a\r\nb\rc\u2028d") == "a\nb\nc\nd"
    assert clean_text("tab\tand\xa0nbsp") == "tab\tand nbsp"
    assert safe_url("https://a.example/x y") == "https://a.example/x%20y"
    assert safe_url("HTTP://a.example") == "http://a.example"
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "//a.example", "mailto:x@y", "https://", ""):
        assert safe_url(bad) is None, bad


def test_deeply_nested_html_is_rejected_cleanly():
    html = "<div>" * 5000 + "<p><strong>Head:</strong></p>" + "</div>" * 5000
    with pytest.raises(ConversionError):
        convert_html(html, "deep")


def test_corrupted_seeds_convert_or_fail_with_conversion_error_only():
    """Deterministic mutation fuzz: cuts, random bytes and structural fragments."""
    import random

    from convert_support import SEEDS

    from importai_tui.convert import merge_issues

    seeds = [p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))]
    fragments = [b"***", b"\n***\n", b"<p>", b"</strong>", b"Tech Tales:\n", b"\xe2\x80\xa6",
                 b'<a href="javascript:x">', b"\x1b[31m", b"Import AI 12: x\n", b"\n\n", b"\x00"]
    rng = random.Random(2024)
    converted_ok = 0
    for n in range(60):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 20)):
            pos = rng.randrange(len(data))
            roll = rng.random()
            if roll < 0.4:
                del data[pos : pos + rng.randint(1, 2000)]
            elif roll < 0.7:
                data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 20)))
            else:
                data[pos:pos] = rng.choice(fragments)
        try:
            issues = convert_bytes(bytes(data), f"fuzz{n}")
        except ConversionError as exc:
            assert "\n" not in str(exc)
            continue
        converted_ok += 1
        for issue in merge_issues(issues):
            md = issue_markdown(issue)
            assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", md)
            assert all(link.startswith(("http://", "https://")) for s in issue.sections for link in s.links)
    assert converted_ok > 30  # most mutations still leave an issue to import


def test_saved_web_page_keeps_the_post_body_and_its_metadata():
    body = seed_bytes(HTML_SEEDS[0]).decode("utf-8")
    page = (
        "<!DOCTYPE html><html><head><title>Import AI 410: Decentralized training - by Jack Clark"
        '</title><meta property="article:published_time" content="2025-04-28T12:00:00+00:00">'
        '</head><body><nav><a href="/">Import AI</a> Sign in</nav><article>'
        '<h1 class="post-title">Import AI 410: Decentralized training</h1>'
        f'<div class="available-content"><div class="body markup">{body}</div></div>'
        '<div class="post-footer">Share this post. 12 Comments.</div></article>'
        "<footer>Privacy and Terms</footer></body></html>"
    )
    (issue,) = convert_bytes(page.encode("utf-8"), "page.html")
    (plain,) = convert_bytes(seed_bytes(HTML_SEEDS[0]), "seed")
    assert (issue.id, issue.number, issue.title) == ("410", 410, "Decentralized training")
    assert issue.date == "2025-04-28"
    assert [s.title for s in issue.sections] == [s.title for s in plain.sections]
    md = issue_markdown(issue)
    assert "Sign in" not in md and "Comments" not in md and "Privacy" not in md
