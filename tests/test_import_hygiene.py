"""The core never imports Textual (harlequin style: checked in a fresh interpreter)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CORE_MODULES = [
    "importai_tui.convert",
    "importai_tui.library",
    "importai_tui.search",
    "importai_tui.bookmarks",
    "importai_tui.state",
    "importai_tui.crossref",
    "importai_tui.fetch",
    "importai_tui.paths",
    "importai_tui.cli",
]


def _imported_after(modules: list[str]) -> list[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module):
    loaded = _imported_after([module])
    assert module in loaded
    assert not [name for name in loaded if name == "textual" or name.startswith("textual.")]


def test_reading_the_cache_does_not_import_the_converter_parsers():
    loaded = _imported_after(["importai_tui.library", "importai_tui.state", "importai_tui.crossref"])
    heavy = [name for name in loaded if name.split(".")[0] in ("markdownify", "bs4")]
    assert heavy == []


def test_building_the_cli_parser_imports_no_network_or_textual_code():
    """``importai`` builds its parser before opening the reader: it must stay light."""
    code = (
        "import json, sys\n"
        "from importai_tui.cli import build_parser\n"
        "build_parser().parse_args([])\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    heavy = [
        name for name in loaded
        if name in ("importai_tui.fetch", "http.client", "urllib.request", "importlib.metadata")
        or name.split(".")[0] in ("textual", "feedparser", "markdownify", "bs4")
    ]
    assert heavy == []
