"""The reader's screens, one per module: main, help and links."""
