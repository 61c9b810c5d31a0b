"""Cells merged only because a scan lost the rule between them, split again (scanned pages).

A scan can lose a whole stretch of a faint vertical rule, from one junction to the next:
the grid then holds one cell over two columns, just as for a deliberately merged cell
(``lines`` cannot tell them apart from the lines alone). Their text tells them
apart. A merged cell holds one label, centred over its whole span; two cells hold two
labels, each centred over its own columns, with nothing across the column edge between
them (a header row read ``二级指标分值`` or ``分值指标解释`` otherwise, and the columns
under it lost their roles).

A lost horizontal rule is told the same way, across rows: a cell over three rows of the
三级 column holding three names, each centred on its own row, is three cells (read as
one, the three names came out as one garbled line and two rows lost their name and 分值).
Labels are centred vertically in their cells on these forms; a merged 二级 cell holds one
label centred on its whole span.
"""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from ..model import BBox, Cell, Table
from ..ocr.crops import cell_ink, ink_threshold
from .lines import LineSettings, line_masks

# No ink within this many points beyond the stub zone around the edge (text keeps 1 pt
# from a rule, and a text line across the edge inks both sides of the zone; 1.0 pt kept
# a prose cell set 2.5 pt from a lost rule at 150 dpi from being split).
EDGE_CLEAR_PT = 0.5
# What is left of the lost rule: ink within this many points of the edge.
STUB_PT = 1.5
# Each part's ink is centred in its columns: its centre lies within this share of the
# part's width from the middle (left-aligned text in a merged cell is not).
CENTRE_SHARE = 0.12
# A cell one row high (one column wide, for a row split) has each part's ink centred
# across it too, to this share of its height (labels are centred both ways; a prose line
# of a merged cell, cut where a full-width comma leaves a blank, was 11 % off).
ACROSS_SHARE = 0.06
# Either way, a centre this many pixels off is centred still (rounding, skew).
CENTRE_SLACK_PX = 3
# Ink smaller than this both ways is a speck, left out of the extents.
SPECK_PT = 3.0
# A part holds at least this many ink pixels (a speck is not a label).
MIN_INK_PX = 12


def _centred(cols: np.ndarray, lo: int, hi: int, share: float = CENTRE_SHARE) -> bool:
    """Whether ink columns ``cols`` (sorted) are centred in [lo, hi), to ``share`` of it."""
    if cols.size == 0 or hi <= lo:
        return False
    middle = (int(cols[0]) + int(cols[-1]) + 1) / 2
    return abs(middle - (lo + hi) / 2) <= max(CENTRE_SLACK_PX, share * (hi - lo))


def split_point(ink: np.ndarray, edges: list[int], pixels_per_point: float,
                across: bool = False) -> int | None:
    """The first of ``edges`` (local column indices of ``ink``, a cell's ink mask with its
    own rules blanked; pass the mask transposed for row edges) at which the ink splits
    into two labels each centred on its side (and ``across`` the cell, when it is one
    row high), or None."""
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
        if not (_centred(left_cols, 0, edge) and _centred(right_cols, edge, w)):
            continue
        if not across or (_centred(np.flatnonzero(left.any(axis=1)), 0, h, ACROSS_SHARE)
                          and _centred(np.flatnonzero(right.any(axis=1)), 0, h, ACROSS_SHARE)):
            return edge
    return None


def label_ink(ink: np.ndarray, pixels_per_point: float) -> np.ndarray:
    """``ink`` without long thin runs (``lines.line_masks``: a faint rule that the
    grid missed but the cell's ink threshold kept, lying across or beside the edge) and
    without specks (SPECK_PT both ways: a bit of a broken rule under a name moved its
    extent 15 px off centre)."""
    binary = ink.astype(np.uint8) * 255
    horizontal, vertical = line_masks(binary, LineSettings(pixels_per_point=pixels_per_point))
    rules = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))
    kept = (ink & (rules == 0)).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(kept, connectivity=8)
    speck = SPECK_PT * pixels_per_point
    small = (stats[:, cv2.CC_STAT_WIDTH] < speck) & (stats[:, cv2.CC_STAT_HEIGHT] < speck)
    small[0] = False
    return kept.astype(bool) & ~small[labels]


def _split_cell(cell: Cell, table: Table, image: np.ndarray, threshold: float,
                pixels_per_point: float, across_rows: bool) -> list[Cell]:
    """``cell`` split at each inner column edge (row edge when ``across_rows``) where a
    rule was lost (see split_point)."""
    first, span = (cell.row, cell.rowspan) if across_rows else (cell.col, cell.colspan)
    grid_edges = table.row_edges if across_rows else table.col_edges
    if span < 2 or len(grid_edges) < first + span + 1:
        return [cell]
    ink = cell_ink(image, cell.bbox, threshold)
    if ink is None or not ink.ink.any():
        return [cell]
    inner = [grid_edges[first + k] for k in range(1, span)]
    origin = ink.y0 if across_rows else ink.x0
    local = [round(e - origin) for e in inner]
    mask = label_ink(ink.ink, pixels_per_point)
    one_high = (cell.colspan if across_rows else cell.rowspan) == 1
    edge = split_point(mask.T if across_rows else mask, local, pixels_per_point, one_high)
    if edge is None:
        return [cell]
    k = local.index(edge) + 1
    at = inner[k - 1]
    b = cell.bbox
    if across_rows:
        head = replace(cell, rowspan=k, bbox=BBox(b.x0, b.top, b.x1, at))
        tail = replace(cell, row=cell.row + k, rowspan=span - k, bbox=BBox(b.x0, at, b.x1, b.bottom))
    else:
        head = replace(cell, colspan=k, bbox=BBox(b.x0, b.top, at, b.bottom))
        tail = replace(cell, col=cell.col + k, colspan=span - k, bbox=BBox(at, b.top, b.x1, b.bottom))
    return [head, *_split_cell(tail, table, image, threshold, pixels_per_point, across_rows)]


def split_lost_rules(tables: list[Table], image: np.ndarray, pixels_per_point: float) -> list[Table]:
    """``tables`` with every cell that is two or more cells joined by lost rules split:
    at lost vertical rules first, then each part at lost horizontal ones."""
    if not any(c.colspan > 1 or c.rowspan > 1 for t in tables for c in t.cells):
        return tables
    threshold = ink_threshold(image)
    out = []
    for table in tables:
        cells = [row_part for c in table.cells
                 for part in _split_cell(c, table, image, threshold, pixels_per_point, False)
                 for row_part in _split_cell(part, table, image, threshold, pixels_per_point, True)]
        out.append(table if len(cells) == len(table.cells) else
                   replace(table, cells=tuple(sorted(cells, key=lambda c: (c.row, c.col)))))
    return out
