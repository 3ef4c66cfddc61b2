"""Hostile inputs of issue 13: bounded time, a size cap, only the converter's error.

Each input is built here, not stored. The time bounds are generous for a slow,
shared machine: every input took 7-56 s before the fix and takes well under
0.5 s after it.
"""

from __future__ import annotations

import time

import pytest

from importai_tui.convert import ConversionError, convert_bytes, convert_html
from importai_tui.convert.limits import DEFAULT_MAX_INPUT_BYTES, MAX_INPUT_ENV

BOUND_SECONDS = 1.5

# A small real-shaped issue in each input shape; the hostile part goes inside.
TEXT_ISSUE = (
    "Import AI 7: a hostile issue\n\n"
    "Robots fold laundry:\n\u2026A result from a lab\u2026\n{payload}\n\n***\n\n"
    "Tech Tales:\n\nThe End\n[A framing line]\nIt ended.\n"
)
MARKDOWN_ISSUE = (
    "---\ntitle: \"Import AI 8: hostile\"\n{front}---\n\n"
    "**Robots fold laundry:**\n*\u2026A result from a lab\u2026*\n{payload}\n"
)
HTML_ISSUE = (
    "<html><body><p><strong>Robots fold laundry:</strong></p>"
    "<p><em>\u2026A result from a lab\u2026</em></p>{payload}<p>Closing words.</p></body></html>"
)


def _convert_in_time(data: bytes):
    """The issues (or the ConversionError) of ``data``, asserting the time bound."""
    start = time.perf_counter()
    try:
        result = convert_bytes(data, "hostile")
    except ConversionError as error:
        result = error
    elapsed = time.perf_counter() - start
    assert elapsed < BOUND_SECONDS, f"took {elapsed:.2f} s"
    return result


def _body(result) -> str:
    assert not isinstance(result, ConversionError), result
    return "\n".join(s.body for issue in result for s in issue.sections)


@pytest.mark.parametrize(
    "data",
    [
        b"[" * 40_000,
        TEXT_ISSUE.format(payload="[" * 40_000).encode(),
        MARKDOWN_ISSUE.format(front="", payload="[" * 40_000).encode(),
        HTML_ISSUE.format(payload="<p>" + "[" * 40_000 + "</p>").encode(),
        MARKDOWN_ISSUE.format(front="", payload="[\\" * 20_000).encode(),
        MARKDOWN_ISSUE.format(front="", payload="[a](x" + "[a](a<b)" * 5_000 + " x").encode(),
    ],
    ids=["bare", "text", "markdown", "html", "escapes", "link-chain"],
)
def test_forty_thousand_brackets(data):
    result = _convert_in_time(data)
    if b"Robots" in data:
        assert _body(result)


@pytest.mark.parametrize("tag", ["b", "em", 'a href="https://example.com/"'])
def test_fifty_thousand_nbsp_inside_inline_markup(tag):
    name = tag.split()[0]
    payload = f"<p><{tag}>start{'&nbsp;' * 50_000}end</{name}></p>"
    body = _body(_convert_in_time(HTML_ISSUE.format(payload=payload).encode()))
    assert "start" in body and "end" in body


def test_front_matter_value_of_fifty_thousand_spaces():
    front = "url: https://example.com/x" + " " * 50_000 + "y\n"
    result = _convert_in_time(MARKDOWN_ISSUE.format(front=front, payload="Body.").encode())
    assert _body(result)


def test_link_opening_then_fifty_thousand_spaces():
    payload = "See [a](" + " " * 50_000 + "x and more words"
    body = _body(_convert_in_time(MARKDOWN_ISSUE.format(front="", payload=payload).encode()))
    assert "more words" in body


def test_text_bullet_then_fifty_thousand_spaces():
    payload = "- " + " " * 50_000 + "\n1. " + " " * 50_000
    assert _body(_convert_in_time(TEXT_ISSUE.format(payload=payload).encode()))


def test_250_nested_blockquotes_keep_every_line():
    words = "quoted words of a hostile newsletter " * 10
    payload = "".join(f"<blockquote><p>level{k} {words}</p>" for k in range(250))
    payload += "</blockquote>" * 250
    data = HTML_ISSUE.format(payload=payload).encode()
    assert len(data) > 100_000
    body = _body(_convert_in_time(data))
    assert all(f"level{k}" in body for k in range(250))
    # Quote markers stop at a few levels: deeper text is not re-prefixed.
    assert max(len(line) - len(line.lstrip("> ")) for line in body.split("\n")) <= 8


# -- the size cap (item 3) -----------------------------------------------------------


def test_input_over_the_default_limit_is_refused_in_one_line():
    data = b"x" * (DEFAULT_MAX_INPUT_BYTES + 1)
    with pytest.raises(ConversionError) as raised:
        convert_bytes(data, "huge.html")
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("input too large (8 MB, the limit is 8 MB")
    assert MAX_INPUT_ENV in message


def test_the_limit_is_an_argument_and_an_environment_variable(monkeypatch):
    data = TEXT_ISSUE.format(payload="Body.").encode()
    assert convert_bytes(data, "ok.txt")
    with pytest.raises(ConversionError, match="input too large"):
        convert_bytes(data, "small-cap.txt", max_bytes=100)
    with pytest.raises(ConversionError, match="input too large"):
        convert_html("<p>\u00e9</p>" * 30, "feed item", max_bytes=100)
    monkeypatch.setenv(MAX_INPUT_ENV, "0.0001")  # 100 bytes
    with pytest.raises(ConversionError, match=r"the limit is 100 bytes"):
        convert_bytes(data, "env-cap.txt")
    assert convert_bytes(data, "argument wins.txt", max_bytes=10_000)
    monkeypatch.setenv(MAX_INPUT_ENV, "not a number")
    assert convert_bytes(data, "bad env value means the default.txt")


# -- the front matter number (item 9) ---------------------------------------------


@pytest.mark.parametrize("number", ["7" * 5_000, "\u00b2", "12\u00b3", "-3", "1e3"])
def test_unusable_front_matter_number_falls_back_to_the_title(number):
    data = MARKDOWN_ISSUE.format(front=f"number: {number}\n", payload="Body.").encode()
    (issue,) = convert_bytes(data, "number.md")
    assert issue.number == 8


def test_decimal_front_matter_number_wins_over_the_title():
    data = MARKDOWN_ISSUE.format(front="number: 0042\n", payload="Body.").encode()
    (issue,) = convert_bytes(data, "number.md")
    assert issue.number == 42


# -- the shapes of issue 11: glued separators, run-on headlines, tale framings ------


@pytest.mark.parametrize(
    "payload",
    [
        "x" + "#" * 50_000 + "y",
        ("#" * 9 + "x") * 5_000,
        ("\\" + "#" * 10) * 5_000,
        "\nHeadline: \u2026" + "x\u2026" * 20_000,
        "\nHeadline: " + "\u2026" * 50_000 + " body",
        "\nHeadline: ..." + "." * 50_000,
        "\nTech Tales:\n\nThe title" + "[" * 20_000 + "]",
    ],
    ids=["glued-rule", "short-runs", "escaped-runs", "ellipses", "ellipsis-run", "dots", "framing"],
)
def test_glued_structure_is_split_in_linear_time(payload):
    for data in (TEXT_ISSUE, MARKDOWN_ISSUE.replace("{front}", "")):
        assert _body(_convert_in_time(data.format(payload=payload).encode()))
