"""Phone photos: the sheet of paper found in the frame and flattened to an upright page.

A photo shows the page at an angle with the desk around it, under uneven, tinted light.
The paper is the largest bright region of the frame; its four corners (the extreme
points of its hull along the two diagonals) give a perspective transform onto an A4 page
at ``PAGE_DPI``, so the rest of the pipeline gets a page at a known resolution, as from a
scanner. The paper's tint is neutralised channel by channel. A flatbed scan, whose paper
fills the frame, is left as it is. A page that is too blurred or too small to read is
refused with its reason (``UnreadablePage``), never read into wrong rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ..errors import SelfEvalError
from .dewarp import Dewarp, dewarp

PAGE_DPI = 200.0
A4_MM = (210.0, 297.0)
# The paper must cover this share of the frame to be the page, and less than the upper
# share to be a photo at all (a flatbed scan's paper fills the frame).
MIN_PAPER_SHARE, MAX_PAPER_SHARE = 0.12, 0.90
# The paper must be this much brighter (grey levels, medians) than what lies around it: a
# desk is (64–131 on the sample photos); the margin of a scan is paper too (14 on a blank
# scanned page whose middle Otsu took for "the paper").
MIN_DESK_CONTRAST = 35.0
# Below this many photo pixels per millimetre of paper the print is not legible.
MIN_PIXELS_PER_MM = 2.4
# Variance of the Laplacian of the flattened page (at PAGE_DPI) below which it is too
# blurred to read (measured: sharp photos of the samples 65–200, the same blurred by
# a Gaussian of 2 pixels 11–14, which OCR reads badly).
MIN_SHARPNESS = 30.0
TILE, INK_TILE_STD = 64, 25.0  # sharpness is measured on the tiles with print in them
ANALYSIS_SIDE = 1000  # the long side of the copy the paper is looked for on
# A table cut off by the frame: the paper covers more than this share of an edge band
# EDGE_BAND pixels deep (on the analysis copy), and at least MIN_RULES_AT_EDGE ruling
# lines (straight runs MIN_RULE_SHARE_OF_FRAME of the frame long, found on a copy
# RULE_SIDE long) run into it.
EDGE_BAND = 3
PAPER_AT_EDGE_SHARE = 0.05
RULE_SIDE = 2000
MIN_RULE_SHARE_OF_FRAME = 0.03
MIN_RULES_AT_EDGE = 2
# With no desk to tell the paper by, the outer frame of the largest ruled table (covering
# at least MIN_TABLE_SHARE of the frame) is flattened instead, unless it is a rectangle
# within these tolerances (a scan, skewed or not, is read as it is). Forms are printed fit
# to width: the table is taken to span TABLE_WIDTH_SHARE of the page (A4 less two ~13 mm
# margins).
MIN_TABLE_SHARE = 0.08
FRAME_EDGE_SHARE = 0.01  # a table frame's corner this close to the frame's edge is cut off
# The frame's outline must lie within FRAME_FIT_PX (on the RULE_SIDE copy) of the four
# fitted sides for FRAME_FIT_SHARE of its length.
FRAME_FIT_PX = 4.0
FRAME_FIT_SHARE = 0.95
RECTANGLE_SIDE_TOLERANCE = 0.01
RECTANGLE_ANGLE_TOLERANCE = 0.5
TABLE_WIDTH_SHARE = 0.88


class UnreadablePage(SelfEvalError):
    """A photographed page that cannot be read; ``reason`` says why (without the file)."""

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message


@dataclass(frozen=True)
class FoundPage:
    """A photo's paper: its corners in the photo (TL, TR, BR, BL), the page flattened and
    its curl removed (``mesh``: the rules it was measured on)."""

    corners: np.ndarray
    image: np.ndarray
    dpi: float
    mesh: Dewarp | None = None


def _gray(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def _paper_mask(image: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """A grey copy ANALYSIS_SIDE long, its bright regions (255 = paper) and its scale."""
    gray = _gray(image)
    h, w = gray.shape
    scale = ANALYSIS_SIDE / max(h, w)
    small = cv2.resize(gray, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    _, mask = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)
    return small, cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel), scale


def paper_corners(image: np.ndarray) -> np.ndarray | None:
    """The four corners (TL, TR, BR, BL, in the image's pixels) of the largest bright
    region, or None when there is none or it fills the frame (a scan)."""
    return _corners_of(*_paper_mask(image))


def _corners_of(small: np.ndarray, mask: np.ndarray, scale: float) -> np.ndarray | None:
    """paper_corners on the analysis copy and its paper mask (``_paper_mask``)."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    paper = max(contours, key=cv2.contourArea)
    hull = cv2.convexHull(paper).reshape(-1, 2).astype(np.float64)
    share = cv2.contourArea(hull.astype(np.float32)) / (small.shape[0] * small.shape[1])
    if not MIN_PAPER_SHARE <= share <= MAX_PAPER_SHARE:
        return None
    s, d = hull.sum(axis=1), hull[:, 0] - hull[:, 1]
    corners = np.array([hull[s.argmin()], hull[d.argmax()], hull[s.argmax()], hull[d.argmin()]])
    inside = np.zeros(small.shape, np.uint8)
    cv2.fillPoly(inside, [corners.astype(np.int32)], 1)
    if float(np.median(small[inside == 1])) - float(np.median(small[inside == 0])) < MIN_DESK_CONTRAST:
        return None  # no desk around it: a scan whose margin is paper too
    return corners / scale


def paper_at_edges(paper: np.ndarray) -> list[str]:
    """The edges of the frame the paper mask reaches (over PAPER_AT_EDGE_SHARE of them)."""
    edges = {"left": paper[:, :EDGE_BAND], "right": paper[:, -EDGE_BAND:],
             "top": paper[:EDGE_BAND, :], "bottom": paper[-EDGE_BAND:, :]}  # fmt: skip
    return [side for side, band in edges.items() if (band > 0).mean() > PAPER_AT_EDGE_SHARE]


def frame_cut_sides(corners: np.ndarray, shape: tuple[int, ...]) -> list[str]:
    """The edges of the frame that a table frame's corners reach (within FRAME_EDGE_SHARE
    of the frame's size): its outline there is the frame's edge, not the table's rule."""
    h, w = shape[:2]
    margin = FRAME_EDGE_SHARE * max(h, w)
    xs, ys = corners[:, 0], corners[:, 1]
    sides = {"left": xs.min() < margin, "right": xs.max() > w - margin,
             "top": ys.min() < margin, "bottom": ys.max() > h - margin}  # fmt: skip
    return [side for side, hit in sides.items() if hit]


def _rule_ink(image: np.ndarray) -> tuple[np.ndarray, float]:
    """The ink (255) of a grey copy RULE_SIDE long, where ruling lines are looked for, and
    the copy's scale."""
    gray = _gray(image)
    scale = RULE_SIDE / max(gray.shape)
    big = cv2.resize(gray, (round(gray.shape[1] * scale), round(gray.shape[0] * scale)), interpolation=cv2.INTER_AREA)
    return cv2.adaptiveThreshold(big, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15), scale


def cut_off_sides(image: np.ndarray, paper: np.ndarray | None = None) -> list[str]:
    """The edges of the photo (``left``, ``right``, ``top``, ``bottom``) at which the
    table runs out of the frame: the paper (``paper``: its mask from ``_paper_mask``, made
    here if not given) reaches that edge and so do ruling lines on it (a page whose blank
    margin is cut off still has its whole table)."""
    if paper is None:
        paper = _paper_mask(image)[1]
    touching = paper_at_edges(paper)
    if not touching:
        return []
    ink, _ = _rule_ink(image)
    ink[cv2.resize(paper, (ink.shape[1], ink.shape[0]), interpolation=cv2.INTER_NEAREST) == 0] = 0
    length = round(RULE_SIDE * MIN_RULE_SHARE_OF_FRAME)
    cut = []
    for side in touching:
        # rules running into this edge: horizontal ones into left/right, vertical into top/bottom
        kernel = (length, 1) if side in ("left", "right") else (1, length)
        rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        band = {"left": rules[:, :EDGE_BAND * 2], "right": rules[:, -EDGE_BAND * 2:],
                "top": rules[:EDGE_BAND * 2, :], "bottom": rules[-EDGE_BAND * 2:, :]}[side]  # fmt: skip
        hits = cv2.connectedComponents((band > 0).astype(np.uint8))[0] - 1
        if hits >= MIN_RULES_AT_EDGE:
            cut.append(side)
    return cut


def _ordered(points: np.ndarray) -> np.ndarray:
    """Four points as TL, TR, BR, BL: round their centre clockwise (image y runs down),
    starting from the one nearest the top left."""
    centre = points.mean(axis=0)
    clockwise = points[np.argsort(np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0]))]
    start = int(np.argmin(clockwise.sum(axis=1)))
    return np.roll(clockwise, -start, axis=0)


