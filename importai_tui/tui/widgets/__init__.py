"""The reader's widgets: issue list, section list, reading pane and find bar."""
