"""Subcommands of the ``importai`` CLI, one module per area (see ``cli.py``)."""
