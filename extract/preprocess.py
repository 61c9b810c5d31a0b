"""Clean up a scanned page: orientation, skew, uneven paper, and binary images.

Each step is a pure function on a grayscale uint8 image (dark ink on light paper):
``normalize_background`` → ``orient`` → ``deskew`` → ``binarize_for_grid`` /
``binarize_for_ocr``. Sizes are in points and converted with the page's pixels per
point, so the same constants work at 150, 200 or 300 dpi.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import cv2
import numpy as np

from .model import BBox
from .ocr.base import CellRequest

if TYPE_CHECKING:
    from .ocr.base import OcrEngine

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

# --- orientation ------------------------------------------------------------------
# Text lines are found by closing ink with a horizontal (and, separately, vertical)
# bar this long in points: longer than the gap between two characters of a line
# (≤ 2 pt), shorter than a typical cell padding so cells stay apart.
ORIENT_SMEAR_PT = 3.0
# A smeared blob counts as a line of text when it is this many times longer than thick,
# and at least ORIENT_MIN_THICK_PT thick (glyphs of 6 pt type are 4–5 pt high): a faint
# rule on a skewed page breaks into 1 px wide steps, too short for the rule filter, that
# outvoted the text lines of a short last page (var_synonyms 150 dpi: 62 to 40).
ORIENT_LINE_ASPECT = 3.0
ORIENT_MIN_THICK_PT = 3.0
# The winning direction must have this many times more text-line blobs than the other;
# otherwise the page is left as it is.
ORIENT_MIN_RATIO = 1.5
# Tesseract's orientation check runs on a copy at this resolution (dpi): enough for
# 7 pt type, at a third of the cost of 200 dpi.
OSD_DPI = 120.0
# Below this orientation confidence, tesseract is guessing: keep the page as it is.
OSD_MIN_CONFIDENCE = 1.0
# 0° vs 180° (``upside_down``). Tesseract's OSD alone was wrong on 4 of 31 scanned sample
# pages (two upside-down pages kept, an upright one turned) at ~0.9 s per page.
# Cell ink is looked at this far (points) inside the cell box: clear of the borders.
FLIP_CELL_INSET_PT = 2.5
# A text line of a cell is a run of ink rows this tall (points): 7–12 pt type, not a
# speck and not two lines run together.
FLIP_LINE_HEIGHT_PT = (2.0, 20.0)
# The short line of wrapped text is shorter than the first/last by at least this many
# line heights (about one CJK glyph): lines ragged by half a glyph give no vote.
FLIP_SHORT_LINE = 1.0
# The ragged-line cue decides when the winner has this many more votes and this many
# times as many as the loser.
FLIP_MIN_VOTES = 4
FLIP_MIN_RATIO = 3.0
# The OCR cue reads the inkiest text line of this many cells both ways (one small batch),
# each cut to at most this many glyphs (line heights) and padded by this much (points).
FLIP_OCR_CELLS = 6
FLIP_OCR_GLYPHS = 8.0
FLIP_OCR_PAD_PT = 1.5
# ... and decides when the better mean confidence is at least this and beats the other
# by this margin.
FLIP_OCR_MIN_CONFIDENCE = 0.5
FLIP_OCR_MARGIN = 0.2


def _odd(n: float) -> int:
    k = max(1, round(n))
    return k if k % 2 == 1 else k + 1


def normalize_background(gray: np.ndarray, pixels_per_point: float = 200 / 72) -> np.ndarray:
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


def detect_skew(gray: np.ndarray, pixels_per_point: float = 200 / 72) -> float:
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


def deskew(gray: np.ndarray, pixels_per_point: float = 200 / 72) -> tuple[np.ndarray, float]:
    """Straighten a page tilted by up to ±5°; returns the image and the skew removed."""
    angle = detect_skew(gray, pixels_per_point)
    if abs(angle) < SKEW_MIN_ANGLE:
        return gray, 0.0
    return rotate(gray, -angle), angle


def _text_line_votes(gray: np.ndarray, pixels_per_point: float) -> tuple[int, int]:
    """Blobs that look like horizontal vs vertical text lines after smearing the ink."""
    h, w = gray.shape
    scale = min(1.0, 2000 / max(h, w))
    small = cv2.resize(gray, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    ppp = pixels_per_point * scale
    ink = np.where(small < int(OCR_INK_LEVEL * 255), 255, 0).astype(np.uint8)
    # drop ruling lines: they would count as "text lines" in their own direction
    long_run = max(5, round(30 * ppp))
    lines = cv2.bitwise_or(
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long_run, 1))),
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, long_run))),
    )
    text = cv2.subtract(ink, cv2.dilate(lines, np.ones((3, 3), np.uint8)))
    smear = max(2, round(ORIENT_SMEAR_PT * ppp))
    min_len = 4 * smear
    min_thick = ORIENT_MIN_THICK_PT * ppp

    def votes(kernel: tuple[int, int], along_x: bool) -> int:
        closed = cv2.morphologyEx(text, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        _, _, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
        bw, bh = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
        long_, short = (bw, bh) if along_x else (bh, bw)
        return int(np.sum((long_ >= ORIENT_LINE_ASPECT * short) & (long_ >= min_len) & (short >= min_thick)))

    return votes((smear, 1), True), votes((1, smear), False)


def _osd_rotation(gray: np.ndarray, pixels_per_point: float) -> int | None:
    """Tesseract's clockwise rotation that makes the page upright, or None when unsure."""
    try:
        import pytesseract
    except ImportError:
        return None
    scale = min(1.0, OSD_DPI / (pixels_per_point * 72.0))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    try:
        osd = pytesseract.image_to_osd(small, config="--psm 0", output_type=pytesseract.Output.DICT)
    except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError, RuntimeError, ValueError):
        return None  # too few characters, or tesseract missing: leave the page as it is
    if float(osd.get("orientation_conf", 0.0)) < OSD_MIN_CONFIDENCE:
        return None
    return int(osd.get("rotate", 0)) % 360


