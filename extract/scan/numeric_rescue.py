"""Numbers under a stamp: a cell of a numeric column whose reading is not a number, or
is nothing (the seal's ring through `2.2` left no line the recogniser would read), is
read again in line-high windows (a blank cell has no window with ink: no cost).

A seal stamped over a score in a grey scan fills the whole cell with ink, so the cell
splits into one tall text line and the recogniser reads the seal's characters
(`湖市天财雾专片` for `2.5` under `…教育局 财务专用章`). Read one line height at a time,
the window that holds only the digits reads them (`2.5` at 0.98), while the windows on
the seal's characters read Chinese. A number is taken only when a window reads it alone
and confidently, a neighbouring window sees the same digits, and no other window reads a
different number; otherwise the cell stays as read, and validation reports it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ..model import BBox, Cell
from ..ocr.base import CellRequest, CellText, OcrEngine
from ..ocr.crops import cell_ink, ink_threshold, median_line_height
from ..text.cleanup import looks_numeric
from ..text.numbers import parse_number, printed_decimals, restore_decimal_point

# A grid column is numeric when at least this share of its read cells (and at least
# NUMERIC_COLUMN_MIN_CELLS of them) are numbers: scores, maxima, amounts, rates.
NUMERIC_COLUMN_SHARE = 0.7
NUMERIC_COLUMN_MIN_CELLS = 3
# Window height as a multiple of the column's digit height, and the step between windows
# as a share of that height: the digits fit one window whole, with little above or below.
WINDOW_HEIGHT = 1.6
WINDOW_STEP = 1 / 3
# The window read as the number must be this confident, and other windows reading a
# different number at least CONFLICT_CONFIDENCE make the cell ambiguous.
MIN_CONFIDENCE = 0.95
CONFLICT_CONFIDENCE = 0.9
# The digit height is measured on this many of the column's number cells.
DIGIT_HEIGHT_SAMPLE = 12
# Windows holding fewer ink pixels than this are not read.
MIN_WINDOW_INK = 12
# Only readings less confident than this are read again: a seal read as text scored
# 0.72, while the headers of numeric columns (分值, 得分/自评分) read at 1.0 and would cost
# 0.2–2 s per page in windows for nothing.
MAX_TARGET_CONFIDENCE = 0.9

# A number read less confidently than this is read in windows too, and replaced only by
# a confident window reading (a seal's ring over `2.5` left `5` at 0.60; numbers clear of
# a seal read at 0.9 and more).
DOUBTFUL_NUMBER_CONFIDENCE = 0.8

_DIGITS = re.compile(r"\d")


def _digits(text: str) -> str:
    return "".join(_DIGITS.findall(text))


def _value(text: str, decimals: int) -> float | None:
    """The number ``text`` reads, its point put back when the column prints ``decimals``."""
    return parse_number(restore_decimal_point(text, decimals))


def _is_number(text: str) -> bool:
    return bool(text) and looks_numeric(text) and parse_number(text) is not None


def numeric_columns(cells: Sequence[Cell], readings: Sequence[CellText]) -> set[int]:
    """Columns (of single-column cells) whose readings are mostly numbers; the first row,
    a header on every page that repeats it, is not counted (on var_bonus's last page,
    `得分/自评分` over three scores kept the 得分 column below the share)."""
    counts: dict[int, list[int]] = {}
    for cell, reading in zip(cells, readings):
        if cell.colspan == 1 and cell.row > 0 and reading.text:
            seen = counts.setdefault(cell.col, [0, 0])
            seen[0] += 1
            seen[1] += _is_number(reading.text)
    return {
        col for col, (read, numbers) in counts.items()
        if read >= NUMERIC_COLUMN_MIN_CELLS and numbers >= NUMERIC_COLUMN_SHARE * read
    }  # fmt: skip


def digit_height(image: np.ndarray, boxes: Sequence[BBox], threshold: float) -> float | None:
    """Median height of the ink lines in ``boxes`` (cells read as numbers)."""
    return median_line_height(cell_ink(image, box, threshold) for box in boxes)


def windows(image: np.ndarray, box: BBox, height: float, threshold: float) -> list[BBox]:
    """Line-high boxes down ``box`` that hold some ink."""
    ink = cell_ink(image, box, threshold)
    if ink is None:
        return []
    win = max(4, round(WINDOW_HEIGHT * height))
    step = max(1, round(WINDOW_STEP * height))
    rows = ink.ink.sum(axis=1)
    top, bottom = ink.inner
    out = []
    for y in range(top, max(top + 1, bottom - win + 1), step):
        if int(rows[y : y + win].sum()) >= MIN_WINDOW_INK:
            out.append(BBox(box.x0, ink.y0 + y, box.x1, ink.y0 + min(y + win, bottom)))
    return out


def pick_number(readings: Sequence[CellText], decimals: int = 0) -> CellText | None:
    """The number read in a run of windows (top to bottom), or None when no window reads
    it confidently, no neighbour sees its digits, or another window reads another number:
    other digits, and another value even with the column's ``decimals`` put back where
    the point was lost (`50` beside `5` in a column of `5.0`s is the same number).
    Of the confident readings, one with a decimal point is taken."""
    numbers = [(i, r) for i, r in enumerate(readings) if _is_number(r.text)]
    if not numbers:
        return None
    confident = [(i, r) for i, r in numbers if r.confidence >= MIN_CONFIDENCE]
    if not confident:
        return None
    best_index, best = max(confident, key=lambda item: ("." in item[1].text, item[1].confidence))
    digits = _digits(best.text)

    def same(text: str) -> bool:
        # `25` beside `2.5`: the point lost in a window (the parser puts it back)
        return _digits(text) == digits or _value(text, decimals) == _value(best.text, decimals)

    if any(r.confidence >= CONFLICT_CONFIDENCE and not same(r.text) for _, r in numbers):
        return None
    neighbours = [readings[j] for j in (best_index - 1, best_index + 1) if 0 <= j < len(readings)]
    if not any(digits in _digits(r.text) for r in neighbours):
        return None
    return best


def rescue_numbers(image: np.ndarray, cells: Sequence[Cell], readings: Sequence[CellText],
                   engine: OcrEngine) -> dict[int, CellText]:
    """Readings recovered for cells of a numeric column that did not read as a number,
    by index into ``cells`` (``cells`` of one table, ``readings`` their first readings)."""
    columns = numeric_columns(cells, readings)
    targets = [
        i for i, (cell, r) in enumerate(zip(cells, readings))
        if cell.col in columns and cell.colspan == 1
        and (not r.text or r.confidence < (DOUBTFUL_NUMBER_CONFIDENCE if _is_number(r.text)
                                           else MAX_TARGET_CONFIDENCE))
    ]  # fmt: skip
    if not targets:
        return {}
    threshold = ink_threshold(image)
    # per target column, once: its digit height and how many decimals it prints
    numbers = {col: [(c, r) for c, r in zip(cells, readings) if c.col == col and _is_number(r.text)]
               for col in {cells[i].col for i in targets}}
    heights = {col: digit_height(image, [c.bbox for c, _ in found[:DIGIT_HEIGHT_SAMPLE]], threshold)
               for col, found in numbers.items()}
    decimals = {col: printed_decimals([r.text for _, r in found]) for col, found in numbers.items()}
    runs: list[tuple[int, list[BBox]]] = []
    for i in targets:
        height = heights[cells[i].col]
        if height is not None:
            runs.append((i, windows(image, cells[i].bbox, height, threshold)))
    requests = [CellRequest(box, numeric=True) for _, boxes in runs for box in boxes]
    results = iter(engine.read_cells(image, requests) if requests else [])
    recovered: dict[int, CellText] = {}
    for i, boxes in runs:
        found = pick_number([next(results) for _ in boxes], decimals[cells[i].col])
        if found is not None:
            recovered[i] = found
    return recovered
