"""Numbers under a stamp (extract/scan/numeric_rescue.py): which columns count as numeric and
when a run of window readings yields a number. The end-to-end case, a real grey scan
with a seal over a score, is in test_scanned_samples.py."""

from __future__ import annotations

import pytest

from extract.model import BBox, Cell
from extract.ocr.base import CellText
from extract.scan.numeric_rescue import numeric_columns, pick_number


def _cell(row: int, col: int, colspan: int = 1) -> Cell:
    return Cell(row, col, 1, colspan, BBox(col * 10.0, row * 10.0, col * 10.0 + 10, row * 10.0 + 10))


def test_numeric_columns_are_the_mostly_number_ones() -> None:
    cells = [_cell(r, c) for r in range(5) for c in range(3)] + [_cell(5, 0, colspan=3)]
    texts = {
        0: ["分值", "2.0", "3.0", "1.5", "2"],  # 4 of 5 numbers
        1: ["名称", "预算完成率", "支付进度", "3.0", "结转结余率"],
        2: ["得分", "2", "湖市天财", "", ""],  # only 3 read cells, 1 number
    }
    readings = [CellText(texts[c.col][c.row], 0.99) if c.colspan == 1 else CellText("100", 1.0) for c in cells]
    assert numeric_columns(cells, readings) == {0}


def _run(*readings: tuple[str, float]) -> list[CellText]:
    return [CellText(t, c) for t, c in readings]


def test_number_read_alone_with_a_neighbour_seeing_its_digits() -> None:
    # the windows down the seal-covered cell of the edu sample, as read
    run = _run(("天", 0.99), ("市大", 0.88), ("225", 0.56), ("2.5", 0.98), ("25", 0.85), ("财务专", 0.99))
    assert pick_number(run) == CellText("2.5", 0.98)


@pytest.mark.parametrize(
    "run",
    [
        _run(("天", 0.99), ("财务专", 0.99)),  # no number at all
        _run(("x", 0.3), ("2.5", 0.9), ("25", 0.8)),  # not confident enough
        _run(("财", 0.9), ("2.5", 0.98), ("专", 0.99)),  # no neighbour sees the digits
        _run(("2.5", 0.98), ("25", 0.9), ("3.0", 0.95)),  # another number, confidently
    ],
)
def test_doubtful_windows_give_no_number(run: list[CellText]) -> None:
    assert pick_number(run) is None


def test_the_same_digits_without_the_point_are_no_conflict() -> None:
    # var_inline 200 dpi, a grey seal's ring through 2.5: windows read 25 and 2.5, both
    # near 1.0 (the point lost in some); the reading with the point is taken
    run = _run(("-", 0.41), ("25", 0.91), ("25", 0.9986), ("2.5", 0.9952), ("2.5-", 0.8))
    assert pick_number(run) == CellText("2.5", 0.9952)
    assert pick_number(_run(("2.5", 0.98), ("35", 0.97), ("2.5", 0.9))) is None  # other digits


@pytest.mark.ocr
@pytest.mark.parametrize(("first", "again"), [
    (CellText("", 0.0), True),  # the seal left no line the recogniser read
    (CellText("5", 0.60), True),  # the seal's ring hid `2.`: a doubtful number
    (CellText("5", 0.95), False),  # a confident number is left alone
])
def test_a_numeric_cell_read_as_nothing_or_doubtfully_is_read_again_in_windows(
        first: CellText, again: bool) -> None:
    """var_inline 200 dpi, a grey seal over the 得分 column: cells read as nothing, or
    as a number at low confidence (`5` for `2.5`), were never tried in windows."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    from extract.ocr.registry import get_engine
    from extract.scan.numeric_rescue import rescue_numbers

    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 22)
    canvas = Image.new("L", (120, 6 * 60), 235)
    draw = ImageDraw.Draw(canvas)
    values = ["2.0", "3.5", "1.0", "4.0", "2.2", "5.0"]
    for k, value in enumerate(values):
        draw.rectangle((0, 60 * k, 119, 60 * k + 59), outline=30, width=2)
        draw.text((40, 60 * k + 16), value, fill=30, font=font)
    image = np.array(canvas)
    cells = [Cell(k, 0, 1, 1, BBox(0, 60.0 * k, 120, 60.0 * k + 60)) for k in range(6)]
    readings = [CellText(v, 0.99) for v in values]
    readings[4] = first
    found = rescue_numbers(image, cells, readings, get_engine("rapidocr"))
    assert {k: r.text for k, r in found.items()} == ({4: "2.2"} if again else {})


def test_a_point_lost_in_one_window_is_no_conflict_in_a_column_of_decimals() -> None:
    # var_inline 200 dpi under a grey seal: `5.0` read `5` in one window, `50` in another
    run = _run(("2m", 0.66), ("500", 0.83), ("50", 0.91), ("5", 0.98), ("5u", 0.5))
    assert pick_number(run, decimals=1) == CellText("5", 0.98)
    assert pick_number(run, decimals=0) is None  # 50 and 5 are two numbers then
