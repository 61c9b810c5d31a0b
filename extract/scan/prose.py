"""Which cells of a scanned page hold prose (``--read scores``): a cell's ink measured in
characters, from its text lines' widths over their heights, before anything is read.

Explanations, scoring bases and long targets run to dozens of characters; names, numbers
and header labels to a few. A long indicator name also counts as prose here: it is read
later, once the form shows that its column holds names (``pipeline``)."""

from __future__ import annotations

import numpy as np

from ..model import BBox
from ..ocr.crops import MIN_LINE_HEIGHT_PX, cell_ink

# A cell whose ink amounts to this many characters or more is prose. Header labels run to
# 15 (评分依据、未达标原因、改进措施), amounts to 14 digits (7 characters' width); the
# explanations and bases of the sample forms to 20–120.
PROSE_MIN_CHARACTERS = 20.0


def ink_characters(image: np.ndarray, bbox: BBox, threshold: float) -> float:
    """The cell's ink as a number of characters: each text line's inked width over its
    height (a CJK character is about as wide as it is high), summed."""
    ink = cell_ink(image, bbox, threshold)
    if ink is None:
        return 0.0
    total = 0.0
    for a, b in ink.bands:
        if b - a < MIN_LINE_HEIGHT_PX:
            continue
        columns = np.flatnonzero(ink.ink[a:b].any(axis=0))
        if columns.size:
            total += (int(columns[-1]) - int(columns[0]) + 1) / (b - a)
    return total


def is_prose(image: np.ndarray, bbox: BBox, threshold: float) -> bool:
    return ink_characters(image, bbox, threshold) >= PROSE_MIN_CHARACTERS

