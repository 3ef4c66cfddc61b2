"""The reader's own import rules: nothing but the factory imports ``tui.app``, the TUI never
opens SQLite itself, and the position model and pane titles are Textual-free."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import importai_tui

PACKAGE = Path(importai_tui.__file__).resolve().parent


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_only_the_factory_imports_the_app_module():
    importers = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "importai_tui.tui.app" in imported_modules(path)
    )
    assert importers == ["tui/factory.py"]


def test_the_reader_does_not_open_sqlite_itself():
    offenders = sorted(
        str(path.relative_to(PACKAGE))
        for path in (PACKAGE / "tui").rglob("*.py")
        if "sqlite3" in imported_modules(path)
    )
    assert offenders == []


def test_navigation_and_pane_titles_do_not_import_textual():
    code = (
        "import json, sys\n"
        "import importai_tui.tui.navigation, importai_tui.tui.pane_titles\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert not [name for name in loaded if name == "textual" or name.startswith("textual.")]
