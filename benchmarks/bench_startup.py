"""Reader speed: warm start, next section and memory, beside a bare Textual app.

    python benchmarks/bench_startup.py [--issues 500] [--runs 9] [--presses 30] [--work DIR]

With a synthetic library of ``--issues`` issues already imported (built once in
``--work``, reused by later runs), it measures in the same run, alternating the
app and the baseline so that machine load hits both alike:

1. **Warm start**: from process start to the first full paint of the main
   screen (issue list, sections, one section rendered), in a real pseudo
   terminal of 120x40, of the real command (``importai --data-dir DIR``, its
   argument parsing included), beside a bare Textual app that shows one
   ``Markdown`` widget with the same section. Median, p95 and the ratio of the medians
   (target <= 1.25x).
2. **Next section**: in the same kind of pseudo terminal, ``n`` is typed into
   the running reader every ``--gap`` seconds (a reader reads between
   presses); the time from the key's bytes being written to the terminal to
   the next section being complete on screen: the first frame written once
   its Markdown is in place (``show_section``'s awaitable done when that
   frame's refresh starts). p50/p95 (target p95 < 50 ms), beside the bare app
   whose ``n`` does ``Markdown.update`` with the same sections. Also printed
   (secondary): key to the refresh after the awaitable is seen done by a
   separate task, which lands one refresh late when a frame is already under
   way and so also counts follow-up work such as marking the section read.
3. **Key to idle** (secondary): the same presses through Textual's ``Pilot``
   (``press`` returns once the app is idle). Pilot waits for 20 ms slices of
   idle CPU, so this has a floor of about 40-60 ms and also counts work the
   app does after the section is shown (such as preparing the next one).
4. **Peak memory** (max RSS) of both processes at first paint.

Both children run with their bytecode cached (``PYTHONPYCACHEPREFIX`` in
``--work``, written by one untimed start of each), as an installed app does:
with ``PYTHONDONTWRITEBYTECODE`` set in the environment the reader's own
modules were otherwise compiled from source on every start, while Textual's
came from site-packages' bytecode.

The load average is printed before and after: on a busy machine every number
grows, the ratios less so.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

START_TARGET = 1.25  # app / bare, medians of start to first paint
STEP_TARGET_MS = 50.0  # p95 of key n to next section painted
# Where the children keep their bytecode (set in main; see run_in_pty).
PYCACHE: Path | None = None

# Shared by both children: the time of the first frame written to the terminal
# once a section is ready (its ``show_section``/``update`` awaitable is done
# when that frame's refresh starts: the refresh is synchronous, so the frame
# holds the section). Appended to ``steps`` for each awaitable in ``pending``.
FRAME_PROBE = r"""
pending = []

def install_frame_probe():
    from textual.app import App
    display = App._display

    def timed_display(self, screen, renderable):
        ready = [done for done in pending if done.is_done]
        display(self, screen, renderable)
        if ready:
            now = time.time()
            for done in ready:
                pending.remove(done)
                steps.append(now)

    App._display = timed_display
"""

# The child programs. Each writes {"painted": epoch seconds, "rss_kb": …} to
# $BENCH_OUT at its first full paint. With BENCH_KEYS set it then stays up,
# records when each section shown by a key is complete on screen, and writes
# {"steps": [epoch seconds, …], "settled": […]} to $BENCH_KEYS when it quits
# (key q).
#
# The app child runs the real entry point, ``importai --data-dir DIR``
# (``importai_tui.cli.main``), so that everything the command does before the
# first paint is timed, in its order. Its hooks (``on_ready``, the timing of
# shown sections) go in when the CLI imports the app factory, through an import
# hook: nothing is imported ahead of the CLI.
APP_CHILD = r"""
import importlib.abc, importlib.util, json, os, resource, sys, time
from pathlib import Path

steps, settled, recording, apps = [], [], [False], []
""" + FRAME_PROBE + r"""

def ready():
    out = {"painted": time.time(),
           "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
           "heavy": sorted(m for m in sys.modules
                           if m.split(".")[0] in ("markdownify", "bs4", "lxml", "feedparser"))}
    Path(os.environ["BENCH_OUT"]).write_text(json.dumps(out))
    if "BENCH_KEYS" in os.environ:
        recording[0] = True
    else:
        apps[0].exit()


