"""The Textual reader: the only package of importai that imports textual.

Entry points: ``importai_tui.tui.factory.create_app(library)`` and ``run_reader()``.
"""
