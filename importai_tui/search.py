"""Fuzzy full-text search over the library (pure logic: no Textual).

Design (measured in ``benchmarks/bench_search.py``):

1. The query is parsed into word groups, exact phrases (``"..."``), excluded
   words (``-word``) and filters (``tale:``, ``kind:story``, ``#401``,
   ``issue:401``). User text never reaches FTS5 raw: every token is re-quoted,
   so quotes, ``*``, ``:``, parentheses, ``AND``/``OR``/``NEAR`` and regex
   metacharacters are just text.
2. Each word is corrected against the FTS5 index's own vocabulary
   (``sections_vocab``) with rapidfuzz: an exact term is kept, the word being
   typed also matches as a prefix, and a word that is not in the vocabulary is
   replaced by its nearest terms (optimal string alignment distance 1, or 2 for
   long words; only terms of similar length are compared). The vocabulary is
   loaded once per library generation (the index file's stat), so a keystroke
   costs a few milliseconds instead of scanning every body with rapidfuzz.
3. The corrected query runs as one FTS5 MATCH ranked by ``bm25`` with column
   weights (headline 10, subtitle 4, body 1), then a small rerank boosts
   sections whose headline or issue title holds every query word.
4. Each hit carries a short plain-text snippet and the character spans of the
   matched words (spans, never markup: newsletter text is untrusted).
"""

from __future__ import annotations

import bisect
import json
import os
import re
import sqlite3
import tempfile
import threading
import unicodedata
from array import array
from itertools import accumulate
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from importai_tui.text import issue_label

# Column weights for bm25(title, subtitle, body): a headline hit beats a
# subtitle hit beats a body hit.
COLUMN_WEIGHTS = (10.0, 4.0, 1.0)
# Rerank boosts applied on top of bm25.
TITLE_BOOST = 1.6  # every query word is in the section headline
ISSUE_TITLE_BOOST = 1.15  # every query word is in the issue's title
DEFAULT_LIMIT = 20
SNIPPET_WIDTH = 160
# How many bm25 candidates the rerank looks at (beyond ``limit``).
RERANK_POOL = 60
# A filter passing at most this many sections goes into the FTS query as a rowid list.
SMALL_FILTER = 200
# A word group matching more than this share of sections counts as "common".
COMMON_SHARE = 0.3
# ... in libraries large enough for ranking every match to cost (sections).
COMMON_MIN_DOCUMENTS = 2000
# Above this many terms, single-section words are not correction targets.
HUGE_VOCABULARY = 200_000
# At most this many vocabulary corrections per misspelt word.
MAX_CORRECTIONS = 3
# The vocabulary cache kept beside the index (see ``save_vocabulary``).
VOCABULARY_FILE = "search-vocabulary.cache"
_VOCABULARY_MAGIC = b"importai-search-vocabulary 1\n"

# unicode61 token characters: letters and digits (underscore separates tokens).
_TOKEN_RE = re.compile(r"[^\W_]+")
_ISSUE_RE = re.compile(r"^(?:#|issue:|no:)(\d{1,6})$", re.IGNORECASE)
_KIND_RE = re.compile(r"^kind:(intro|story|tale)s?$", re.IGNORECASE)
_TALE_FILTERS = frozenset({"tale:", "tales:", "techtales:", "tt:"})
_MD_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARKS_RE = re.compile(r"(\*\*|__|[*`>#]|(?<!\w)_|_(?!\w))")
_SPACE_RE = re.compile(r"\s+")


class _LibraryLike(Protocol):
    index_path: Path

    def connect(self) -> sqlite3.Connection: ...


def fold(text: str) -> str:
    """Case-fold and strip diacritics, like FTS5's ``unicode61 remove_diacritics 2``."""
    if text.isascii():
        return text.lower()  # the common case, and 20x cheaper
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    """The folded index tokens of ``text`` (the same splitting FTS5 applies)."""
    if text.isascii():
        return _TOKEN_RE.findall(text.lower())
    tokens: list[str] = []
    for match in _TOKEN_RE.finditer(text):
        # Folding may split a token (e.g. ligatures); re-split the folded form.
        tokens.extend(_TOKEN_RE.findall(fold(match.group())))
    return tokens


def _quote(token: str) -> str:
    """One FTS5 string literal (double quotes doubled): user text stays text."""
    return '"' + token.replace('"', '""') + '"'


# -- query parsing -------------------------------------------------------------


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

    Filters: ``tale:`` (also ``tales:``, ``tt:``) or ``kind:tale|story|intro``;
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


# -- vocabulary ----------------------------------------------------------------


