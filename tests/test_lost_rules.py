"""Splitting cells that a lost rule joined (extract/scan/lost_rules.py), on ink masks."""

from __future__ import annotations

import numpy as np

from extract.scan.lost_rules import split_point

PPP = 200 / 72  # pixels per point at 200 dpi


def _cell(width: int = 300, height: int = 60) -> np.ndarray:
    return np.zeros((height, width), dtype=bool)


def _word(ink: np.ndarray, x0: int, x1: int) -> None:
    ink[22:40, x0:x1:3] = True  # glyph strokes of one label


def test_two_centred_labels_and_a_rule_stub_split_at_the_edge() -> None:
    ink = _cell()
    _word(ink, 40, 140)  # centred in [0, 180)
    _word(ink, 215, 265)  # centred in [180, 300)
    ink[0:20, 179:182] = True  # what is left of the lost rule
    assert split_point(ink, [180], PPP) == 180


def test_one_label_across_the_edge_is_a_merged_cell() -> None:
    ink = _cell()
    _word(ink, 110, 190)  # centred on the whole cell, across the edge at 180
    assert split_point(ink, [180], PPP) is None


def test_left_aligned_text_is_not_split() -> None:
    ink = _cell()
    _word(ink, 10, 100)  # left-aligned in [0, 180)
    _word(ink, 190, 260)
    assert split_point(ink, [180], PPP) is None


def test_the_edge_between_the_labels_is_found_among_several() -> None:
    ink = _cell(480)
    _word(ink, 30, 90)  # 分值, centred in [0, 120)
    _word(ink, 250, 350)  # 指标解释, centred in [120, 480), across the edge at 300
    assert split_point(ink, [120, 300], PPP) == 120


def test_three_names_in_three_rows_split_at_the_lost_row_rules() -> None:
    """var_reportlab 150 dpi: the rules between three 三级 rows were lost, so the three
    names were read as one cell. Transposed, each name is centred on its own row."""
    ink = _cell(300, 180)
    for top in (22, 82, 142):  # one label per 60 px row, each centred in it
        ink[top : top + 16, 100:200:3] = True
    assert split_point(ink.T, [60, 120], PPP) == 60
    assert split_point(ink[60:].T, [60], PPP) == 60


def test_one_label_centred_on_a_merged_span_of_rows_is_not_split() -> None:
    ink = _cell(300, 120)
    ink[45:75, 100:200:3] = True  # two lines centred on both rows, across the edge at 60
    assert split_point(ink.T, [60], PPP) is None


def test_a_prose_line_cut_at_a_blank_is_not_two_cells() -> None:
    """civil 150 dpi: a merged 评分依据 cell over two columns; its first line crosses the
    column edge where a full-width comma leaves a blank, its second line stops short.
    The part right of the edge holds only the first line's tail, high in the cell."""
    ink = _cell(430, 86)
    ink[27:40, 4:310:2] = True  # first line, up to the comma before the edge
    ink[27:40, 330:426:2] = True  # its tail after the blank
    ink[48:62, 4:200:2] = True  # second line, short
    assert split_point(ink, [318], PPP, across=True) is None
    assert split_point(ink, [318], PPP) == 318  # what the across test prevents
