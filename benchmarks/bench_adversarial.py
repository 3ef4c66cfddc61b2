"""Hostile inputs beside real issues of the same size: time and peak memory per conversion.

Run from the repository root::

    .venv/bin/python benchmarks/bench_adversarial.py [--repeat 7]

Each hostile input of issue 13 (item 2, plus a few found while fixing it) is
converted with ``convert_bytes`` and so is a real issue of the same size and
input shape: a bundled seed (HTML or text archive), or for a Markdown copy a
seed issue rendered by ``issue_markdown``, repeated and cut to the same byte
count. Reported per pair, as medians over ``--repeat`` alternating runs in
this one process: seconds for both and their ratio (at equal size, the ratio
of time per byte), and the ratio of their tracemalloc peaks (one untimed run
each).

Target (issue 13): no hostile input over 5x the time per byte of a real
issue; each line prints PASS or MISS. Then the memory check of item 3: peak
Python allocations of a 4 MB realistic HTML file and text archive, as a
multiple of the input size (target <= 30x), and the time to refuse an input
over the size cap. The exit code is 0 unless a conversion raised something
other than ``ConversionError``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from importai_tui.convert import ConversionError, convert_bytes, issue_markdown
from importai_tui.convert.limits import DEFAULT_MAX_INPUT_BYTES

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HTML_SEED = "000_f46faf7d7fd2667a.txt"
TEXT_SEED = "001_a42ab760318425e2.txt"
TARGET_TIME_RATIO = 5.0
TARGET_MEMORY_MULTIPLE = 30.0

_MD_HEAD = b"---\ntitle: \"Import AI 1: hostile\"\n---\n\n"
_WORDS = b"quoted words of a hostile newsletter " * 10

# name, input shape ("html", "text" or "markdown"), builder
HOSTILE: list[tuple[str, str, Callable[[], bytes]]] = [
    ("40,000 [ (plain text)", "text", lambda: b"[" * 40_000),
    ("40,000 [ (Markdown copy)", "markdown", lambda: _MD_HEAD + b"[" * 40_000),
    ("40,000 [ (HTML)", "html", lambda: b"<p>" + b"[" * 40_000 + b"</p>"),
    ("50,000 &nbsp; inside <b>", "html", lambda: b"<p><b>a" + b"&nbsp;" * 50_000 + b"b</b></p>"),
    ("front matter value + 50,000 spaces", "markdown",
     lambda: b"---\ntitle: a" + b" " * 50_000 + b"b\n---\n\n# hi\n"),
    ("[a]( + 50,000 spaces", "markdown", lambda: _MD_HEAD + b"[a](" + b" " * 50_000 + b"x"),
    ("250 nested blockquotes", "html",
     lambda: b"".join(b"<blockquote><p>" + _WORDS + b"</p>" for _ in range(250))
     + b"</blockquote>" * 250),
    ("bullet + 50,000 spaces (text)", "text", lambda: b"- " + b" " * 50_000 + b"\n"),
    ("5,000 chained links, no )", "markdown",
     lambda: _MD_HEAD + b"[a](x" + b"[a](a<b)" * 5_000 + b" x"),
    # Dense structure: linear, but every tag or line has a fixed cost that a
    # real issue spreads over ~300 bytes.
    ("125,000 <br> (dense tags)", "html", lambda: b"<p>a</p>" + b"<br>" * 125_000),
    ("125,000 *** lines (dense lines)", "text", lambda: b"***\n" * 125_000),
]


def _convert(data: bytes) -> None:
    try:
        convert_bytes(data, "bench")
    except ConversionError:
        pass


def _seconds(data: bytes) -> float:
    start = time.perf_counter()
    _convert(data)
    return time.perf_counter() - start


def _median_pair(hostile: bytes, real: bytes, repeat: int) -> tuple[float, float]:
    """Median seconds of both inputs, run alternately so that load changes hit both."""
    hostile_times, real_times = [], []
    for _ in range(repeat):
        hostile_times.append(_seconds(hostile))
        real_times.append(_seconds(real))
    return statistics.median(hostile_times), statistics.median(real_times)


def _peak_bytes(data: bytes) -> int:
    tracemalloc.start()
    try:
        _convert(data)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _cut(unit: bytes, size: int) -> bytes:
    """``unit`` repeated and cut to ``size`` bytes."""
    return (unit * (size // len(unit) + 1))[:size]


def _real_units() -> dict[str, bytes]:
    html = (SEEDS / HTML_SEED).read_bytes()
    text = (SEEDS / TEXT_SEED).read_bytes()
    markdown = "\n".join(issue_markdown(i) for i in convert_bytes(text, TEXT_SEED)[:3])
    return {"html": html, "text": text, "markdown": markdown.encode("utf-8")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Hostile inputs beside real issues.")
    parser.add_argument("--repeat", type=int, default=7, help="runs per measurement")
    args = parser.parse_args(argv)

    units = _real_units()
    _convert(units["html"])  # warm the imports outside the timings
    _convert(units["text"])
    print(f"repeat {args.repeat}; real issues: {HTML_SEED} (HTML), {TEXT_SEED} (text archive), "
          f"issues of {TEXT_SEED} rendered as Markdown copies")
    print()
    header = (f"{'hostile input':<36}{'KB':>6}{'hostile s':>11}{'real s':>9}"
              f"{'time x':>8}{'memory x':>10}  target")
    print(header)
    print("-" * len(header))
    worst = 0.0
    crashed = False
    for name, shape, build in HOSTILE:
        hostile = build()
        real = _cut(units[shape], len(hostile))
        try:
            hostile_s, real_s = _median_pair(hostile, real, args.repeat)
        except Exception as error:  # noqa: BLE001 - report, keep going
            print(f"{name:<36} raised {type(error).__name__}: {error}")
            crashed = True
            continue
        ratio = hostile_s / real_s
        memory = _peak_bytes(hostile) / max(1, _peak_bytes(real))
        worst = max(worst, ratio)
        verdict = "PASS" if ratio <= TARGET_TIME_RATIO else "MISS"
        print(f"{name:<36}{len(hostile) / 1000:>6.0f}{hostile_s:>11.4f}{real_s:>9.4f}"
              f"{ratio:>8.2f}{memory:>10.2f}  {verdict} (<= {TARGET_TIME_RATIO:g})")
    print(f"worst time ratio: {worst:.2f}")
    print()

    print(f"{'realistic 4 MB input':<36}{'MB':>6}{'seconds':>11}{'peak MB':>9}{'x input':>8}  target")
    for shape in ("html", "text"):
        data = _cut(units[shape], 4_000_000)
        seconds = _seconds(data)
        peak = _peak_bytes(data)
        multiple = peak / len(data)
        verdict = "PASS" if multiple <= TARGET_MEMORY_MULTIPLE else "MISS"
        print(f"{shape:<36}{len(data) / 1e6:>6.1f}{seconds:>11.2f}{peak / 1e6:>9.0f}"
              f"{multiple:>8.1f}  {verdict} (<= {TARGET_MEMORY_MULTIPLE:g})")
    over = b"<p>x</p>" * (DEFAULT_MAX_INPUT_BYTES // 8 + 1)
    start = time.perf_counter()
    try:
        convert_bytes(over, "over the cap")
        refusal = "accepted (no cap?)"
    except ConversionError as error:
        refusal = str(error)
    print(f"\nan input of {len(over) / 1e6:.1f} MB: {time.perf_counter() - start:.4f} s: {refusal}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
