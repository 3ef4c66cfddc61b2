"""The library cache: import, incremental re-import, merge across sources,
rebuild, atomicity, damaged index, reading API."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from importai_tui.library import Library, LibraryError
from importai_tui.library import jobs as jobs_module
from importai_tui.library import queries
from library_support import all_sections

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HTML_396 = SEEDS / "003_5e8b8ebf436356d6.txt"  # the HTML copy of issue 396
TEXT_401 = SEEDS / "001_a42ab760318425e2.txt"  # text archive 401..390, holds 396


def _snapshot(library: Library) -> dict[str, str]:
    """Every issue id -> its stored Markdown (what a reader would see)."""
    return {s.id: library.get_issue(s.id).markdown for s in library.list_issues()}


def _md_files(library: Library) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in library.issues_dir.glob("*.md")}


def _count_conversions(monkeypatch) -> list[str]:
    """Record every source the library converts (serially, so the count is seen)."""
    converted: list[str] = []
    real = jobs_module.convert_job

    def counting(job):
        converted.append(job.name)
        return real(job)

    monkeypatch.setattr(jobs_module, "convert_job", counting)
    monkeypatch.setattr(jobs_module, "POOL_MIN_SOURCES", 10**9)
    return converted


# -- reading ---------------------------------------------------------------------


def test_seeded_library_has_every_seed_issue_once(seeded_library):
    issues = seeded_library.list_issues()
    ids = [i.id for i in issues]
    assert len(ids) == len(set(ids))
    numbers = [i.number for i in issues if i.number is not None]
    # 401..390 from one archive, 389..382 from the other; 396 also as HTML.
    assert set(range(382, 392)) | set(range(396, 402)) <= set(numbers)
    unnumbered = [i for i in issues if i.number is None]
    assert len(unnumbered) == 2  # the HTML seeds 000 and 004 state no number
    assert all(i.id.startswith("u-") for i in unnumbered)
    assert all(i.section_count > 0 for i in issues)


def test_list_is_newest_first(seeded_library):
    issues = seeded_library.list_issues()
    numbers = [i.number for i in issues if i.number is not None]
    assert numbers == sorted(numbers, reverse=True)
    first_unnumbered = next(k for k, i in enumerate(issues) if i.number is None)
    assert all(i.number is None for i in issues[first_unnumbered:])


def test_html_copy_merges_into_the_numbered_issue(seeded_library):
    issue = seeded_library.get_issue("396")
    assert set(issue.summary.sources) == {HTML_396.name, TEXT_401.name}
    # The HTML copy has links, so its sections win over the text copy's.
    assert any(s.links for s in issue.sections)


def test_get_issue_accepts_number_hash_and_unnumbered_ids(seeded_library):
    assert seeded_library.get_issue("401").id == "401"
    assert seeded_library.get_issue("#401").id == "401"
    assert seeded_library.get_issue(" #401 ").id == "401"
    unnumbered = next(i for i in seeded_library.list_issues() if i.number is None)
    assert seeded_library.get_issue(unnumbered.id).id == unnumbered.id
    assert seeded_library.get_issue(unnumbered.id.upper()).id == unnumbered.id
    assert seeded_library.get_issue("9999") is None
    assert seeded_library.get_issue("") is None


def test_sections_read_back_consistently(seeded_library):
    record = seeded_library.get_issue("401")
    sections = seeded_library.list_sections("401")
    assert tuple(sections) == record.sections
    assert [s.position for s in sections] == list(range(len(sections)))
    assert all(s.id.startswith("401/") and s.issue_id == "401" for s in sections)
    one = seeded_library.get_section(sections[1].id)
    assert one == sections[1]
    assert one.markdown.startswith("## ")
    every = list(all_sections(seeded_library))
    assert len(every) == sum(i.section_count for i in seeded_library.list_issues())
    assert every[0].issue_id == seeded_library.list_issues()[0].id


def test_markdown_files_match_the_index(seeded_library):
    files = _md_files(seeded_library)
    assert files == _snapshot(seeded_library)


def test_sources_are_stored_by_content_hash(seeded_library, seed_paths):
    for path in seed_paths:
        data = path.read_bytes()
        stored = seeded_library.sources_dir / hashlib.sha256(data).hexdigest()
        assert stored.read_bytes() == data
    # One manifest per import (not a sidecar per source) names every source,
    # so that a rebuild works without the index.
    manifests = sorted(seeded_library.sources_dir.glob("manifest-*.json"))
    assert len(manifests) == 1
    described = json.loads(manifests[0].read_text())
    for path in seed_paths:
        assert described[hashlib.sha256(path.read_bytes()).hexdigest()]["name"] == path.name
    assert not [p for p in seeded_library.sources_dir.glob("*.json") if p not in manifests]


def test_rebuild_without_index_reads_manifests_and_legacy_sidecars(seeded_library, seed_paths):
    # Libraries written before manifests kept one ``<sha>.json`` per source.
    legacy = seed_paths[0]
    sha = hashlib.sha256(legacy.read_bytes()).hexdigest()
    (seeded_library.sources_dir / f"{sha}.json").write_text(json.dumps({"name": "legacy.html"}))
    manifest = next(seeded_library.sources_dir.glob("manifest-*.json"))
    entries = json.loads(manifest.read_text())
    del entries[sha]
    manifest.write_text(json.dumps(entries))
    before = {i.id for i in seeded_library.list_issues()}
    seeded_library.index_path.unlink()
    seeded_library.ensure_seeded()
    assert {i.id for i in seeded_library.list_issues()} == before
    with sqlite3.connect(seeded_library.index_path) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sources")}
    assert "legacy.html" in names
    assert {p.name for p in seed_paths[1:]} <= names


def test_reading_never_loads_the_converter(seeded_library):
    code = textwrap.dedent(
        f"""
        import sys
        from importai_tui.library import Library
        lib = Library({str(seeded_library.root)!r})
        assert lib.list_issues() and lib.get_issue("401")
        heavy = [m for m in ("markdownify", "bs4", "lxml") if m in sys.modules]
        assert not heavy, heavy
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_empty_library_reads_as_empty_without_creating_files(data_dir):
    library = Library(data_dir)
    assert library.is_empty()
    assert library.list_issues() == []
    assert library.get_issue("401") is None
    assert not data_dir.exists()


