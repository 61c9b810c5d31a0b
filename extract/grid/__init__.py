"""Ruling lines → tables with merged cells (vector and image alike), rows, debug overlay."""
