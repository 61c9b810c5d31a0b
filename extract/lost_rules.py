"""Cells merged only because a scan lost the rule between them, split again (scanned pages).

A scan can lose a whole stretch of a faint vertical rule, from one junction to the next:
the grid then holds one cell over two columns, just as for a deliberately merged cell
(``image_lines`` cannot tell them apart from the lines alone). Their text tells them
apart. A merged cell holds one label, centred over its whole span; two cells hold two
labels, each centred over its own columns, with nothing across the column edge between
them (a header row read ``二级指标分值`` or ``分值指标解释`` otherwise, and the columns
under it lost their roles).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .model import BBox, Cell, Table
from .ocr.lines import cell_ink, ink_threshold

# No ink within this many points of the column edge (text keeps 1 pt from a rule; the
# stub of the lost rule itself, right on the edge, is ignored).
EDGE_CLEAR_PT = 1.0
# What is left of the lost rule: ink within this many points of the edge.
STUB_PT = 1.5
# Each part's ink is centred in its columns: its centre lies within this share of the
# part's width from the middle (left-aligned text in a merged cell is not).
CENTRE_SHARE = 0.12
# A part holds at least this many ink pixels (a speck is not a label).
MIN_INK_PX = 12


def _centred(cols: np.ndarray, lo: int, hi: int) -> bool:
    """Whether ink columns ``cols`` (sorted) are centred in [lo, hi)."""
    if cols.size == 0 or hi <= lo:
        return False
    middle = (int(cols[0]) + int(cols[-1]) + 1) / 2
    return abs(middle - (lo + hi) / 2) <= CENTRE_SHARE * (hi - lo)


def split_point(ink: np.ndarray, edges: list[int], pixels_per_point: float) -> int | None:
    """The local x of the first edge in ``edges`` at which ``ink`` (a cell's ink mask, its
    own rules blanked) splits into two labels each centred on its side, or None."""
    h, w = ink.shape
    stub = max(1, round(STUB_PT * pixels_per_point))
    clear = max(stub + 1, round((STUB_PT + EDGE_CLEAR_PT) * pixels_per_point))
    ink = ink.copy()
    ink[:, :stub + 1] = False  # remnants of the cell's own left and right rules
    ink[:, w - stub - 1:] = False
    for edge in edges:
        mask = ink.copy()
        mask[:, max(0, edge - stub) : edge + stub + 1] = False
        if mask[:, max(0, edge - clear) : edge + clear + 1].any():
            continue
        left, right = mask[:, :edge], mask[:, edge:]
        if left.sum() < MIN_INK_PX or right.sum() < MIN_INK_PX:
            continue
        left_cols = np.flatnonzero(left.any(axis=0))
        right_cols = np.flatnonzero(right.any(axis=0)) + edge
        if _centred(left_cols, 0, edge) and _centred(right_cols, edge, w):
            return edge
    return None


def _split_cell(cell: Cell, table: Table, image: np.ndarray, threshold: float,
                pixels_per_point: float) -> list[Cell]:
    if cell.colspan < 2 or len(table.col_edges) < cell.col + cell.colspan + 1:
        return [cell]
    ink = cell_ink(image, cell.bbox, threshold)
    if ink is None or not ink.ink.any():
        return [cell]
    inner = [table.col_edges[cell.col + k] for k in range(1, cell.colspan)]
    local = [round(e - ink.x0) for e in inner]
    edge = split_point(ink.ink, local, pixels_per_point)
    if edge is None:
        return [cell]
    k = local.index(edge) + 1
    x = inner[k - 1]
    b = cell.bbox
    left = replace(cell, colspan=k, bbox=BBox(b.x0, b.top, x, b.bottom))
    right = replace(cell, col=cell.col + k, colspan=cell.colspan - k, bbox=BBox(x, b.top, b.x1, b.bottom))
    return [left, *_split_cell(right, table, image, threshold, pixels_per_point)]


def split_lost_rules(tables: list[Table], image: np.ndarray, pixels_per_point: float) -> list[Table]:
    """``tables`` with every cell that is two cells joined by a lost vertical rule split."""
    if not any(c.colspan > 1 for t in tables for c in t.cells):
        return tables
    threshold = ink_threshold(image)
    out = []
    for table in tables:
        cells = [part for c in table.cells
                 for part in _split_cell(c, table, image, threshold, pixels_per_point)]
        out.append(table if len(cells) == len(table.cells) else
                   replace(table, cells=tuple(sorted(cells, key=lambda c: (c.row, c.col)))))
    return out