# -- incremental import ------------------------------------------------------------


def test_reimport_of_unchanged_files_converts_nothing(seeded_library, seed_paths, monkeypatch):
    converted = _count_conversions(monkeypatch)
    before = {p: p.stat().st_mtime_ns for p in seeded_library.issues_dir.glob("*.md")}
    report = seeded_library.import_paths(seed_paths)
    assert converted == []
    assert [r.status for r in report.results] == ["unchanged"] * len(seed_paths)
    assert report.new_issue_ids == []
    after = {p: p.stat().st_mtime_ns for p in seeded_library.issues_dir.glob("*.md")}
    assert after == before


def test_same_bytes_twice_in_one_import_is_converted_once(data_dir, tmp_path, monkeypatch):
    converted = _count_conversions(monkeypatch)
    copy = tmp_path / "copy.html"
    copy.write_bytes(HTML_396.read_bytes())
    report = Library(data_dir).import_paths([HTML_396, copy])
    assert [r.status for r in report.results] == ["imported", "unchanged"]
    assert "same content" in report.results[1].message
    assert converted == [HTML_396.name]


def test_incremental_imports_merge_with_earlier_sources(data_dir, tmp_path):
    library = Library(data_dir)
    first = library.import_paths([HTML_396])
    assert first.results[0].status == "imported"
    (lonely,) = library.list_issues()
    assert lonely.number is None  # the HTML file alone states no number
    second = library.import_paths([TEXT_401])
    assert second.results[0].status == "imported"
    ids = [i.id for i in library.list_issues()]
    assert lonely.id not in ids and "396" in ids
    assert set(library.get_issue("396").summary.sources) == {HTML_396.name, TEXT_401.name}
    assert not (library.issues_dir / f"{lonely.id}.md").exists()
    # Same result as importing both at once: ids and Markdown do not depend on order.
    together = Library(tmp_path / "together")
    together.import_paths([TEXT_401, HTML_396])
    assert _snapshot(together) == _snapshot(library)


