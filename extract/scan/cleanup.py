"""A scanned page cleaned for the grid and for OCR: uneven paper flattened to white,
ink masks, rotation. Pure functions on grayscale uint8 images (dark ink on light paper);
sizes are in points and converted with the page's pixels per point, so the same
constants work at 150, 200 or 300 dpi."""

from __future__ import annotations

import cv2
import numpy as np

from ..model import DEFAULT_PIXELS_PER_POINT

# --- background -------------------------------------------------------------------
# The paper is estimated on an image reduced by this factor (the shading varies over
# centimetres, so detail is not needed and the closing is 16x cheaper).
BACKGROUND_REDUCTION = 4
# Closing with a square this size (points) removes every dark feature narrower than it:
# text (≤ 16 pt title type), ruling lines, even small stamps, leaving the paper shade.
BACKGROUND_KERNEL_PT = 24.0
# Pixels at least this share of the local paper brightness are paper and become pure
# white: JPEG ringing and paper grain sit within a few percent of it.
PAPER_LEVEL = 0.92

# --- binarisation -----------------------------------------------------------------
# For the grid, anything darker than this share of the (flattened) paper is ink: low
# enough to keep faint grey or dotted-looking ruling lines solid; speckle that passes is
# removed by the line finder's openings.
GRID_INK_LEVEL = 0.80
# For glyphs, the classic mid-point: faint fringes and grey noise go to paper so the
# strokes of small characters stay separated.
OCR_INK_LEVEL = 0.60


def _odd(n: float) -> int:
    k = max(1, round(n))
    return k if k % 2 == 1 else k + 1


def normalize_background(gray: np.ndarray, pixels_per_point: float = DEFAULT_PIXELS_PER_POINT) -> np.ndarray:
    """Divide by the estimated paper shade: grey or unevenly lit paper becomes white,
    ink keeps its contrast relative to the paper around it."""
    h, w = gray.shape
    f = BACKGROUND_REDUCTION
    small = cv2.resize(gray, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    k = _odd(BACKGROUND_KERNEL_PT * pixels_per_point / f)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    paper = cv2.GaussianBlur(paper, (0, 0), k / 2)  # no blocky edges in the upsampled shade
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR)
    ratio = gray.astype(np.float32) / np.maximum(paper.astype(np.float32), 1.0)
    ratio = np.clip(ratio / PAPER_LEVEL, 0.0, 1.0)
    return (ratio * 255.0 + 0.5).astype(np.uint8)


def binarize_for_grid(normalized: np.ndarray) -> np.ndarray:
    """Ink mask (255 = ink) with a lenient threshold so faint lines stay solid."""
    return np.where(normalized < int(GRID_INK_LEVEL * 255), 255, 0).astype(np.uint8)


def binarize_for_ocr(normalized: np.ndarray, *, keep_gray: bool = True,
                     erase: np.ndarray | None = None) -> np.ndarray:
    """An image for the OCR engine: flat white paper, dark glyphs.

    With ``keep_gray`` (what both engines prefer) the anti-aliased glyph edges are kept
    and only the paper is cleaned; otherwise a hard threshold gives black on white.
    ``erase`` is an optional mask (255 = ruling line) painted white, so borders that a
    cell crop catches are not read as ``1``, ``|`` or ``一``."""
    if keep_gray:
        out = normalized.copy()
        out[normalized >= int(PAPER_LEVEL * 255)] = 255
    else:
        out = np.where(normalized < int(OCR_INK_LEVEL * 255), 0, 255).astype(np.uint8)
    if erase is not None:
        out[erase > 0] = 255
    return out


def rotate(gray: np.ndarray, angle: float, fill: int = 255) -> np.ndarray:
    """Rotate by ``angle`` degrees counter-clockwise about the centre, same size."""
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=fill)
