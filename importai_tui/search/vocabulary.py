"""The index vocabulary: terms and document counts for typo correction, and its disk cache.

Each query word is corrected against the FTS5 index's own vocabulary
(``sections_vocab``) with rapidfuzz: a word that is not in the vocabulary is
replaced by its nearest terms (optimal string alignment distance 1, or 2 for
long words; only terms of similar length are compared). Reading
``sections_vocab`` walks the whole index, so the result is saved beside it and
read back while the index is unchanged.
"""

from __future__ import annotations

import bisect
import json
import threading
from array import array
from collections.abc import Iterable
from itertools import accumulate
from pathlib import Path

from importai_tui.fsutil import atomic_write_bytes

# Above this many terms, single-section words are not correction targets.
HUGE_VOCABULARY = 200_000
# At most this many vocabulary corrections per misspelt word.
MAX_CORRECTIONS = 3
# The vocabulary cache kept beside the index (see ``save_vocabulary``).
VOCABULARY_FILE = "search-vocabulary.cache"
_VOCABULARY_MAGIC = b"importai-search-vocabulary 1\n"


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
    if not path.parent.is_dir():
        # The index lives there: a cache must not create the data directory.
        return False
    text = "\n".join(vocab.sorted_terms).encode("utf-8")
    counts = array("q", (vocab.doc_freq[term] for term in vocab.sorted_terms))
    header = {
        "key": key,
        "documents": vocab.documents,
        "terms": len(vocab.sorted_terms),
        "text_bytes": len(text),
    }
    data = b"".join(
        [_VOCABULARY_MAGIC, json.dumps(header).encode("ascii"), b"\n", text, counts.tobytes()]
    )
    try:
        atomic_write_bytes(path, data)
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
