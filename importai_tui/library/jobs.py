"""Converting sources for the library, in one process or a pool of two.

The converter is pure (bytes in, issues out), so converting many sources is
embarrassingly parallel: ``convert_all`` hands them to a two-process pool when
there are enough of them to pay for the pool's start, and converts them inline
otherwise. Only the parent writes to SQLite.

Also here: the JSON form of an ``Issue`` that the index keeps per source, so
that a later import can merge with earlier sources without reconverting them.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from importai_tui.convert.model import Issue, Section
from importai_tui.wording import one_line

# Below this many bytes or sources, a pool costs more than it saves (forking,
# pickling results back). Chosen from rough timings, not a fine sweep: one
# ~20 KB HTML issue converts in ~7-25 ms (machine load varies a lot) and a
# two-process fork pool starts in tens of ms, so small imports stay in-process.
POOL_MIN_BYTES = 150_000
POOL_MIN_SOURCES = 4
POOL_WORKERS = 2
# At most this many jobs per pool call (see ``_chunks``).
POOL_CHUNK_MAX = 8

# progress(done, total, label)
ProgressCallback = Callable[[int, int, str], None]


@dataclass
class Job:
    """One source to convert. ``meta`` carries metadata known outside the bytes."""

    key: str
    data: bytes
    name: str
    meta: dict[str, Any] | None = None


@dataclass
class Outcome:
    """A job's result: its issues, or a one-line reason it failed."""

    key: str
    issues: list[Issue] | None
    error: str | None = None
    # The issues as ``issues_to_json`` text, when the pool already made it.
    issues_json: str | None = None

    def json(self) -> str:
        """The issues as stored in the index (``issues_to_json``)."""
        if self.issues_json is None:
            self.issues_json = issues_to_json(self.issues or [])
        return self.issues_json


def convert_job(job: Job) -> Outcome:
    """Convert one source; never raises (a failure becomes ``Outcome.error``).

    Feed items (``meta`` with a title or number) go through ``convert_html``
    with their known metadata; files go through ``convert_bytes``.
    """
    with _collect_per_document():
        return _convert_job(job)


@contextmanager
def _collect_per_document() -> Iterator[None]:
    """Run the cyclic garbage collector once per document, not during it.

    A parsed document is a BeautifulSoup tree full of reference cycles, and
    its thousands of nodes trigger many automatic collections while it is
    built and walked, each rescanning the survivors. Paused, then one
    young-generation pass frees the whole tree: ~12% less CPU per
    conversion (measured on the 500-issue benchmark archive).
    """
    if not gc.isenabled():  # someone else manages the collector
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def _convert_job(job: Job) -> Outcome:
    from importai_tui.convert import ConversionError, convert_bytes, convert_html
    from importai_tui.links import is_newsletter_url

    try:
        meta = job.meta or {}
        if meta.get("title") or meta.get("number") is not None:
            html = job.data.decode("utf-8", errors="replace")
            issues = [
                convert_html(
                    html,
                    job.name,
                    number=meta.get("number"),
                    title=meta.get("title"),
                    date=meta.get("date"),
                    url=meta.get("url"),
                    # An item of the newsletter's own feed is Import AI even when
                    # its title states no number (an essay issue is kept whole).
                    newsletter=is_newsletter_url(meta.get("url") or job.name),
                )
            ]
        else:
            issues = convert_bytes(job.data, job.name)
    except ConversionError as error:
        return Outcome(job.key, None, one_line(str(error)) or "not an Import AI issue")
    except UnicodeDecodeError as error:
        return Outcome(job.key, None, f"cannot decode text: {error.reason}")
    except RecursionError:
        return Outcome(job.key, None, "document nested too deeply to convert")
    except MemoryError:
        return Outcome(job.key, None, "out of memory while converting")
    except Exception as error:  # noqa: BLE001 - a converter bug must not stop the import
        reason = one_line(str(error))
        return Outcome(job.key, None, f"converter failed: {type(error).__name__}: {reason}")
    if not issues:
        return Outcome(job.key, None, "no Import AI issue found")
    return Outcome(job.key, list(issues))


