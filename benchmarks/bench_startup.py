"""Reader speed: warm start, next section and memory, beside a bare Textual app.

    python benchmarks/bench_startup.py [--issues 500] [--runs 7] [--work DIR]

With a synthetic library of ``--issues`` issues already imported (built once in
``--work``, reused by later runs), it measures in the same run:

1. **Warm start**: from process start to the first full paint of the main
   screen (issue list, sections, one section rendered), in a real pseudo
   terminal of 120x40, beside a bare Textual app that shows one ``Markdown``
   widget with the same section. Medians and the ratio (target <= 1.25x).
2. **Next section**: time from pressing ``n`` to the next section being painted
   (p50/p95 over many presses, target p95 < 50 ms), beside the bare app's
   ``Markdown.update`` of the same sections.
3. **Peak memory** (max RSS) of both processes at first paint.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import fcntl
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# The child programs. Each writes {"painted": epoch seconds, "rss_kb": …} to
# $BENCH_OUT at its first full paint, then exits.
APP_CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path
from importai_tui.library import Library
from importai_tui.tui.app import create_app

def ready():
    out = {"painted": time.time(),
           "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
           "heavy": sorted(m for m in sys.modules if m.split(".")[0] in ("markdownify", "bs4"))}
    Path(os.environ["BENCH_OUT"]).write_text(json.dumps(out))
    app.exit()

app = create_app(Library(Path(sys.argv[1])), on_ready=ready)
app.run()
"""

BARE_CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path
from textual.app import App
from textual.containers import VerticalScroll
from textual.widgets import Markdown

SOURCE = Path(sys.argv[1]).read_text(encoding="utf-8")

class Bare(App):
    def compose(self):
        with VerticalScroll():
            yield Markdown(id="md")

    async def on_mount(self):
        await self.query_one("#md", Markdown).update(SOURCE)
        self.call_after_refresh(self.ready)

    def ready(self):
        out = {"painted": time.time(),
               "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
        Path(os.environ["BENCH_OUT"]).write_text(json.dumps(out))
        self.exit()

Bare().run()
"""


def prepare_library(work: Path, issues: int) -> Path:
    """A data dir with ``issues`` synthetic issues imported (built once, reused)."""
    from importai_tui.library import Library

    data = work / f"library-{issues}"
    library = Library(data)
    if not library.is_empty() and len(library.list_issues()) >= issues:
        return data
    from synthetic import build_archive

    archive = build_archive(work / f"archive-{issues}", issues=issues)
    print(f"importing {len(archive.files)} files ({issues} issues) into {data} …", flush=True)
    report = library.import_paths(archive.files)
    if report.failed:
        raise SystemExit(f"import failed: {report.failed[0].path}: {report.failed[0].message}")
    return data


def run_in_pty(args: list[str], columns: int = 120, rows: int = 40) -> dict:
    """Run a child in a pseudo terminal; return its report and the start-to-paint time."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        env = dict(os.environ, BENCH_OUT=str(out), TERM="xterm-256color")
        env.pop("TEXTUAL", None)

        def drain() -> None:
            # Keep the terminal's buffer empty so the child never blocks on writes.
            while True:
                try:
                    if not os.read(master, 65536):
                        return
                except OSError:
                    return

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        started = time.time()
        process = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True
        )
        os.close(slave)
        try:
            process.wait(timeout=120)
        finally:
            os.close(master)
        report = json.loads(out.read_text())
    report["seconds"] = report["painted"] - started
    return report


