"""Orientation of a scanned page: a quarter turn from the direction of its text lines,
then 0° vs 180° from the ragged last lines of wrapped cells, the OCR engine's confidence
read both ways, or Tesseract's orientation check."""

from __future__ import annotations

import cv2
import numpy as np

from ..model import DEFAULT_PIXELS_PER_POINT, POINTS_PER_INCH, BBox
from ..ocr.base import CellRequest, OcrEngine
from .cleanup import OCR_INK_LEVEL, binarize_for_ocr

# --- orientation ------------------------------------------------------------------
# Text lines are found by closing ink with a horizontal (and, separately, vertical)
# bar this long in points: longer than the gap between two characters of a line
# (≤ 2 pt), shorter than a typical cell padding so cells stay apart.
ORIENT_SMEAR_PT = 3.0
# The votes are counted on a copy no larger than this (pixels, long side): text lines stay
# several pixels thick at any scan resolution.
ORIENT_WORK_SIZE_PX = 2000
# Ink runs this long (points) are ruling lines, taken out before counting text lines.
ORIENT_RULE_RUN_PT = 30.0
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


def _text_line_votes(gray: np.ndarray, pixels_per_point: float) -> tuple[int, int]:
    """Blobs that look like horizontal vs vertical text lines after smearing the ink."""
    h, w = gray.shape
    scale = min(1.0, ORIENT_WORK_SIZE_PX / max(h, w))
    small = cv2.resize(gray, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    ppp = pixels_per_point * scale
    ink = np.where(small < int(OCR_INK_LEVEL * 255), 255, 0).astype(np.uint8)
    # drop ruling lines: they would count as "text lines" in their own direction
    long_run = max(5, round(ORIENT_RULE_RUN_PT * ppp))
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
    scale = min(1.0, OSD_DPI / (pixels_per_point * POINTS_PER_INCH))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    try:
        osd = pytesseract.image_to_osd(small, config="--psm 0", output_type=pytesseract.Output.DICT)
    except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError, RuntimeError, ValueError):
        return None  # too few characters, or tesseract missing: leave the page as it is
    if float(osd.get("orientation_conf", 0.0)) < OSD_MIN_CONFIDENCE:
        return None
    return int(osd.get("rotate", 0)) % 360


def quarter_turn(gray: np.ndarray, pixels_per_point: float = DEFAULT_PIXELS_PER_POINT) -> tuple[np.ndarray, int]:
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


def ragged_votes(gray: np.ndarray, boxes: list[BBox], pixels_per_point: float = DEFAULT_PIXELS_PER_POINT) -> tuple[int, int]:
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
                               pixels_per_point: float = DEFAULT_PIXELS_PER_POINT) -> bool | None:
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


def upside_down(gray: np.ndarray, boxes: list[BBox], pixels_per_point: float = DEFAULT_PIXELS_PER_POINT, *,
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
