"""Ruling lines of a page image → Segments, then the shared grid builder.

``find_lines``: close pinholes along each direction, keep long thin runs by a
morphological opening, turn each connected run into one straight Segment (its ink
centre line), and drop strokes that touch no line of the other direction (underlines,
long glyph strokes, the title's 一). ``lines_to_tables`` hands the Segments to
``grid.build.segments_to_tables`` with its tolerances scaled to pixels, so the image
path and the vector path build grids the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from ..grid.build import GridSettings, segments_to_tables
from ..model import DEFAULT_PIXELS_PER_POINT, Segment, Table


@dataclass(frozen=True)
class LineSettings:
    """Line-finder sizes in points (converted with ``pixels_per_point``)."""

    pixels_per_point: float = DEFAULT_PIXELS_PER_POINT
    # Pinholes and dropouts shorter than this are closed before the opening, so a faint
    # or JPEG-eroded line is not cut into pieces shorter than the opening. Longer breaks
    # are bridged later (``bridge_pt``). Kept below the 1–1.5 pt between two CJK glyphs:
    # at 1.5 pt the aligned bottom strokes of a text line fused into "lines" (measured:
    # 200/300 dpi grids lost 40–60% of cells; 1.0 pt: none).
    gap_pt: float = 1.0
    # The opening keeps runs at least this long: longer than any glyph stroke of body
    # text (≤ 12 pt type, strokes ≤ 11 pt), shorter than the narrowest cell (≈ 25 pt).
    min_run_pt: float = 14.0
    # Runs this thick or thinner are lines; thicker blobs are filled areas (shaded
    # cells, stamps) and give their outline instead.
    max_thickness_pt: float = 4.0
    # A run shorter than this must touch two lines of the other direction to be kept;
    # a longer one (e.g. a border piece cut by a break) needs to touch one.
    long_line_pt: float = 40.0
    # Collinear pieces of one line (centres within ``collinear_pt``) separated by at most
    # ``bridge_pt`` are one broken line: scans lose stretches of faint lines; a deliberate
    # gap (a merged cell) is at least a cell wide (≥ 25 pt).
    collinear_pt: float = 2.0
    bridge_pt: float = 8.0
    # A kept line whose end stops at most this far (points) before a crossing line is
    # extended to it when the stretch between is a break (a break near a corner leaves a
    # stub shorter than the opening, which the opening removed): see ``_extend_ends``.
    extend_pt: float = 20.0
    # Text-line impostors: the aligned bottom (or top) strokes of a line of CJK glyphs
    # form a long horizontal run. Unlike a ruling line, glyph strokes hang off it: the
    # share of its length where ink continues more than ``attached_pt`` across it is
    # ≤ 0.14 for real lines (crossings, touching text) and ≥ 0.2 for text runs, measured
    # on degraded scans at 150–300 dpi; 0.12 because a real line failing this test but
    # crossing 3+ lines is kept anyway, while a text run crosses at most its cell's 2. Lines crossing ``sure_crossings`` or more lines
    # of the other direction are kept without this test.
    attached_pt: float = 2.0
    max_attached: float = 0.12
    sure_crossings: int = 3
    # Longer gaps in a line (up to ``erased_gap_pt``) are bridged when they look erased, not
    # drawn so: see ``_bridge_erased``. Scans lose stretches of up to a third of an inch
    # (≈ 25 pt) of a faint line; a merged cell's missing border runs junction to junction.
    erased_gap_pt: float = 30.0
    # Inside such a gap, ink at the line's position over this share of the gap (beyond the
    # crossing lines) is text written across it (a merged cell), unless it covers at least
    # ``remnant_share`` (what is left of a faint line).
    text_share: float = 0.08
    remnant_share: float = 0.85
    # How far (points) a run's end may stop short of a crossing line and still touch it:
    # broken corners and the half-thickness of both lines.
    touch_pt: float = 4.0

    def px(self, points: float) -> int:
        return max(1, round(points * self.pixels_per_point))


def _line_mask(binary: np.ndarray, settings: LineSettings, horizontal: bool) -> np.ndarray:
    """Ink pixels belonging to long thin runs in one direction (255 = line)."""
    gap, run = settings.px(settings.gap_pt), settings.px(settings.min_run_pt)
    along = (lambda n: (n, 1)) if horizontal else (lambda n: (1, n))
    closed = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, along(gap)))
    return cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, along(run)))


def line_masks(binary: np.ndarray, settings: LineSettings) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical line masks of an ink mask (255 = ink)."""
    return _line_mask(binary, settings, True), _line_mask(binary, settings, False)