def _line_through(points: np.ndarray) -> np.ndarray:
    """The line fitted to ``points`` as (a, b, c) with a·x + b·y = c."""
    vx, vy, x0, y0 = cv2.fitLine(points.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
    return np.array([vy, -vx, vy * x0 - vx * y0], dtype=np.float64)


def _segment_distances(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each point's distance to the segment from ``a`` to ``b``."""
    ab = b - a
    t = np.clip(((points - a) @ ab) / max(float(ab @ ab), 1e-9), 0.0, 1.0)
    return np.hypot(*(points - (a + t[:, None] * ab)).T)


def _densified(polygon: np.ndarray, step: float = 2.0) -> np.ndarray:
    """Points every ``step`` pixels along a closed polygon's edges."""
    out = []
    for a, b in zip(polygon, np.roll(polygon, -1, axis=0)):
        n = max(1, int(np.hypot(*(b - a)) / step))
        out.append(a + (b - a) * (np.arange(n) / n)[:, None])
    return np.vstack(out)


def table_frame_corners(image: np.ndarray) -> np.ndarray | None:
    """The four corners (TL, TR, BR, BL, in the image's pixels) of the outer frame of the
    largest ruled table: the hull of its outline simplified to four corners, then each side
    fitted as a line to the outline's outermost points nearest it. None when the largest
    table covers less than MIN_TABLE_SHARE of the frame or its hull is not four-sided."""
    ink, scale = _rule_ink(image)
    length = round(RULE_SIDE * MIN_RULE_SHARE_OF_FRAME)
    # ink thickened across each direction first, so that rules slanted by the perspective
    # still run unbroken for `length`
    for_rows, for_columns = cv2.dilate(ink, np.ones((5, 1), np.uint8)), cv2.dilate(ink, np.ones((1, 5), np.uint8))
    rules = cv2.bitwise_or(
        cv2.morphologyEx(for_rows, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1))),
        cv2.morphologyEx(for_columns, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length))))
    rules = cv2.morphologyEx(rules, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    contours, _ = cv2.findContours(rules, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    if cv2.contourArea(outline) < MIN_TABLE_SHARE * ink.shape[0] * ink.shape[1]:
        return None
    hull = cv2.convexHull(outline)  # rules that stop short of the frame leave notches in the outline
    corners = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True).reshape(-1, 2)
    if len(corners) != 4:
        return None
    rough = _ordered(corners.astype(np.float64))
    points = outline.reshape(-1, 2)[::2].astype(np.float64)
    outer = points[[abs(cv2.pointPolygonTest(hull, (float(x), float(y)), True)) <= FRAME_FIT_PX for x, y in points]]
    nearest = np.argmin([_segment_distances(outer, rough[k], rough[(k + 1) % 4]) for k in range(4)], axis=0)
    lines = []
    for k in range(4):  # the sides TL→TR, TR→BR, BR→BL, BL→TL, each fitted to its outer points
        side = outer[nearest == k]
        if len(side) < 10:
            return None
        lines.append(_line_through(side))
    fitted = []
    for k in range(4):  # corner k is where the side before it meets the side from it
        (a1, b1, c1), (a2, b2, c2) = lines[k - 1], lines[k]
        det = a1 * b2 - a2 * b1
        if abs(det) < 1e-9:
            return None
        fitted.append(((c1 * b2 - c2 * b1) / det, (a1 * c2 - a2 * c1) / det))
    quad = np.array(fitted, dtype=np.float32)
    boundary = _densified(hull.reshape(-1, 2).astype(np.float64))
    off = np.array([abs(cv2.pointPolygonTest(quad, (float(x), float(y)), True)) for x, y in boundary])
    if np.mean(off <= FRAME_FIT_PX) < FRAME_FIT_SHARE:
        return None  # not a four-sided frame (tables of several widths, a frame cut short)
    return _ordered(np.array(fitted)) / scale


def _rectangular(corners: np.ndarray) -> bool:
    """Whether a quadrilateral is a rectangle within the tolerances of a scan (any skew):
    opposite sides equal and corners square."""
    tl, tr, br, bl = corners
    widths, heights = (_side(tl, tr), _side(bl, br)), (_side(tl, bl), _side(tr, br))
    if abs(widths[0] - widths[1]) > RECTANGLE_SIDE_TOLERANCE * max(widths):
        return False
    if abs(heights[0] - heights[1]) > RECTANGLE_SIDE_TOLERANCE * max(heights):
        return False
    for a, b, c in ((bl, tl, tr), (tl, tr, br), (tr, br, bl), (br, bl, tl)):
        u, v = a - b, c - b
        cosine = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-9))
        if abs(np.degrees(np.arccos(np.clip(cosine, -1, 1))) - 90) > RECTANGLE_ANGLE_TOLERANCE:
            return False
    return True


