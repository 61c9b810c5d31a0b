"""Cell images → text-line crops, shared by the OCR engines.

Each requested cell is cut from the page, the ruling lines along its edges are
blanked (text touching a border must not be read with the line, docs/forms.md §5), and
its ink is split into text lines by a horizontal projection profile. Engines then
recognise the line crops in one batch per page, so nothing is read across a cell
border and multi-line cells come out top to bottom.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import cv2
import numpy as np

from ..model import PAPER_PERCENTILE, BBox

# A row (column) near a cell edge is a ruling line when at least this share of its
# pixels is ink: a blurred or faint scanned line still fills most of it, while the
# stroke of a character touching the line fills less than half of a one-line cell.
RULE_INK_SHARE = 0.7
# How far from the box edge a ruling line may lie, in pixels: grid boxes run along
# line centres, lines are 1–4 px thick at 150–300 dpi, and a deskewed grid is off by a
# pixel or two. Text touching a line starts 1 pt (2–4 px) inside it, so no wider.
RULE_SEARCH_PX = 5
# Ink gaps of up to this many rows inside a text line are bridged (thin strokes, JPEG).
LINE_GAP_PX = 1
# A run of ink rows lower than this many pixels is noise or a rule remnant, not text
# (a character at 150 dpi in 6 pt type is 12 px high).
MIN_LINE_HEIGHT_PX = 4
# Runs closer than this share of the taller one belong to one line (二, 三, 〓 split a
# line with only a few such characters into bands).
LINE_MERGE_GAP_SHARE = 0.35
# …unless the merged line would be this much higher than the page's typical line.
LINE_MERGE_MAX_SHARE = 1.45
# A line whose ink is smaller than this share of the page's typical line height both ways
# is a speck or a lone punctuation mark. Right under a cell's text and within its
# x-range, it is the `。` an exporter wrapped onto a line of its own: it is read appended
# to the line above (alone, in a crop of its own size, the recogniser reads `a`, `0`, `o`
# or `6`). Elsewhere it is scanner dust or a stamp's dot, and dropped (300 dpi: `14.50`
# with a 5 × 5 px speck at the cell's bottom right read `14.50+`).
SPECK_SHARE = 0.4
# A stroke at most STUB_WIDTH_SHARE of the typical line height wide and STUB_HEIGHT_RATIO
# times taller than the text of its line, more than a line height away from that text, is
# the stub of a rule (see _line_columns).
STUB_WIDTH_SHARE = 0.25
STUB_HEIGHT_RATIO = 1.5
# A line at most this share of the typical line height high, against the cell's top or
# bottom edge, is the remnant of a broken rule (see _rule_remnant).
REMNANT_HEIGHT_SHARE = 0.5
# What a lone flat stroke may be read as; any other reading of it (the recogniser reads a
# 200 dpi `—` as `1` at 0.98) is replaced by `-`.
DASH_READINGS = frozenset("-—–―一_~－")


def dash_reading(crop: LineCrop, text: str) -> bool:
    """Whether ``text`` is a possible reading of ``crop``: anything for a line of text; a
    dash-like mark only for a lone flat stroke (``crop.dash``)."""
    return not crop.dash or (bool(text.strip()) and set(text.strip()) <= DASH_READINGS)


# Confidence given to a dash read by its shape alone (the recognisers return nothing
# for a lone `-` in 6 pt type at 150 dpi).
DASH_CONFIDENCE = 0.5
# Padding around a line's ink in the crop given to the recogniser, as a share of its
# height. Measured on 150–300 dpi pages: 0.5 loses decimal points and digits (the text
# shrinks in the 48 px recogniser input), 0.1–0.25 read best.
LINE_PAD_SHARE = 0.2
# A line's crop takes in faint ink (darker than halfway from the ink threshold to the
# paper) beyond its first and last ink columns, up to this share of its height away: a
# faint closing `。` lies partly above the ink threshold, and a crop ending at its last
# dark pixel cut it in half (read as nothing). Wider blank margins on both sides instead
# made short cells read worse (`40` read `4`).
FAINT_REACH_SHARE = 0.6


@dataclass(frozen=True)
class LineCrop:
    """One text line of one cell: the cell's index, the line's box in page pixels and
    its image (grey, rules blanked, background of the page)."""

    cell: int
    bbox: BBox
    image: np.ndarray
    dash: bool = False  # a lone short stroke: read as `-` when the recogniser sees nothing


def ink_threshold(image: np.ndarray) -> float:
    """Grey level below which a pixel is ink: Otsu on the page."""
    thr, _ = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return float(thr)


def _clip_box(bbox: BBox, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    h, w = shape[:2]
    x0 = int(np.clip(round(bbox.x0), 0, w))
    x1 = int(np.clip(round(bbox.x1), 0, w))
    y0 = int(np.clip(round(bbox.top), 0, h))
    y1 = int(np.clip(round(bbox.bottom), 0, h))
    return x0, y0, x1, y1


def _edge_rules(share: np.ndarray) -> np.ndarray:
    """Which positions of a 1-d ink-share profile belong to a ruling line at either end."""
    n = share.size
    rules = np.zeros(n, dtype=bool)
    band = min(n, RULE_SEARCH_PX)
    for inward, positions in ((1, range(band)), (-1, range(n - 1, n - 1 - band, -1))):
        hits = [p for p in positions if share[p] >= RULE_INK_SHARE]
        if not hits:
            continue
        # from the edge up to the innermost line position; no fringe beyond it, as text
        # may start in the very next column
        inner = hits[-1]
        edge = 0 if inward == 1 else n - 1
        lo, hi = sorted((edge, inner))
        rules[lo : hi + 1] = True
    return rules


def _blank_rules(ink: np.ndarray) -> np.ndarray:
    """Mask of the ruling-line pixels along the four edges of a cell's ink mask."""
    rules = np.zeros_like(ink, dtype=bool)
    if ink.size == 0:
        return rules
    rules[_edge_rules(ink.mean(axis=1)), :] = True
    rules[:, _edge_rules(ink.mean(axis=0))] = True
    return rules


