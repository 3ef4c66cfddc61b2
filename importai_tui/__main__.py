"""Allow ``python -m importai_tui``."""

from __future__ import annotations

from importai_tui.cli import main

raise SystemExit(main())