def _table_placement(corners: np.ndarray) -> tuple[np.ndarray, tuple[int, int], float]:
    """Where a table's frame goes on the flattened A4 page (its corners there), the page's
    size and the photo's pixels per millimetre of paper: the table is taken to span
    TABLE_WIDTH_SHARE of the page's width (forms are printed fit to width), upright or
    landscape as the table is wide, and is centred on the page."""
    tl, tr, br, bl = corners
    width = (_side(tl, tr) + _side(bl, br)) / 2
    height = (_side(tl, bl) + _side(tr, br)) / 2
    page_w_mm, page_h_mm = (A4_MM[1], A4_MM[0]) if width > height else A4_MM
    pixels_per_mm = width / (TABLE_WIDTH_SHARE * page_w_mm)
    dots_per_mm = PAGE_DPI / 25.4
    size = (round(page_w_mm * dots_per_mm), round(max(page_h_mm, height / pixels_per_mm * 1.05) * dots_per_mm))
    table_w, table_h = width / pixels_per_mm * dots_per_mm, height / pixels_per_mm * dots_per_mm
    left, top = (size[0] - table_w) / 2, (size[1] - table_h) / 2
    target = np.array([[left, top], [left + table_w, top], [left + table_w, top + table_h], [left, top + table_h]],
                      dtype=np.float32)  # fmt: skip
    return target, size, pixels_per_mm


