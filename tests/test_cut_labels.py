"""Joining the halves of a label cut by a page break (pure parts; the end-to-end case is
in test_scanned_samples.py)."""

from __future__ import annotations

import numpy as np

from extract.scan.cut_labels import CutStrip, halves, join_strips, stroke_shift


def _strip(edge: str, x0: float, x1: float, image: np.ndarray, ink_rows: int) -> CutStrip:
    near = (image[-3:] if edge == "bottom" else image[:3]) < 128
    return CutStrip(0, 0, edge, x0, x1, image, near.sum(axis=0).astype(np.float32), ink_rows, 128.0)


def test_stroke_shift_lines_up_strokes_across_the_break() -> None:
    upper = np.zeros(40, np.float32)
    upper[[10, 11, 20, 30]] = 3
    lower = np.roll(upper, -4)  # the lower page's grid sits 4 px further right
    assert stroke_shift(upper, lower) == 4
    assert stroke_shift(upper, upper) == 0
    assert stroke_shift(upper, np.zeros(40, np.float32)) == 0  # no evidence: no shift


def test_join_continues_a_glyph_cut_in_two() -> None:
    glyph = np.full((20, 30), 230, np.uint8)
    glyph[4:16, 12:15] = 0  # a vertical stroke
    glyph[4:6, 8:20] = 0  # and a bar on top
    top, bottom = glyph[:10], np.roll(glyph[10:], 3, axis=1)  # the halves, offset 3 px
    joined = join_strips(_strip("bottom", 0, 30, top, 6), _strip("top", 0, 30, bottom, 6))
    assert joined.shape == glyph.shape
    assert np.array_equal(joined < 128, glyph < 128)


def test_halves_must_share_a_column_and_split_the_line() -> None:
    half = np.full((10, 30), 230, np.uint8)
    upper = _strip("bottom", 100, 200, half, 8)
    assert halves(upper, _strip("top", 102, 201, half, 7))
    assert not halves(upper, _strip("top", 200, 300, half, 7))  # next column
    # a whole line under the break with a speck above it is not a cut label
    assert not halves(_strip("bottom", 100, 200, half, 2), _strip("top", 100, 200, half, 28))