class Vocabulary:
    """The index's terms with their document counts, ready for fuzzy lookup."""

    def __init__(self, terms: Iterable[tuple[str, int]], documents: int = 0) -> None:
        self.doc_freq: dict[str, int] = dict(terms)
        # Sorting already sorted input (FTS5 lists terms in order) is linear.
        self.sorted_terms: list[str] = sorted(self.doc_freq)
        # How many sections are indexed (to tell very common words).
        self.documents = documents
        # Running document counts in term order: a prefix's total in O(log n).
        self._cumulative = array("q", [0])
        self._cumulative.extend(accumulate(self.doc_freq[t] for t in self.sorted_terms))
        # Fuzzy candidates: alphabetic terms only (numbers are never "corrected"),
        # bucketed by length so a word is compared with similar lengths only.
        # In a huge vocabulary, words found in a single section (mostly noise:
        # typos, tokens of URLs) are not offered as corrections; comparing
        # against them would cost more than a keystroke's budget.
        min_docs = 2 if len(self.doc_freq) > HUGE_VOCABULARY else 1
        self._by_length: dict[int, list[str]] = {}
        for term in self.sorted_terms:
            if term.isalpha() and self.doc_freq[term] >= min_docs:
                self._by_length.setdefault(len(term), []).append(term)
        self._prefixes: dict[int, list[str]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.doc_freq)

    def __contains__(self, term: object) -> bool:
        return term in self.doc_freq

    def has_prefix(self, prefix: str) -> bool:
        """True when some term starts with ``prefix``."""
        index = bisect.bisect_left(self.sorted_terms, prefix)
        return index < len(self.sorted_terms) and self.sorted_terms[index].startswith(prefix)

    def prefix_doc_count(self, prefix: str) -> int:
        """Sum of the document counts of every term starting with ``prefix`` (an upper bound)."""
        lo = bisect.bisect_left(self.sorted_terms, prefix)
        hi = bisect.bisect_left(self.sorted_terms, prefix + "\U0010ffff")
        return self._cumulative[hi] - self._cumulative[lo]

    def corrections(self, word: str, *, limit: int = MAX_CORRECTIONS) -> list[str]:
        """The nearest terms to a misspelt ``word``, most frequent first."""
        max_distance = _max_distance(word)
        if not max_distance or not word.isalpha():
            return []
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        candidates: list[tuple[int, int, str]] = []
        for length in range(len(word) - max_distance, len(word) + max_distance + 1):
            band = self._by_length.get(length)
            if not band:
                continue
            for term, distance, _ in process.extract(
                word, band, scorer=OSA.distance, score_cutoff=max_distance, limit=None
            ):
                candidates.append((int(distance), -self.doc_freq.get(term, 0), term))
        return _best(candidates, limit)

    def prefix_corrections(self, word: str, *, limit: int = MAX_CORRECTIONS) -> list[str]:
        """Corrected prefixes for a misspelt word still being typed ("distrbu" → "distribu")."""
        if len(word) < 4 or not word.isalpha():
            return []
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        candidates: list[tuple[int, int, str]] = []
        for length in (len(word) - 1, len(word), len(word) + 1):
            for prefix, distance, _ in process.extract(
                word, self._prefix_band(length), scorer=OSA.distance, score_cutoff=1, limit=None
            ):
                candidates.append((int(distance), -len(prefix), prefix))
        return _best(candidates, limit)

    def _prefix_band(self, length: int) -> list[str]:
        """The distinct alphabetic term prefixes of ``length`` characters (cached)."""
        band = self._prefixes.get(length)
        if band is None:
            with self._lock:
                band = self._prefixes.get(length)
                if band is None:
                    seen = {
                        term[:length]
                        for size, terms in self._by_length.items()
                        if size >= length
                        for term in terms
                    }
                    band = sorted(seen)
                    self._prefixes[length] = band
        return band

    def warm(self, lengths: Iterable[int] = range(3, 13)) -> None:
        """Precompute the prefix bands so the first keystrokes do not pay for them."""
        for length in lengths:
            self._prefix_band(length)


def save_vocabulary(path: Path, key: str, vocab: Vocabulary) -> bool:
    """Write ``vocab`` to ``path`` atomically, tagged with the index ``key``.

    The format is plain data (no pickle): a magic line, a JSON header, the
    terms joined by newlines (FTS5 tokens never hold one) and the document
    counts as 64-bit integers. It is a cache: failing to write it (a
    read-only data dir) only costs the next start a reload, so it returns
    False instead of raising.
    """
    text = "\n".join(vocab.sorted_terms).encode("utf-8")
    counts = array("q", (vocab.doc_freq[term] for term in vocab.sorted_terms))
    header = {
        "key": key,
        "documents": vocab.documents,
        "terms": len(vocab.sorted_terms),
        "text_bytes": len(text),
    }
    try:
        descriptor, temp = tempfile.mkstemp(prefix=".vocabulary-", dir=path.parent)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(_VOCABULARY_MAGIC)
                handle.write(json.dumps(header).encode("ascii") + b"\n")
                handle.write(text)
                handle.write(counts.tobytes())
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError:
        return False
    return True


