"""Splitting cells that a lost rule joined (extract/lost_rules.py), on ink masks."""

from __future__ import annotations

import numpy as np

from extract.lost_rules import split_point

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
