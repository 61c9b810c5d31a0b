"""一级/二级 blocks of the indicator table, joined again where page breaks split them.

A merged 一级 or 二级 cell that runs over a page break becomes two pieces, one on each
page. The exporter centres its label on the whole range, so the label is printed on
one piece only, or wrapped and split between both (``文化市场综合执法`` | ``经费``).
Pieces on either side of a break, in one section, are joined when:
- they carry the same name (labels repeated on every page), or
- the later piece is blank (the label was printed before the break), unless the earlier
  block is already complete: its children's 分值 add up to its own 分值, so the blank
  piece is a new block whose label is printed after the *next* break, or
- the earlier piece is blank (the label is printed after the break), or
- both carry different text but only one of them carries the 分值 (in its cell or in
  its name), or, without 分值, only both texts together make a name of the lexicon
  (``社会效益指`` | ``标``): a wrapped label split by the break, joined as earlier +
  later text (again unless already complete).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..model import Cell
from ..text.normalize import match_key
from ..text.numbers import PLACEHOLDER_RE, parse_number
from .matching import similarity

# Names at least this similar are one name read twice (OCR may differ by a character).
SAME_NAME = 0.85
# Children's maxima within this of the parent's maximum make the parent complete.
SUM_TOLERANCE = 0.001


@dataclass(frozen=True)
class LevelCells:
    """One data row's cells of one level: the name cell and the 分值 cell."""

    page: int
    section: int
    name_key: object | None
    name: str
    name_cell: Cell | None
    max_key: object | None
    max_text: str
    max_cell: Cell | None


@dataclass
class Block:
    """A resolved 一级 or 二级 block: its label, its 分值 and the data rows it covers."""

    name: str
    name_cell: Cell | None
    max_text: str
    max_cell: Cell | None
    first_page: int
    last_page: int
    section: int
    rows: list[int] = field(default_factory=list)

    @property
    def labelled(self) -> bool:
        """A name, or a 分值 that reads as a number or a placeholder: the bottom of a 分值
        cut by a page break, read alone, is neither (`4J` for the lower half of `45`)."""
        return bool(self.name) or bool(self.max_text) and (
            parse_number(self.max_text) is not None or bool(PLACEHOLDER_RE.fullmatch(self.max_text.strip()))
        )


def _pieces(cells: list[LevelCells]) -> list[Block]:
    """Consecutive rows covered by the same physical name cell (or 分值 cell)."""
    pieces: list[Block] = []
    last_key: object | None = None
    for index, c in enumerate(cells):
        key = c.name_key if c.name_key is not None else c.max_key
        if pieces and key is not None and key == last_key:
            piece = pieces[-1]
            piece.rows.append(index)
            piece.last_page = c.page
            if not piece.max_text and c.max_text:
                piece.max_text, piece.max_cell = c.max_text, c.max_cell
            continue
        pieces.append(
            Block(c.name, c.name_cell, c.max_text, c.max_cell, c.page, c.page, c.section, [index])
        )
        last_key = key
    return pieces


def _split_merged(
    pieces: list[Block], cells: list[LevelCells], split_name: Callable[[str, int], list[str] | None]
) -> list[Block]:
    """A name cell that covers several 分值 cells lost the ruling line between two
    blocks (a broken line in a scan). When its text is those blocks' names run together
    (``资金管理采购管理``), split it back into one block per 分值 cell."""
    out: list[Block] = []
    for piece in pieces:
        runs: list[list[int]] = []
        for index in piece.rows:
            key = cells[index].max_key
            if runs and key is not None and cells[runs[-1][-1]].max_key == key:
                runs[-1].append(index)
            else:
                runs.append([index])
        texts = [next((cells[i].max_text for i in r if cells[i].max_text), "") for r in runs]
        names = split_name(piece.name, len(runs)) if len(runs) > 1 and all(texts) else None
        if not names:
            out.append(piece)
            continue
        for name, rows, text in zip(names, runs, texts):
            first, last = cells[rows[0]], cells[rows[-1]]
            max_cell = next((cells[i].max_cell for i in rows if cells[i].max_text), None)
            out.append(Block(name, piece.name_cell, text, max_cell, first.page, last.page, first.section, rows))
    return out


def _join_kind(prev: Block, piece: Block, complete: bool, known: Callable[[str], bool],
               weight_in_name: Callable[[str], float | None]) -> str:
    """How ``piece`` continues ``prev``: "same", "fill" (take piece's label), "keep"
    (keep prev's label), "concat" (split label) or "" (a new block)."""
    if prev.section != piece.section or prev.last_page == piece.first_page:
        return ""
    if prev.name and similarity(match_key(prev.name), match_key(piece.name)) >= SAME_NAME:
        return "same"
    if not piece.labelled:
        return "" if complete else "keep"
    if not prev.labelled:
        return "fill"

    def weighted(block: Block) -> bool:  # a 分值 in its cell or written in its name
        return bool(block.max_text) or weight_in_name(block.name) is not None

    # a label split by the break: one half carries the 分值, or (no 分值 column, as in
    # project forms) only the halves joined make a name of the lexicon
    split = weighted(prev) != weighted(piece) or (
        known(prev.name + piece.name) and not (known(prev.name) and known(piece.name))
    )
    if prev.name and piece.name and split:
        if complete or (known(prev.name) and known(piece.name)):
            return ""  # two whole names of the lexicon are two blocks, not one split label
        return "concat"
    if not prev.name and piece.name and prev.max_text and not piece.max_text:
        return "" if complete else "fill"
    return ""


def resolve_level(
    cells: list[LevelCells],
    children_max: Callable[[list[int]], float | None],
    weight_in_name: Callable[[str], float | None] = lambda name: None,
    shares_child: Callable[[list[int], list[int]], bool] = lambda a, b: False,
    known: Callable[[str], bool] = lambda name: False,
    split_name: Callable[[str, int], list[str] | None] = lambda name, n: None,
) -> list[Block]:
    """The block of every data row for one level.

    ``children_max(rows)`` is the sum of the 分值 of the children under those rows (None
    when unknown); ``weight_in_name`` reads a 分值 written inside a label;
    ``shares_child(rows_a, rows_b)`` tells whether one child block covers rows of both
    (a child never has two parents, so such pieces are one block); ``known(name)`` tells
    whether a name is a whole entry of the layout's lexicon; ``split_name(name, n)`` cuts
    a name into ``n`` lexicon names run together, or None."""
    blocks: list[Block] = []
    for piece in _split_merged(_pieces(cells), cells, split_name):
        prev = blocks[-1] if blocks else None
        kind = ""
        if prev is not None:
            own = parse_number(prev.max_text)
            if own is None:
                own = weight_in_name(prev.name)
            total = children_max(prev.rows)
            complete = (
                own is not None
                and total is not None
                and abs(total - own) <= SUM_TOLERANCE
                and not shares_child(prev.rows, piece.rows)
            )
            kind = _join_kind(prev, piece, complete, known, weight_in_name)
        if prev is None or not kind:
            blocks.append(piece)
            continue
        prev.rows += piece.rows
        prev.last_page = piece.last_page
        if kind == "concat":
            prev.name = prev.name + piece.name
        if kind in ("fill", "concat") or not prev.name:
            prev.name = prev.name or piece.name
            prev.name_cell = prev.name_cell or piece.name_cell
        if not prev.max_text:
            prev.max_text, prev.max_cell = piece.max_text, piece.max_cell
    per_row: list[Block] = [blocks[0]] * len(cells) if blocks else []
    for block in blocks:
        for index in block.rows:
            per_row[index] = block
    return per_row
