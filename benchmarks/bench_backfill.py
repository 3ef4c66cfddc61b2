"""Benchmark ``importai fetch --all``: a backfill beside its two halves.

Run from the repository root::

    .venv/bin/python benchmarks/bench_backfill.py [--issues 500] [--repeat 3]

Serves a synthetic archive (``synthetic.py``'s altered copies of the HTML
seeds, real issue sizes) as a WordPress feed of 10 items a page on
127.0.0.1, then measures, as medians over ``--repeat`` runs in this process:

- download only: every page fetched through the backfill's polite client
  (``--delay 0``), nothing parsed or imported;
- convert only: the same pages' items imported page by page
  (``Library.import_sources``, one call per page) into an empty data dir,
  no network;
- backfill: ``backfill(delay=0)`` into an empty data dir.

Target (issue 11): backfill <= 1.15x the larger of the two halves (the pages
are converted while the next one downloads). Prints PASS or MISS; the exit
code is 0 when every issue arrived.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import alter_html, seed_files  # noqa: E402

from importai_tui.backfill import backfill  # noqa: E402
from importai_tui.backfill.report import PoliteClient  # noqa: E402
from importai_tui.convert.feed import iter_feed_items  # noqa: E402
from importai_tui.library import Library  # noqa: E402

PAGE = 10


def build_pages(issues: int) -> list[bytes]:
    """The archive as RSS pages of ``PAGE`` items, newest first."""
    seeds = [p.read_text(encoding="utf-8") for p in seed_files()]
    html_seeds = [s for s in seeds if s.lstrip().startswith("<")]
    start = datetime(2016, 1, 4, 12, tzinfo=timezone.utc)
    items = []
    for number in range(issues, 0, -1):
        html = alter_html(html_seeds[number % len(html_seeds)], number)
        link = f"https://jack-clark.net/archive/import-ai-{number}/"
        items.append(
            f"<item><title>Import AI {number}: synthetic issue {number}</title>"
            f"<link>{link}</link><guid>{link}</guid>"
            f"<pubDate>{format_datetime(start + timedelta(days=7 * number))}</pubDate>"
            f"<content:encoded><![CDATA[{html}]]></content:encoded></item>"
        )
    head = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Import AI</title>'
    )
    return [
        (head + "".join(items[i : i + PAGE]) + "</channel></rss>").encode("utf-8")
        for i in range(0, len(items), PAGE)
    ]


def serve(pages: list[bytes]) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            page = int(parse_qs(parts.query).get("paged", ["1"])[0])
            if parts.path != "/feed/" or page > len(pages):
                body, code = b"not found", 404
            else:
                body, code = pages[page - 1], 200
            self.send_response(code)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/feed/"


def median_time(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--issues", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pages = build_pages(args.issues)
    server, url = serve(pages)
    work = Path(tempfile.mkdtemp(prefix="importai-bench-backfill-"))
    size = sum(map(len, pages)) / 1e6
    print(f"{args.issues} issues, {len(pages)} pages, {size:.1f} MB; median of {args.repeat}")
    try:
        def download_only() -> None:
            client = PoliteClient(0.0, time.sleep, timeout=30, max_bytes=20 * 2**20,
                                  retries=0, backoff=0)
            for page in range(1, len(pages) + 1):
                client.get(url if page == 1 else f"{url}?paged={page}")

        parsed = [iter_feed_items(page) for page in pages]
        counter = iter(range(10**6))

        def fresh() -> Library:
            return Library(work / f"lib-{next(counter)}")

        def convert_only() -> None:
            library = fresh()
            for items in parsed:
                library.import_sources([(i.html.encode(), i.name, i.meta) for i in items])

        outcome: list[int] = []

        def full() -> None:
            library = fresh()
            report = backfill(library, url, delay=0, timeout=30)
            outcome.append(len(report.new_issue_ids) if not report.failed else -1)

        download = median_time(download_only, args.repeat)
        convert = median_time(convert_only, args.repeat)
        whole = median_time(full, args.repeat)
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(work, ignore_errors=True)
    larger = max(download, convert)
    ratio = whole / larger
    verdict = "PASS" if ratio <= 1.15 else "MISS"
    print(f"download only     {download:7.2f} s")
    print(f"convert only      {convert:7.2f} s")
    print(f"backfill          {whole:7.2f} s   {ratio:.2f}x the larger  {verdict} (<= 1.15)")
    ok = all(n == args.issues for n in outcome)
    if not ok:
        print(f"issues arrived per run: {outcome} (expected {args.issues})")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
