"""Helpers for the converter tests, written independently of the converter.

``source_words`` re-derives the body text of a seed (or of one issue of a text
archive) with its own small rules, so the no-text-lost test does not trust the
code it checks.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
HTML_SEEDS = ("000_f46faf7d7fd2667a.txt", "003_5e8b8ebf436356d6.txt", "004_43f1e775ec95713e.txt")
TEXT_SEEDS = ("001_a42ab760318425e2.txt", "002_65f81c39ea0132c1.txt")

_WORD = re.compile(r"[^\W_]+")
_BOILER_LINE = re.compile(
    r"^\s*(?:Subscribe now|Thanks for reading[.!]?|by Jack Clark|Import AI"
    r"|Import AI publishes first on Substack –\s+subscribe here\.)\s*$"
)
_WELCOME = re.compile(r"Welcome to Import AI, a newsletter about AI research\..*?please subscribe\.")
_HEADER = re.compile(r"^Import AI (\d+): ", re.MULTILINE)


def seed_bytes(name: str) -> bytes:
    """The raw bytes of one bundled seed file."""
    return (SEEDS / name).read_bytes()


def word_counts(text: str) -> Counter:
    """Alphanumeric words of a text, counted."""
    return Counter(_WORD.findall(text))


def _strip_boilerplate(text: str) -> str:
    text = _WELCOME.sub(" ", text)
    return "\n".join(ln for ln in text.split("\n") if not _BOILER_LINE.match(ln))


def text_issue_blocks(name: str) -> list[tuple[int, str]]:
    """(number, raw text) of every issue in a text archive, in file order."""
    text = seed_bytes(name).decode("utf-8")
    starts = [(m.start(), int(m.group(1))) for m in _HEADER.finditer(text)]
    blocks = []
    for k, (pos, number) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        blocks.append((number, _strip_boilerplate(text[pos:end])))
    return blocks


def html_body_text(name: str) -> str:
    """The visible text of an HTML seed without its boilerplate."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(seed_bytes(name).decode("utf-8"), "lxml")
    for p in soup.select("p.button-wrapper"):
        p.decompose()
    return _strip_boilerplate(soup.get_text("\n"))


def missing_words(source: str, markdown: str) -> Counter:
    """Words of ``source`` that occur fewer times in ``markdown`` (empty when none lost)."""
    have = word_counts(markdown)
    return Counter({w: n - have[w] for w, n in word_counts(source).items() if have[w] < n})
