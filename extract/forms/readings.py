"""OCR readings repaired with what the form knows, one step between the sections and the
indicator tree: the parser reads the texts this step gives and never asks how a cell was
read. Cells from a text layer pass through unchanged.

What the form adds to a reading of the cell alone:
- the column: a 分值/得分 cell is a number (``5.0)`` → ``5.0``, ``1.0公用经费…`` → ``1.0``
  when the rule between two cells was lost); a 一级/二级 name that is mostly not Chinese is
  noise (``RT A TI`` in a tall merged cell, half a label cut by a page break);
- the column's printed decimals: an integer read without its point gets it back
  (``20`` → ``2.0``);
- the row's 分值: a score above it that fits below once the column's decimals are put
  back lost its point;
- the lexicon of the layout: a name close enough to an entry is snapped to it;
- the row and the form: a 三级 name is voted on by its other readings in the row and by
  the form's own character pairs (``consensus``).

The raw reading stays in the cell (``raw_text``) and goes to the provenance.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..grid.rows import GridRow
from ..model import NOT_READ, TEXT_LAYER, Cell
from ..text.cleanup import clean_name, clean_numeric
from ..text.normalize import is_cjk, normalize_text
from ..text.numbers import (
    column_decimals,
    parse_number,
    printed_decimals,
    restore_decimal_point,
    restore_point_below,
)
from .consensus import FormPrior, vote_name
from .hierarchy import Block
from .layouts import Layout
from .matching import snap
from .sections import MAX_ROLE_OF, Section

# OCR'd 一级/二级 names with less than this share of Chinese characters are noise.
MIN_CJK_SHARE = 0.5
# Other columns of a row that repeat its 三级 name (the target, the scoring basis).
NAME_ECHO_ROLES = ("target", "actual", "explanation", "basis")
# ≥ read as V in a short value cell (`V2` for `≥2`): a target or an actual that starts
# with V and a number is a comparison.
GEQ_READ_AS_V = re.compile(r"^[Vv](?=\s*\d)")
VALUE_ROLES = ("target", "actual")
LEADING_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?%?)\s*(?=[^\d\s.,%])")


@dataclass(frozen=True)
class LevelReading:
    """A data row's 一级 or 二级 cells as read: the name and the 分值 text."""

    name: str
    max_text: str


@dataclass(frozen=True)
class RowReading:
    """The texts the parser takes from one data row, OCR misreadings repaired."""

    indicator: str  # the 三级 name, a weight written in it kept (``资产管理（4分）``)
    max_score: float | None  # its 分值 cell, else the weight written in its name
    score_text: str
    levels: dict[str, LevelReading]  # "level1", "level2"


def _by_ocr(cell: Cell | None) -> bool:
    return cell is not None and cell.source != TEXT_LAYER


def level_name(cell: Cell | None) -> str:
    """A 一级/二级 cell's name; an OCR reading that is mostly not Chinese (``Mt``,
    ``RT A TI``: noise in a tall merged cell; ``化/l + y Iett 4.``: half a label cut by a
    page break) counts as no label."""
    if cell is None:
        return ""
    if _by_ocr(cell):
        letters = [ch for ch in cell.text if ch.isalnum()]
        if not letters or sum(map(is_cjk, letters)) < MIN_CJK_SHARE * len(letters):
            return ""
    return cell.text


def text_of(role: str, cell: Cell | None) -> str:
    """A text cell's reading; an OCR'd target or actual with its ≥ read as V given back."""
    if cell is None:
        return ""
    if role in VALUE_ROLES and _by_ocr(cell):
        return GEQ_READ_AS_V.sub("≥", cell.text)
    return cell.text


def grade_text(cell: Cell, text: str) -> str:
    """A printed grade (优, 良好): a word, so an OCR'd one keeps its letters only (a speck
    read as `.` beside 优)."""
    if not _by_ocr(cell):
        return text
    return "".join(ch for ch in text if unicodedata.category(ch).startswith("L"))


def number_text(cell: Cell | None) -> str:
    """A 分值/得分 cell's text, OCR confusions repaired (``5.0)`` → ``5.0``, ``1.()`` → ``1.0``)."""
    if cell is None:
        return ""
    return clean_numeric(cell.text) if _by_ocr(cell) and cell.text else cell.text


