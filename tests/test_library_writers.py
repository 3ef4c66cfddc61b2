"""Two writers never lose each other's files (issue 13, item 6), and hostile file
names never reach the terminal raw (item 8)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from importai_tui.cli import main
from importai_tui.library import Library, LibraryError
from importai_tui.library.files import safe_file_name
from importai_tui.library.lock import writer_lock


def _md_names(library: Library) -> set[str]:
    return {p.name for p in library.issues_dir.glob("*.md")}


def _expected_names(library: Library) -> set[str]:
    return {safe_file_name(i.id) + ".md" for i in library.list_issues()}


def test_a_second_writer_waits_and_is_told_once(data_dir):
    told: list[str] = []
    with writer_lock(data_dir):
        done = threading.Event()

        def second() -> None:
            with writer_lock(data_dir, wait=10, on_wait=told.append):
                done.set()

        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.3)
        assert not done.is_set()
    thread.join(timeout=10)
    assert done.is_set()
    assert len(told) == 1 and "waiting" in told[0]


def test_a_writer_that_waits_too_long_fails_clearly(data_dir):
    with writer_lock(data_dir):
        errors: list[LibraryError] = []

        def second() -> None:
            try:
                with writer_lock(data_dir, wait=0.2):
                    pass
            except LibraryError as error:
                errors.append(error)

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(timeout=10)
    assert len(errors) == 1 and errors[0].kind == "busy"
    assert "\n" not in str(errors[0])


_IMPORT = """
import sys
from pathlib import Path
from importai_tui.library import Library
Library(Path(sys.argv[1])).import_paths([Path(p) for p in sys.argv[2:]])
"""


def test_two_imports_at_once_keep_every_markdown_file(data_dir, seed_paths):
    half = len(seed_paths) // 2
    groups = [seed_paths[:half], seed_paths[half:]]
    procs = [
        subprocess.Popen([sys.executable, "-c", _IMPORT, str(data_dir), *map(str, group)])
        for group in groups
    ]
    for proc in procs:
        assert proc.wait(timeout=240) == 0
    library = Library(data_dir)
    assert library.list_issues()
    assert _md_names(library) == _expected_names(library)


def test_import_writes_missing_markdown_files_again(seeded_library, seed_paths):
    victims = sorted(seeded_library.issues_dir.glob("*.md"))[:3]
    for path in victims:
        path.unlink()
    report = seeded_library.import_paths(seed_paths)
    assert all(r.status == "unchanged" for r in report.results)
    assert any("3 missing issue files" in note for note in report.notes)
    assert _md_names(seeded_library) == _expected_names(seeded_library)


def test_hostile_file_names_are_escaped_in_import_lines(capsys, data_dir, tmp_path, seed_paths):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile = folder / "issue\x1b[2J\x07\u202e.html"
    hostile.write_bytes(seed_paths[0].read_bytes())
    broken = folder / "bad\x1b]52;c;aGk=\x07.txt"
    broken.write_bytes(b"\x00\x01 not an issue")
    code = main(["--data-dir", str(data_dir), "import", str(folder)])
    out, err = capsys.readouterr()
    assert code == 1
    for text in (out, err):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "\\x1b[2J" in out and "\\u202e" in out
    assert "\\x1b]52" in err


@pytest.mark.parametrize("command", ["import", "rebuild"])
def test_cli_writers_wait_with_a_message(capsys, data_dir, seed_paths, command):
    Library(data_dir).import_paths(seed_paths[:1])
    args = ["--data-dir", str(data_dir), command] + ([str(seed_paths[0])] if command == "import" else [])
    with writer_lock(data_dir):
        result: list[int] = []
        thread = threading.Thread(target=lambda: result.append(main(args)))
        thread.start()
        time.sleep(0.5)
    thread.join(timeout=120)
    assert result == [0]
    assert "another importai is writing the library" in capsys.readouterr().err


def test_one_long_name_does_not_pad_every_import_line(capsys, data_dir, tmp_path, seed_paths):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(seed_paths[0].read_bytes())
    (folder / ("x" * 150 + ".txt")).write_bytes(seed_paths[3].read_bytes())
    assert main(["--data-dir", str(data_dir), "import", str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    short = next(line for line in lines if "a.txt" in line)
    assert len(short) < 80 + len(str(folder))


def test_a_file_over_the_input_limit_is_refused_before_it_is_read(
    monkeypatch, data_dir, tmp_path, seed_paths
):
    monkeypatch.setenv("IMPORTAI_MAX_INPUT_MB", "0.01")  # 10,000 bytes
    big = tmp_path / "big.html"
    big.write_bytes(b"<p>" + b"x" * 20_000 + b"</p>")
    read: list[object] = []
    from importai_tui.library import importer

    real = importer.read_input
    monkeypatch.setattr(importer, "read_input", lambda p: read.append(p) or real(p))
    report = Library(data_dir).import_paths([big])
    (result,) = report.results
    assert result.status == "failed" and "input too large" in result.message
    assert read == []


def test_an_essay_item_of_the_newsletters_feed_is_imported_whole(data_dir):
    """A feed item from the newsletter's home with no number and no headlines is an
    essay issue (one section, every word), never refused."""
    paragraphs = [
        "This week I want to write about something other than papers.",
        "Policy moves slowly and technology moves quickly, and the gap keeps growing.",
        "What would it take for governments to measure the systems being built?",
    ]
    html = "".join(f"<p>{p}</p>" for p in paragraphs).encode()
    meta = {"number": None, "title": "A lecture on measuring AI", "date": "2019-06-03",
            "url": "https://jack-clark.net/2019/06/03/a-lecture-on-measuring-ai/"}
    (result,) = Library(data_dir).import_sources([(html, meta["url"], meta)]).results
    assert result.status == "imported", result.message
    (issue,) = Library(data_dir).list_issues()
    record = Library(data_dir).get_issue(issue.id)
    text = " ".join(record.markdown.split())
    assert all(p in text for p in paragraphs)


def test_an_import_run_is_freed_without_the_cycle_collector(monkeypatch, data_dir, seed_paths):
    """Every source's bytes and issues hang off the run: a reference cycle would keep
    them (tens of MB per rebuild) until a full collection."""
    import gc
    import weakref

    from importai_tui.library import importer

    runs: list[weakref.ref] = []
    real_init = importer.ImportRun.__init__

    def recording_init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        runs.append(weakref.ref(self))

    monkeypatch.setattr(importer.ImportRun, "__init__", recording_init)
    library = Library(data_dir)
    gc.disable()
    try:
        library.import_paths(seed_paths[:2])
        library.rebuild()
        assert runs and all(ref() is None for ref in runs)
    finally:
        gc.enable()
