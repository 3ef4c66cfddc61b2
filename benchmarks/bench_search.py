"""Per-keystroke search latency on synthetic archives, beside a naive baseline.

Usage::

    .venv/bin/python benchmarks/bench_search.py                 # 500 and 5,000 issues
    .venv/bin/python benchmarks/bench_search.py --issues 500    # one size
    .venv/bin/python benchmarks/bench_search.py --cache-dir DIR # where libraries are kept

Each query is typed character by character, as in the search screen: every
prefix of the query is searched with ``prefix=True`` and ``limit=30`` (what the
screen asks for), and each call is timed. Queries include typos. The baseline,
timed on the same keystrokes in the same run, is the naive approach: a
case-insensitive substring scan over every section's title, subtitle and body
held in memory (it finds nothing for a misspelt word, and it ranks nothing).

Building a library imports a synthetic archive (``benchmarks/synthetic.py``)
through ``Library.import_paths``; the 5,000-issue one takes several minutes on
two cores, so libraries are cached under ``--cache-dir`` (default: the system
temp dir, ``importai-bench-search/``) and reused while their issue count
matches. Delete the folder to rebuild.

Reported: p50/p95/max per keystroke (ms) for both, their ratio, PASS/MISS
against issue 4's p95 targets (16 ms at 500 issues, 60 ms at 5,000), the
one-off vocabulary load (per library generation, paid in a worker when the
screen opens), vocabulary size, index size on disk, memory held by the
search caches (tracemalloc) and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import build_archive  # noqa: E402

from importai_tui.library import Library  # noqa: E402
from importai_tui.search import VOCABULARY_FILE, Searcher, Vocabulary, load_vocabulary  # noqa: E402

QUERIES = [
    "distrbuted trainng",  # two typos
    "reasoning models cheat",
    "nuclear fuser claude",  # typo
    "stockfish",
    "cuda kernals",  # typo
    '"scaling laws" distillation',
    "machinery of life",
    "hunyuan tencent",
    "tale: uplift",
    "deepseek proliferaton",  # typo
    "the classifcation engine",  # typo
    "gpt-4o o1-preview",
]
LIMIT = 30  # what the search screen asks for (RESULT_LIMIT)


def library_for(cache: Path, issues: int) -> Library:
    """A library of ``issues`` synthetic issues, built once and cached."""
    root = cache / f"library-{issues}"
    library = Library(root)
    if library.index_path.exists():
        connection = library.connect()
        count = connection.execute("SELECT count(*) FROM issues").fetchone()[0]
        connection.close()
        if count >= issues * 0.9:  # merging may fold a few copies together
            return library
    archive_dir = cache / f"archive-{issues}"
    print(f"building a {issues}-issue archive in {archive_dir} …", flush=True)
    archive = build_archive(archive_dir, issues)
    started = time.perf_counter()
    report = library.import_paths(archive.files)
    print(
        f"  imported in {time.perf_counter() - started:.0f} s"
        f" ({len(report.failed)} files failed)",
        flush=True,
    )
    return library


# Issue 4's targets: per-keystroke p95 (ms) by archive size (issues).
TARGETS = {500: 16.0, 5000: 60.0}


def target_size(issues: int) -> int | None:
    """The target archive size ``issues`` is measured against (merging may drop a few)."""
    for size in TARGETS:
        if size * 0.9 <= issues <= size:
            return size
    return None


def target_for(issues: int) -> float | None:
    """The p95 target for an archive of ``issues`` issues, if the issue sets one."""
    size = target_size(issues)
    return None if size is None else TARGETS[size]


def keystrokes(query: str) -> list[str]:
    """Every prefix of ``query``, as typed."""
    return [query[: end + 1] for end in range(len(query))]


def load_corpus(library: Library) -> list[str]:
    """Every section's searchable text, lower-cased, for the naive baseline."""
    connection = library.connect()
    rows = connection.execute(
        "SELECT title || ' ' || coalesce(subtitle, '') || ' ' || body FROM sections"
    ).fetchall()
    connection.close()
    return [row[0].casefold() for row in rows]


