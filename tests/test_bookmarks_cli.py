"""``importai bookmarks``: driven through ``main([...])`` on a seeded temporary library."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from importai_tui.cli import main
from library_support import all_sections


@pytest.fixture
def run(seeded_library, capsys):
    """Run ``importai --data-dir <seeded> ARGS``; returns (exit code, stdout, stderr)."""

    def invoke(*args: str, data_dir: Path | None = None) -> tuple[int, str, str]:
        root = data_dir or seeded_library.root
        code = main(["--data-dir", str(root), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


@pytest.fixture
def issue(seeded_library):
    """A numbered issue with at least three sections."""
    for summary in seeded_library.list_issues():
        if summary.number is not None and summary.section_count >= 3:
            return seeded_library.get_issue(summary.id)
    pytest.fail("no numbered issue with three sections in the seeds")


def _json_list(run) -> list[dict]:
    code, out, _ = run("bookmarks", "list", "--json")
    assert code == 0
    document = json.loads(out)
    assert document["version"] == 1
    return document["bookmarks"]


def test_add_by_id_slug_and_position(run, issue):
    first, second, third = issue.sections[:3]
    assert run("bookmarks", "add", issue.id, first.id)[0] == 0
    slug = second.id.rsplit("/", 1)[1]
    code, _, err = run(
        "bookmarks", "add", f"#{issue.id}", slug, "--note", 'a, "b"\nc', "--tag", "x", "--tag", "y"
    )
    assert code == 0 and f"bookmarked {second.id}" in err
    assert run("bookmarks", "add", issue.id, "3")[0] == 0
    by_id = {b["section_id"]: b for b in _json_list(run)}
    assert set(by_id) == {first.id, second.id, third.id}
    stored = by_id[second.id]
    assert stored["note"] == 'a, "b"\nc'
    assert stored["tags"] == ["x", "y"]
    assert stored["issue_id"] == issue.id
    assert stored["issue_number"] == issue.summary.number
    assert stored["issue_title"] == issue.summary.title
    assert stored["section_title"] == second.title
    assert stored["section_subtitle"] == second.subtitle
    assert stored["links"] == list(second.links)

    # Adding again updates the note, keeps the tags and the creation date.
    code, _, err = run("bookmarks", "add", issue.id, slug, "--note", "new")
    assert code == 0 and "updated bookmark" in err
    again = {b["section_id"]: b for b in _json_list(run)}[second.id]
    assert again["note"] == "new" and again["tags"] == ["x", "y"]
    assert again["created_at"] == stored["created_at"]

    code, out, _ = run("bookmarks", "list")
    assert code == 0 and second.id in out and "#x #y" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (("999999", "1"), "no issue '999999' in the library"),
        (("{issue}", "no-such-section"), "has no section 'no-such-section'"),
        (("{issue}", "500"), "has no section '500'"),
    ],
)
def test_add_errors_are_one_line(run, issue, args, message):
    code, out, err = run("bookmarks", "add", *(a.format(issue=issue.id) for a in args))
    assert code == 1 and out == ""
    assert err.startswith("importai: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_remove_even_when_the_library_lost_the_section(run, issue, seeded_library):
    section = issue.sections[1]
    run("bookmarks", "add", issue.id, section.id)
    run("bookmarks", "add", issue.id, issue.sections[0].id)
    assert run("bookmarks", "remove", issue.id, "1")[0] == 0
    assert [b["section_id"] for b in _json_list(run)] == [section.id]
    # A rebuild that dropped everything: the bookmark is still removable by slug.
    seeded_library.index_path.unlink()
    code, _, err = run("bookmarks", "remove", issue.id, section.id.rsplit("/", 1)[1])
    assert code == 0 and f"removed bookmark {section.id}" in err
    assert _json_list(run) == []
    code, _, err = run("bookmarks", "remove", issue.id, "1")
    assert code == 1 and "no bookmark for section '1'" in err


def test_export_stdout_and_file_never_overwritten(run, issue, tmp_path):
    run("bookmarks", "add", issue.id, "2", "--note", "line one,\nline \"two\"")
    code, out, _ = run("bookmarks", "export", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert len(rows) == 1 and rows[0]["note"] == "line one,\nline \"two\""
    assert rows[0]["section_id"] == issue.sections[1].id

    target = tmp_path / "bookmarks.md"
    code, out, err = run("bookmarks", "export", "--format", "md", "-o", str(target))
    assert code == 0 and out == "" and str(target) in err
    written = target.read_text(encoding="utf-8")
    assert written.startswith("---\n") and issue.sections[1].title in written

    code, _, err = run("bookmarks", "export", "--format", "json", "-o", str(target))
    assert code == 1 and "exists; use --force" in err
    assert target.read_text(encoding="utf-8") == written
    code, _, _ = run("bookmarks", "export", "--format", "json", "-o", str(target), "--force")
    assert code == 0 and json.loads(target.read_text(encoding="utf-8"))["version"] == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_html_export_reports_bookmarks_without_url(run, seeded_library):
    with_url = without_url = None
    for section in all_sections(seeded_library):
        issue = seeded_library.get_issue(section.issue_id).summary
        has_url = bool(section.links) or bool(issue.url)
        if has_url and with_url is None:
            with_url = section
        if not has_url and without_url is None:
            without_url = section
    assert with_url is not None and without_url is not None
    for section in (with_url, without_url):
        assert run("bookmarks", "add", section.issue_id, section.id)[0] == 0
    code, out, err = run("bookmarks", "export", "--format", "html")
    assert code == 0
    assert out.startswith("<!DOCTYPE NETSCAPE-Bookmark-file-1>")
    assert out.count("<DT><A ") == 1
    assert "1 bookmark(s) left out of the HTML export" in err
    assert f"left out: {without_url.id}" in err


def test_import_round_trip_and_merge(run, issue, tmp_path):
    run("bookmarks", "add", issue.id, "1", "--note", "ü ñ 漢字 🙂", "--tag", "a")
    run("bookmarks", "add", issue.id, "2")
    exported = tmp_path / "export.json"
    assert run("bookmarks", "export", "--format", "json", "-o", str(exported))[0] == 0

    other = tmp_path / "other-data"
    code, _, err = run("bookmarks", "import", str(exported), data_dir=other)
    assert code == 0 and "2 added, 0 merged, 0 unchanged" in err
    code, out, _ = run("bookmarks", "export", "--format", "json", data_dir=other)
    assert out == exported.read_text(encoding="utf-8")
    code, _, err = run("bookmarks", "import", str(exported), data_dir=other)
    assert code == 0 and "0 added, 0 merged, 2 unchanged" in err


@pytest.mark.parametrize(
    "content, reason",
    [(b"\xff\xfe\x00garbage", "not UTF-8 text"), (b"[1, 2]", 'no "bookmarks" list')],
)
def test_import_bad_file(run, tmp_path, content, reason):
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    code, _, err = run("bookmarks", "import", str(bad))
    assert code == 1 and str(bad) in err and reason in err and err.count("\n") == 1


def test_damaged_store_one_line_and_kept(run, seeded_library, issue):
    path = seeded_library.root / "bookmarks.sqlite3"
    garbage = os.urandom(8192)
    path.write_bytes(garbage)
    for args in (("list",), ("add", issue.id, "1"), ("export", "--format", "json")):
        code, out, err = run("bookmarks", *args)
        assert code == 1 and out == ""
        assert err.count("\n") == 1 and "damaged" in err and str(path) in err
    assert path.read_bytes() == garbage


def test_installed_console_script(tmp_path):
    script = Path(sys.executable).with_name("importai")
    env = {**os.environ, "IMPORTAI_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        [str(script), "bookmarks", "list", "--json"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"version": 1, "bookmarks": []}
    assert not (tmp_path / "data").exists()  # listing creates nothing


@pytest.mark.parametrize("action", ["list", "add", "remove", "export", "import"])
def test_every_bookmarks_action_describes_itself_in_help(capsys, action):
    with pytest.raises(SystemExit) as done:
        main(["bookmarks", action, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    # argparse prints the description between the usage and the argument lists.
    description = out.split("\n\n")[1]
    assert description.strip() and not description.startswith(("positional", "options"))
    for line in out.splitlines():  # every positional argument says what it is
        if line.startswith("  ") and line.strip() in {"ISSUE", "SECTION", "FILE"}:
            pytest.fail(f"{line.strip()} has no help")


def _section_titled(library, start: str):
    for section in all_sections(library):
        if section.title.startswith(start):
            return section
    pytest.fail(f"no seed section titled {start!r}…")


def test_exports_point_at_the_read_more_link_not_an_older_issue(run, seeded_library):
    # The seeds' Prime Intellect story first links Import AI #393 (an older
    # issue), then "Read the blog"; the prima.cpp story first links its code,
    # then "Read the paper".
    intellect = _section_titled(seeded_library, "Prime Intellect launches")
    prima = _section_titled(seeded_library, "Wanna run DeepSeek-R1")
    assert "import-ai-393" in intellect.links[0] and "github.com" in prima.links[0]
    expected = {
        intellect.id: "https://www.primeintellect.ai/blog/intellect-2",
        prima.id: "https://arxiv.org/abs/2504.08791",
    }
    for section in (intellect, prima):
        assert run("bookmarks", "add", section.issue_id, section.id)[0] == 0
    code, out, _ = run("bookmarks", "export", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert {row["section_id"]: row["url"] for row in rows} == expected
    code, out, _ = run("bookmarks", "export", "--format", "html")
    assert code == 0
    for url in expected.values():
        assert f'HREF="{url}"' in out
    assert "jack-clark.net" not in out


def test_piped_list_keeps_long_titles_and_notes_whole(run, issue):
    section = max(issue.sections, key=lambda s: len(s.title))
    note = "a long note " * 12
    assert run("bookmarks", "add", issue.id, section.id, "--note", note)[0] == 0
    code, out, _ = run("bookmarks", "list")
    assert code == 0
    assert section.title in out and note.strip() in out and "…" not in out