def test_ids_are_stable_across_rebuilds_and_libraries(seeded_library, seed_paths, tmp_path):
    before = _snapshot(seeded_library)
    report = seeded_library.rebuild()
    assert not report.failed
    assert _snapshot(seeded_library) == before
    assert _md_files(seeded_library) == before
    # Every prepared temporary file was renamed into place or removed.
    assert not list(seeded_library.issues_dir.glob(".*"))
    other = Library(tmp_path / "other")
    other.import_paths(list(reversed(seed_paths)))
    assert _snapshot(other) == before


def test_new_converter_version_reconverts_from_stored_sources(
    seeded_library, seed_paths, monkeypatch
):
    import importai_tui.convert as convert

    converted = _count_conversions(monkeypatch)
    before = _snapshot(seeded_library)
    monkeypatch.setattr(convert, "CONVERTER_VERSION", convert.CONVERTER_VERSION + 1)
    report = seeded_library.import_paths(seed_paths[:1])
    assert sorted(converted) == sorted(p.name for p in seed_paths)
    with seeded_library.session() as conn:
        assert queries.converter_version_of(conn) == convert.CONVERTER_VERSION
    assert report.results[0].status == "imported"
    assert _snapshot(seeded_library) == before
    converted.clear()
    seeded_library.import_paths(seed_paths)
    assert converted == []


