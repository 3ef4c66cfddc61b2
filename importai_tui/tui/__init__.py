"""The Textual reader: the only package of importai that imports textual.

Entry point: ``importai_tui.tui.app.create_app(library)``.
"""
