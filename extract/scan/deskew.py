"""Skew of a scanned page found from the row profile of its long ink runs, and removed."""

from __future__ import annotations

import cv2
import numpy as np

from ..model import DEFAULT_PIXELS_PER_POINT
from .cleanup import GRID_INK_LEVEL, rotate

# --- skew -------------------------------------------------------------------------
MAX_SKEW_DEG = 5.0  # scans are fed by hand or by a feeder: a few degrees at most
# The skew search works on the page reduced to this width (pixels): long ruling lines
# still span ~1000 px, so 0.05° moves their ends by a pixel.
SKEW_WORK_WIDTH = 1400
# Horizontal runs at least this long (points) are used for skew: ruling lines and long
# text lines, not isolated glyph strokes. Short enough to survive a 5° tilt of a 1 pt
# line at the working resolution.
SKEW_RUN_PT = 10.0
SKEW_COARSE_STEP = 0.25  # degrees; the coarse search finds the peak within a step
SKEW_FINE_STEP = 0.02  # degrees; 10x finer than the 0.2° the grid can tolerate
SKEW_MIN_ANGLE = 0.05  # smaller skews are not corrected (a rotation blurs the image)


def _skew_points(gray: np.ndarray, pixels_per_point: float) -> tuple[np.ndarray, float]:
    """Coordinates (x, y) of pixels of long horizontal ink runs on a reduced copy."""
    h, w = gray.shape
    scale = min(1.0, SKEW_WORK_WIDTH / w)
    small = cv2.resize(gray, (max(1, int(w * scale)), max(1, int(h * scale))),
                       interpolation=cv2.INTER_AREA) if scale < 1 else gray
    ink = np.where(small < int(GRID_INK_LEVEL * 255), 255, 0).astype(np.uint8)
    run = max(3, round(SKEW_RUN_PT * pixels_per_point * scale))
    runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1)))
    ys, xs = np.nonzero(runs)
    return np.stack([xs, ys], axis=1).astype(np.float64), scale


def _profile_score(points: np.ndarray, angle: float, height: int) -> float:
    """Sharpness of the row profile of the points rotated by ``angle`` (sum of squares)."""
    t = np.deg2rad(angle)
    # rotating the page by -angle (undoing a counter-clockwise skew) maps y to:
    y = points[:, 1] * np.cos(t) + points[:, 0] * np.sin(t)
    bins = np.bincount(np.clip(np.round(y).astype(np.int64) + height, 0, 3 * height))
    return float(np.dot(bins.astype(np.float64), bins))


def detect_skew(gray: np.ndarray, pixels_per_point: float = DEFAULT_PIXELS_PER_POINT) -> float:
    """The page's skew in degrees, counter-clockwise positive (as ``rotate`` takes it)."""
    points, scale = _skew_points(gray, pixels_per_point)
    if len(points) < 50:
        return 0.0
    height = int(gray.shape[0] * scale) + 1
    centre = points.mean(axis=0)
    points = points - centre

    def best(angles: np.ndarray) -> float:
        scores = [_profile_score(points, a, height) for a in angles]
        i = int(np.argmax(scores))
        if 0 < i < len(angles) - 1:  # parabolic refinement between grid steps
            s0, s1, s2 = scores[i - 1], scores[i], scores[i + 1]
            denom = s0 - 2 * s1 + s2
            if denom < 0:
                return float(angles[i] + 0.5 * (s0 - s2) / denom * (angles[1] - angles[0]))
        return float(angles[i])

    coarse = best(np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 1e-9, SKEW_COARSE_STEP))
    fine = best(np.arange(coarse - SKEW_COARSE_STEP, coarse + SKEW_COARSE_STEP + 1e-9, SKEW_FINE_STEP))
    return float(np.clip(fine, -MAX_SKEW_DEG, MAX_SKEW_DEG))


def deskew(gray: np.ndarray, pixels_per_point: float = DEFAULT_PIXELS_PER_POINT) -> tuple[np.ndarray, float]:
    """Straighten a page tilted by up to ±5°; returns the image and the skew removed."""
    angle = detect_skew(gray, pixels_per_point)
    if abs(angle) < SKEW_MIN_ANGLE:
        return gray, 0.0
    return rotate(gray, -angle), angle
