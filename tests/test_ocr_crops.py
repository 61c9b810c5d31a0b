"""Cell images → text-line crops (extract/ocr/crops.py), on rendered cells."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extract.model import BBox
from extract.ocr import registry
from extract.ocr.base import CellRequest
from extract.ocr.crops import cell_line_crops

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
PAPER, INK = 235, 30


def _cell(lines: list[str], size: int = 20) -> np.ndarray:
    """A ruled cell 160 px wide with ``lines`` of text centred in it."""
    font = ImageFont.truetype(FONT, size)
    canvas = Image.new("L", (160, 40 + 30 * len(lines)), PAPER)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, 159, canvas.height - 1), outline=INK, width=2)
    for k, text in enumerate(lines):
        draw.text((40, 20 + 30 * k), text, fill=INK, font=font)
    return np.array(canvas)


def _speck(image: np.ndarray, x: int, y: int, size: int = 5) -> None:
    image[y : y + size, x : x + size] = INK


def _row(texts: list[str]) -> tuple[np.ndarray, list[BBox]]:
    """Cells side by side, as on a page (the typical line height comes from all of them)."""
    cells = [_cell([t]) for t in texts]
    boxes = [BBox(160 * k, 0, 160 * (k + 1), cells[0].shape[0]) for k in range(len(cells))]
    return np.hstack(cells), boxes


def test_a_speck_beside_text_is_no_line() -> None:
    image, boxes = _row(["14.50", "3.0", "4.5"])
    _speck(image, 120, image.shape[0] - 14)
    crops = cell_line_crops(image, boxes)
    assert [c.cell for c in crops] == [0, 1, 2]
    assert crops[0].bbox.bottom < image.shape[0] - 14
    # the same speck alone in a cell is still given to the recogniser (it may be a mark)
    lone = _cell([])
    _speck(lone, 70, 20)
    assert len(cell_line_crops(lone, [BBox(0, 0, lone.shape[1], lone.shape[0])], 128.0)) == 1


def test_two_real_lines_are_both_kept() -> None:
    image = _cell(["14.50", "分"])
    crops = cell_line_crops(image, [BBox(0, 0, image.shape[1], image.shape[0])])
    assert len(crops) == 2


@pytest.mark.ocr
def test_number_with_a_speck_below_reads_as_the_number() -> None:
    """300 dpi justice sample: `14.50` with scanner dust under it read `14.50+`."""
    if "rapidocr" not in registry.available_engines():
        return
    image, boxes = _row(["14.50", "3.0", "4.5"])
    _speck(image, 120, image.shape[0] - 14)
    engine = registry.get_engine("rapidocr")
    readings = engine.read_cells(image, [CellRequest(b, numeric=True) for b in boxes])
    assert [r.text for r in readings] == ["14.50", "3.0", "4.5"]


@pytest.mark.ocr
def test_a_full_stop_wrapped_onto_its_own_line_is_read() -> None:
    """An exporter wraps a paragraph's closing `。` onto a line of its own. Cut to its own
    size the recogniser read it as `a`, `0`, `o` or `6`; it is read as the end of the line
    above it."""
    if "rapidocr" not in registry.available_engines():
        return
    font = ImageFont.truetype(FONT, 20)
    canvas = Image.new("L", (240, 100), PAPER)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, 239, 99), outline=INK, width=2)
    draw.text((12, 20), "评价发现的问题已整改", fill=INK, font=font)
    draw.text((12, 50), "。", fill=INK, font=font)
    others, boxes = _row(["分值", "得分", "指标"])  # the page's other lines
    others = np.pad(others, ((0, 100 - others.shape[0]), (0, 0)), constant_values=PAPER)
    image = np.hstack([np.array(canvas), others])
    box = BBox(0, 0, 240, 100)
    boxes = [box] + [BBox(b.x0 + 240, b.top, b.x1 + 240, b.bottom) for b in boxes]
    crops = [c for c in cell_line_crops(image, boxes, 128.0) if c.cell == 0]
    assert len(crops) == 1 and crops[0].image.shape[1] > crops[0].bbox.width  # mark appended
    engine = registry.get_engine("rapidocr")
    assert engine.read_cells(image, [CellRequest(b) for b in boxes], 128.0)[0].text == "评价发现的问题已整改。"


def test_a_rule_stub_beside_a_number_is_left_out() -> None:
    """civil 150 dpi total row: a stub of a lost rule, taller than the text and far left
    of it, was read with the number: `|98.7`, cleaned to `198.7`."""
    image, boxes = _row(["98.7", "3.0", "4.5"])
    image[8:50, 12:14] = INK  # a thin stroke from near the top to near the bottom
    crops = cell_line_crops(image, boxes)
    first = [c for c in crops if c.cell == 0]
    assert len(first) == 1 and first[0].bbox.x0 > 20 and first[0].bbox.height < 30


def test_a_sliver_of_a_side_rule_does_not_stretch_a_speck_into_a_line() -> None:
    """var_bonus: a speck under a broken top rule and one pixel of the side rule in the
    same band made a 75 px wide "line", read as `1` before `2.1`."""
    image, boxes = _row(["2.1", "3.0", "4.5"])
    _speck(image, 60, 5, 5)
    image[5:9, 157] = INK  # the side rule's sliver, at the cell's right edge
    crops = [c for c in cell_line_crops(image, boxes) if c.cell == 0]
    assert len(crops) == 1 and crops[0].bbox.top > 10


def test_a_sliver_of_a_side_rule_alone_is_no_line() -> None:
    """var_reportlab 150 dpi: under `3.0`, the lower part of a faint side rule, set off
    from the rest of the rule, made a line of its own read `1`: `3.01`."""
    image, boxes = _row(["3.0", "2.0", "4.5"])
    image[45:68, 3:6] = INK  # against the cell's left edge, below the text
    crops = [c for c in cell_line_crops(image, boxes) if c.cell == 0]
    assert len(crops) == 1 and crops[0].bbox.x0 > 20


def test_a_stroke_against_the_top_rule_is_no_placeholder_dash() -> None:
    """var_reportlab 150 dpi: in the blank piece of a 一级 分值 cell split by a page break,
    a flat bit of the top rule, shorter than a line, was read as the dash `—`."""
    image, boxes = _row(["", "2.0", "4.5"])
    image[3:5, 110:130] = INK  # under the top rule, at the right
    assert not [c for c in cell_line_crops(image, boxes) if c.cell == 0]
    image, boxes = _row(["", "2.0", "4.5"])
    image[33:35, 70:90] = INK  # a dash in the middle of the cell is one
    dash = [c for c in cell_line_crops(image, boxes) if c.cell == 0]
    assert len(dash) == 1 and dash[0].dash