def _mask_segments(mask: np.ndarray, settings: LineSettings, horizontal: bool) -> list[Segment]:
    """One straight Segment per connected run; filled blobs give their two long edges."""
    n, _labels, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    thick = settings.max_thickness_pt * settings.pixels_per_point
    min_len = settings.min_run_pt * settings.pixels_per_point
    segments: list[Segment] = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        length, _across = (w, h) if horizontal else (h, w)
        if length < min_len:
            continue
        mean_thickness = area / max(length, 1)
        if mean_thickness > thick:  # a filled area: its outline carries the borders
            if horizontal:
                segments += [Segment(x, y, x + w - 1, y), Segment(x, y + h - 1, x + w - 1, y + h - 1)]
            else:
                segments += [Segment(x, y, x, y + h - 1), Segment(x + w - 1, y, x + w - 1, y + h - 1)]
            continue
        cx, cy = centroids[i]
        if horizontal:
            segments.append(Segment(float(x), float(cy), float(x + w - 1), float(cy)))
        else:
            segments.append(Segment(float(cx), float(y), float(cx), float(y + h - 1)))
    return segments


def _axis(horizontal: bool) -> tuple[Callable[[Segment], float], Callable[[Segment], tuple[float, float]]]:
    """(position across the line, extent along it) of a segment, for one direction."""
    if horizontal:
        return (lambda s: s.top), (lambda s: (s.x0, s.x1))
    return (lambda s: s.x0), (lambda s: (s.top, s.bottom))


def _collinear_rows(
    segments: list[Segment], pos: Callable[[Segment], float], tol: float
) -> list[list[Segment]]:
    """Segments grouped into lines: sorted by position, chained within ``tol``."""
    rows: list[list[Segment]] = []
    for seg in sorted(segments, key=pos):
        if rows and pos(seg) - pos(rows[-1][-1]) <= tol:
            rows[-1].append(seg)
        else:
            rows.append([seg])
    return rows


def _bridge(segments: list[Segment], settings: LineSettings, horizontal: bool) -> list[Segment]:
    """Join collinear pieces of broken lines (one direction)."""
    tol = settings.collinear_pt * settings.pixels_per_point
    gap = settings.bridge_pt * settings.pixels_per_point
    pos, span = _axis(horizontal)
    rows = _collinear_rows(segments, pos, tol)
    joined: list[Segment] = []
    for row in rows:
        row.sort(key=lambda s: span(s)[0])
        chain = [row[0]]
        pending: list[Segment | None] = [*row[1:], None]
        for nxt in pending:
            if nxt is not None and span(nxt)[0] <= max(span(c)[1] for c in chain) + gap:
                chain.append(nxt)
                continue
            a = min(span(c)[0] for c in chain)
            b = max(span(c)[1] for c in chain)
            weights = [span(c)[1] - span(c)[0] + 1 for c in chain]
            p = sum(pos(c) * w for c, w in zip(chain, weights)) / sum(weights)
            joined.append(Segment(a, p, b, p) if horizontal else Segment(p, a, p, b))
            if nxt is not None:
                chain = [nxt]
    return joined


