"""Readings of scanned cells repaired or dropped from the cell alone (no form knowledge).

Repairs that need the form (which column a cell is in, the lexicon, the row's 分值) are
made on the forms side (``forms.readings``)."""

from __future__ import annotations

import re
from dataclasses import replace

from ..ocr.base import CellText
from ..ocr.quality import is_degenerate

# OCR readings below this confidence are dropped as unreadable. Measured on the 200 dpi
# scanned samples (RapidOCR): correct cells scored >= 0.66, a stamp read as text 0.72 and
# legible-but-wrong names 0.90-0.98, so confidence only screens out the worst readings.
MIN_CELL_CONFIDENCE = 0.5


def is_readable(result: CellText) -> bool:
    """Whether an OCR reading is kept: confident enough and not degenerate (the same
    phrase repeated, mostly symbols). Dropped readings leave the cell empty (the raw text
    stays in the provenance) so that validation reports them instead of using garbage."""
    if not result.text:
        return True
    return result.confidence >= MIN_CELL_CONFIDENCE and not is_degenerate(result.text)


# 门 read as a closing bracket or a bar in 部门（单位）, the most frequent phrase of these
# forms (`部]（单位）`, `部」（`, `部1（`, `部[」（`), or its right stroke read as one more
# (`部门）（单位）`): before an opening bracket, a closing one cannot follow 部.
_BRACKET_FOR_MEN_RE = re.compile(r"部(?:[\[【]?[\]」】）〕]|[1lI|丨T]|门[\]」】）〕|丨])(?=[（(])")


def repaired(result: CellText) -> CellText:
    """A reading with the misreadings that the text alone gives away repaired: 门 read as a
    closing bracket in 部门（单位）."""
    text = _BRACKET_FOR_MEN_RE.sub("部门", result.text)
    return result if text == result.text else replace(result, text=text)