def leading_number(text: str) -> str:
    """An OCR'd 分值/得分 cell that ran into its neighbour when the ruling line between
    them was lost (``1.0公用经费控制率为91.6%。``): the number it starts with."""
    if parse_number(text) is not None:
        return text
    match = LEADING_NUMBER.match(text)
    return match.group(1) if match else text


def column_numbers(cells: list[Cell | None]) -> list[str]:
    """Texts of a numeric column; OCR'd integers lacking the column's decimal point get it
    back."""
    texts = [leading_number(number_text(c)) if _by_ocr(c) else number_text(c) for c in cells]
    decimals = column_decimals(texts)
    return [restore_decimal_point(t, decimals) if _by_ocr(c) else t for c, t in zip(cells, texts)]


def snap_name(text: str, role: str, layout: Layout) -> str:
    """An OCR'd name cleaned and snapped to the lexicon, a weight written in it
    (``资产管理（4分）``) kept: the name alone is snapped, or the weight would be lost."""
    text = clean_name(text)
    match = layout.weight_in_name.search(text)
    head, tail = (text[: match.start()], text[match.start():]) if match else (text, "")
    return snap(head, layout.lexicon_for(role), layout.snap_threshold) + tail


def leaf_name(section: Section, row: GridRow, layout: Layout, prior: FormPrior) -> str:
    """A leaf's name. An OCR'd name is snapped to the lexicon, or else corrected by its
    other readings in the same row's texts (targets and bases repeat the name) and by
    ``prior``, the form's own texts."""
    cell = section.cell(row, "indicator")
    if cell is None or not _by_ocr(cell):
        return cell.text if cell is not None else ""
    name = snap_name(cell.text, "indicator", layout)
    if name in layout.lexicon_for("indicator"):
        return name
    others = [_echo(section.cell(row, r)) for r in NAME_ECHO_ROLES]
    return vote_name(name, [t for t in others if t], prior)


def _echo(cell: Cell | None) -> str:
    """A cell's text as a reading of names: a cell left unread (``--read scores``)
    offers its witness reading, kept as its raw text (or nothing)."""
    if cell is None:
        return ""
    return normalize_text(cell.raw_text) if cell.source == NOT_READ else cell.text


def block_name(block: Block, role: str, layout: Layout) -> str:
    """A resolved 一级/二级 block's name; an OCR'd one snapped to the lexicon. Blocks are
    snapped once joined across page breaks: a label split by a break is whole only then."""
    if not _by_ocr(block.name_cell):
        return block.name
    return snap_name(block.name, role, layout)


def leaf_maximum(max_text: str, name: str, layout: Layout) -> float | None:
    """A leaf's 分值: its 分值 cell, or else a weight written in its name."""
    value = parse_number(max_text)
    return value if value is not None else layout.split_weight(name)[1]


def read_rows(data: list[tuple[Section, GridRow]], sections: list[Section],
              layout: Layout) -> list[RowReading]:
    """The repaired readings of the indicator table's data rows, in order."""
    # every cell once: a merged cell sits in each row it spans
    unique = {id(cell): cell for section in sections for row in section.rows for cell in row.cells}
    prior = FormPrior.of(_echo(cell) for cell in unique.values())
    names = [leaf_name(section, row, layout, prior) for section, row in data]
    max_texts = column_numbers([section.cell(row, "max_score") for section, row in data])
    score_cells = [section.cell(row, "score") for section, row in data]
    maxima = [leaf_maximum(text, name, layout) for text, name in zip(max_texts, names)]
    score_texts = column_numbers(score_cells)
    decimals = printed_decimals(score_texts)
    score_texts = [
        restore_point_below(text, decimals, ceiling) if _by_ocr(cell) else text
        for text, ceiling, cell in zip(score_texts, maxima, score_cells)
    ]
    out = []
    for (section, row), name, maximum, score_text in zip(data, names, maxima, score_texts):
        levels = {
            level: LevelReading(level_name(section.cell(row, level)),
                                number_text(section.cell(row, MAX_ROLE_OF[level])))
            for level in ("level1", "level2")
        }
        out.append(RowReading(name, maximum, score_text, levels))
    return out