def quarter_turn(gray: np.ndarray, pixels_per_point: float = 200 / 72) -> tuple[np.ndarray, int]:
    """Turn a page scanned sideways so its text lines run horizontally (90° counter-
    clockwise when they ran vertically). Whether the result is upside down is left to
    ``upside_down``: a page turned the other way (270°) ends up at 180°."""
    horizontal, vertical = _text_line_votes(gray, pixels_per_point)
    if vertical > ORIENT_MIN_RATIO * max(horizontal, 1):
        return np.ascontiguousarray(np.rot90(gray, 1)), 90
    return gray, 0


def _cell_text_lines(ink: np.ndarray, box: BBox, pixels_per_point: float) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The ink inside a cell (its borders cut off) and its text lines as row runs."""
    inset = max(2, round(FLIP_CELL_INSET_PT * pixels_per_point))
    crop = ink[max(0, int(box.top) + inset): max(0, int(box.bottom) - inset),
               max(0, int(box.x0) + inset): max(0, int(box.x1) - inset)]
    if crop.shape[0] < 3 or crop.shape[1] < 3:
        return crop, []
    rows = np.asarray(crop.any(axis=1))
    idx = np.flatnonzero(np.diff(np.concatenate([[False], rows, [False]]).astype(np.int8)))
    lo, hi = FLIP_LINE_HEIGHT_PT[0] * pixels_per_point, FLIP_LINE_HEIGHT_PT[1] * pixels_per_point
    return crop, [(int(a), int(b)) for a, b in zip(idx[::2], idx[1::2]) if lo <= b - a <= hi]


def ragged_votes(gray: np.ndarray, boxes: list[BBox], pixels_per_point: float = 200 / 72) -> tuple[int, int]:
    """Cells whose wrapped text has its short line last (upright) vs first (upside down).

    Wrapped text fills every line but the last, whatever its alignment (left, centred or
    right); turned by 180° the short line comes first. Measured on the scanned samples
    (150–300 dpi): 4–34 upright votes on pages with wrapped cells, at most 2 against."""
    ink = gray < int(OCR_INK_LEVEL * 255)
    upright = upside_down = 0
    for box in boxes:
        crop, lines = _cell_text_lines(ink, box, pixels_per_point)
        if len(lines) < 2:
            continue
        height = float(np.median([b - a for a, b in lines]))

        def width(a: int, b: int, crop: np.ndarray = crop) -> int:
            cols = np.flatnonzero(crop[a:b].any(axis=0))
            return int(cols[-1] - cols[0] + 1)

        first, last = width(*lines[0]), width(*lines[-1])
        if first - last > FLIP_SHORT_LINE * height:
            upright += 1
        elif last - first > FLIP_SHORT_LINE * height:
            upside_down += 1
    return upright, upside_down


def _decided(for_: int, against: int) -> bool:
    return for_ - against >= FLIP_MIN_VOTES and for_ >= FLIP_MIN_RATIO * against


def ocr_confidence_upside_down(gray: np.ndarray, boxes: list[BBox], engine: OcrEngine,
                               pixels_per_point: float = 200 / 72) -> bool | None:
    """Read a few cells' text lines both ways with ``engine``; True when the turned reading
    is clearly more confident, None when neither is (no text, or both poor).

    Measured with RapidOCR on the scanned samples: mean confidence 0.90–1.00 the right way
    up, 0.00–0.33 upside down."""
    ink = gray < int(OCR_INK_LEVEL * 255)
    inset = max(2, round(FLIP_CELL_INSET_PT * pixels_per_point))
    pad = max(2, round(FLIP_OCR_PAD_PT * pixels_per_point))
    candidates: list[tuple[int, BBox]] = []
    for box in boxes:
        crop, lines = _cell_text_lines(ink, box, pixels_per_point)
        if not lines:
            continue
        a, b = max(lines, key=lambda line: int(crop[line[0]:line[1]].sum()))
        cols = np.flatnonzero(crop[a:b].any(axis=0))
        # one text line, at most FLIP_OCR_GLYPHS glyphs long: a small, cheap crop
        x0 = int(box.x0) + inset + int(cols[0])
        x1 = min(int(box.x0) + inset + int(cols[-1]) + 1, x0 + int(FLIP_OCR_GLYPHS * (b - a)))
        y0 = int(box.top) + inset + a
        line_box = BBox(float(max(0, x0 - pad)), float(max(0, y0 - pad)),
                        float(min(gray.shape[1], x1 + pad)), float(min(gray.shape[0], y0 + (b - a) + pad)))
        candidates.append((int(crop[a:b, cols[0]: cols[0] + (x1 - x0)].sum()), line_box))
    candidates.sort(key=lambda c: -c[0])
    chosen = [box for _, box in candidates[:FLIP_OCR_CELLS]]
    if not chosen:
        return None
    h, w = gray.shape
    image = binarize_for_ocr(gray)
    turned = np.ascontiguousarray(image[::-1, ::-1])
    as_is = engine.read_cells(image, [CellRequest(b) for b in chosen])
    flipped = engine.read_cells(turned, [CellRequest(BBox(w - b.x1, h - b.bottom, w - b.x0, h - b.top))
                                         for b in chosen])
    up = float(np.mean([r.confidence for r in as_is]))
    down = float(np.mean([r.confidence for r in flipped]))
    if max(up, down) < FLIP_OCR_MIN_CONFIDENCE or abs(up - down) < FLIP_OCR_MARGIN:
        return None
    return down > up


def upside_down(gray: np.ndarray, boxes: list[BBox], pixels_per_point: float = 200 / 72, *,
                engine: OcrEngine | None = None, use_osd: bool = True) -> bool:
    """Whether a page with horizontal text lines is upside down.

    First the free cue (``ragged_votes`` over the table's cells); when it is undecided
    (forms with single-line cells), the OCR engine's confidence on a few cells read both
    ways; without an engine, tesseract's OSD (about a second per call). Undecided: no."""
    up, down = ragged_votes(gray, boxes, pixels_per_point)
    if _decided(up, down):
        return False
    if _decided(down, up):
        return True
    if engine is not None:
        verdict = ocr_confidence_upside_down(gray, boxes, engine, pixels_per_point)
        if verdict is not None:
            return verdict
    if use_osd:
        return _osd_rotation(gray, pixels_per_point) == 180
    return False


def _page_cells(gray: np.ndarray, pixels_per_point: float) -> list[BBox]:
    """Cell boxes of the ruled tables of an upright-or-upside-down page."""
    from .image_lines import LineSettings, find_lines, lines_to_tables

    segments = find_lines(binarize_for_grid(gray), settings=LineSettings(pixels_per_point=pixels_per_point))
    return [c.bbox for t in lines_to_tables(segments, 1, pixels_per_point) for c in t.cells]


def orient(gray: np.ndarray, pixels_per_point: float = 200 / 72, *,
           use_osd: bool = True, engine: OcrEngine | None = None) -> tuple[np.ndarray, int]:
    """Turn a page scanned sideways or upside down upright.

    Returns the image and the counter-clockwise rotation applied (0, 90, 180 or 270).
    90° vs 0° comes from the direction of the text lines (cheap, and independent of the
    script); 0° vs 180° from ``upside_down`` on the cells of the page's ruled tables.
    (``scan.analyse_page`` does the same with the grid it builds anyway.)"""
    gray, angle = quarter_turn(gray, pixels_per_point)
    if upside_down(gray, _page_cells(gray, pixels_per_point), pixels_per_point,
                   engine=engine, use_osd=use_osd):
        gray = np.ascontiguousarray(np.rot90(gray, 2))
        angle = (angle + 180) % 360
    return gray, angle