def test_pool_and_inline_conversion_give_the_same_library(tmp_path, monkeypatch):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from synthetic import build_archive

    archive = build_archive(tmp_path / "archive", issues=12, html_share=0.75, per_text_file=3)
    monkeypatch.setattr(jobs_module, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(jobs_module, "POOL_MIN_SOURCES", 2)
    pooled = Library(tmp_path / "pooled")
    assert jobs_module.should_use_pool(
        [jobs_module.Job(str(p), p.read_bytes(), p.name) for p in archive.files]
    )
    report = pooled.import_paths([archive.root])
    assert not report.failed
    assert len(pooled.list_issues()) == archive.issue_count
    monkeypatch.setattr(jobs_module, "POOL_MIN_SOURCES", 10**9)
    inline = Library(tmp_path / "inline")
    inline.import_paths([archive.root])
    assert _snapshot(pooled) == _snapshot(inline)


def test_folder_import_skips_hidden_files_and_sorts(tmp_path, data_dir):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    (folder / "b.txt").write_bytes(TEXT_401.read_bytes())
    (folder / "sub" / "a.html").write_bytes(HTML_396.read_bytes())
    (folder / ".secret.txt").write_bytes(b"junk")
    (folder / ".hidden" / "x.txt").write_bytes(b"junk")
    report = Library(data_dir).import_paths([folder])
    assert [Path(r.path).name for r in report.results] == ["b.txt", "a.html"]
    assert all(r.status == "imported" for r in report.results)


# -- feed items ----------------------------------------------------------------------


def test_import_source_keeps_feed_metadata_through_rebuild(data_dir):
    library = Library(data_dir)
    html = SEEDS.joinpath("000_f46faf7d7fd2667a.txt").read_bytes()
    meta = {"number": 408, "title": "Feed title", "date": "2025-04-21",
            "url": "https://importai.substack.com/p/import-ai-408"}
    (result,) = library.import_sources(
        [(html, "https://importai.substack.com/p/import-ai-408", meta)]
    ).results
    assert result.status == "imported" and result.issue_ids == ["408"]
    summary = library.list_issues()[0]
    assert (summary.number, summary.title, summary.date, summary.url) == (
        408, "Feed title", "2025-04-21", meta["url"])
    library.rebuild()
    assert library.list_issues()[0] == summary


# -- atomicity ---------------------------------------------------------------------


def test_failure_mid_transaction_keeps_the_old_library(seeded_library, monkeypatch):
    import importai_tui.convert as convert

    before = _snapshot(seeded_library)
    files_before = _md_files(seeded_library)
    calls = 0
    real = convert.section_markdown

    def failing(section):
        nonlocal calls
        calls += 1
        if calls > 3:  # some rows already written inside the transaction
            raise RuntimeError("disk on fire")
        return real(section)

    monkeypatch.setattr(convert, "section_markdown", failing)
    monkeypatch.setattr(convert, "CONVERTER_VERSION", convert.CONVERTER_VERSION + 1)
    with pytest.raises(RuntimeError):
        seeded_library.rebuild()
    assert calls > 3
    assert _snapshot(seeded_library) == before
    assert _md_files(seeded_library) == files_before
    # The sections and search index still agree with the issues.
    with sqlite3.connect(seeded_library.index_path) as conn:
        assert conn.execute("INSERT INTO sections_fts(sections_fts) VALUES ('integrity-check')")
        (orphans,) = conn.execute(
            "SELECT count(*) FROM sections WHERE issue_id NOT IN (SELECT id FROM issues)"
        ).fetchone()
    assert orphans == 0


_KILL_SCRIPT = """
import os, signal, sys
from pathlib import Path
import importai_tui.convert as convert
from importai_tui.library import Library
from importai_tui.library import mdfiles
where = sys.argv[2]
if where == "transaction":
    real = convert.section_markdown
    calls = [0]
    def killing(section):
        calls[0] += 1
        if calls[0] > 5:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(section)
    convert.section_markdown = killing
else:  # after the commit, before the Markdown files are written
    real_sync = mdfiles.MarkdownFiles.sync_pending
    def killing_sync(self, conn, **kwargs):
        if conn.in_transaction is False and conn.execute(
                "SELECT 1 FROM meta WHERE key = 'pending_md'").fetchone():
            os.kill(os.getpid(), signal.SIGKILL)
        return real_sync(self, conn, **kwargs)
    mdfiles.MarkdownFiles.sync_pending = killing_sync
Library(Path(sys.argv[1])).import_paths([Path(p) for p in sys.argv[3:]])
"""


@pytest.mark.parametrize("where", ["transaction", "after-commit"])
def test_process_killed_mid_import_leaves_a_readable_library(data_dir, where):
    library = Library(data_dir)
    library.import_paths([HTML_396])
    before = _snapshot(library)
    proc = subprocess.run(
        [sys.executable, "-c", _KILL_SCRIPT, str(data_dir), where, str(TEXT_401)],
        capture_output=True,
    )
    assert proc.returncode == -9, proc.stderr.decode()
    issues = library.list_issues()  # readable, no LibraryError
    if where == "transaction":
        assert _snapshot(library) == before
    else:
        # Committed: the new issues are there; the next write repairs the files.
        assert "396" in [i.id for i in issues]
        library.import_paths([HTML_396])
    assert _md_files(library) == _snapshot(library)
    # No temporary file of the killed import is left behind.
    assert not list(library.issues_dir.glob(".*"))


# -- damaged index and user data ---------------------------------------------------


def test_damaged_index_is_reported_and_kept(seeded_library):
    garbage = b"this is not a database" * 100
    seeded_library.index_path.write_bytes(garbage)
    with pytest.raises(LibraryError) as caught:
        seeded_library.list_issues()
    message = str(caught.value)
    assert "\n" not in message and "damaged" in message and "importai rebuild" in message
    with pytest.raises(LibraryError):
        seeded_library.import_paths([HTML_396])
    assert seeded_library.index_path.read_bytes() == garbage


def test_rebuild_sets_a_damaged_index_aside_and_recovers(seeded_library):
    before = _snapshot(seeded_library)
    garbage = b"\x00garbage" * 512
    seeded_library.index_path.write_bytes(garbage)
    report = seeded_library.rebuild()
    assert not report.failed
    assert any("damaged" in note for note in report.notes)
    kept = list(seeded_library.root.glob("library.sqlite3.damaged-*"))
    assert [k.read_bytes() for k in kept] == [garbage]
    assert _snapshot(seeded_library) == before


def test_import_and_rebuild_never_touch_user_data(seeded_library, seed_paths):
    user_files = {
        seeded_library.root / "state.sqlite3": b"reading state bytes",
        seeded_library.root / "bookmarks.sqlite3": b"bookmark bytes",
    }
    for path, data in user_files.items():
        path.write_bytes(data)
    stamps = {p: p.stat().st_mtime_ns for p in user_files}
    seeded_library.import_paths(seed_paths)
    seeded_library.rebuild()
    seeded_library.index_path.write_bytes(b"damaged")
    seeded_library.rebuild()
    for path, data in user_files.items():
        assert path.read_bytes() == data
        assert path.stat().st_mtime_ns == stamps[path]


# -- seeding -------------------------------------------------------------------------


def test_ensure_seeded_imports_the_bundled_seeds_once(data_dir):
    library = Library(data_dir)
    steps: list[tuple[int, int]] = []
    report = library.ensure_seeded(lambda done, total, label: steps.append((done, total)))
    assert report is not None and not report.failed
    assert len(report.results) == 5
    assert steps and steps[-1][0] == steps[-1][1]
    assert not library.is_empty()
    assert library.ensure_seeded() is None


def test_ensure_seeded_rebuilds_from_sources_when_the_index_is_gone(seeded_library, tmp_path):
    extra = tmp_path / "extra.html"
    extra.write_bytes(HTML_396.read_bytes().replace(b"Microsoft", b"Macrosoft"))
    seeded_library.import_paths([extra])
    before = _snapshot(seeded_library)
    seeded_library.index_path.unlink()
    assert seeded_library.is_empty()
    seeded_library.ensure_seeded()
    assert _snapshot(seeded_library) == before


def test_merge_by_component_equals_merge_issues(seed_paths, tmp_path):
    """The library's fast merge gives exactly what the converter's merge gives."""
    from importai_tui.convert import convert_bytes, issue_markdown, merge_issues
    from importai_tui.library.merging import merge_by_component

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from synthetic import build_archive

    archive = build_archive(tmp_path / "archive", issues=20, html_share=0.5, per_text_file=5)
    issues = []
    for path in [*seed_paths, *archive.files, *seed_paths]:  # seeds twice: real duplicates
        issues.extend(convert_bytes(path.read_bytes(), path.name))
    expected = {i.id: (issue_markdown(i), i.sources) for i in merge_issues(issues)}
    fast = merge_by_component(issues)
    assert {i.id: (issue_markdown(i), i.sources) for i in fast} == expected
    assert len(fast) == len(expected) == 18 + 20


def test_unnumbered_issues_follow_the_order_of_their_sources(seeded_library):
    # The HTML seeds state no number and no date, and no numbered copy matches
    # them: they keep the order of the seed files (named newest first), not of
    # their titles.
    unnumbered = [i for i in seeded_library.list_issues() if i.number is None]
    assert [i.sources[0] for i in unnumbered] == [
        "000_f46faf7d7fd2667a.txt",
        "004_43f1e775ec95713e.txt",
    ]
    with seeded_library.connect() as conn:
        from importai_tui.library.queries import every_section

        order = list(dict.fromkeys(s.issue_id for s in every_section(conn)))
    assert order == [i.id for i in seeded_library.list_issues()]


def test_a_dated_unnumbered_issue_sorts_before_undated_ones(data_dir):
    library = Library(data_dir)
    html = SEEDS.joinpath("004_43f1e775ec95713e.txt").read_bytes()
    meta = {"number": None, "title": "Dated copy", "date": "2025-03-17",
            "url": "https://importai.substack.com/p/some-issue"}
    library.import_sources([(html, "https://importai.substack.com/p/some-issue", meta)])
    library.import_sources([(SEEDS.joinpath("000_f46faf7d7fd2667a.txt").read_bytes(), "a.html", None)])
    dates = [i.date for i in library.list_issues()]
    assert dates == ["2025-03-17", None]
