"""The library subcommands of the ``importai`` CLI: import, list, show, rebuild."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from importai_tui.cli import main
from importai_tui.library import Library

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def cli_library(seeded_library, monkeypatch):
    """The seeded library, selected for ``main`` through the environment."""
    monkeypatch.setenv("IMPORTAI_DATA_DIR", str(seeded_library.root))
    return seeded_library


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", ["import", "list", "show", "rebuild"])
def test_every_subcommand_has_help(capsys, command):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert f"importai {command}" in capsys.readouterr().out


def test_import_prints_one_line_per_file_and_a_summary(capsys, data_dir, seed_paths):
    code, out, err = run(capsys, "--data-dir", str(data_dir), "import", *map(str, seed_paths))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == len(seed_paths) + 1
    for line, path in zip(lines, seed_paths):
        assert line.startswith("imported ") and str(path) in line
        assert line.endswith(("issues)", "issue)"))
    assert "(10 issues)" in lines[1]
    assert lines[-1].startswith("5 imported, 0 unchanged, 0 failed; 18 new issues")

    code, out, err = run(capsys, "--data-dir", str(data_dir), "import", str(SEEDS))
    assert code == 0
    assert out.splitlines()[:-1] == [f"unchanged {p}" for p in seed_paths]
    assert out.splitlines()[-1].startswith("0 imported, 5 unchanged, 0 failed")


def test_list_json_is_newest_first_with_the_documented_keys(capsys, cli_library):
    code, out, err = run(capsys, "list", "--json")
    assert code == 0 and err == ""
    items = json.loads(out)
    assert [i["id"] for i in items] == [s.id for s in cli_library.list_issues()]
    assert set(items[0]) == {"id", "number", "title", "date", "section_count", "sources"}
    first = items[0]
    assert (first["id"], first["number"]) == ("401", 401)
    assert first["sources"] == ["001_a42ab760318425e2.txt"]
    assert first["section_count"] == len(cli_library.get_issue("401").sections)


def test_list_table_is_aligned(capsys, cli_library):
    code, out, _ = run(capsys, "list")
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split() == ["ID", "DATE", "SECTIONS", "TITLE"]
    assert len(rows) == len(cli_library.list_issues())
    title_column = header.index("TITLE")
    assert rows[0].startswith("401 ")
    for row, summary in zip(rows, cli_library.list_issues()):
        assert row[title_column:] == " ".join(summary.title.split())


def test_list_on_a_fresh_install_shows_the_seeds(capsys, data_dir):
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "list", "--json")
    assert code == 0
    assert len(json.loads(out)) == 18


def test_show_issue_json(capsys, cli_library):
    code, out, _ = run(capsys, "show", "#396", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"id", "number", "title", "date", "sources", "markdown", "sections"}
    record = cli_library.get_issue("396")
    assert data["id"] == "396" and data["markdown"] == record.markdown
    assert [s["id"] for s in data["sections"]] == [s.id for s in record.sections]
    assert set(data["sections"][0]) == {"id", "title", "subtitle", "kind", "markdown", "links"}
    assert {s["kind"] for s in data["sections"]} <= {"intro", "story", "tale"}
    assert any(s["links"] for s in data["sections"])


def test_show_section_by_id_slug_or_position(capsys, cli_library):
    second = cli_library.get_issue("401").sections[1]
    outputs = []
    for key in (second.id, second.id.split("/", 1)[1], "2"):
        code, out, _ = run(capsys, "show", "401", key, "--json")
        assert code == 0
        outputs.append(json.loads(out))
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0]["issue_id"] == "401" and outputs[0]["id"] == second.id
    assert outputs[0]["markdown"] == second.markdown


def test_show_piped_prints_plain_markdown(capsys, cli_library):
    code, out, _ = run(capsys, "show", "401")
    assert code == 0
    assert out == cli_library.get_issue("401").markdown.rstrip("\n") + "\n"
    code, out, _ = run(capsys, "show", "401", "1")
    assert out.startswith("## ")


def test_show_on_a_terminal_renders_markdown_without_markup(capsys, tmp_path, monkeypatch):
    """Rich renders the Markdown; "[bold]" in newsletter text stays literal."""
    from importai_tui.commands import library as commands

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    commands._print_markdown('---\nid: "1"\n---\n\n# Title [bold]x[/bold]\n\nSome *text*.\n')
    out = capsys.readouterr().out
    assert "[bold]x[/bold]" in out
    assert 'id: "1"' not in out  # front matter is not shown on a terminal
    assert "# Title" not in out  # rendered, not printed raw


def test_show_unknown_issue_or_section_is_one_line_error(capsys, cli_library):
    code, out, err = run(capsys, "show", "9999")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "9999" in err
    code, out, err = run(capsys, "show", "401", "no-such-section")
    assert code == 1 and err.count("\n") == 1 and "no-such-section" in err
    code, out, err = run(capsys, "show", "401", "99")
    assert code == 1 and "99" in err


def test_rebuild_keeps_the_library(capsys, cli_library):
    before = [s.id for s in cli_library.list_issues()]
    code, out, err = run(capsys, "rebuild")
    assert code == 0, err
    assert out.splitlines()[-1] == f"the library now holds {len(before)} issues"
    assert sum(line.startswith("rebuilt ") for line in out.splitlines()) == 5
    assert [s.id for s in cli_library.list_issues()] == before


def test_damaged_index_is_one_line_error(capsys, cli_library):
    cli_library.index_path.write_bytes(b"not sqlite" * 50)
    code, out, err = run(capsys, "list")
    assert code == 1
    assert err.count("\n") == 1 and "damaged" in err and "Traceback" not in err
    code, out, err = run(capsys, "rebuild")
    assert code == 0, err
    assert "damaged index was moved" in err
    code, out, err = run(capsys, "list", "--json")
    assert code == 0 and len(json.loads(out)) == 18


def test_installed_console_script(tmp_path):
    script = shutil.which("importai", path=str(Path(sys.executable).parent))
    assert script, "the importai console script is not installed next to python"
    data = tmp_path / "data"
    env = {**os.environ, "IMPORTAI_DATA_DIR": str(tmp_path / "unused")}
    proc = subprocess.run(
        [script, "--data-dir", str(data), "list", "--json"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(json.loads(proc.stdout)) == 18
    assert (data / "library.sqlite3").is_file()
    assert not (tmp_path / "unused").exists()
    assert Library(data).get_issue("401") is not None


@pytest.mark.parametrize(
    "error",
    [
        pytest.param("convert", id="conversion"),
        pytest.param("sqlite", id="sqlite"),
    ],
)
def test_any_core_error_is_one_line_without_traceback(monkeypatch, capsys, tmp_path, error):
    """cli.main is the one place core errors become the error line."""
    import sqlite3

    from importai_tui import cli
    from importai_tui.convert.errors import ConversionError

    def failing(args):
        if error == "convert":
            raise ConversionError("x.html: not an Import AI issue\x1b[2J")
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(cli, "open_reader", failing)
    code = cli.main(["--data-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert len(err.splitlines()) == 1 and err.startswith("importai: error: ")
    assert "\x1b" not in err and "Traceback" not in err


def test_import_counts_distinct_issues_not_copies(capsys, data_dir):
    # seeds/002 holds issues 382-387, several of them twice (two copies merge).
    archive = SEEDS / "002_65f81c39ea0132c1.txt"
    code, out, err = run(capsys, "--data-dir", str(data_dir), "import", str(archive))
    assert code == 0, err
    assert out.splitlines()[0].split() == ["imported", str(archive), "(6", "issues)"]
    code, out, err = run(capsys, "--data-dir", str(data_dir), "rebuild")
    assert code == 0, err
    assert out.splitlines()[0].endswith("(6 issues)")


def test_list_says_undated_for_an_issue_without_a_date(capsys, cli_library):
    code, out, _ = run(capsys, "list")
    assert code == 0
    header, *rows = out.splitlines()
    date_column = header.index("DATE")
    dates = {row.split()[0]: row[date_column:].split()[0] for row in rows}
    undated = [s.id for s in cli_library.list_issues() if s.date is None]
    assert undated and all(dates[issue_id] == "undated" for issue_id in undated)