def runs(mask: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """[start, end) runs of True in a 1-d mask, bridging gaps of up to `gap`."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) > gap + 1)
    starts = np.concatenate(([idx[0]], idx[breaks + 1]))
    ends = np.concatenate((idx[breaks], [idx[-1]])) + 1
    return list(zip(starts.tolist(), ends.tolist()))


def _merge_bands(bands: list[tuple[int, int]], typical: float) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for y0, y1 in bands:
        if out:
            p0, p1 = out[-1]
            taller = max(p1 - p0, y1 - y0)
            if (y0 - p1) <= LINE_MERGE_GAP_SHARE * taller and (
                y1 - p0
            ) <= LINE_MERGE_MAX_SHARE * typical:
                out[-1] = (p0, y1)
                continue
        out.append((y0, y1))
    return out


@dataclass(frozen=True)
class CellInk:
    x0: int
    y0: int
    grey: np.ndarray  # the cell with its rules painted in background grey
    ink: np.ndarray  # ink mask without rules
    bands: list[tuple[int, int]]
    inner: tuple[int, int]  # rows between the top and the bottom ruling line
    faint: np.ndarray  # faint ink mask (halfway to the paper) without rules


def _inner_span(rule_rows: np.ndarray) -> tuple[int, int]:
    """[first, end) rows of a cell not covered by the rules along its top and bottom."""
    n = rule_rows.size
    top = 0
    while top < n and rule_rows[top]:
        top += 1
    bottom = n
    while bottom > top and rule_rows[bottom - 1]:
        bottom -= 1
    return top, bottom


def cell_ink(image: np.ndarray, bbox: BBox, threshold: float) -> CellInk | None:
    """A cell's grey image and ink with its rules blanked, and its ink rows as bands
    (None for a box too small to hold text)."""
    x0, y0, x1, y1 = _clip_box(bbox, image.shape)
    if x1 - x0 < 3 or y1 - y0 < 3:
        return None
    grey = image[y0:y1, x0:x1].copy()
    ink = grey < threshold
    paper = grey[~ink]
    background = int(np.median(paper)) if paper.size else 255
    # Thin ruling lines blur to grey and are only partly darker than the ink threshold;
    # find them with a threshold halfway to the paper.
    faint = grey < (threshold + background) / 2
    rules = _blank_rules(faint)
    grey[rules] = background
    ink &= ~rules
    bands = [
        (a, b) for a, b in runs(np.asarray(ink.any(axis=1)), LINE_GAP_PX) if ink[a:b].sum() >= 3
    ]
    return CellInk(x0, y0, grey, ink, bands, _inner_span(np.asarray(rules.all(axis=1))),
                   faint & ~rules)


def median_line_height(cells: Iterable[CellInk | None]) -> float | None:
    """Median height of the ink lines of ``cells`` (runs lower than MIN_LINE_HEIGHT_PX
    are noise), or None when there is none."""
    heights = [
        b - a for c in cells if c is not None for a, b in c.bands if b - a >= MIN_LINE_HEIGHT_PX
    ]
    return float(np.median(heights)) if heights else None


def cell_line_crops(
    image: np.ndarray, boxes: list[BBox], threshold: float | None = None
) -> list[LineCrop]:
    """The text lines of every cell in `boxes`, cells in order, lines top to bottom.
    An empty cell gives no line."""
    thr = ink_threshold(image) if threshold is None else threshold
    cells = [cell_ink(image, b, thr) for b in boxes]
    typical = median_line_height(cells) or 0.0
    out: list[LineCrop] = []
    for index, cell in enumerate(cells):
        if cell is not None:
            out.extend(_cell_lines(index, cell, typical))
    return out


def _cell_lines(index: int, cell: CellInk, typical: float) -> list[LineCrop]:
    """The line crops of one cell (see cell_line_crops)."""
    lines = _merge_bands(cell.bands, typical or 1e9)
    h, w = cell.ink.shape
    extents = [_line_columns(cell.ink[a:b], typical) for a, b in lines]
    lines = [_rows_of(cell.ink, a, b, cols) for (a, b), cols in zip(lines, extents)]
    specks = [_is_speck(b - a, cols, typical) for (a, b), cols in zip(lines, extents)]
    stray = _stray_specks(lines, extents, specks, typical)
    out: list[LineCrop] = []
    previous: tuple[int, int, int] | None = None  # last text line: ink bottom, crop rows
    for (a, b), cols, speck, drop in zip(lines, extents, specks, stray):
        if cols.size == 0 or drop or _rule_remnant(a, b, cols, cell, typical):
            continue
        line_h = b - a
        dash = False
        if speck and previous is not None and not all(specks):
            # a mark closing the text above (`。` wrapped onto a line of its own): read as
            # the end of that line, where the exporter would have set it
            out[-1] = _with_mark(out[-1], cell, previous, (a, b), cols)
            continue
        if line_h < MIN_LINE_HEIGHT_PX:
            # too low for text, but a lone short stroke is a placeholder dash (`-`):
            # read it in a crop of the page's line height. A dash is set in the middle
            # of its cell; a stroke against its top or bottom edge is a bit of the rule
            # (the blank piece of a split 一级 分值 cell read `—` and lost its block).
            dash = (len(lines) == 1 and 2 * line_h <= cols.size <= 2 * (typical or 0)
                    and not _against_edge(a, b, cell))
            if not dash:
                continue
            line_h = int(typical)
            a = max(0, (a + b - line_h) // 2)
            b = min(h, a + line_h)
        pad = max(2, round(LINE_PAD_SHARE * line_h))
        ya, yb = max(0, a - pad), min(h, b + pad)
        left, right = _faint_ends(cell, a, b, cols, line_h)
        xa, xb = max(0, left - pad), min(w, right + 1 + pad)
        box = BBox(cell.x0 + xa, cell.y0 + ya, cell.x0 + xb, cell.y0 + yb)
        out.append(LineCrop(index, box, cell.grey[ya:yb, xa:xb], dash))
        previous = (b, ya, yb)
    return out


def _line_columns(ink: np.ndarray, typical: float) -> np.ndarray:
    """The ink columns of one line, without what is left of a rule beside the text:
    a sliver at either cell edge (RULE_SEARCH_PX; none at all when the line is only
    that), or a thin stroke (STUB_WIDTH_SHARE of
    the line height wide) taller than the text beside it (STUB_HEIGHT_RATIO), each more
    than a line height away from the rest (read, a stub turns `98.7` into `|98.7`, `198.7`)."""
    cols = np.flatnonzero(ink.any(axis=0))
    w = ink.shape[1]

    def at_side(run: np.ndarray) -> bool:  # ink columns all next to the left or right rule
        return bool(run[-1] < RULE_SEARCH_PX or run[0] >= w - RULE_SEARCH_PX)

    if cols.size and w > 4 * RULE_SEARCH_PX and at_side(cols):
        return cols[:0]  # a sliver of a side rule alone (read `1`: `3.0` became `3.01`)
    if cols.size < 2 or typical <= 0:
        return cols
    groups = np.split(cols, np.flatnonzero(np.diff(cols) > typical) + 1)
    if len(groups) < 2:
        return cols
    inner = [g for g in groups if not at_side(g)]
    if len(inner) < 2:
        return np.concatenate(inner) if inner else cols
    heights = [int(np.ptp(np.flatnonzero(ink[:, g].any(axis=1)))) + 1 for g in inner]

    def stub(k: int) -> bool:
        g = inner[k]
        thin = g[-1] - g[0] + 1 <= max(2, STUB_WIDTH_SHARE * typical)
        return thin and heights[k] >= STUB_HEIGHT_RATIO * max(h for j, h in enumerate(heights) if j != k)

    kept = [g for k, g in enumerate(inner) if not stub(k)]
    return np.concatenate(kept or inner)


def _faint_ends(cell: CellInk, a: int, b: int, cols: np.ndarray, line_h: int) -> tuple[int, int]:
    """First and last column of a line's ink, moved out to the outermost faint ink within
    FAINT_REACH_SHARE of its height on either side."""
    reach = max(1, round(FAINT_REACH_SHARE * line_h))
    faint = np.flatnonzero(cell.faint[a:b].any(axis=0))
    left, right = int(cols[0]), int(cols[-1])
    near_left = faint[(faint < left) & (faint >= left - reach)]
    near_right = faint[(faint > right) & (faint <= right + reach)]
    return (int(near_left[0]) if near_left.size else left,
            int(near_right[-1]) if near_right.size else right)


def _rows_of(ink: np.ndarray, a: int, b: int, cols: np.ndarray) -> tuple[int, int]:
    """The rows [a, b) narrowed to those with ink in ``cols`` (a dropped stub was taller)."""
    if cols.size == 0:
        return a, b
    rows = np.flatnonzero(ink[a:b][:, cols].any(axis=1))
    return (a + int(rows[0]), a + int(rows[-1]) + 1) if rows.size else (a, b)


def _rule_remnant(a: int, b: int, cols: np.ndarray, cell: CellInk, typical: float) -> bool:
    """Whether the line [a, b) is what is left of a broken top or bottom rule: flat
    (REMNANT_HEIGHT_SHARE of the typical line height at most), at least a line height
    long, and against the cell's top or bottom edge, where text never is (read, it adds
    a `1` to a number: `2.1` read `12.1`)."""
    if typical <= 0 or b - a > REMNANT_HEIGHT_SHARE * typical or cols.size < typical:
        return False
    return _against_edge(a, b, cell)


def _against_edge(a: int, b: int, cell: CellInk) -> bool:
    """Whether rows [a, b) lie against the cell's top or bottom ruling line."""
    first, end = cell.inner
    return a <= first + RULE_SEARCH_PX or b >= end - RULE_SEARCH_PX


