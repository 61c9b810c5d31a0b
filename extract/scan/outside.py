"""Text lines outside the tables of a scanned page (title, year, unit, signatures), found
as runs of ink rows and, within a line, runs of ink columns."""

from __future__ import annotations

import numpy as np

from ..model import BBox
from ..ocr.crops import runs
from .analysis import ScanPage
from .cleanup import OCR_INK_LEVEL

# --- text outside the tables (title, year, unit, signatures) --------------------------
# Ink rows separated by at most this (points) belong to one text line: the gap inside a
# line of CJK is 0, between lines of 10–16 pt type at least ~3 pt.
OUTSIDE_LINE_GAP_PT = 1.5
# A text line is at least this tall (smaller is speckle or a ruling-line remnant) and at
# most this tall (taller is a stamp, a signature or a photo, not printed type).
OUTSIDE_MIN_HEIGHT_PT = 4.0
OUTSIDE_MAX_HEIGHT_PT = 40.0
# Within a line, ink separated by more than this (points) is a separate piece (a title
# centred on the page and a page number at its right edge are read separately).
OUTSIDE_PIECE_GAP_PT = 20.0
# Ink this close to a table (points) is the table's border, not outside text.
TABLE_MARGIN_PT = 3.0
# Each piece is sent with this much white around it (points): the engine treats a request
# as a cell and drops ink on its edges as ruling lines, which cut the title's glyphs.
OUTSIDE_PAD_PT = 3.0
# Pixels near the page edge (points) are scanner borders and punched holes.
PAGE_EDGE_PT = 12.0


def outside_text_boxes(page: ScanPage) -> list[list[BBox]]:
    """Text lines outside every table, top to bottom; each line as its pieces' boxes."""
    ppp = page.pixels_per_point
    ink = page.ocr_image < int(OCR_INK_LEVEL * 255)
    h, w = ink.shape
    edge = int(PAGE_EDGE_PT * ppp)
    ink[:edge, :] = False
    ink[h - edge:, :] = False
    ink[:, :edge] = False
    ink[:, w - edge:] = False
    margin = int(TABLE_MARGIN_PT * ppp)
    for table in page.tables:
        b = table.bbox
        ink[max(0, int(b.top) - margin): int(b.bottom) + margin + 1,
            max(0, int(b.x0) - margin): int(b.x1) + margin + 1] = False
    pad = OUTSIDE_PAD_PT * ppp
    lines: list[list[BBox]] = []
    for top, bottom in runs(np.asarray(ink.any(axis=1)), int(OUTSIDE_LINE_GAP_PT * ppp)):
        if not OUTSIDE_MIN_HEIGHT_PT * ppp <= bottom - top <= OUTSIDE_MAX_HEIGHT_PT * ppp:
            continue
        pieces = [
            BBox(max(0.0, x0 - pad), max(0.0, top - pad), min(float(w), x1 + pad), min(float(h), bottom + pad))
            for x0, x1 in runs(np.asarray(ink[top:bottom].any(axis=0)), int(OUTSIDE_PIECE_GAP_PT * ppp))
            if x1 - x0 >= OUTSIDE_MIN_HEIGHT_PT * ppp
        ]
        if pieces:
            lines.append(pieces)
    return lines
