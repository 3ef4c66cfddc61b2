"""Startup: a cached library opens without the converter; an empty one is seeded in a worker."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from importai_tui.library import Library
from importai_tui.tui.messages import SeedFinished, SeedProgress
from importai_tui.tui.factory import create_app


def test_cached_library_opens_without_the_converter(seeded_library):
    """Run the app in a fresh interpreter and list the heavy modules it imported."""
    script = textwrap.dedent(
        f"""
        import asyncio, json, sys
        from pathlib import Path
        from importai_tui.library import Library
        from importai_tui.tui.factory import create_app

        async def main():
            app = create_app(Library(Path({str(seeded_library.root)!r})))
            async with app.run_test(size=(120, 40)) as pilot:
                await app.workers.wait_for_complete()
                await pilot.pause()
                shown = app.main.reader.source
            heavy = sorted(m for m in sys.modules
                           if m.split(".")[0] in ("markdownify", "bs4", "lxml", "feedparser"))
            print(json.dumps({{"heavy": heavy, "shown": shown}}))

        asyncio.run(main())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["heavy"] == []
    # One section is rendered, not the whole issue.
    first_issue = seeded_library.list_issues()[0]
    first_section = seeded_library.list_sections(first_issue.id)[0]
    assert report["shown"].startswith(first_section.markdown[:40])
    assert len(report["shown"]) < len(seeded_library.get_issue(first_issue.id).markdown) / 2


async def test_empty_library_is_seeded_in_a_worker_with_progress(tmp_path):
    library = Library(tmp_path / "data")
    assert library.is_empty()
    app = create_app(library, open_url=lambda url: None)
    seen: list[type] = []

    def hook(message) -> None:
        if isinstance(message, (SeedProgress, SeedFinished)):
            seen.append(type(message))

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        # The UI answers keys while the worker runs.
        await pilot.press("question_mark")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert SeedProgress in seen and seen[-1] is SeedFinished
        assert not app.main.has_class("-seeding")
        assert app.main.issue_list.option_count == len(library.list_issues()) > 0
        assert app.main.section is not None


def test_version_is_read_from_metadata_only_when_asked():
    """Importing the reader skips importlib.metadata; ``--version`` still prints it."""
    script = textwrap.dedent(
        """
        import json, sys
        import importai_tui
        from importai_tui.tui.factory import create_app
        loaded = "importlib.metadata" in sys.modules
        from importlib.metadata import version
        print(json.dumps({"loaded": loaded, "lazy": importai_tui.__version__,
                          "metadata": version("importai-tui")}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["loaded"] is False
    assert report["lazy"] == report["metadata"]
    shown = subprocess.run(
        [sys.executable, "-m", "importai_tui", "--version"],
        capture_output=True, text=True, timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == f"importai {report['metadata']}"