def _side(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.hypot(*(a - b)))


def page_size(corners: np.ndarray) -> tuple[int, int]:
    """The flattened page's pixel size at PAGE_DPI: A4, upright or landscape as the paper
    lies in the photo."""
    tl, tr, br, bl = corners
    width = (_side(tl, tr) + _side(bl, br)) / 2
    height = (_side(tl, bl) + _side(tr, br)) / 2
    short, long = (round(A4_MM[0] / 25.4 * PAGE_DPI), round(A4_MM[1] / 25.4 * PAGE_DPI))
    return (long, short) if width > height else (short, long)


def neutral(image: np.ndarray) -> np.ndarray:
    """The paper's tint removed: each channel scaled so that the paper (its brightest
    tenth) is grey."""
    if image.ndim == 2:
        return image
    paper = np.percentile(image.reshape(-1, 3), 90, axis=0).astype(np.float32)
    gains = paper.max() / np.maximum(paper, 1.0)
    return np.clip(image.astype(np.float32) * gains[None, None, :], 0, 255).astype(np.uint8)


def sharpness(gray: np.ndarray) -> float:
    """How sharp the print is: the variance of the Laplacian over the tiles that hold ink
    (their median), so that a page of little text is not taken for a blurred one."""
    laplacian = cv2.Laplacian(gray, cv2.CV_32F)
    h, w = gray.shape
    values = [float(laplacian[y:y + TILE, x:x + TILE].var())
              for y in range(0, h - TILE + 1, TILE) for x in range(0, w - TILE + 1, TILE)
              if float(gray[y:y + TILE, x:x + TILE].std()) > INK_TILE_STD]  # fmt: skip
    return float(np.median(values)) if values else float("inf")  # no print: nothing blurred


