"""Labels cut by a page break, read again from their two halves joined (scanned pages).

An exporter splits a merged cell at a page break but draws its label centred in the
whole merged span, clipped to each page. A label that straddles the break is printed
half at the bottom of one page and half at the top of the next: read apart, neither half
is text (the top of a ``5`` reads as ``6``). Each scanned page keeps the strips of its
cells whose ink runs into the table's bottom or top border (``cut_strips``); once every
page is read, a bottom strip and a top strip in the same column of consecutive pages are
joined, aligned on their ink, and read as one cell (``mend_cut_labels``). The reading
goes to the upper piece and the lower piece is emptied (its raw reading kept), so the
hierarchy joins the two pieces as one block, as it does for exported forms.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..model import PAPER_PERCENTILE, BBox, Cell, Page, PageResult, Table
from ..ocr.base import CellRequest, OcrEngine
from ..ocr.crops import cell_ink, ink_threshold
from ..text.normalize import match_key, normalize_text
from .readings import is_readable, repaired

# Ink within this many pixels of a cell's border line runs into it (text is set at least
# 1 pt, 2–4 px, away from the rules; a clipped glyph touches them).
TOUCH_PX = 2
# Two strips are in the same column when their x-ranges (from the table's left edge)
# overlap by this share of the narrower one.
MIN_COLUMN_OVERLAP = 0.8
# Strokes crossing the break are matched over this many ink rows next to it, within
# this many pixels of sideways shift (the two pages' grids line up to a few pixels).
EDGE_ROWS = 3
MAX_SHIFT_PX = 10
# Neither half may hold more than this share of the joined line's height: a whole line
# of text with a speck or a rule remnant across the break is not a cut label.
MAX_HALF_SHARE = 0.8


@dataclass(frozen=True)
class CutStrip:
    """The part of a cell next to the page break: from the cell's far edge to the end of
    its cut ink (upper piece) or from the start of its cut ink to its far edge (lower)."""

    table: int  # index in the page's tables
    cell: int  # index in the table's cells
    edge: str  # "bottom" (the upper piece, at the end of a page) or "top"
    x0: float  # the cell's x-range from the table's left edge
    x1: float
    image: np.ndarray  # grey, rules blanked
    edge_ink: np.ndarray  # ink per column in the EDGE_ROWS rows next to the break
    ink_rows: int  # height of the cut line's ink on this page
    ink_level: float  # the page's ink threshold (a strip alone is mostly paper)


@dataclass
class ScanResult(PageResult):
    """A scanned page's result with the strips of its cells that may hold half of a label
    cut by a page break (mended once every page is read)."""

    cut_strips: tuple[CutStrip, ...] = ()
    image: np.ndarray | None = None  # the straightened page the tables' boxes refer to
    scan: Any = None  # the analysed page (a ScanPage) while cells of it are left to read


def has_cut_strips(results: list[PageResult]) -> bool:
    return any(isinstance(r, ScanResult) and r.cut_strips for r in results)


def _touching(tables: list[Table], table: int, index: int, image: np.ndarray, threshold: float,
              edge: str) -> CutStrip | None:
    """The strip of cell ``index`` of ``tables[table]`` when its ink runs into its ``edge``."""
    cell = tables[table].cells[index]
    ink = cell_ink(image, cell.bbox, threshold)
    if ink is None or not ink.bands:
        return None
    first, end = ink.inner
    if edge == "bottom":
        a, b = ink.bands[-1]
        if b < end - TOUCH_PX:
            return None
        strip, near = ink.grey[:b], ink.ink[max(a, b - EDGE_ROWS) : b]
    else:
        a, b = ink.bands[0]
        if a > first + TOUCH_PX:
            return None
        strip, near = ink.grey[a:], ink.ink[a : min(b, a + EDGE_ROWS)]
    left = tables[table].bbox.x0
    return CutStrip(table, index, edge, cell.bbox.x0 - left, cell.bbox.x1 - left, strip,
                    near.sum(axis=0).astype(np.float32), b - a, threshold)


def cut_strips(image: np.ndarray, tables: list[Table]) -> list[CutStrip]:
    """Strips of the cells that may hold half a label: cells along the bottom of the
    page's last table whose ink runs into its bottom border, and cells of the first table
    whose ink runs into their top border."""
    if not tables:
        return []
    threshold = ink_threshold(image)
    last = len(tables) - 1
    candidates = [(last, i, "bottom") for i, cell in enumerate(tables[last].cells)
                  if cell.row + cell.rowspan == tables[last].n_rows]
    candidates += [(0, i, "top") for i in range(len(tables[0].cells))]
    strips = [_touching(tables, t, i, image, threshold, edge) for t, i, edge in candidates]
    return [s for s in strips if s is not None]


def stroke_shift(upper: np.ndarray, lower: np.ndarray) -> int:
    """Sideways shift of the lower half that best continues the upper half's strokes
    across the break (correlation of the ink next to it)."""
    width = max(upper.size, lower.size) + 2 * MAX_SHIFT_PX
    up = np.zeros(width, np.float32)
    up[MAX_SHIFT_PX : MAX_SHIFT_PX + upper.size] = upper
    best, best_score = 0, 0.0
    for shift in range(-MAX_SHIFT_PX, MAX_SHIFT_PX + 1):
        start = MAX_SHIFT_PX + shift
        score = float(np.dot(up[start : start + lower.size], lower))
        if score > best_score or (score == best_score and abs(shift) < abs(best)):
            best, best_score = shift, score
    return best


def join_strips(upper: CutStrip, lower: CutStrip) -> np.ndarray:
    """The two halves of a label as one image, the lower one shifted to continue the
    upper one's strokes."""
    shift = stroke_shift(upper.edge_ink, lower.edge_ink)
    bottom = np.roll(lower.image, shift, axis=1)
    width = max(upper.image.shape[1], bottom.shape[1])
    paper = int(np.percentile(upper.image, PAPER_PERCENTILE))

    def padded(part: np.ndarray) -> np.ndarray:
        out = np.full((part.shape[0], width), paper, dtype=part.dtype)
        out[:, : part.shape[1]] = part
        return out

    return np.vstack([padded(upper.image), padded(bottom)])


