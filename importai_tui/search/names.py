"""Proper names in newsletter text: organisations, models, people, datasets.

No model and no gazetteer: a name is a run of capitalised words ("Prime
Intellect", "Google DeepMind") or one word that looks like a product or an
acronym ("DeepSeek-R1", "INTELLECT-1", "NVIDIA", "Huawei"). Sentence-opening
words ("The", "Why") are mostly common words: the caller drops names whose
every token is common in the index (see ``related``).
"""

from __future__ import annotations

import re

from importai_tui.search.query import tokenize

# One capitalised word, possibly with inner hyphens or dots ("Llama-3.1", "Prima.cpp").
_WORD = r"[A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*"
_RUN = re.compile(rf"{_WORD}(?:[ \t]+{_WORD})*")
# Link targets and bare URLs: their words are addresses, not names.
# Link targets and bare addresses (their words are no names). A target's `(…)`
# pairs are matched without overlap, so `](` repeated stays linear.
ADDRESSES = re.compile(r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*\)|<https?://[^>\s]*>|https?://\S+")
# What may stand between a sentence's end and its first word.
_OPENERS = " \t\n*_#>\"'“‘(["
_SENTENCE_ENDS = ".!?:…\n"
# A run longer than this is title case, not a name.
MAX_NAME_WORDS = 4


def proper_names(text: str) -> dict[tuple[str, ...], str]:
    """``folded tokens -> the name as first written`` for each proper name in ``text``."""
    text = ADDRESSES.sub(" ", text)
    runs = [(match.group().split(), _opens_sentence(text, match.start())) for match in _RUN.finditer(text)]
    # Words written capitalised mid-sentence somewhere: names wherever they appear.
    named = {word for words, opening in runs for word in words[int(opening) :]}
    names: dict[tuple[str, ...], str] = {}
    for words, opening in runs:
        if opening and _plain(words[0]):
            if len(words) > 1:
                words = words[1:]  # "The Prime Intellect team": the article is not part of it
            elif words[0] not in named:
                continue  # "Recursive self-improvement is …": a capital for the sentence only
        if len(words) > MAX_NAME_WORDS:
            continue
        if len(words) == 1 and len(words[0]) < 2:
            continue
        key = tuple(tokenize(" ".join(words)))
        if key and key not in names:
            names[key] = " ".join(words)
    return names


def _plain(word: str) -> bool:
    """A capitalised ordinary word ("The"), as opposed to "DeepSeek" or "GPT-4"."""
    return word.isalpha() and (len(word) == 1 or word[1:].islower())


def _opens_sentence(text: str, start: int) -> bool:
    index = start - 1
    while index >= 0 and text[index] in _OPENERS and text[index] != "\n":
        index -= 1
    return index < 0 or text[index] in _SENTENCE_ENDS
