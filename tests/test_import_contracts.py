"""The import contracts in pyproject.toml hold, and they do catch a crossed layer.

import-linter reads the package's source, so each check runs on a copy of the
package in a temporary folder; the violation tests add one bad import to the
copy and expect the linter to fail.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

_LINT = (
    "import sys\n"
    "from importlinter.cli import lint_imports\n"
    "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True))\n"
)


def _copy_project(target: Path) -> Path:
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    shutil.copytree(
        ROOT / "importai_tui",
        target / "importai_tui",
        ignore=shutil.ignore_patterns("__pycache__", "seeds"),
    )
    return target


def _lint(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _LINT],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_package_keeps_its_import_contracts(tmp_path):
    result = _lint(_copy_project(tmp_path))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.parametrize(
    ("module", "bad_import", "contract"),
    [
        ("convert/render.py", "import importai_tui.library.store", "Imports point one way"),
        ("library/queries.py", "import importai_tui.fetch", "Imports point one way"),
        ("commands/search.py", "import importai_tui.tui.widgets.footer", "Imports point one way"),
        ("tui/screens/help.py", "import importai_tui.tui.app", "Nothing imports the Textual app"),
        ("state.py", "import textual.app", "never import Textual"),
    ],
)
def test_crossing_a_layer_breaks_a_contract(tmp_path, module, bad_import, contract):
    project = _copy_project(tmp_path)
    source = project / "importai_tui" / module
    source.write_text(source.read_text(encoding="utf-8") + f"\n{bad_import}\n", encoding="utf-8")
    result = _lint(project)
    assert result.returncode == 1, result.stdout[-2000:]
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken


def test_every_top_level_module_is_in_a_layer():
    """A new module or package must be placed in the layers, or no contract sees it."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        tomllib = pytest.importorskip("tomli")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    placed = {name.strip() for layer in layers for name in layer.split("|")}
    package = ROOT / "importai_tui"
    found = {
        f"importai_tui.{path.stem}"
        for path in package.iterdir()
        if (path.suffix == ".py" and path.stem not in ("__init__", "__main__"))
        or (path.is_dir() and (path / "__init__.py").exists())
    }
    assert found - placed == set()