def load_vocabulary(path: Path, key: str) -> Vocabulary | None:
    """The vocabulary saved at ``path`` for index ``key``; None if missing, stale or damaged."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        if not data.startswith(_VOCABULARY_MAGIC):
            return None
        start = len(_VOCABULARY_MAGIC)
        end = data.index(b"\n", start)
        header = json.loads(data[start:end])
        if header.get("key") != key:
            return None
        count, text_bytes = int(header["terms"]), int(header["text_bytes"])
        text_end = end + 1 + text_bytes
        counts = array("q")
        counts.frombytes(data[text_end:])
        terms = data[end + 1 : text_end].decode("utf-8").split("\n") if count else []
        if len(terms) != count or len(counts) != count:
            return None
        return Vocabulary(zip(terms, counts), int(header["documents"]))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
        return None


def _max_distance(word: str) -> int:
    """Edits forgiven for a word of this length (0 for short words: too noisy)."""
    if len(word) >= 8:
        return 2
    if len(word) >= 4:
        return 1
    return 0


def _best(candidates: list[tuple[int, int, str]], limit: int) -> list[str]:
    """Terms at the smallest distance, in the order of their second key."""
    if not candidates:
        return []
    best = min(candidate[0] for candidate in candidates)
    return [term for distance, _, term in sorted(candidates) if distance == best][:limit]


# -- results -------------------------------------------------------------------

Span = tuple[int, int]


@dataclass(frozen=True)
class SearchHit:
    """One matching section, best first.

    ``snippet`` is plain text; ``snippet_spans`` and ``title_spans`` are
    ``(start, end)`` character offsets of matched words in ``snippet`` and
    ``section_title``. ``terms`` are the index terms the query matched (after
    correction), for highlighting elsewhere (``match_spans``).
    """

    issue_id: str
    issue_number: int | None
    issue_title: str
    section_id: str
    section_title: str
    kind: str
    score: float
    snippet: str
    snippet_spans: tuple[Span, ...] = ()
    title_spans: tuple[Span, ...] = ()
    terms: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The CLI's ``--json`` record."""
        return {
            "issue_id": self.issue_id,
            "issue_number": self.issue_number,
            "section_id": self.section_id,
            "section_title": self.section_title,
            "score": self.score,
            "snippet": self.snippet,
        }


@dataclass(frozen=True)
class _Plan:
    """A parsed query turned into an FTS5 expression and the terms to highlight."""

    match: str | None
    terms: frozenset[str] = field(default_factory=frozenset)
    prefixes: tuple[str, ...] = ()
    groups: tuple[frozenset[str], ...] = ()  # per query word: the terms accepted
    group_prefixes: tuple[tuple[str, ...], ...] = ()
    # Only very common words: list matches unranked (bm25 over every section is slow).
    unranked: bool = False


@dataclass(frozen=True)
class _SectionFilters:
    """Section rowids by kind and by issue (id and number), for filtered searches."""

    by_kind: dict[str, frozenset[int]]
    by_issue: dict[str, frozenset[int]]
    # Every rowid, newest issue first (number, then date), in reading order.
    order: tuple[int, ...] = ()

    @classmethod
    def from_rows(
        cls, rows: Sequence[tuple[int, str, str, int | None, str | None, int]]
    ) -> _SectionFilters:
        """From ``(rowid, kind, issue_id, number, date, position)`` rows."""
        by_kind: dict[str, set[int]] = {}
        by_issue: dict[str, set[int]] = {}
        for rowid, kind, issue_id, number, _, _ in rows:
            by_kind.setdefault(kind, set()).add(rowid)
            by_issue.setdefault(issue_id, set()).add(rowid)
            if number is not None:
                by_issue.setdefault(str(number), set()).add(rowid)
        # Stable sorts, last key first: numbered issues by number descending,
        # then by date descending (undated last), then issue id and position.
        ordered = sorted(rows, key=lambda row: (row[2], row[5]))
        ordered.sort(key=lambda row: row[4] or "", reverse=True)
        ordered.sort(key=lambda row: (row[3] is None, -(row[3] or 0)))
        return cls(
            {key: frozenset(value) for key, value in by_kind.items()},
            {key: frozenset(value) for key, value in by_issue.items()},
            tuple(row[0] for row in ordered),
        )

    def allowed(self, kind: str | None, number: int | None) -> frozenset[int] | None:
        """The rowids passing the filters, or None when there are none."""
        allowed: frozenset[int] | None = None
        if kind is not None:
            allowed = self.by_kind.get(kind, frozenset())
        if number is not None:
            in_issue = self.by_issue.get(str(number), frozenset())
            allowed = in_issue if allowed is None else allowed & in_issue
        return allowed


# -- the searcher --------------------------------------------------------------