def _with_mark(line: LineCrop, cell: CellInk, previous: tuple[int, int, int],
               mark: tuple[int, int], cols: np.ndarray) -> LineCrop:
    """``line`` with a closing mark from the line below appended at its right, the mark's
    ink bottom on the line's ink bottom (a `。` sits on the baseline of the CJK text)."""
    bottom, ya, yb = previous
    shift = mark[1] - bottom
    h, w = cell.grey.shape
    pad = max(2, round(LINE_PAD_SHARE * (yb - ya)))
    xa, xb = max(0, int(cols[0]) - pad), min(w, int(cols[-1]) + 1 + pad)
    paper = int(np.percentile(line.image, PAPER_PERCENTILE)) if line.image.size else 255
    patch = np.full((yb - ya, xb - xa), paper, dtype=cell.grey.dtype)
    src0, src1 = max(0, ya + shift), min(h, yb + shift)
    patch[src0 - (ya + shift) : src1 - (ya + shift)] = cell.grey[src0:src1, xa:xb]
    return replace(line, image=np.hstack([line.image, patch]))


def _is_speck(height: int, cols: np.ndarray, typical: float) -> bool:
    """Whether a line's ink is small both ways for the page's line height (SPECK_SHARE)."""
    width = int(cols[-1] - cols[0] + 1) if cols.size else 0
    return max(height, width) < SPECK_SHARE * typical