def should_use_pool(jobs: Sequence[Job]) -> bool:
    """True when the jobs are many and big enough for a two-process pool."""
    if (os.cpu_count() or 1) < 2 or len(jobs) < POOL_MIN_SOURCES:
        return False
    return sum(len(job.data) for job in jobs) >= POOL_MIN_BYTES


def _fork_is_safe() -> bool:
    """Only the main thread runs, apart from Rich's progress refresher (which
    only redraws the bar; the children never touch the console)."""
    if threading.current_thread() is not threading.main_thread():
        return False
    return all(
        thread is threading.main_thread() or type(thread).__name__ == "_RefreshThread"
        for thread in threading.enumerate()
    )


def _pool_context() -> multiprocessing.context.BaseContext:
    """``fork`` when this is the only thread (fastest: the converter is already
    imported), else ``forkserver``/``spawn``, because forking a process that
    runs other threads (the TUI's workers) can deadlock the child."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and _fork_is_safe():
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def convert_all(
    jobs: Sequence[Job],
    progress: ProgressCallback | None = None,
    *,
    use_pool: bool | None = None,
    on_started: Callable[[], None] | None = None,
    on_outcome: Callable[[int, Outcome], None] | None = None,
) -> list[Outcome]:
    """Convert every job, in a pool when worth it; outcomes in job order.

    ``on_outcome(index, outcome)`` is called in this thread as each job's
    outcome arrives (in completion order), so the caller can store results
    while the pool is still converting. ``on_started`` is called once the
    pool's processes exist (at once without a pool): the caller may start
    threads from then on without making the fork unsafe.

    Any failure to start or use the pool (a worker killed, a start method the
    process cannot use, e.g. "bad value(s) in fds_to_keep" inside a Textual
    app whose ``sys.stderr`` has no file descriptor) converts what is left
    inline instead: the pool is an optimisation, never a requirement.
    """
    total = len(jobs)
    if use_pool is None:
        use_pool = should_use_pool(jobs)
    outcomes: list[Outcome | None] = [None] * total
    done = 0

    def deliver(index: int, outcome: Outcome) -> None:
        nonlocal done
        outcomes[index] = outcome
        done += 1
        if on_outcome is not None:
            on_outcome(index, outcome)
        if progress is not None:
            progress(done, total, jobs[index].name)

    started = False

    def start() -> None:
        nonlocal started
        if not started:
            started = True
            if on_started is not None:
                on_started()

    if use_pool:
        try:
            _convert_in_pool(jobs, deliver, start)
        except _CallerError as wrapped:
            assert wrapped.__cause__ is not None
            raise wrapped.__cause__ from None
        except Exception as error:  # noqa: BLE001 - see the docstring
            # Finish what is left inline; the reason is only worth a debug line.
            _log_pool_failure(error)
    start()
    for index, job in enumerate(jobs):
        if outcomes[index] is None:
            deliver(index, convert_job(job))
    return [outcome for outcome in outcomes if outcome is not None]


def _log_pool_failure(error: BaseException) -> None:
    import logging

    logging.getLogger(__name__).debug(
        "conversion pool unavailable (%s: %s); converting inline", type(error).__name__, error
    )


# Every converter module (bs4, lxml and markdownify with them): imported in
# the parent before forking, so that the workers inherit them instead of each
# importing them (~0.13 s apiece), or preloaded by a forkserver.
_CONVERTER_MODULES = (
    "importai_tui.convert.pipeline",
    "importai_tui.convert.substack_html",
    "importai_tui.convert.text_archive",
    "importai_tui.convert.markdown_copy",
)


class _CallerError(Exception):
    """Wraps an exception raised by the caller's callbacks, so that it is
    re-raised as is instead of being taken for a pool failure."""


def convert_chunk(jobs: Sequence[Job]) -> list[tuple[str | None, str | None]]:
    """``convert_job`` for a pool worker, over a few jobs: ``(issues_json, error)`` each.

    A JSON string crosses the process boundary far cheaper than pickled
    dataclasses, and it is exactly what the index stores per source, so the
    parent parses it once and never serialises the issues again.
    """
    compact: list[tuple[str | None, str | None]] = []
    for job in jobs:
        outcome = convert_job(job)
        if outcome.issues is None:
            compact.append((None, outcome.error))
        else:
            compact.append((issues_to_json(outcome.issues), None))
    return compact


def _chunks(jobs: Sequence[Job], workers: int) -> list[list[int]]:
    """Job indexes in chunks, biggest jobs first.

    ``ProcessPoolExecutor`` keeps only ``workers + 1`` calls queued and tops
    the queue up from a manager thread in this process; when this process is
    busy (SQLite, file writes) that thread waits for the GIL and the workers
    starve. Chunks of a few jobs keep them fed with ~8x fewer round trips,
    while ~16 chunks per worker keep the tail short. Biggest first, so that
    a large text archive does not end up alone at the end.
    """
    order = sorted(range(len(jobs)), key=lambda i: len(jobs[i].data), reverse=True)
    size = max(1, min(POOL_CHUNK_MAX, len(order) // (workers * 16)))
    return [order[i : i + size] for i in range(0, len(order), size)]


def _convert_in_pool(
    jobs: Sequence[Job],
    deliver: Callable[[int, Outcome], None],
    start: Callable[[], None],
) -> None:
    import importlib

    context = _pool_context()
    for name in _CONVERTER_MODULES:
        importlib.import_module(name)
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(list(_CONVERTER_MODULES))
    workers = min(POOL_WORKERS, len(jobs))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        futures = {
            pool.submit(convert_chunk, [jobs[i] for i in chunk]): chunk
            for chunk in _chunks(jobs, workers)
        }
        # With fork, every worker exists after the first submit (CPython forks
        # them all before starting its manager thread).
        try:
            start()
        except Exception as error:
            raise _CallerError() from error
        for future in as_completed(futures):
            results = future.result()  # raises BrokenProcessPool etc.
            for index, (text, error_line) in zip(futures[future], results):
                job = jobs[index]
                if text is None:
                    outcome = Outcome(job.key, None, error_line)
                else:
                    outcome = Outcome(job.key, issues_from_json(text), issues_json=text)
                try:
                    deliver(index, outcome)
                except Exception as error:
                    raise _CallerError() from error
    finally:
        # Never finish converting the queue after a failure or an interrupt.
        pool.shutdown(wait=True, cancel_futures=True)


# -- JSON form of issues (cached per source in the index) ----------------------


def issue_to_dict(issue: Issue) -> dict[str, Any]:
    """An ``Issue`` as plain JSON-able data (faster than ``dataclasses.asdict``)."""
    return {
        "id": issue.id,
        "number": issue.number,
        "title": issue.title,
        "date": issue.date,
        "sources": list(issue.sources),
        "url": issue.url,
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "subtitle": s.subtitle,
                "kind": s.kind,
                "body": s.body,
                "links": list(s.links),
            }
            for s in issue.sections
        ],
    }


def issue_from_dict(data: dict[str, Any]) -> Issue:
    """The inverse of ``issue_to_dict``."""
    return Issue(
        id=data["id"],
        number=data["number"],
        title=data["title"],
        date=data["date"],
        sources=list(data["sources"]),
        url=data.get("url"),
        sections=[
            Section(
                id=s["id"],
                title=s["title"],
                subtitle=s["subtitle"],
                kind=s["kind"],
                body=s["body"],
                links=list(s["links"]),
            )
            for s in data["sections"]
        ],
    )


def issues_to_json(issues: Sequence[Issue]) -> str:
    """Issues as one compact JSON string."""
    return json.dumps([issue_to_dict(i) for i in issues], ensure_ascii=False, separators=(",", ":"))


def issues_from_json(text: str) -> list[Issue]:
    """The inverse of ``issues_to_json``."""
    return [issue_from_dict(item) for item in json.loads(text)]