def _crossings(seg: Segment, others: list[Segment], tol: float) -> int:
    """How many perpendicular segments ``seg`` touches or crosses."""
    count = 0
    if seg.horizontal:
        y = seg.top
        for o in others:
            if seg.x0 - tol <= o.x0 <= seg.x1 + tol and o.top - tol <= y <= o.bottom + tol:
                count += 1
    else:
        x = seg.x0
        for o in others:
            if seg.top - tol <= o.top <= seg.bottom + tol and o.x0 - tol <= x <= o.x1 + tol:
                count += 1
    return count


def attached_share(binary: np.ndarray, seg: Segment, settings: LineSettings) -> float:
    """Share of a line's length where ink runs across it for more than ``attached_pt``
    (glyph strokes hanging off a text baseline; crossings and touching text for a line)."""
    ppp = settings.pixels_per_point
    reach = max(2, round(settings.attached_pt * 1.5 * ppp))
    limit = settings.attached_pt * ppp
    img = binary if seg.horizontal else binary.T
    pos, a, b = (seg.top, seg.x0, seg.x1) if seg.horizontal else (seg.x0, seg.top, seg.bottom)
    p = round(pos)
    lo = max(0, p - reach)
    band = img[lo: p + reach + 1, max(0, int(a)): int(b) + 1] > 0
    if band.size == 0:
        return 0.0
    centre = p - lo
    runs = np.zeros(band.shape[1])
    for c in (centre - 1, centre, centre + 1):  # the fitted centre may be a pixel off
        if 0 <= c < band.shape[0]:
            up = np.cumprod(band[c::-1], axis=0).sum(axis=0)
            down = np.cumprod(band[c:], axis=0).sum(axis=0)
            runs = np.maximum(runs, up + down - 1)
    return float((runs > limit).mean())


def _keep_ruled(horizontal: list[Segment], vertical: list[Segment],
                settings: LineSettings, binary: np.ndarray | None = None) -> list[Segment]:
    """Drop strokes that are not part of a ruled structure (two passes: a dropped
    underline may have been the only support of a short stroke)."""
    tol = settings.touch_pt * settings.pixels_per_point
    long_len = settings.long_line_pt * settings.pixels_per_point

    def supported(seg: Segment, others: list[Segment]) -> bool:
        length = (seg.x1 - seg.x0) if seg.horizontal else (seg.bottom - seg.top)
        need = 1 if length >= long_len else 2
        crossings = _crossings(seg, others, tol)
        if crossings < need:
            return False
        if crossings >= settings.sure_crossings or binary is None:
            return True
        return attached_share(binary, seg, settings) <= settings.max_attached

    all_h, all_v = horizontal, vertical
    for _ in range(2):
        h_kept = [s for s in horizontal if supported(s, vertical)]
        v_kept = [s for s in vertical if supported(s, horizontal)]
        if len(h_kept) == len(horizontal) and len(v_kept) == len(vertical):
            break
        horizontal, vertical = h_kept, v_kept
    return (horizontal + _broken_off(all_h, horizontal, settings, True)
            + vertical + _broken_off(all_v, vertical, settings, False))


def _broken_off(candidates: list[Segment], kept: list[Segment], settings: LineSettings,
                horizontal: bool) -> list[Segment]:
    """Dropped pieces in line with a kept line, at most ``erased_gap_pt`` from its end: the
    rest of a line that a scan broke (the piece left of an erased stretch touches only
    one crossing line and was dropped; ``_bridge_erased`` then decides whether the gap
    is an erased stretch or a merged cell's missing border)."""
    pos, span = _axis(horizontal)
    collinear = settings.collinear_pt * settings.pixels_per_point
    max_gap = settings.erased_gap_pt * settings.pixels_per_point
    kept_ids = {id(k) for k in kept}
    out = []
    for seg in candidates:
        if id(seg) in kept_ids:
            continue
        a, b = span(seg)
        if any(abs(pos(k) - pos(seg)) <= collinear
               and (0 <= span(k)[0] - b <= max_gap or 0 <= a - span(k)[1] <= max_gap) for k in kept):
            out.append(seg)
    return out