def _stray_specks(lines: list[tuple[int, int]], extents: list[np.ndarray], specks: list[bool],
                  typical: float) -> list[bool]:
    """Which lines of a cell are specks away from its text: not within the x-range of the
    cell's other lines, or not on the next line under them (ink bottom more than two line
    heights below the bottom of the line above). A cell of specks only keeps them (it may
    hold a lone mark)."""
    text = [cols for cols, speck in zip(extents, specks) if not speck and cols.size]
    if not text:
        return [False] * len(lines)
    left, right = min(int(c[0]) for c in text), max(int(c[-1]) for c in text)
    out = []
    for k, ((_, b), cols, speck) in enumerate(zip(lines, extents, specks)):
        above = [lines[j][1] for j in range(k) if not specks[j]]
        beside = bool(cols.size) and left <= int(cols[0]) and int(cols[-1]) <= right
        close = bool(above) and b - above[-1] <= 2 * typical
        out.append(speck and not (beside and close))
    return out


def normalise_crop(crop: np.ndarray, height: int) -> np.ndarray:
    """A line crop scaled to `height` pixels, paper stretched to white."""
    paper = float(np.percentile(crop, PAPER_PERCENTILE)) if crop.size else 255.0
    stretched = np.clip(crop.astype(np.float32) * (255.0 / max(paper, 1.0)), 0, 255)
    h, w = crop.shape
    scale = height / max(1, h)
    size = (max(1, round(w * scale)), height)
    interp = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
    return cv2.resize(stretched.astype(np.uint8), size, interpolation=interp)
