"""Fill grid cells with text: each character goes to the cell that holds its centre."""

from __future__ import annotations

import bisect
from dataclasses import replace

from ..model import Cell, Table, Word
from ..text.normalize import join_cjk_lines, normalize_text

# A character whose vertical centre is within this share of its height from a line's
# centre belongs to that line (wrapped lines in forms are 1.1-1.5 heights apart).
LINE_TOLERANCE = 0.5
# Closing punctuation hangs past the end of a line: its ink sits in the left part of its
# box, which may straddle the cell's right border, so it is placed by that left part.
HANGING_PUNCTUATION = frozenset("，。、；：！？）》」』】〕”’…,.;:!?)")
HANGING_POINT = 0.2  # share of the box width from its left edge

# Latin/digit runs separated by more than this share of a character's height get a space.
WORD_GAP = 0.35


def _cell_index(table: Table) -> dict[tuple[int, int], Cell]:
    """Every elementary (row, col) position → the cell covering it."""
    index: dict[tuple[int, int], Cell] = {}
    for cell in table.cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                index[(r, c)] = cell
    return index


def _locate(edges: tuple[float, ...], value: float) -> int | None:
    i = bisect.bisect_right(edges, value) - 1
    if 0 <= i < len(edges) - 1:
        return i
    return None


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def words_to_text(words: list[Word]) -> str:
    """Order a cell's words into lines (top to bottom, left to right) and join them."""
    if not words:
        return ""
    words = sorted(words, key=lambda w: (w.bbox.top + w.bbox.bottom) / 2)
    lines: list[list[Word]] = []
    centres: list[float] = []
    for word in words:
        centre = (word.bbox.top + word.bbox.bottom) / 2
        height = max(word.bbox.height, 1.0)
        if lines and abs(centre - centres[-1]) <= LINE_TOLERANCE * height:
            lines[-1].append(word)
            n = len(lines[-1])
            centres[-1] += (centre - centres[-1]) / n
        else:
            lines.append([word])
            centres.append(centre)
    texts = []
    for line in lines:
        line.sort(key=lambda w: w.bbox.x0)
        parts = [line[0].text]
        for prev, word in zip(line, line[1:]):
            gap = word.bbox.x0 - prev.bbox.x1
            height = max(word.bbox.height, 1.0)
            if (
                gap > WORD_GAP * height
                and _is_ascii_word(prev.text[-1:])
                and _is_ascii_word(word.text[:1])
            ):
                parts.append(" ")
            parts.append(word.text)
        texts.append("".join(parts))
    return normalize_text(join_cjk_lines(texts))


def fill_cells(table: Table, words: list[Word]) -> tuple[Table, list[Word]]:
    """Assign words to the table's cells by their centres; returns the filled table and
    the words that fell outside it."""
    index = _cell_index(table)
    per_cell: dict[tuple[int, int], list[Word]] = {}
    outside: list[Word] = []
    for word in words:
        if word.text in HANGING_PUNCTUATION:
            cx = word.bbox.x0 + HANGING_POINT * word.bbox.width
        else:
            cx = (word.bbox.x0 + word.bbox.x1) / 2
        cy = (word.bbox.top + word.bbox.bottom) / 2
        r = _locate(table.row_edges, cy)
        c = _locate(table.col_edges, cx)
        cell = index.get((r, c)) if r is not None and c is not None else None
        if cell is None:
            outside.append(word)
            continue
        per_cell.setdefault((cell.row, cell.col), []).append(word)
    cells = []
    for cell in table.cells:
        cell_words = per_cell.get((cell.row, cell.col), [])
        if not cell_words:
            cells.append(cell)
            continue
        confidence = min(w.confidence for w in cell_words)
        cells.append(replace(cell, text=words_to_text(cell_words), confidence=confidence))
    return replace(table, cells=tuple(cells)), outside