def measure_startup(data: Path, section_file: Path, runs: int) -> dict:
    """Alternate app and bare runs; medians of start-to-paint and max RSS."""
    app_times, bare_times, app_rss, bare_rss = [], [], [], []
    heavy: list[str] = []
    state = data / "state.sqlite3"
    for _ in range(runs):
        for suffix in ("", "-wal", "-shm"):
            Path(str(state) + suffix).unlink(missing_ok=True)  # fresh start: newest issue
        app = run_in_pty([sys.executable, "-c", APP_CHILD, str(data)])
        bare = run_in_pty([sys.executable, "-c", BARE_CHILD, str(section_file)])
        app_times.append(app["seconds"])
        bare_times.append(bare["seconds"])
        app_rss.append(app["rss_kb"])
        bare_rss.append(bare["rss_kb"])
        heavy = app["heavy"]
    return {
        "app_s": statistics.median(app_times),
        "bare_s": statistics.median(bare_times),
        "ratio": statistics.median(app_times) / statistics.median(bare_times),
        "app_rss_mb": statistics.median(app_rss) / 1024,
        "bare_rss_mb": statistics.median(bare_rss) / 1024,
        "heavy_modules": heavy,
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


async def _next_section_app(data: Path, presses: int) -> list[float]:
    from importai_tui.library import Library
    from importai_tui.tui.app import create_app

    app = create_app(Library(data), open_url=lambda url: None)
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for _ in range(presses):
            started = time.perf_counter()
            await pilot.press("n")  # returns once the app is idle: section painted
            await app.workers.wait_for_complete()
            times.append(time.perf_counter() - started)
    return times


async def _next_section_bare(sources: list[str]) -> list[float]:
    from textual.app import App
    from textual.containers import VerticalScroll
    from textual.widgets import Markdown

    class Bare(App):
        BINDINGS = [("n", "next", "Next")]

        def compose(self):
            with VerticalScroll():
                yield Markdown(sources[0], id="md")

        async def action_next(self) -> None:
            self.position = getattr(self, "position", 0) + 1
            await self.query_one("#md", Markdown).update(sources[self.position])

    app = Bare()
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in sources[1:]:
            started = time.perf_counter()
            await pilot.press("n")  # same measurement as the app: key to idle
            await app.workers.wait_for_complete()
            times.append(time.perf_counter() - started)
    return times


def measure_next_section(data: Path, presses: int) -> dict:
    """p50/p95 of key ``n`` to idle: the app vs a bare app whose ``n`` updates its Markdown."""
    import asyncio

    from importai_tui.library import Library

    library = Library(data)
    for suffix in ("", "-wal", "-shm"):
        Path(str(data / "state.sqlite3") + suffix).unlink(missing_ok=True)
    app_times = asyncio.run(_next_section_app(data, presses))
    sources = []
    for issue in library.list_issues():
        sources.extend(section.markdown for section in library.list_sections(issue.id))
        if len(sources) > presses:
            break
    bare_times = asyncio.run(_next_section_bare(sources[: presses + 1]))
    return {
        "app_p50_ms": 1000 * statistics.median(app_times),
        "app_p95_ms": 1000 * percentile(app_times, 0.95),
        "bare_p50_ms": 1000 * statistics.median(bare_times),
        "bare_p95_ms": 1000 * percentile(bare_times, 0.95),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "importai-bench")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)

    data = prepare_library(args.work, args.issues)
    from importai_tui.library import Library

    library = Library(data)
    newest = library.list_issues()[0]
    section = library.list_sections(newest.id)[0]
    section_file = args.work / "section.md"
    section_file.write_text(section.markdown, encoding="utf-8")

    print(f"library: {len(library.list_issues())} issues; first section {len(section.markdown)} chars")
    startup = measure_startup(data, section_file, args.runs)
    print(
        f"warm start to first paint (median of {args.runs}): app {startup['app_s']:.3f} s, "
        f"bare Markdown app {startup['bare_s']:.3f} s, ratio {startup['ratio']:.2f}x "
        f"(target <= 1.25x)"
    )
    print(
        f"peak memory (max RSS): app {startup['app_rss_mb']:.1f} MB, "
        f"bare {startup['bare_rss_mb']:.1f} MB"
    )
    print(f"converter modules imported on warm start: {startup['heavy_modules'] or 'none'}")
    step = measure_next_section(data, args.presses)
    print(
        f"next section ({args.presses} presses of n): app p50 {step['app_p50_ms']:.1f} ms, "
        f"p95 {step['app_p95_ms']:.1f} ms (target < 50 ms); bare app (n = Markdown.update) "
        f"p50 {step['bare_p50_ms']:.1f} ms, p95 {step['bare_p95_ms']:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
