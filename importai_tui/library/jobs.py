"""Converting sources for the library, in one process or a pool of two.

The converter is pure (bytes in, issues out), so converting many sources is
embarrassingly parallel: ``convert_all`` hands them to a two-process pool when
there are enough of them to pay for the pool's start, and converts them inline
otherwise. Only the parent writes to SQLite.

Also here: the JSON form of an ``Issue`` that the index keeps per source, so
that a later import can merge with earlier sources without reconverting them.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from importai_tui.convert.model import Issue, Section

# Below this many bytes or sources, a pool costs more than it saves (forking,
# pickling results back). Chosen from rough timings, not a fine sweep: one
# ~20 KB HTML issue converts in ~7-25 ms (machine load varies a lot) and a
# two-process fork pool starts in tens of ms, so small imports stay in-process.
POOL_MIN_BYTES = 150_000
POOL_MIN_SOURCES = 4
POOL_WORKERS = 2

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


def convert_job(job: Job) -> Outcome:
    """Convert one source; never raises (a failure becomes ``Outcome.error``).

    Feed items (``meta`` with a title or number) go through ``convert_html``
    with their known metadata; files go through ``convert_bytes``.
    """
    from importai_tui.convert import ConversionError, convert_bytes, convert_html

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
                )
            ]
        else:
            issues = convert_bytes(job.data, job.name)
    except ConversionError as error:
        return Outcome(job.key, None, _one_line(str(error)) or "not an Import AI issue")
    except UnicodeDecodeError as error:
        return Outcome(job.key, None, f"cannot decode text: {error.reason}")
    except RecursionError:
        return Outcome(job.key, None, "document nested too deeply to convert")
    except MemoryError:
        return Outcome(job.key, None, "out of memory while converting")
    except Exception as error:  # noqa: BLE001 - a converter bug must not stop the import
        reason = _one_line(str(error))
        return Outcome(job.key, None, f"converter failed: {type(error).__name__}: {reason}")
    if not issues:
        return Outcome(job.key, None, "no Import AI issue found")
    return Outcome(job.key, list(issues))


def _one_line(text: str) -> str:
    return " ".join(text.split())


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
) -> list[Outcome]:
    """Convert every job, in a pool when worth it; outcomes in job order.

    ``on_started`` is called once the pool's processes exist (at once without
    a pool): the caller may start threads from then on without making the
    fork unsafe.
    """
    total = len(jobs)
    if use_pool is None:
        use_pool = should_use_pool(jobs)
    outcomes: dict[str, Outcome] = {}
    done = 0

    def report(job: Job) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, job.name)

    if use_pool:
        # Import the converter before forking so children inherit it.
        import importai_tui.convert  # noqa: F401

        try:
            _convert_in_pool(jobs, outcomes, report, on_started)
            on_started = None
        except BrokenProcessPool:
            # A worker died (killed, out of memory): finish what is left inline.
            pass
    if on_started is not None:
        on_started()
    for job in jobs:
        if job.key not in outcomes:
            outcomes[job.key] = convert_job(job)
            report(job)
    return [outcomes[job.key] for job in jobs]


def _convert_in_pool(
    jobs: Sequence[Job],
    outcomes: dict[str, Outcome],
    report: Callable[[Job], None],
    on_started: Callable[[], None] | None,
) -> None:
    # Biggest first, so that a large text archive does not end up alone at
    # the tail while the other worker idles.
    ordered = sorted(jobs, key=lambda job: len(job.data), reverse=True)
    with ProcessPoolExecutor(
        max_workers=min(POOL_WORKERS, len(jobs)), mp_context=_pool_context()
    ) as pool:
        futures: dict[Future[Outcome], Job] = {
            pool.submit(convert_job, job): job for job in ordered
        }
        # With fork, every worker exists after the first submit (CPython forks
        # them all before starting its manager thread).
        if on_started is not None:
            on_started()
        from concurrent.futures import as_completed

        for future in as_completed(futures):
            job = futures[future]
            outcomes[job.key] = future.result()
            report(job)


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