class Searcher:
    """Searches one library; keeps the vocabulary cached per library generation.

    Safe to share across threads: each thread gets its own SQLite connection.
    """

    def __init__(self, library: _LibraryLike) -> None:
        self.library = library
        self._local = threading.local()
        self._lock = threading.Lock()
        self._vocab: Vocabulary | None = None
        self._vocab_key: tuple | None = None
        self._filters_cache: tuple[tuple, _SectionFilters] | None = None

    # -- plumbing ----------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self.library.connect()
            self._local.connection = connection
        return connection

    def close(self) -> None:
        """Close this thread's connection (others close when their thread ends)."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def _generation(self) -> tuple:
        """A cheap fingerprint of the index that changes whenever it is written.

        FTS5's structure record (``sections_fts_data`` id 10) holds a write
        counter and the segment list, so any insert, delete or rebuild changes
        it. File stats would not do: opening and closing connections touches
        the WAL files without any change to the data.
        """
        try:
            row = self._connection().execute(
                "SELECT block FROM sections_fts_data WHERE id = 10"
            ).fetchone()
        except sqlite3.Error:
            row = None
        return (str(self.library.index_path), row[0] if row else None)

    def vocabulary(self) -> Vocabulary:
        """The index vocabulary, reloaded only when the index has changed."""
        key = self._generation()
        vocab = self._vocab
        if vocab is not None and key == self._vocab_key:
            return vocab
        with self._lock:
            if self._vocab is not None and key == self._vocab_key:
                return self._vocab
            cache = Path(self.library.index_path).with_name(VOCABULARY_FILE)
            cache_key = self._cache_key(key)
            vocab = load_vocabulary(cache, cache_key) if cache_key else None
            if vocab is None:
                connection = self._connection()
                rows = connection.execute("SELECT term, doc FROM sections_vocab").fetchall()
                documents = connection.execute("SELECT count(*) FROM sections").fetchone()[0]
                vocab = Vocabulary(rows, documents)
                if cache_key:
                    # Reading sections_vocab walks the whole index (seconds
                    # for a large archive); the next start reads this file.
                    save_vocabulary(cache, cache_key, vocab)
            self._vocab = vocab
            self._vocab_key = key
            return self._vocab

    def _cache_key(self, generation: tuple) -> str | None:
        """The saved vocabulary's key: FTS5's structure and averages records.

        The structure record changes with every write; the averages record
        holds the row count and the token total of each column, so two
        different indexes that happen to share a segment layout still differ.
        None when there is no index yet.
        """
        block = generation[1] if len(generation) > 1 else None
        if not isinstance(block, bytes):
            return None
        try:
            row = self._connection().execute(
                "SELECT block FROM sections_fts_data WHERE id = 1"
            ).fetchone()
        except sqlite3.Error:
            return None
        averages = row[0] if row and isinstance(row[0], bytes) else b""
        return f"{block.hex()}:{averages.hex()}"

    def warm(self) -> None:
        """Load the vocabulary, its prefix tables and the filter sets ahead of the first keystroke."""
        self.vocabulary().warm()
        self._sections()

    def _ready_vocabulary(self) -> Vocabulary | None:
        """The vocabulary, or None while another thread is still loading it.

        A large archive's vocabulary takes seconds to load (``warm`` runs it in a
        worker when the search screen opens); keystrokes meanwhile search
        without typo correction instead of waiting.
        """
        if self._vocab is not None and self._generation() == self._vocab_key:
            return self._vocab
        if self._lock.locked():
            return None
        return self.vocabulary()

    # -- planning ----------------------------------------------------------
    def _plan(self, query: ParsedQuery) -> _Plan:
        vocab = self._ready_vocabulary()
        clauses: list[str] = []
        terms: set[str] = set()
        prefixes: list[str] = []
        groups: list[frozenset[str]] = []
        group_prefixes: list[tuple[str, ...]] = []
        last_word_open = query.open_end and not query.last_is_phrase
        common: list[str] = []
        for index, word in enumerate(query.words):
            typing = last_word_open and index == len(query.words) - 1
            if len(word) < 2:
                continue  # one letter narrows nothing and matches most sections
            if vocab is None:
                # No vocabulary yet: the word as typed (and as a prefix), uncorrected.
                exact, prefix = {word}, [word] if typing and len(word) >= 2 else []
                alternatives = [_quote(word)] + [_quote(p) + " *" for p in prefix]
            else:
                alternatives, exact, prefix = _expand(word, vocab, typing=typing)
            if not alternatives:
                continue  # nothing like this word exists: ignore it, forgive it
            clause = "(" + " OR ".join(alternatives) + ")"
            if (
                vocab is not None
                and vocab.documents >= COMMON_MIN_DOCUMENTS
                and _estimate(vocab, exact, prefix) > COMMON_SHARE * vocab.documents
            ):
                # A word in most sections ("the", or a two-letter stub being
                # typed) barely changes bm25 but costs ranking every section:
                # leave it out when rarer words are present.
                common.append(clause)
                continue
            clauses.append(clause)
            terms.update(exact)
            prefixes.extend(prefix)
            groups.append(frozenset(exact))
            group_prefixes.append(tuple(prefix))
        for index, phrase in enumerate(query.phrases):
            typing = query.open_end and query.last_is_phrase and index == len(query.phrases) - 1
            if typing and len(phrase[-1]) < 2:
                # A one-letter final prefix ("scaling l") merges the postings of
                # every term starting with that letter (30 ms at 5,000 issues)
                # to narrow almost nothing: match the words before it for now.
                phrase, typing = phrase[:-1], False
            literal = _quote(" ".join(phrase))
            clauses.append(literal + (" *" if typing else ""))
            terms.update(phrase[:-1] if typing else phrase)
            if typing:
                prefixes.append(phrase[-1])
        unranked = False
        if not clauses and common:
            clauses, unranked = common, True
        if not clauses:
            return _Plan(match=None)
        expression = " AND ".join(clauses)
        if query.excluded:
            expression = f"({expression}) NOT (" + " OR ".join(_quote(t) for t in query.excluded) + ")"
        return _Plan(
            match=expression,
            terms=frozenset(terms),
            prefixes=tuple(prefixes),
            groups=tuple(groups),
            group_prefixes=tuple(group_prefixes),
            unranked=unranked,
        )

    # -- searching ---------------------------------------------------------
    def search(
        self,
        query: str,
        *,
        limit: int = DEFAULT_LIMIT,
        tales_only: bool = False,
        issue: int | None = None,
        prefix: bool = True,
    ) -> list[SearchHit]:
        """Sections matching ``query``, best first; never raises on odd input.

        ``tales_only`` and ``issue`` narrow like ``tale:`` and ``#401`` in the
        query. ``prefix`` lets the last word match as a prefix (as-you-type).
        An empty query returns nothing unless a filter is given, in which case
        the filtered sections come back newest first.
        """
        parsed = parse_query(query or "")
        if not prefix:
            parsed = replace(parsed, open_end=False)
        kind = "tale" if tales_only else parsed.kind
        number = issue if issue is not None else parsed.issue_number
        limit = max(0, int(limit))
        if limit == 0:
            return []
        if not parsed.has_terms:
            if kind is None and number is None:
                return []
            return self._browse(kind, number, limit)
        plan = self._plan(parsed)
        if plan.match is None:
            # Only one-letter words so far ("tale: u"): a filter still lists.
            return [] if kind is None and number is None else self._browse(kind, number, limit)
        return self._ranked(plan, kind, number, limit)

    def _browse(self, kind: str | None, number: int | None, limit: int) -> list[SearchHit]:
        # Newest first from the cached order: sorting the joined tables in
        # SQL cost 30 ms per keystroke at 5,000 issues.
        filters = self._sections()
        allowed = filters.allowed(kind, number)
        chosen: list[int] = []
        for rowid in filters.order:
            if allowed is None or rowid in allowed:
                chosen.append(rowid)
                if len(chosen) >= limit:
                    break
        if not chosen:
            return []
        marks = ",".join("?" * len(chosen))
        found = {
            row[0]: row[1:]
            for row in self._connection().execute(
                "SELECT s.rowid, s.id, s.issue_id, s.title, s.subtitle, s.kind, s.body, i.number,"
                " i.title FROM sections s JOIN issues i ON i.id = s.issue_id"
                f" WHERE s.rowid IN ({marks})",
                chosen,
            )
        }
        rows = [found[rowid] for rowid in chosen if rowid in found]
        return [
            SearchHit(
                issue_id=issue_id,
                issue_number=number_,
                issue_title=issue_title,
                section_id=section_id,
                section_title=title,
                kind=kind_,
                score=0.0,
                snippet=_lead(subtitle, body),
            )
            for section_id, issue_id, title, subtitle, kind_, body, number_, issue_title in rows
        ]

    def _ranked(
        self, plan: _Plan, kind: str | None, number: int | None, limit: int
    ) -> list[SearchHit]:
        matches = self._matches(plan, kind, number, max(limit, RERANK_POOL))
        if not matches:
            return []
        # Section and issue details for the pool only: joining them inside the
        # FTS query costs a row lookup per match (70 ms for a common word in
        # 31,000 sections), the pool costs 60 lookups.
        marks = ",".join("?" * len(matches))
        details = {
            row[0]: row[1:]
            for row in self._connection().execute(
                "SELECT s.rowid, s.id, s.issue_id, s.title, s.kind, i.number, i.title"
                " FROM sections s JOIN issues i ON i.id = s.issue_id"
                f" WHERE s.rowid IN ({marks})",
                [rowid for rowid, _ in matches],
            )
        }
        rows = [(rowid, *details[rowid], rank) for rowid, rank in matches if rowid in details]
        scored = []
        for rowid, section_id, issue_id, title, kind_, number_, issue_title, rank in rows:
            score = -rank
            if _covers(plan, title):
                score *= TITLE_BOOST
            if _covers(plan, issue_title):
                score *= ISSUE_TITLE_BOOST
            scored.append((score, rowid, section_id, issue_id, title, kind_, number_, issue_title))
        scored.sort(key=lambda row: -row[0])
        scored = scored[:limit]
        bodies = self._bodies([row[1] for row in scored])
        hits = []
        for score, rowid, section_id, issue_id, title, kind_, number_, issue_title in scored:
            subtitle, body = bodies.get(rowid, (None, ""))
            snippet, spans = make_snippet(body, plan.terms, plan.prefixes, subtitle=subtitle)
            hits.append(
                SearchHit(
                    issue_id=issue_id,
                    issue_number=number_,
                    issue_title=issue_title,
                    section_id=section_id,
                    section_title=title,
                    kind=kind_,
                    score=float(f"{score:.6g}"),
                    snippet=snippet,
                    snippet_spans=tuple(spans),
                    title_spans=tuple(match_spans(title, plan.terms, plan.prefixes)),
                    terms=tuple(sorted(plan.terms)),
                    prefixes=plan.prefixes,
                )
            )
        return hits

    def _matches(
        self, plan: _Plan, kind: str | None, number: int | None, pool: int
    ) -> list[tuple[int, float]]:
        """``(rowid, bm25)`` of the best ``pool`` matches, from the FTS index alone.

        Unranked plans list the newest matches (rowid order, which FTS5 streams
        without reading every match). Filters become a rowid set: a small one
        (one issue) goes into the query, a large one (a kind) is applied while
        reading the ordered matches.
        """
        weights = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)
        if plan.unranked:
            columns, order = "rowid, 0.0", "rowid DESC"
        else:
            columns, order = f"rowid, bm25(sections_fts, {weights}) AS score", "score"
        sql = f"SELECT {columns} FROM sections_fts WHERE sections_fts MATCH ?"
        allowed = self._sections().allowed(kind, number)
        try:
            if allowed is None:
                return self._connection().execute(
                    sql + f" ORDER BY {order} LIMIT ?", [plan.match, pool]
                ).fetchall()
            if not allowed:
                return []
            if len(allowed) <= SMALL_FILTER:
                # Integers from our own table: safe to inline.
                listed = ",".join(str(rowid) for rowid in sorted(allowed))
                return self._connection().execute(
                    sql + f" AND rowid IN ({listed}) ORDER BY {order} LIMIT ?",
                    [plan.match, pool],
                ).fetchall()
            found: list[tuple[int, float]] = []
            for rowid, rank in self._connection().execute(sql + f" ORDER BY {order}", [plan.match]):
                if rowid in allowed:
                    found.append((rowid, rank))
                    if len(found) >= pool:
                        break
            return found
        except sqlite3.OperationalError:
            # Every token is quoted, so this should not happen; if FTS5 still
            # rejects the expression, a search box must not crash.
            return []

    def _sections(self) -> _SectionFilters:
        """Each section's kind and issue (for filters), reloaded when the index changes."""
        key = self._generation()
        cached = self._filters_cache
        if cached is not None and cached[0] == key:
            return cached[1]
        rows = self._connection().execute(
            "SELECT s.rowid, s.kind, s.issue_id, i.number, i.date, s.position FROM sections s"
            " JOIN issues i ON i.id = s.issue_id"
        ).fetchall()
        filters = _SectionFilters.from_rows(rows)
        self._filters_cache = (key, filters)
        return filters

    def _bodies(self, rowids: Sequence[int]) -> dict[int, tuple[str | None, str]]:
        if not rowids:
            return {}
        marks = ",".join("?" * len(rowids))
        rows = self._connection().execute(
            f"SELECT rowid, subtitle, body FROM sections WHERE rowid IN ({marks})", list(rowids)
        ).fetchall()
        return {rowid: (subtitle, body) for rowid, subtitle, body in rows}


