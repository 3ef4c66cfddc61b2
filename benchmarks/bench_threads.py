"""Related sections and topic timelines on synthetic archives, beside naive baselines.

Usage::

    .venv/bin/python benchmarks/bench_threads.py                 # 500 and 5,000 issues
    .venv/bin/python benchmarks/bench_threads.py --issues 500    # one size

Libraries are built and cached exactly as ``bench_search.py`` builds them
(same cache dir by default, so either benchmark reuses the other's).

Related: ``related_sections`` for a fixed sample of stories (every k-th), timed
per call after the one-off vocabulary load. Its baseline, in the same run, is
the naive approach: every section's token set held in memory, and each other
section scored by the summed idf of the tokens it shares with the story.

Timeline: ``timeline`` for a set of queries (typos, phrases, filters, common
words) grouped by year, month and issue, timed per call after the one-off
catalogue load. Its baseline: a case-insensitive substring scan of every
section's text held in memory, counted per issue.

Reported: p50/p95/max (ms) for both, their ratios, and PASS/MISS against issue
14's p95 targets (related 50 ms, timeline 100 ms).
"""

from __future__ import annotations

import argparse
import gc
import math
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import library_for, percentile  # noqa: E402

from importai_tui.library import Library  # noqa: E402
from importai_tui.search.query import tokenize  # noqa: E402
from importai_tui.search.related import related_sections  # noqa: E402
from importai_tui.search.searcher import searcher_for  # noqa: E402
from importai_tui.search.timeline import timeline  # noqa: E402

RELATED_TARGET_MS = 50.0
TIMELINE_TARGET_MS = 100.0
SAMPLE = 40  # stories timed per round
QUERIES = [
    "distributed training",
    "distrbuted trainng",  # two typos
    "deepseek",
    "huawei chips",
    '"scaling laws"',
    "tale: machines",
    "kind:story reasoning",
    "the",  # in nearly every section
    "minecraft",
    "nuclear fuser claude",  # typo
]
GROUPINGS = ("year", "month", "issue")


def story_sample(library: Library) -> list[str]:
    """Every k-th story's id, ``SAMPLE`` of them."""
    connection = library.connect()
    ids = [row[0] for row in connection.execute("SELECT id FROM sections WHERE kind = 'story' ORDER BY rowid")]
    connection.close()
    step = max(1, len(ids) // SAMPLE)
    return ids[::step][:SAMPLE]


class NaiveRelated:
    """The baseline: token sets of every section in memory; score = summed idf of shared tokens."""

    def __init__(self, library: Library) -> None:
        connection = library.connect()
        rows = connection.execute(
            "SELECT id, issue_id, title || ' ' || coalesce(subtitle, '') || ' ' || body FROM sections"
        ).fetchall()
        connection.close()
        self.ids = [row[0] for row in rows]
        self.issues = [row[1] for row in rows]
        self.tokens = [frozenset(tokenize(row[2])) for row in rows]
        self.position = {section_id: index for index, section_id in enumerate(self.ids)}
        frequency: Counter[str] = Counter()
        for tokens in self.tokens:
            frequency.update(tokens)
        documents = len(rows)
        self.idf = {term: math.log(documents / count) for term, count in frequency.items()}

    def related(self, section_id: str, limit: int = 10) -> list[str]:
        index = self.position[section_id]
        mine, issue = self.tokens[index], self.issues[index]
        idf = self.idf
        scored = []
        for other, tokens in enumerate(self.tokens):
            if self.issues[other] == issue:
                continue
            scored.append((sum(idf[t] for t in mine & tokens), other))
        scored.sort(reverse=True)
        return [self.ids[other] for _, other in scored[:limit]]


class NaiveTimeline:
    """The baseline: every section's text in memory, scanned for each query word, counted per issue."""

    def __init__(self, library: Library) -> None:
        connection = library.connect()
        rows = connection.execute(
            "SELECT issue_id, lower(title || ' ' || coalesce(subtitle, '') || ' ' || body) FROM sections"
        ).fetchall()
        connection.close()
        self.rows = rows

    def counts(self, query: str) -> Counter[str]:
        words = [w for w in query.casefold().replace('"', " ").split() if ":" not in w]
        found: Counter[str] = Counter()
        if not words:
            return found
        for issue_id, text in self.rows:
            if all(word in text for word in words):
                found[issue_id] += 1
        return found


def report(name: str, ours: list[float], base: list[float], target: float) -> None:
    p50, p95 = percentile(ours, 0.5), percentile(ours, 0.95)
    b50, b95 = percentile(base, 0.5), percentile(base, 0.95)
    print(f"{name:<9} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  max {max(ours):7.1f} ms  ({len(ours)} calls)")
    print(f"{'naive':<9} p50 {b50:7.2f} ms  p95 {b95:7.2f} ms  max {max(base):7.1f} ms")
    print(f"ratio {name}/naive: p50 {p50 / b50:.2f}x  p95 {p95 / b95:.2f}x")
    verdict = "PASS" if p95 <= target else "MISS"
    print(f"target p95 <= {target:.0f} ms: {verdict} (p95 {p95:.2f} ms)")


def bench(library: Library, rounds: int) -> None:
    connection = library.connect()
    issues, sections = connection.execute(
        "SELECT (SELECT count(*) FROM issues), (SELECT count(*) FROM sections)"
    ).fetchone()
    connection.close()
    print(f"\n== {issues} issues, {sections} sections ==")

    started = time.perf_counter()
    searcher_for(library).vocabulary()
    print(f"one-off: vocabulary {1000 * (time.perf_counter() - started):.0f} ms", end="")
    started = time.perf_counter()
    timeline(library, "warm up")
    print(f", timeline catalogue {1000 * (time.perf_counter() - started):.0f} ms", end="")
    started = time.perf_counter()
    naive_related = NaiveRelated(library)
    naive_timeline = NaiveTimeline(library)
    print(f", naive baselines' in-memory corpus {1000 * (time.perf_counter() - started):.0f} ms")
    # The baselines' corpus is millions of objects: without this, any garbage
    # collection while timing walks them all (a second at 5,000 issues) and
    # the pause lands on whichever call happens to trigger it.
    gc.collect()
    gc.freeze()

    sample = story_sample(library)
    ours: list[float] = []
    base: list[float] = []
    for _ in range(rounds):
        for section_id in sample:
            started = time.perf_counter()
            related_sections(library, section_id)
            ours.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            naive_related.related(section_id)
            base.append((time.perf_counter() - started) * 1000)
    report("related", ours, base, RELATED_TARGET_MS)

    ours, base = [], []
    per_query: dict[str, list[float]] = {}
    for _ in range(rounds):
        for query in QUERIES:
            for by in GROUPINGS:
                started = time.perf_counter()
                timeline(library, query, by=by)
                elapsed = (time.perf_counter() - started) * 1000
                ours.append(elapsed)
                per_query.setdefault(query, []).append(elapsed)
                started = time.perf_counter()
                naive_timeline.counts(query)
                base.append((time.perf_counter() - started) * 1000)
    report("timeline", ours, base, TIMELINE_TARGET_MS)
    print("timeline per query (p95 ms): " + ", ".join(
        f"{query!r} {percentile(times, 0.95):.1f}" for query, times in per_query.items()
    ))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "importai-bench-search"
    )
    args = parser.parse_args()
    for issues in args.issues:
        bench(library_for(args.cache_dir, issues), args.rounds)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"\npeak RSS of this process: {peak / 1024:.0f} MB")


if __name__ == "__main__":
    main()
