"""Bad input: each case is reported in one line naming the file, the other files
are still imported, the exit code is 1, and no traceback is ever printed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from importai_tui.cli import main
from importai_tui.library import Library

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GOOD = SEEDS / "004_43f1e775ec95713e.txt"  # an HTML issue that always imports


def _one_text_issue() -> str:
    """The first issue of a text archive, as text."""
    text = (SEEDS / "001_a42ab760318425e2.txt").read_text(encoding="utf-8")
    start = text.index("Import AI 401:")
    return text[start : text.index("Import AI 400:")]


def import_with(capsys, data_dir: Path, *paths: Path) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), "import", *map(str, paths)])
    out, err = capsys.readouterr()
    return code, out, err


def assert_rejected(code: int, out: str, err: str, bad: Path, reason: str) -> None:
    """One error line naming ``bad`` with ``reason``; the good file imported."""
    assert code == 1
    assert "Traceback" not in err
    errors = err.splitlines()
    assert len(errors) == 1, err
    assert errors[0].startswith(f"importai: error: {bad}: ")
    assert reason.lower() in errors[0].lower(), errors[0]
    assert f"imported  {GOOD}" in out
    assert "1 failed" in out.splitlines()[-1]


def test_cp1252_text_archive_is_decoded(capsys, data_dir, tmp_path):
    text = _one_text_issue()
    assert "’" in text and "…" in text  # both have cp1252 bytes (0x92, 0x85)
    path = tmp_path / "cp1252.txt"
    path.write_bytes(text.encode("cp1252"))
    code, out, err = import_with(capsys, data_dir, path)
    assert code == 0, err
    markdown = Library(data_dir).get_issue("401").markdown
    assert "Palisade Research" in markdown and "’" in markdown


def test_latin1_text_archive_is_decoded(capsys, data_dir, tmp_path):
    text = _one_text_issue().replace("’", "'").replace("‘", "'").replace("–", "-")
    text = text.replace("“", '"').replace("”", '"').replace("…", "...")
    text = text.replace("Palisade Research", "Palisade Recherche café")
    path = tmp_path / "latin1.txt"
    # Characters latin-1 lacks (bullets…) become "?", as a latin-1 export would.
    path.write_bytes(text.encode("latin-1", errors="replace"))
    assert b"caf\xe9" in path.read_bytes()
    code, out, err = import_with(capsys, data_dir, path)
    assert code == 0, err
    assert "Recherche café" in Library(data_dir).get_issue("401").markdown


def test_empty_file_is_rejected(capsys, data_dir, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    code, out, err = import_with(capsys, data_dir, bad, GOOD)
    assert_rejected(code, out, err, bad, "empty")


def test_binary_file_is_rejected(capsys, data_dir, tmp_path):
    bad = tmp_path / "image.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    code, out, err = import_with(capsys, data_dir, bad, GOOD)
    assert_rejected(code, out, err, bad, "")
    assert Library(data_dir).list_issues()[0].sources == (GOOD.name,)


def test_html_page_that_is_not_an_issue_is_rejected(capsys, data_dir, tmp_path):
    bad = tmp_path / "page.html"
    bad.write_text(
        "<!doctype html><html><head><title>My blog</title></head><body>"
        "<h1>Cooking</h1><p>Today we bake <strong>bread</strong>.</p></body></html>",
        encoding="utf-8",
    )
    code, out, err = import_with(capsys, data_dir, bad, GOOD)
    assert_rejected(code, out, err, bad, "")
    assert len(Library(data_dir).list_issues()) == 1


def test_unreadable_file_in_a_folder_is_rejected(capsys, data_dir, tmp_path, monkeypatch):
    """chmod 000 the file; as root (where chmod does not block reading) the
    read is made to fail the way it would for a normal user, by patching the
    library's file reader for that one path."""
    folder = tmp_path / "folder"
    folder.mkdir()
    good = folder / GOOD.name
    good.write_bytes(GOOD.read_bytes())
    bad = folder / "locked.txt"
    bad.write_bytes(GOOD.read_bytes().replace(b"Welcome", b"Hello"))
    bad.chmod(0)
    if os.geteuid() == 0:
        from importai_tui.library import files

        real = files.read_input

        def read_input(path: Path) -> bytes:
            if Path(path) == bad:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)

        monkeypatch.setattr("importai_tui.library.importer.read_input", read_input)
    try:
        code, out, err = import_with(capsys, data_dir, folder)
    finally:
        bad.chmod(0o644)
    assert code == 1 and "Traceback" not in err
    assert err.splitlines() == [f"importai: error: {bad}: cannot read: permission denied"]
    assert f"imported  {good}" in out


def test_missing_path_is_rejected(capsys, data_dir, tmp_path):
    bad = tmp_path / "no-such-file.html"
    code, out, err = import_with(capsys, data_dir, bad, GOOD)
    assert_rejected(code, out, err, bad, "no such file")


def test_truncated_html_is_never_half_written(capsys, data_dir, tmp_path):
    """Cut mid-tag: either imported as far as it goes (complete, consistent
    records) or rejected (nothing written for it)."""
    data = GOOD.read_bytes()
    bad = tmp_path / "truncated.html"
    bad.write_bytes(data[: len(data) // 2] + b"<p><strong>Half a hea")
    other = SEEDS / "000_f46faf7d7fd2667a.txt"
    code = main(["--data-dir", str(data_dir), "import", str(other), str(bad)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    library = Library(data_dir)
    stored = {p.stem: p.read_text(encoding="utf-8") for p in library.issues_dir.glob("*.md")}
    issues = library.list_issues()
    assert stored == {i.id: library.get_issue(i.id).markdown for i in issues}
    if code == 1:
        assert err.startswith(f"importai: error: {bad}: ")
        assert [i.sources for i in issues] == [(other.name,)]
    else:
        assert f"imported  {bad}" in out
        truncated = next(i for i in issues if bad.name in i.sources)
        record = library.get_issue(truncated.id)
        assert record.sections and all(s.markdown.strip() for s in record.sections)
        assert "<strong" not in record.markdown and "Half a hea" in record.markdown


def test_fifo_is_rejected_as_not_a_regular_file(capsys, data_dir, tmp_path):
    """A FIFO (not a regular file) is rejected without blocking or a traceback."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    bad = tmp_path / "pipe"
    os.mkfifo(bad)
    code, out, err = import_with(capsys, data_dir, bad, GOOD)
    assert_rejected(code, out, err, bad, "not a regular file")