def halves(upper: CutStrip, lower: CutStrip) -> bool:
    """Whether two strips can be the halves of one label: the same column, and each
    holding a part of the line, not all of it."""
    overlap = min(upper.x1, lower.x1) - max(upper.x0, lower.x0)
    if overlap < MIN_COLUMN_OVERLAP * min(upper.x1 - upper.x0, lower.x1 - lower.x0):
        return False
    line = upper.ink_rows + lower.ink_rows
    return max(upper.ink_rows, lower.ink_rows) <= MAX_HALF_SHARE * line


def _set_cell(page: Page, table: int, index: int, cell: Cell) -> Page:
    tables = list(page.tables)
    cells = list(tables[table].cells)
    cells[index] = cell
    tables[table] = replace(tables[table], cells=tuple(cells))
    return replace(page, tables=tuple(tables))


def _completes(joined: str, lower: str) -> bool:
    """Whether the joined reading is the lower piece's reading with the cut line put in
    front of it: the lower piece held whole lines below the cut one (``指标`` under the
    cut ``可持续影响``), read confidently, so its confidence says nothing of the cut line."""
    whole, tail = match_key(joined), match_key(lower)
    return bool(tail) and len(whole) > len(tail) and whole.endswith(tail)


def mend_cut_labels(results: list[PageResult], engine: OcrEngine) -> list[PageResult]:
    """Pages with every label cut by a page break read from its joined halves. A joined
    reading replaces the pieces only when it is readable and more confident than both."""
    out = list(results)
    for n in range(len(out) - 1):
        upper_page, lower_page = out[n], out[n + 1]
        if not isinstance(upper_page, ScanResult) or not isinstance(lower_page, ScanResult):
            continue
        uppers = [s for s in upper_page.cut_strips if s.edge == "bottom"]
        lowers = [s for s in lower_page.cut_strips if s.edge == "top"]
        for upper in uppers:
            lower = next((s for s in lowers if halves(upper, s)), None)
            if lower is None:
                continue
            joined = join_strips(upper, lower)
            h, w = joined.shape
            level = (upper.ink_level + lower.ink_level) / 2
            reading = repaired(engine.read_cells(joined, [CellRequest(BBox(0, 0, w, h))], level)[0])
            a = upper_page.page.tables[upper.table].cells[upper.cell]
            b = lower_page.page.tables[lower.table].cells[lower.cell]
            if not reading.text or not is_readable(reading):
                continue
            if not _completes(reading.text, b.text) and reading.confidence <= max(
                a.confidence if a.raw_text else 0.0, b.confidence if b.raw_text else 0.0
            ):
                continue
            mended = replace(a, text=normalize_text(reading.text), raw_text=reading.text,
                             confidence=reading.confidence)
            emptied = replace(b, text="")
            upper_page = replace(upper_page, page=_set_cell(upper_page.page, upper.table, upper.cell, mended))
            lower_page = replace(lower_page, page=_set_cell(lower_page.page, lower.table, lower.cell, emptied))
            lowers.remove(lower)
        out[n], out[n + 1] = upper_page, lower_page
    return out