def _ink_run(binary: np.ndarray, horizontal: bool, pos: float, start: float, stop: float,
             radius: int, pinhole: int) -> float:
    """Length of the ink run along a line at ``pos`` from ``start`` towards ``stop``
    (pixels with ink within ``radius`` of the line, pinholes up to ``pinhole`` bridged)."""
    lo, hi = round(min(start, stop)), round(max(start, stop))
    if hi <= lo:
        return 0.0
    p = round(pos)
    hits: np.ndarray
    if horizontal:
        hits = np.asarray(binary[max(0, p - radius): p + radius + 1, max(0, lo): hi + 1].any(axis=0))
    else:
        hits = np.asarray(binary[max(0, lo): hi + 1, max(0, p - radius): p + radius + 1].any(axis=1))
    if start > stop:
        hits = hits[::-1]
    run = misses = 0
    for hit in hits:
        if hit:
            run += misses + 1
            misses = 0
        else:
            misses += 1
            if misses > pinhole:
                break
    return float(run)


def _extend_ends(segments: list[Segment], binary: np.ndarray, settings: LineSettings) -> list[Segment]:
    """Extend each line to a crossing line just beyond either end when the stretch between
    is a break: ink continuing from both sides leaves at most ``bridge_pt`` unexplained.
    (Text near a junction does not qualify: it is not connected to the crossing line.)"""
    reach = settings.extend_pt * settings.pixels_per_point
    tol = settings.touch_pt * settings.pixels_per_point
    bridge = settings.bridge_pt * settings.pixels_per_point
    radius = max(1, settings.px(1.0))
    pinhole = settings.px(settings.gap_pt)
    horizontal = [s for s in segments if s.horizontal]
    vertical = [s for s in segments if not s.horizontal]

    def is_break(pos: float, end: float, crossing: float, horiz: bool) -> bool:
        stretch = abs(crossing - end)
        from_line = _ink_run(binary, horiz, pos, end, crossing, radius, pinhole)
        from_crossing = _ink_run(binary, horiz, pos, crossing, end, radius, pinhole)
        return stretch - from_line - from_crossing <= bridge

    out: list[Segment] = []
    for seg, others in [(s, vertical) for s in horizontal] + [(s, horizontal) for s in vertical]:
        if seg.horizontal:
            pos, a, b = seg.top, seg.x0, seg.x1
            crossing = [o.x0 for o in others if o.top - tol <= pos <= o.bottom + tol]
        else:
            pos, a, b = seg.x0, seg.top, seg.bottom
            crossing = [o.top for o in others if o.x0 - tol <= pos <= o.x1 + tol]
        before = [c for c in crossing if a - reach <= c < a - tol]
        after = [c for c in crossing if b + tol < c <= b + reach]
        if before and is_break(pos, a, max(before), seg.horizontal):
            a = max(before)
        if after and is_break(pos, b, min(after), seg.horizontal):
            b = min(after)
        out.append(Segment(a, pos, b, pos) if seg.horizontal else Segment(pos, a, pos, b))
    return out


def _gap_ink_share(binary: np.ndarray, horizontal: bool, pos: float, g0: float, g1: float,
                   skip: list[float], radius: int, keep_out: float) -> float:
    """Share of the gap [g0, g1] along a line at ``pos`` with ink within ``radius`` of it,
    positions within ``keep_out`` of a crossing line (``skip``) left out."""
    lo, hi = int(round(g0)), int(round(g1))
    if hi <= lo:
        return 0.0
    p = int(round(pos))
    if horizontal:
        hits = np.asarray(binary[max(0, p - radius): p + radius + 1, max(0, lo): hi].any(axis=0))
    else:
        hits = np.asarray(binary[max(0, lo): hi, max(0, p - radius): p + radius + 1].any(axis=1))
    where = np.arange(max(0, lo), max(0, lo) + hits.size, dtype=np.float64)
    keep = np.ones(hits.size, dtype=bool)
    for c in skip:
        keep &= np.abs(where - c) > keep_out
    return float(hits[keep].mean()) if keep.any() else 0.0


