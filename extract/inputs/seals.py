"""Red official seals faded out of a colour page on its way to grey.

A seal stamped over a score is light in the red channel, while the black digits printed
under it are dark in every channel (the inks multiply): where a pixel is red, its red
value (brightened to the paper's level) replaces the luminance.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..model import PAPER_PERCENTILE

# Redness (red minus the larger of green and blue, 0–255) from which a pixel is seal ink,
# fully from SEAL_REDNESS_FULL. Paper and grey print stay at 0–4 on the colour sample
# (yellowed paper is red and green alike); a seal's ink is 30–100 and its faint or
# JPEG-smeared edges 12–30 (measured: with 30 and 80 the rims stayed as grey residue that
# hid the declared total under a seal).
SEAL_REDNESS_START = 12.0
SEAL_REDNESS_FULL = 40.0
# The seal mask is widened by this many pixels (square kernel side): JPEG keeps colour at
# half resolution, so a seal stroke's rim is less red than its core and would stay as grey
# specks that the recogniser reads as junk lines. Black text under the rim stays dark,
# since the red channel replaces it (measured on the colour sample: 3 reads every score).
SEAL_GROW_PX = 3
# Fewer seal pixels than this: no seal, the page is converted as usual.
SEAL_MIN_PIXELS = 200
# Red ink is a little darker than the paper even in the red channel (measured: 0.83 of the
# paper on the colour sample, 0.85–0.95 for vermilion pads); the red channel of seal pixels
# is brightened by paper ÷ seal, within these bounds.
SEAL_GAIN_RANGE = (1.0, 1.4)


# Rows converted at a time: a 600 dpi A3 colour page (70 Mpx) as float32 channels would
# take about 1.5 GB at once; 512-row strips keep the extra memory near 100 MB.
SEAL_STRIP_ROWS = 512
# Pixel grid step of the sample that decides whether a page has a seal and its gain.
SEAL_SAMPLE_STEP = 4


def _redness(img: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Red channel, luminance and redness of a float32 RGB array."""
    red, green, blue = img[..., 0], img[..., 1], img[..., 2]
    return red, 0.299 * red + 0.587 * green + 0.114 * blue, red - np.maximum(green, blue)


def seal_free_gray(rgb: np.ndarray) -> np.ndarray:
    """An RGB image (h × w × 3 uint8) as grey with red seal ink faded to the paper.

    Red ink is nearly as light as the paper in the red channel, so where a pixel is red
    its red value (brightened to the paper's level) is used; elsewhere the luminance.
    Black text printed under a seal is dark in all three channels (the inks multiply)
    and stays dark."""
    step = SEAL_SAMPLE_STEP
    red, _, redness = _redness(rgb[::step, ::step].astype(np.float32))
    seal = redness >= SEAL_REDNESS_FULL
    if int(seal.sum()) * step * step < SEAL_MIN_PIXELS:
        return np.ascontiguousarray(cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY))
    paper = float(np.percentile(red, PAPER_PERCENTILE))
    lo, hi = SEAL_GAIN_RANGE
    gain = float(np.clip(paper / max(float(np.percentile(red[seal], 25)), 1.0), lo, hi))
    grow = cv2.getStructuringElement(cv2.MORPH_RECT, (SEAL_GROW_PX, SEAL_GROW_PX))
    margin = SEAL_GROW_PX  # rows shared with the neighbouring strips, for the dilation
    h = rgb.shape[0]
    out = np.empty(rgb.shape[:2], dtype=np.uint8)
    for y0 in range(0, h, SEAL_STRIP_ROWS):
        y1 = min(h, y0 + SEAL_STRIP_ROWS)
        a, b = max(0, y0 - margin), min(h, y1 + margin)
        red, luminance, redness = _redness(rgb[a:b].astype(np.float32))
        span = SEAL_REDNESS_FULL - SEAL_REDNESS_START
        weight = cv2.dilate(np.clip((redness - SEAL_REDNESS_START) / span, 0.0, 1.0), grow)
        gray = luminance + weight * (np.minimum(red * gain, paper) - luminance)
        out[y0:y1] = np.clip(gray[y0 - a : y0 - a + (y1 - y0)] + 0.5, 0, 255).astype(np.uint8)
    return out
