"""The library's bulk write path: provisional rows, batched FTS indexing, and
the conversion pool's inline fallback."""

from __future__ import annotations

import sqlite3
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from importai_tui.library import Library
from importai_tui.library import jobs as jobs_module

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _snapshot(library: Library) -> dict[str, str]:
    return {s.id: library.get_issue(s.id).markdown for s in library.list_issues()}


def _sections(library: Library) -> list[tuple]:
    with sqlite3.connect(library.index_path) as conn:
        return conn.execute(
            "SELECT id, issue_id, position, title, subtitle, kind, markdown, body, links "
            "FROM sections ORDER BY id"
        ).fetchall()


def _fts_state(conn: sqlite3.Connection) -> tuple[list[tuple], list[tuple]]:
    vocab = conn.execute("SELECT term, doc, cnt FROM sections_vocab ORDER BY term").fetchall()
    docsize = conn.execute("SELECT id, sz FROM sections_fts_docsize ORDER BY id").fetchall()
    return vocab, docsize


def assert_fts_matches_table(library: Library) -> None:
    """The incrementally built FTS index equals one re-derived from the table,
    and the insert/delete triggers are in place for other writers."""
    conn = sqlite3.connect(library.index_path)
    try:
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {"sections_ai", "sections_ad", "sections_au"} <= triggers
        # The bulk writer pauses FTS5's incremental merging; later writers merge again.
        automerge = conn.execute(
            "SELECT v FROM sections_fts_config WHERE k = 'automerge'"
        ).fetchone()
        assert automerge is None or automerge[0] == 4
        built = _fts_state(conn)
        (rows,) = conn.execute("SELECT count(*) FROM sections").fetchone()
        assert rows > 0 and len(built[1]) == rows
        conn.execute("INSERT INTO sections_fts(sections_fts) VALUES ('rebuild')")
        assert _fts_state(conn) == built
    finally:
        conn.rollback()
        conn.close()


def _archive(tmp_path: Path, issues: int = 12):
    sys.path.insert(0, str(BENCHMARKS))
    from synthetic import build_archive

    return build_archive(tmp_path / "archive", issues=issues, html_share=0.75, per_text_file=3)


def test_one_import_equals_file_by_file_imports(tmp_path, seed_paths):
    # One import of every seed writes lone issues provisionally and fixes up
    # the merged ones (396 has an HTML and a text copy); file by file, every
    # later import goes through the incremental path instead.
    together = Library(tmp_path / "together")
    together.import_paths(seed_paths)
    one_by_one = Library(tmp_path / "one-by-one")
    for path in reversed(seed_paths):
        one_by_one.import_paths([path])
    assert _snapshot(together) == _snapshot(one_by_one)
    assert _sections(together) == _sections(one_by_one)
    assert_fts_matches_table(together)
    assert_fts_matches_table(one_by_one)


def test_rebuild_indexes_everything_once_and_exactly(seeded_library):
    before = _snapshot(seeded_library)
    sections = _sections(seeded_library)
    seeded_library.rebuild()
    assert _snapshot(seeded_library) == before
    assert _sections(seeded_library) == sections
    assert_fts_matches_table(seeded_library)
    # Searching still finds a word of a section body.
    word = sections[0][7].split()[0].strip("*_[]()#.,:;!?\\")
    with sqlite3.connect(seeded_library.index_path) as conn:
        hits = conn.execute(
            "SELECT count(*) FROM sections_fts WHERE sections_fts MATCH ?", (f'"{word}"',)
        ).fetchone()[0]
    assert hits >= 1


def test_pool_that_cannot_start_converts_inline(tmp_path, monkeypatch):
    # Inside the Textual app, starting the pool's helper processes failed with
    # this error (sys.stderr has no file descriptor there).
    archive = _archive(tmp_path)
    monkeypatch.setattr(jobs_module, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(jobs_module, "POOL_MIN_SOURCES", 2)
    attempts: list[int] = []

    def failing_executor(*args, **kwargs):
        attempts.append(1)
        raise ValueError("bad value(s) in fds_to_keep")

    monkeypatch.setattr(jobs_module, "ProcessPoolExecutor", failing_executor)
    fallback = Library(tmp_path / "fallback")
    report = fallback.import_paths([archive.root])
    assert attempts == [1]
    assert not report.failed
    assert len(fallback.list_issues()) == archive.issue_count
    monkeypatch.setattr(jobs_module, "POOL_MIN_SOURCES", 10**9)
    inline = Library(tmp_path / "inline")
    inline.import_paths([archive.root])
    assert _snapshot(fallback) == _snapshot(inline)


def test_pool_failing_after_some_results_converts_the_rest_inline(tmp_path, monkeypatch):
    archive = _archive(tmp_path)
    monkeypatch.setattr(jobs_module, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(jobs_module, "POOL_MIN_SOURCES", 2)

    class BreaksAtThirdSubmit(ProcessPoolExecutor):
        submitted = 0

        def submit(self, fn, /, *args, **kwargs):
            type(self).submitted += 1
            if type(self).submitted == 3:
                raise RuntimeError("cannot schedule new futures after shutdown")
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(jobs_module, "ProcessPoolExecutor", BreaksAtThirdSubmit)
    seen: list[int] = []
    jobs = [jobs_module.Job(str(p), p.read_bytes(), p.name) for p in archive.files]
    outcomes = jobs_module.convert_all(jobs, on_outcome=lambda i, o: seen.append(i))
    assert BreaksAtThirdSubmit.submitted == 3
    assert sorted(seen) == list(range(len(jobs)))  # every job delivered exactly once
    assert [o.key for o in outcomes] == [j.key for j in jobs]
    assert all(o.issues for o in outcomes)


def test_an_error_in_the_callers_callback_is_not_taken_for_a_pool_failure(tmp_path, monkeypatch):
    archive = _archive(tmp_path)
    jobs = [jobs_module.Job(str(p), p.read_bytes(), p.name) for p in archive.files]
    delivered: list[int] = []

    def on_outcome(index, outcome):
        delivered.append(index)
        raise KeyError("the store failed")

    with pytest.raises(KeyError):
        jobs_module.convert_all(jobs, use_pool=True, on_outcome=on_outcome)
    assert len(delivered) == 1  # not retried inline after the error


def test_markdown_files_prepared_during_the_import_match_the_index(tmp_path, monkeypatch):
    # The .md files are written to temporary files while the pool converts and
    # renamed after the commit; an import interrupted before it leaves none.
    archive = _archive(tmp_path)
    monkeypatch.setattr(jobs_module, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(jobs_module, "POOL_MIN_SOURCES", 2)
    library = Library(tmp_path / "lib")
    calls: list[int] = []

    def interrupting(done: int, total: int, label: str) -> None:
        calls.append(done)
        if len(calls) == 6:
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        library.import_paths([archive.root], interrupting)
    assert library.list_issues() == []
    assert list(library.issues_dir.iterdir()) == []
    library.import_paths([archive.root])
    files = {p.name: p.read_text(encoding="utf-8") for p in library.issues_dir.iterdir()}
    assert files == {f"{issue_id}.md": text for issue_id, text in _snapshot(library).items()}
    assert len(files) == archive.issue_count
