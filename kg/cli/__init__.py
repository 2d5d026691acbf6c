"""The `kg` command: the top floor; nothing below imports it."""
