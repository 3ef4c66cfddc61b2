"""Query parsing: user text into folded words, exact phrases, exclusions and filters.

User text never reaches FTS5 raw: every token is re-quoted (``quote``), so
quotes, ``*``, ``:``, parentheses, ``AND``/``OR``/``NEAR`` and regex
metacharacters are just text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# unicode61 token characters: letters and digits (underscore separates tokens).
_TOKEN_RE = re.compile(r"[^\W_]+")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_ISSUE_RE = re.compile(r"^(?:#|issue:|no:)(\d{1,6})$", re.IGNORECASE)
_KIND_RE = re.compile(r"^kind:(intro|story|tale)s?$", re.IGNORECASE)
_TALE_FILTERS = frozenset({"tale:", "tales:", "techtales:", "tt:"})
# "tale:robots": the filter typed without a space before the word.
_GLUED_TALE_RE = re.compile(r"^(?:tales?|techtales|tt):(.+)$", re.IGNORECASE)


def fold(text: str) -> str:
    """Case-fold and strip diacritics, like FTS5's ``unicode61 remove_diacritics 2``."""
    if text.isascii():
        return text.lower()  # the common case, and 20x cheaper
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    """The folded index tokens of ``text`` (the same splitting FTS5 applies)."""
    if text.isascii() or not any(ch.isalnum() for ch in set(_NON_ASCII_RE.findall(text))):
        # Non-ASCII characters that are not letters or digits (curly quotes,
        # dashes: most newsletter text) only separate tokens, as spaces do.
        return _TOKEN_RE.findall(text.lower())
    tokens: list[str] = []
    for token in _TOKEN_RE.findall(text):
        if token.isascii():
            # Most tokens of non-ASCII text (curly quotes, dashes) are plain ASCII.
            tokens.append(token.lower())
        else:
            # Folding may split a token (e.g. ligatures); re-split the folded form.
            tokens.extend(_TOKEN_RE.findall(fold(token)))
    return tokens


def quote(token: str) -> str:
    """One FTS5 string literal (double quotes doubled): user text stays text."""
    return '"' + token.replace('"', '""') + '"'


@dataclass(frozen=True)
class ParsedQuery:
    """A user query split into its parts (all tokens folded)."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()
    kind: str | None = None
    issue_number: int | None = None
    # The last word or phrase is still being typed (no trailing space).
    open_end: bool = False
    # The final item typed was a phrase (so a prefix applies to the phrase).
    last_is_phrase: bool = False

    @property
    def has_terms(self) -> bool:
        return bool(self.words or self.phrases)


def parse_query(text: str) -> ParsedQuery:
    """Parse ``text`` into words, ``"exact phrases"``, ``-excluded`` words and filters.

    Filters: ``tale:`` (also ``tales:``, ``tt:``; glued to a word as in
    ``tale:robots`` too) or ``kind:tale|story|intro``;
    ``#401`` or ``issue:401``. A chunk with inner punctuation (``GPT-4o``,
    ``o1-preview``) becomes a phrase of its tokens. Never raises.
    """
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    excluded: list[str] = []
    kind: str | None = None
    issue_number: int | None = None
    last_kind = ""  # what the final token was: "word", "phrase" or ""

    # Split out double-quoted phrases first; an unclosed quote runs to the end.
    parts = re.split(r'("[^"]*"?)', text)
    for part in parts:
        if part.startswith('"'):
            tokens = tokenize(part.strip('"'))
            if len(tokens) == 1:
                words.append(tokens[0])
                last_kind = "word"
            elif tokens:
                phrases.append(tuple(tokens))
                last_kind = "phrase"
            continue
        for chunk in part.split():
            lowered = chunk.casefold()
            if lowered in _TALE_FILTERS:
                kind = "tale"
                last_kind = ""
                continue
            if glued := _GLUED_TALE_RE.match(chunk):
                # Else the filter's name would join the word in a phrase
                # ("tale robots") that no section holds.
                kind = "tale"
                chunk = glued.group(1)
            if match := _KIND_RE.match(chunk):
                kind = match.group(1).lower()
                last_kind = ""
                continue
            if match := _ISSUE_RE.match(chunk):
                issue_number = int(match.group(1))
                last_kind = ""
                continue
            negate = chunk.startswith("-") and len(chunk) > 1
            tokens = tokenize(chunk)
            if not tokens:
                continue
            if negate:
                excluded.extend(tokens)
                last_kind = ""
            elif len(tokens) == 1:
                words.append(tokens[0])
                last_kind = "word"
            else:
                phrases.append(tuple(tokens))
                last_kind = "phrase"
    # Only the final item may be a prefix, and only while it is being typed.
    open_end = bool(text) and not text[-1].isspace() and not text.endswith('"')
    return ParsedQuery(
        words=tuple(words),
        phrases=tuple(phrases),
        excluded=tuple(excluded),
        kind=kind,
        issue_number=issue_number,
        open_end=open_end and last_kind in {"word", "phrase"},
        last_is_phrase=last_kind == "phrase",
    )