def _expand(word: str, vocab: Vocabulary, *, typing: bool) -> tuple[list[str], set[str], list[str]]:
    """FTS5 alternatives for one query word: exact, prefix and corrected terms."""
    alternatives: list[str] = []
    exact: set[str] = set()
    prefixes: list[str] = []
    known = word in vocab
    if known:
        alternatives.append(_quote(word))
        exact.add(word)
    if typing and len(word) >= 2 and vocab.has_prefix(word):
        # Prefix matches for short stubs are costly and noisy; 2+ characters
        # are served by the index's prefix tables.
        alternatives.append(_quote(word) + " *")
        prefixes.append(word)
        return alternatives, exact, prefixes
    rare = known and vocab.doc_freq.get(word, 0) < 3
    if not known or rare:
        # Unknown (or a rare spelling, likely itself a typo in the text): add the
        # nearest frequent terms.
        floor = 10 * vocab.doc_freq.get(word, 0)
        for term in vocab.corrections(word):
            if term != word and vocab.doc_freq.get(term, 0) > floor:
                alternatives.append(_quote(term))
                exact.add(term)
        if typing and not known and not exact:
            for stem in vocab.prefix_corrections(word):
                alternatives.append(_quote(stem) + " *")
                prefixes.append(stem)
    return alternatives, exact, prefixes


