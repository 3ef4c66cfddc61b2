"""Property tests: no input makes the converter raise anything but ``ConversionError``,
and every input finishes in bounded time.

Inputs are arbitrary bytes and text, and the seeds mutated the way real files
get damaged or forged: truncated, tags dropped, duplicated or left unbalanced,
re-encoded, separators multiplied, runs of Markdown-significant characters
inserted. Profiles (``ci``, ``long``) are registered in ``conftest.py``.
"""

from __future__ import annotations

import re
import time

from convert_support import SEEDS
from hypothesis import given
from hypothesis import strategies as st

from importai_tui.convert import (
    ConversionError,
    convert_bytes,
    convert_html,
    issue_markdown,
    merge_issues,
)

SEED_BYTES = [p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))]

# A real issue converts at ~0.1-0.7 us a byte; this allows a slow shared
# machine plus tag-dense input (BeautifulSoup costs ~10 us a tag) many times over.
BASE_SECONDS = 2.0
SECONDS_PER_BYTE = 20e-6

_TAG = re.compile(rb"<[^<>]{0,200}>")
_HOSTILE_RUNS = [
    b"[", b"]", b"(", b"](", b"*", b"**", b"_", b"\\", b" ", b"\t", b"&nbsp;", b"\xe2\x80\xa6",
    b"...", b"<b>", b"</b>", b"<blockquote>", b"<br>", b"> ", b"# ", b"- ", b"***\n", b"\n",
    b"---\n", b"Tech Tales:\n", b"Import AI 1: x\n", b"number: ", b"\x1b[2J", b"\xe2\x80\xae",
]


def _check(data: bytes) -> None:
    """Convert ``data``: only ConversionError, bounded time, renderable result."""
    start = time.perf_counter()
    try:
        issues = convert_bytes(data, "fuzz")
    except ConversionError as error:
        assert "\n" not in str(error)
        issues = []
    elapsed = time.perf_counter() - start
    assert elapsed < BASE_SECONDS + SECONDS_PER_BYTE * len(data), f"{elapsed:.2f} s"
    for issue in merge_issues(issues):
        issue_markdown(issue)


@st.composite
def _mutated_seed(draw) -> bytes:
    data = draw(st.sampled_from(SEED_BYTES))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(
                ["truncate", "drop_tag", "dup_tag", "unbalance", "reencode", "separators", "insert"]
            )
        )
        if kind == "truncate":
            data = data[: draw(st.integers(0, len(data)))]
        elif kind in ("drop_tag", "dup_tag"):
            tags = list(_TAG.finditer(data[:200_000]))
            if tags:
                m = draw(st.sampled_from(tags))
                middle = b"" if kind == "drop_tag" else m.group(0) * draw(st.integers(2, 300))
                data = data[: m.start()] + middle + data[m.end() :]
        elif kind == "unbalance":
            at = draw(st.integers(0, len(data)))
            tag = draw(st.sampled_from([b"<b>", b"</p>", b"<blockquote>", b"<a href='x'>", b"<em>",
                                        b"</strong>", b"<ul><li>", b"<pre>", b"<!--", b"<"]))
            data = data[:at] + tag * draw(st.integers(1, 300)) + data[at:]
        elif kind == "reencode":
            text = data.decode("utf-8", "replace")
            codec = draw(st.sampled_from(["utf-16", "utf-16-le", "cp1252", "latin-1", "utf-8-sig"]))
            data = text.encode(codec, "replace")
        elif kind == "separators":
            sep = draw(st.sampled_from([b"***", b"\n\n", b"* * *", b"----", b"####", b"<hr>"]))
            data = data.replace(sep, sep * draw(st.integers(2, 50)))
        else:
            at = draw(st.integers(0, len(data)))
            run = draw(st.sampled_from(_HOSTILE_RUNS)) * draw(st.integers(1, 20_000))
            data = data[:at] + run + data[at:]
    return data


@given(st.binary(max_size=4096))
def test_arbitrary_bytes(data):
    _check(data)


@given(st.text(max_size=2048))
def test_arbitrary_text(text):
    _check(text.encode("utf-8", "surrogatepass"))


@given(
    st.lists(
        st.one_of(st.sampled_from(_HOSTILE_RUNS), st.binary(max_size=8)),
        max_size=200,
    )
)
def test_markup_soup(pieces):
    _check(b"".join(pieces))


@given(_mutated_seed())
def test_mutated_seeds(data):
    _check(data)


@given(
    html=st.text(max_size=2048),
    title=st.one_of(st.none(), st.text(max_size=80)),
    number=st.one_of(st.none(), st.integers(-5, 10**6)),
    date=st.one_of(st.none(), st.text(max_size=20)),
    url=st.one_of(st.none(), st.text(max_size=60)),
)
def test_feed_items(html, title, number, date, url):
    start = time.perf_counter()
    try:
        issue = convert_html(html, "feed", number=number, title=title, date=date, url=url)
    except ConversionError:
        pass
    else:
        issue_markdown(issue)
    assert time.perf_counter() - start < BASE_SECONDS
