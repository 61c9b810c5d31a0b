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


# A piece of a ruling line at the end of a line of text is read as a bar or bracket
# (`86个|`, `≥35公里[`, `」不低于12座`): a closing bracket cannot open a reading, an opening
# one cannot end it, and a corner bracket without its partner is no quotation.
_LEADING_CLOSER_RE = re.compile(r"^[」】\]]+")
_TRAILING_OPENER_RE = re.compile(r"(?:[「【\[]|(?<=[^\d\s])[|丨])+$")
_CORNER_PAIRS = (("「", "」"), ("【", "】"))


def _rule_marks_dropped(text: str) -> str:
    text = _TRAILING_OPENER_RE.sub("", _LEADING_CLOSER_RE.sub("", text))
    for opener, closer in _CORNER_PAIRS:
        if (opener in text) != (closer in text):
            text = text.replace(opener, "").replace(closer, "")
    return text


def repaired(result: CellText) -> CellText:
    """A reading with the misreadings that the text alone gives away repaired: 门 read as a
    closing bracket in 部门（单位）; bits of a ruling line read as brackets or bars."""
    text = _rule_marks_dropped(_BRACKET_FOR_MEN_RE.sub("部门", result.text))
    return result if text == result.text else replace(result, text=text)