def _cut_off(sides: list[str]) -> UnreadablePage:
    return UnreadablePage(f"the table is cut off at the {' and '.join(sides)} edge of the photo")


def find_page(image: np.ndarray) -> FoundPage | None:
    """The photographed page flattened to an upright A4 at PAGE_DPI (RGB or grey as
    given), or None for an image whose paper fills the frame (a scan: read as it is).
    Raises UnreadablePage for paper too small or a page too blurred to read."""
    small, paper, scale = _paper_mask(image)
    corners = _corners_of(small, paper, scale)
    if corners is not None:  # paper told from its desk: rules running out of the frame where it does
        cut = cut_off_sides(image, paper)
        if cut:
            raise _cut_off(cut)
        if len(paper_at_edges(paper)) >= 2:
            corners = None  # "paper" running into two edges of the frame is a bright desk, or a close-up
    if corners is not None:
        size = page_size(corners)
        tl, tr, br, bl = corners
        pixels_per_mm = max(_side(tl, tr), _side(bl, br), _side(tl, bl), _side(tr, br)) / A4_MM[1]
        target = np.array([[0, 0], [size[0], 0], [size[0], size[1]], [0, size[1]]], dtype=np.float32)
    else:  # no desk to tell the paper by (a white desk, or a scan): the table's frame
        corners = table_frame_corners(image)
        if corners is None or _rectangular(corners):
            return None  # a scan, skewed or not (or nothing to flatten): read as it is
        cut = frame_cut_sides(corners, image.shape)
        if cut:
            raise _cut_off(cut)
        target, size, pixels_per_mm = _table_placement(corners)
    if pixels_per_mm < MIN_PIXELS_PER_MM:
        raise UnreadablePage(f"the page is too small in the photo ({pixels_per_mm:.1f} pixels a millimetre, "
                             f"{MIN_PIXELS_PER_MM:g} needed)")  # fmt: skip
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    flat = cv2.warpPerspective(image, matrix, size, flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    flat = neutral(flat)
    measured = sharpness(_gray(flat))
    if measured < MIN_SHARPNESS:
        raise UnreadablePage(f"the photo is too blurred to read (sharpness {measured:.0f}, {MIN_SHARPNESS:g} needed)")
    mesh = dewarp(flat)
    if mesh.map_x is not None and mesh.map_y is not None:  # the photo resampled once, not twice
        inverse = np.linalg.inv(matrix)
        ones = np.ones_like(mesh.map_x)
        points = np.stack([mesh.map_x, mesh.map_y, ones], axis=-1) @ inverse.T.astype(np.float32)
        map_x = (points[..., 0] / points[..., 2]).astype(np.float32)
        map_y = (points[..., 1] / points[..., 2]).astype(np.float32)
        flat = neutral(cv2.remap(image, map_x, map_y, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE))
    return FoundPage(corners, flat, PAGE_DPI, mesh)


def write_outline(image: np.ndarray, corners: np.ndarray, target: Path) -> None:
    """The photo, scaled down, with the page found in it outlined (``--debug``)."""
    scale = min(1.0, 1600 / max(image.shape[:2]))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small = cv2.cvtColor(small, cv2.COLOR_RGB2BGR) if small.ndim == 3 else cv2.cvtColor(small, cv2.COLOR_GRAY2BGR)
    cv2.polylines(small, [(corners * scale).astype(np.int32)], True, (0, 0, 255), 3)
    for x, y in (corners * scale).astype(int):
        cv2.circle(small, (int(x), int(y)), 8, (0, 160, 0), -1)
    target.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(target), small)