def _bridge_erased(segments: list[Segment], binary: np.ndarray, settings: LineSettings) -> list[Segment]:
    """Join collinear pieces across gaps of up to ``erased_gap_pt`` that are erased
    stretches of one line, not the missing border of a merged cell.

    A merged cell's border is missing from junction to junction and its text often runs
    across where the line would be. An erased stretch starts or ends away from a junction
    (or a crossing line runs through it) and has no ink, or the faint remnant of the line
    along its whole length, at the line's position."""
    ppp = settings.pixels_per_point
    tol = settings.touch_pt * ppp
    collinear = settings.collinear_pt * ppp
    max_gap = settings.erased_gap_pt * ppp
    radius = max(1, settings.px(1.0))
    horizontal = [s for s in segments if s.horizontal]
    vertical = [s for s in segments if not s.horizontal]
    out: list[Segment] = []
    for group, others, horiz in ((horizontal, vertical, True), (vertical, horizontal, False)):
        pos, span = _axis(horiz)
        for row in _collinear_rows(group, pos, collinear):
            row.sort(key=lambda s: span(s)[0])
            p = sum(pos(s) for s in row) / len(row)
            # crossing lines at this line's position: (their position, their extent)
            crossing = [(o.x0, (o.top, o.bottom)) if horiz else (o.top, (o.x0, o.x1)) for o in others]
            touching = [(c, (e0, e1)) for c, (e0, e1) in crossing if e0 - tol <= p <= e1 + tol]
            a, b = span(row[0])
            for nxt in [*row[1:], None]:
                if nxt is not None:
                    g0, g1 = b, span(nxt)[0]
                    if g1 <= b or (g1 - g0 <= max_gap and _is_erased(binary, horiz, p, g0, g1, touching, tol,
                                                                      radius, settings)):
                        b = max(b, span(nxt)[1])
                        continue
                out.append(Segment(a, p, b, p) if horiz else Segment(p, a, p, b))
                if nxt is not None:
                    a, b = span(nxt)
    return out


def _is_erased(binary: np.ndarray, horizontal: bool, pos: float, g0: float, g1: float,
               touching: list[tuple[float, tuple[float, float]]], tol: float, radius: int,
               settings: LineSettings) -> bool:
    at_start = any(abs(c - g0) <= tol for c, _ in touching)
    at_end = any(abs(c - g1) <= tol for c, _ in touching)
    through = any(g0 + tol < c < g1 - tol and e0 < pos - tol and e1 > pos + tol for c, (e0, e1) in touching)
    share = _gap_ink_share(binary, horizontal, pos, g0, g1, [c for c, _ in touching], radius, tol)
    if share >= settings.remnant_share:
        return True
    if share > settings.text_share:
        return False
    return through or not (at_start and at_end)


def find_lines(binary: np.ndarray, *, settings: LineSettings | None = None) -> list[Segment]:
    """Ruling lines of an ink mask (255 = ink) as straight Segments in pixels."""
    settings = settings or LineSettings()
    h_mask, v_mask = line_masks(binary, settings)
    horizontal = _bridge(_mask_segments(h_mask, settings, True), settings, True)
    vertical = _bridge(_mask_segments(v_mask, settings, False), settings, False)
    kept = _bridge_erased(_keep_ruled(horizontal, vertical, settings, binary), binary, settings)
    return _extend_ends(kept, binary, settings)


def lines_to_tables(segments: list[Segment], page: int, pixels_per_point: float,
                    grid: GridSettings | None = None) -> list[Table]:
    """The shared grid builder on pixel segments (tolerances given in points)."""
    return segments_to_tables(segments, page, (grid or GridSettings()).scaled(pixels_per_point))