def instrument_screen():
    import asyncio
    from importai_tui.tui.screens.main import MainScreen

    install_frame_probe()
    show_section = MainScreen.show_section

    def timed_show_section(self, *args, **kwargs):
        done = show_section(self, *args, **kwargs)
        if recording[0]:
            pending.append(done)
            async def painted():
                await done
                self.app.call_after_refresh(lambda: settled.append(time.time()))
            asyncio.ensure_future(painted())
        return done

    MainScreen.show_section = timed_show_section


def instrument(factory_module):
    # The factory imports Textual only when it builds the app: so does this.
    create_app = factory_module.create_app

    def bench_create_app(library, **options):
        instrument_screen()
        app = create_app(library, on_ready=ready, open_url=lambda url: None, **options)
        apps.append(app)
        return app

    factory_module.create_app = bench_create_app


class InstrumentApp(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "importai_tui.tui.factory":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        exec_module = spec.loader.exec_module

        def exec_and_instrument(module):
            exec_module(module)
            instrument(module)

        spec.loader.exec_module = exec_and_instrument
        return spec


sys.meta_path.insert(0, InstrumentApp())
from importai_tui.cli import main
code = main(["--data-dir", sys.argv[1]])
if "BENCH_KEYS" in os.environ:
    Path(os.environ["BENCH_KEYS"]).write_text(json.dumps({"steps": steps, "settled": settled}))
sys.exit(code)
"""

BARE_CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path
from textual.app import App
from textual.containers import VerticalScroll
from textual.widgets import Markdown

SOURCES = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
steps, settled, recording = [], [], [True]
""" + FRAME_PROBE + r"""
install_frame_probe()

class Bare(App):
    BINDINGS = [("n", "next", "Next"), ("q", "quit", "Quit")]
    position = 0

    def compose(self):
        with VerticalScroll():
            yield Markdown(id="md")

    async def on_mount(self):
        await self.query_one("#md", Markdown).update(SOURCES[0])
        self.call_after_refresh(self.ready)

    def ready(self):
        out = {"painted": time.time(),
               "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
        Path(os.environ["BENCH_OUT"]).write_text(json.dumps(out))
        if "BENCH_KEYS" not in os.environ:
            self.exit()

    async def action_next(self):
        self.position = (self.position + 1) % len(SOURCES)
        done = self.query_one("#md", Markdown).update(SOURCES[self.position])
        pending.append(done)
        await done
        self.call_after_refresh(lambda: settled.append(time.time()))

Bare().run()
if "BENCH_KEYS" in os.environ:
    Path(os.environ["BENCH_KEYS"]).write_text(json.dumps({"steps": steps, "settled": settled}))
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


def run_in_pty(
    args: list[str],
    *,
    keys: int = 0,
    gap: float = 0.5,
    columns: int = 120,
    rows: int = 40,
) -> dict:
    """Run a child in a pseudo terminal; return its report and the start-to-paint time.

    With ``keys``, type ``n`` that many times (``gap`` seconds apart) once the
    child has painted, then ``q``; the report gains ``steps``: seconds from each
    key's bytes to that section being on screen.
    """
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        steps_file = Path(tmp) / "steps.json"
        env = dict(os.environ, BENCH_OUT=str(out), TERM="xterm-256color")
        env.pop("TEXTUAL", None)
        if PYCACHE is not None:
            # Both children read (and the warm-up run writes) cached bytecode,
            # as an installed app does: with PYTHONDONTWRITEBYTECODE set, the
            # app's own modules were compiled from source on every start while
            # Textual's came from site-packages' bytecode (~35 ms against the app).
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
        if keys:
            env["BENCH_KEYS"] = str(steps_file)

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
        sent: list[float] = []
        try:
            if keys:
                deadline = time.time() + 60
                while not out.exists() and time.time() < deadline:
                    time.sleep(0.01)
                time.sleep(gap)
                for _ in range(keys):
                    sent.append(time.time())
                    os.write(master, b"n")
                    time.sleep(gap)
                os.write(master, b"q")
            process.wait(timeout=120)
        finally:
            os.close(master)
        report = json.loads(out.read_text())
        if keys:
            times = json.loads(steps_file.read_text())
            for name in ("steps", "settled"):
                painted = times[name]
                if len(painted) != len(sent):
                    raise SystemExit(
                        f"{args[1][:20]}…: {len(sent)} keys but {len(painted)} {name}"
                    )
                report[name] = [done - key for key, done in zip(sent, painted)]
    report["seconds"] = report["painted"] - started
    return report


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _fresh_state(data: Path) -> None:
    # Every run starts at the newest issue with nothing read.
    for suffix in ("", "-wal", "-shm"):
        Path(str(data / "state.sqlite3") + suffix).unlink(missing_ok=True)


def measure_startup(data: Path, sources_file: Path, runs: int) -> dict:
    """Alternate app and bare runs; medians and p95 of start-to-paint, max RSS."""
    app_times, bare_times, app_rss, bare_rss = [], [], [], []
    heavy: list[str] = []
    # One untimed start of each: a warm start has its bytecode cached.
    _fresh_state(data)
    run_in_pty([sys.executable, "-c", APP_CHILD, str(data)])
    run_in_pty([sys.executable, "-c", BARE_CHILD, str(sources_file)])
    for _ in range(runs):
        _fresh_state(data)
        app = run_in_pty([sys.executable, "-c", APP_CHILD, str(data)])
        bare = run_in_pty([sys.executable, "-c", BARE_CHILD, str(sources_file)])
        app_times.append(app["seconds"])
        bare_times.append(bare["seconds"])
        app_rss.append(app["rss_kb"])
        bare_rss.append(bare["rss_kb"])
        heavy = app["heavy"]
    return {
        "app_s": statistics.median(app_times),
        "app_p95_s": percentile(app_times, 0.95),
        "bare_s": statistics.median(bare_times),
        "bare_p95_s": percentile(bare_times, 0.95),
        "ratio": statistics.median(app_times) / statistics.median(bare_times),
        "app_rss_mb": statistics.median(app_rss) / 1024,
        "bare_rss_mb": statistics.median(bare_rss) / 1024,
        "heavy_modules": heavy,
    }


def measure_next_section(data: Path, sources_file: Path, presses: int, gap: float) -> dict:
    """p50/p95 of key ``n`` to the next section on screen, app and bare, in a terminal."""
    _fresh_state(data)
    app = run_in_pty([sys.executable, "-c", APP_CHILD, str(data)], keys=presses, gap=gap)
    bare = run_in_pty(
        [sys.executable, "-c", BARE_CHILD, str(sources_file)], keys=presses, gap=gap
    )
    return {
        "app_p50_ms": 1000 * statistics.median(app["steps"]),
        "app_p95_ms": 1000 * percentile(app["steps"], 0.95),
        "bare_p50_ms": 1000 * statistics.median(bare["steps"]),
        "bare_p95_ms": 1000 * percentile(bare["steps"], 0.95),
        "app_settled_p50_ms": 1000 * statistics.median(app["settled"]),
        "app_settled_p95_ms": 1000 * percentile(app["settled"], 0.95),
        "bare_settled_p50_ms": 1000 * statistics.median(bare["settled"]),
        "bare_settled_p95_ms": 1000 * percentile(bare["settled"], 0.95),
    }


async def _idle_app(data: Path, presses: int) -> list[float]:
    from importai_tui.library import Library
    from importai_tui.tui.factory import create_app

    app = create_app(Library(data), open_url=lambda url: None)
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for _ in range(presses):
            started = time.perf_counter()
            await pilot.press("n")  # returns once the app is idle
            await app.workers.wait_for_complete()
            times.append(time.perf_counter() - started)
    return times


async def _idle_bare(sources: list[str]) -> list[float]:
    from textual.app import App
    from textual.containers import VerticalScroll
    from textual.widgets import Markdown

    class Bare(App):
        BINDINGS = [("n", "next", "Next")]
        position = 0

        def compose(self):
            with VerticalScroll():
                yield Markdown(sources[0], id="md")

        async def action_next(self) -> None:
            self.position = (self.position + 1) % len(sources)
            await self.query_one("#md", Markdown).update(sources[self.position])

    app = Bare()
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(len(sources) - 1):
            started = time.perf_counter()
            await pilot.press("n")  # same measurement as the app: key to idle
            await app.workers.wait_for_complete()
            times.append(time.perf_counter() - started)
    return times


def measure_key_to_idle(data: Path, sources: list[str], presses: int) -> dict:
    """p50/p95 of Pilot's ``press("n")`` (key to idle): the app vs the bare app."""
    import asyncio

    _fresh_state(data)
    app_times = asyncio.run(_idle_app(data, presses))
    bare_times = asyncio.run(_idle_bare(sources[: presses + 1]))
    return {
        "app_p50_ms": 1000 * statistics.median(app_times),
        "app_p95_ms": 1000 * percentile(app_times, 0.95),
        "bare_p50_ms": 1000 * statistics.median(bare_times),
        "bare_p95_ms": 1000 * percentile(bare_times, 0.95),
    }


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min) on {os.cpu_count()} CPUs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=500)
    parser.add_argument("--runs", type=int, default=9, help="warm starts of each app")
    parser.add_argument("--presses", type=int, default=30, help="presses of n per app")
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between presses")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "importai-bench")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    global PYCACHE
    PYCACHE = args.work / "pycache"

    data = prepare_library(args.work, args.issues)
    from importai_tui.library import Library

    library = Library(data)
    issues = library.list_issues()
    # The sections n walks through from a fresh start: the newest issue onwards.
    sources: list[str] = []
    for issue in issues:
        sources.extend(section.markdown for section in library.list_sections(issue.id))
        if len(sources) > args.presses:
            break
    sources_file = args.work / "sections.json"
    sources_file.write_text(json.dumps(sources[: args.presses + 1]), encoding="utf-8")

    print(f"load average before: {_load()}")
    print(f"library: {len(issues)} issues; first section {len(sources[0])} chars")
    startup = measure_startup(data, sources_file, args.runs)
    print(
        f"warm start to first paint ({args.runs} runs each): "
        f"app median {startup['app_s']:.3f} s (p95 {startup['app_p95_s']:.3f}), "
        f"bare Markdown app median {startup['bare_s']:.3f} s (p95 {startup['bare_p95_s']:.3f}); "
        f"ratio {startup['ratio']:.2f}x, target <= {START_TARGET}x: "
        f"{_verdict(startup['ratio'] <= START_TARGET)}"
    )
    print(
        f"peak memory (max RSS, median): app {startup['app_rss_mb']:.1f} MB, "
        f"bare {startup['bare_rss_mb']:.1f} MB, "
        f"ratio {startup['app_rss_mb'] / startup['bare_rss_mb']:.2f}x"
    )
    print(f"converter modules imported on warm start: {startup['heavy_modules'] or 'none'}")
    step = measure_next_section(data, sources_file, args.presses, args.gap)
    print(
        f"next section, key to painted ({args.presses} presses, {args.gap} s apart): "
        f"app p50 {step['app_p50_ms']:.1f} ms, p95 {step['app_p95_ms']:.1f} ms; "
        f"bare app (n = Markdown.update) p50 {step['bare_p50_ms']:.1f} ms, "
        f"p95 {step['bare_p95_ms']:.1f} ms; "
        f"p95 ratio {step['app_p95_ms'] / step['bare_p95_ms']:.2f}x; "
        f"target p95 < {STEP_TARGET_MS:g} ms: {_verdict(step['app_p95_ms'] < STEP_TARGET_MS)}"
    )
    print(
        f"next section, key to the refresh after it is shown (includes the follow-up "
        f"such as marking it read): app p50 {step['app_settled_p50_ms']:.1f} ms, "
        f"p95 {step['app_settled_p95_ms']:.1f} ms; bare p50 {step['bare_settled_p50_ms']:.1f} ms, "
        f"p95 {step['bare_settled_p95_ms']:.1f} ms"
    )
    idle = measure_key_to_idle(data, sources, args.presses)
    print(
        f"next section, key to idle via Pilot (floor ~40-60 ms): "
        f"app p50 {idle['app_p50_ms']:.1f} ms, p95 {idle['app_p95_ms']:.1f} ms; "
        f"bare p50 {idle['bare_p50_ms']:.1f} ms, p95 {idle['bare_p95_ms']:.1f} ms"
    )
    print(f"load average after: {_load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