def _estimate(vocab: Vocabulary, exact: set[str], prefixes: list[str]) -> int:
    """An upper bound of the sections one word group matches."""
    return sum(vocab.doc_freq.get(term, 0) for term in exact) + sum(
        vocab.prefix_doc_count(prefix) for prefix in prefixes
    )


@lru_cache(maxsize=4096)
def _title_tokens(text: str) -> frozenset[str]:
    """The tokens of a headline or issue title; cached, since every keystroke reranks the same titles."""
    return frozenset(tokenize(text))


def _covers(plan: _Plan, text: str) -> bool:
    """True when every query word group has a match among ``text``'s tokens."""
    if not plan.groups:
        return False
    tokens = _title_tokens(text)
    for accepted, group_prefixes in zip(plan.groups, plan.group_prefixes):
        if tokens & accepted:
            continue
        if any(token.startswith(p) for p in group_prefixes for token in tokens):
            continue
        return False
    return True


# -- snippets and spans ----------------------------------------------------------


def plain_text(markdown: str) -> str:
    """Markdown reduced to readable plain text for snippets (links keep their text)."""
    text = _MD_IMAGE_RE.sub(r"\1", markdown)
    text = _MD_LINK_RE.sub(r"\1", text)
    text = _MD_MARKS_RE.sub("", text)
    return _SPACE_RE.sub(" ", text).strip()


