"""Fixtures for the reader's tests: an app on a copy of the seeded library."""

from __future__ import annotations

import asyncio
import inspect

import pytest

from importai_tui.tui.factory import create_app


@pytest.fixture
def opened_urls() -> list[str]:
    """URLs the app asked to open in a browser (instead of opening them)."""
    return []


@pytest.fixture
def make_app(seeded_library, opened_urls):
    """Build the reader on the seeded library; ``make_app(**options)``."""

    def build(library=None, **options):
        options.setdefault("open_url", opened_urls.append)
        return create_app(library or seeded_library, **options)

    return build


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests in a fresh event loop (no asyncio plugin needed)."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        names = pyfuncitem._fixtureinfo.argnames
        asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
        return True
    return None