def naive(corpus: list[str], query: str) -> list[int]:
    """The baseline: sections containing every query word as a substring."""
    words = [word for word in query.casefold().replace('"', " ").split() if word]
    if not words:
        return []
    return [index for index, text in enumerate(corpus) if all(word in text for word in words)][:LIMIT]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def index_sizes(library: Library) -> tuple[int, int | None]:
    """The index file's size and, where dbstat is compiled in, the FTS tables' share."""
    total = library.index_path.stat().st_size
    wal = Path(str(library.index_path) + "-wal")
    if wal.exists():
        total += wal.stat().st_size
    connection = library.connect()
    try:
        fts = connection.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'sections_fts%'"
        ).fetchone()[0]
    except sqlite3.Error:
        fts = None
    finally:
        connection.close()
    return total, fts


def bench(library: Library, rounds: int) -> None:
    connection = library.connect()
    issues, sections = connection.execute(
        "SELECT (SELECT count(*) FROM issues), (SELECT count(*) FROM sections)"
    ).fetchone()
    connection.close()
    total, fts = index_sizes(library)
    print(f"\n== {issues} issues, {sections} sections ==")
    print(
        f"index file {total / 1e6:.1f} MB"
        + (f" (FTS5 tables {fts / 1e6:.1f} MB)" if fts is not None else "")
    )

    searcher = Searcher(library)
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    vocabulary = searcher.vocabulary()
    loaded = time.perf_counter() - started
    vocab_bytes = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    searcher.warm()  # prefix tables and filter sets, as the search screen does
    warmed = time.perf_counter() - started
    warm_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(
        f"vocabulary: {len(vocabulary)} terms, first load {loaded * 1000:.0f} ms"
        f" ({vocab_bytes / 1e6:.1f} MB), rest of warm-up {warmed * 1000:.0f} ms"
        f" (total cache {warm_bytes / 1e6:.1f} MB)"
    )
    # The two ways a start can get the vocabulary: read the whole index
    # (first start after an import) or the file saved beside it (later starts).
    connection = library.connect()
    started = time.perf_counter()
    rows = connection.execute("SELECT term, doc FROM sections_vocab").fetchall()
    Vocabulary(rows, sections)
    from_index = time.perf_counter() - started
    connection.close()
    del rows
    started = time.perf_counter()
    saved = load_vocabulary(
        library.index_path.with_name(VOCABULARY_FILE), searcher._cache_key(searcher._generation()) or ""
    )
    from_file = time.perf_counter() - started
    print(
        f"vocabulary load: from the index {from_index * 1000:.0f} ms,"
        f" from the saved file {from_file * 1000:.0f} ms"
        + ("" if saved is not None else " (no saved file: MISSING)")
    )

    corpus = load_corpus(library)
    ours: list[float] = []
    base: list[float] = []
    per_query: dict[str, list[float]] = {}
    for _ in range(rounds):
        for query in QUERIES:
            for typed in keystrokes(query):
                # Interleave both, so machine noise hits them alike.
                started = time.perf_counter()
                searcher.search(typed, limit=LIMIT, prefix=True)
                elapsed = (time.perf_counter() - started) * 1000
                ours.append(elapsed)
                per_query.setdefault(query, []).append(elapsed)
                started = time.perf_counter()
                naive(corpus, typed)
                base.append((time.perf_counter() - started) * 1000)
    p50, p95 = percentile(ours, 0.5), percentile(ours, 0.95)
    b50, b95 = percentile(base, 0.5), percentile(base, 0.95)
    print(f"keystrokes timed: {len(ours)} ({rounds} rounds of {len(QUERIES)} typed queries)")
    print(f"search   p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  max {max(ours):6.1f} ms")
    print(f"naive    p50 {b50:6.2f} ms  p95 {b95:6.2f} ms  max {max(base):6.1f} ms")
    print(f"ratio search/naive: p50 {p50 / b50:.2f}x  p95 {p95 / b95:.2f}x")
    target = target_for(issues)
    if target is not None:
        verdict = "PASS" if p95 <= target else "MISS"
        print(f"target p95 <= {target:.0f} ms at {target_size(issues)} issues: {verdict}"
              f" (p95 {p95:.2f} ms)")
    print("per query (p95 ms): " + ", ".join(
        f"{query!r} {percentile(times, 0.95):.1f}" for query, times in per_query.items()
    ))
    print(f"median full-query result (last keystroke): "
          f"{statistics.median(times[len(keystrokes(q)) - 1] for q, times in per_query.items()):.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "importai-bench-search"
    )
    args = parser.parse_args()
    for issues in args.issues:
        library = library_for(args.cache_dir, issues)
        bench(library, args.rounds)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"\npeak RSS of this process: {peak / 1024:.0f} MB")


if __name__ == "__main__":
    main()