def _letter_variants() -> dict[str, str]:
    """For each ASCII letter, a regex class of its accented Latin forms ("e" → "[eéèêë…]")."""
    variants: dict[str, set[str]] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = fold(char)
        if len(base) == 1 and base.isascii() and base.isalpha():
            variants.setdefault(base, {base}).add(char.lower())
    return {
        letter: "[" + "".join(sorted(chars)) + "]" for letter, chars in variants.items()
    }


_VARIANTS: dict[str, str] | None = None
_TOKEN_CHAR = r"[^\W_]"


def _term_regex(term: str) -> str:
    global _VARIANTS
    if _VARIANTS is None:
        _VARIANTS = _letter_variants()
    return "".join(_VARIANTS.get(char, re.escape(char)) for char in term)


@lru_cache(maxsize=64)
def _match_pattern(terms: frozenset[str], prefixes: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex finding whole words equal to a term or starting with a prefix.

    Case- and accent-insensitive like the index, and far cheaper than folding
    every token of every body in Python (that cost 30 ms per keystroke).
    """
    alternatives = [
        _term_regex(term) + f"(?!{_TOKEN_CHAR})" for term in sorted(terms, key=len, reverse=True)
    ]
    alternatives += [_term_regex(prefix) + f"{_TOKEN_CHAR}*" for prefix in prefixes]
    if not alternatives:
        return None
    return re.compile(f"(?<!{_TOKEN_CHAR})(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def match_spans(
    text: str, terms: Iterable[str], prefixes: Iterable[str] = ()
) -> list[Span]:
    """``(start, end)`` spans of the words in ``text`` equal to a term or starting with a prefix.

    Case- and accent-insensitive (folded terms), so "Réseau" matches the term "reseau".
    """
    pattern = _match_pattern(frozenset(terms), tuple(prefixes))
    if pattern is None:
        return []
    return [match.span() for match in pattern.finditer(text)]


def _lead(subtitle: str | None, body: str, width: int = SNIPPET_WIDTH) -> str:
    text = plain_text(subtitle or "") or plain_text(body[: width * 4])
    return _clip(text, 0, width)[0]


def _clip(text: str, start: int, width: int) -> tuple[str, int]:
    """Cut ``width`` characters from ``start`` on word boundaries, with ellipses."""
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        if space > start + width // 2:
            end = space
    snippet = text[start:end]
    offset = start
    if start > 0:
        snippet = "…" + snippet
        offset -= 1
    if end < len(text):
        snippet += "…"
    return snippet, offset


def _densest(spans: list[Span], text: str, width: int) -> int:
    """Start of the span opening the window with the most distinct matched words."""
    best_start, best_count = spans[0][0], 0
    for index, (start, _) in enumerate(spans):
        words = set()
        for other_start, other_end in spans[index:]:
            if other_end - start > width - 20:
                break
            words.add(text[other_start:other_end].casefold())
        if len(words) > best_count:
            best_start, best_count = start, len(words)
    return best_start


def make_snippet(
    body: str,
    terms: Iterable[str],
    prefixes: Iterable[str] = (),
    *,
    subtitle: str | None = None,
    width: int = SNIPPET_WIDTH,
) -> tuple[str, list[Span]]:
    """A short plain-text window of ``body`` around its densest matches, with spans.

    When the body has no match (a headline or subtitle hit) the subtitle, else
    the body's start, is used.
    """
    terms = frozenset(terms)
    prefixes = tuple(prefixes)
    raw_spans = match_spans(body, terms, prefixes)
    text = ""
    spans: list[Span] = []
    if raw_spans:
        # Locate the window in the raw Markdown, then clean only a slice around
        # it: reducing a whole long body to text for every result is costly.
        centre = _densest(raw_spans, body, width * 2)
        # Widen to a line start so a Markdown link is not cut in half.
        lo = body.rfind("\n", 0, max(0, centre - width)) + 1
        hi = body.find("\n", centre + width * 3)
        text = plain_text(body[lo : hi if hi != -1 else len(body)])
        spans = match_spans(text, terms, prefixes)
    if not spans:
        text = plain_text(subtitle or "")
        spans = match_spans(text, terms, prefixes)
    if not spans:
        return _lead(subtitle, body, width), []
    best_start = _densest(spans, text, width)
    window = max(0, best_start - 40)
    if window:
        space = text.find(" ", window, best_start)
        window = space + 1 if space != -1 else best_start
    snippet, offset = _clip(text, window, width)
    limit = len(snippet) - (1 if snippet.endswith("…") else 0)
    shown = [
        (start - offset, end - offset)
        for start, end in spans
        if start >= window and end - offset <= limit
    ]
    return snippet, shown


# -- module-level convenience ------------------------------------------------------

_SEARCHERS: dict[str, Searcher] = {}
_SEARCHERS_LOCK = threading.Lock()


def searcher_for(library: _LibraryLike) -> Searcher:
    """A shared Searcher per index file, so the vocabulary cache is reused."""
    key = str(Path(library.index_path).resolve())
    with _SEARCHERS_LOCK:
        searcher = _SEARCHERS.get(key)
        if searcher is None or searcher.library is not library:
            searcher = Searcher(library)
            _SEARCHERS[key] = searcher
        return searcher


def search(library: _LibraryLike, query: str, **options: Any) -> list[SearchHit]:
    """Search ``library`` (see ``Searcher.search`` for the options)."""
    return searcher_for(library).search(query, **options)


# -- titles (the command palette) ---------------------------------------------------


@dataclass(frozen=True)
class TitleEntry:
    """An issue or a section, found by its title in the command palette.

    ``label`` is what the palette shows: ``"issue: Import AI 401: …"`` or
    ``"section: <headline> (#401)"``.
    """

    kind: str  # "issue" | "section"
    label: str
    issue_id: str
    section_id: str | None
    issue_number: int | None


def title_entries(library: _LibraryLike) -> list[TitleEntry]:
    """Every issue and section title, newest issue first (one cheap query each)."""
    connection = library.connect()
    try:
        issues = connection.execute(
            "SELECT id, number, title FROM issues"
            " ORDER BY number IS NULL, number DESC, date IS NULL, date DESC, id"
        ).fetchall()
        sections = connection.execute(
            "SELECT s.id, s.issue_id, s.title, s.kind, i.number FROM sections s"
            " JOIN issues i ON i.id = s.issue_id"
            " ORDER BY i.number IS NULL, i.number DESC, s.issue_id, s.position"
        ).fetchall()
    finally:
        connection.close()
    entries = [
        TitleEntry("issue", f"issue: {issue_label(number, title)}", issue_id, None, number)
        for issue_id, number, title in issues
    ]
    for section_id, issue_id, title, kind, number in sections:
        where = f"#{number}" if number is not None else issue_id
        tale = "Tech Tales: " if kind == "tale" else ""
        entries.append(
            TitleEntry("section", f"section: {tale}{title} ({where})", issue_id, section_id, number)
        )
    return entries


def rank_titles(
    query: str, entries: Sequence[TitleEntry], *, limit: int = 40
) -> list[tuple[float, TitleEntry]]:
    """Entries whose label fuzzily matches ``query``, best first, scores in 0..1.

    rapidfuzz's WRatio runs over every label in C: tens of thousands of titles
    cost tens of milliseconds, which suits the palette (it runs off the UI thread).
    """
    if not query.strip() or not entries:
        return []
    from rapidfuzz import fuzz, process, utils

    # Compare with the label minus its "issue: "/"section: " category prefix,
    # unless the user typed the category.
    wants_category = query.strip().casefold().startswith(("issue", "section"))
    labels = [e.label if wants_category else e.label.split(": ", 1)[1] for e in entries]
    results = process.extract(
        query,
        labels,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=55,
    )
    return [(score / 100.0, entries[index]) for _, score, index in results]
