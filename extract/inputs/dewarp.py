"""Page curl removed from a flattened photo, using the table's ruling lines as the mesh.

Perspective leaves a page's curl and bulges: near a lifted edge the rules bend. The rules
are straight on paper, so each one is traced across the page: in narrow strips where it
runs nearly level (``trace_rules``), then followed through its ink where it bends away
(``_extend``). A smooth displacement field (hat functions along the rules times a
quadratic across them), with one free height per rule, is fitted to the traced points by
least squares; the field gives the remapping that makes the rules straight, which the
caller composes with its perspective warp so that the photo is resampled once. Vertical
rules give the field across the other way. A page whose rules bend by less than
``MIN_WARP_PX`` is left as it is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

# Sizes in pixels of the flattened page (photo.PAGE_DPI, 200 dpi: 1 mm ≈ 7.9 px).
STRIP_PX = 48  # width of the strips a rule is traced in
RULE_OPEN_PX = 31  # the shortest straight run taken for a piece of a rule (4 mm)
MIN_RULE_SHARE = 0.5  # of a strip's width a rule must cover in it
# From one strip to the next a rule strays at most this far from its course so far (a
# curl bends it gradually).
MAX_STEP_PX = 6.0
MIN_STRIPS = 6  # a rule traced over fewer strips says nothing about the curl
EDGE_PX = 16  # "rules" this close to the page's edge are the paper's edge, not print
# Rules bent by less than this (the WARP_PERCENTILE of their points' distance from their
# median) are left alone. Measured (bench_accuracy): the grid finder reads the sample
# photos' 2.5–8.6 px of curl right, and dewarping them (from 4 px) took 分值/得分 exact
# on the 4.5 Mpx photos from 94.9 % to 61 % (small print lost its decimal points; the
# cause is not pinned down), while photos curled 3–6 times as much (11–47 px) gained
# (rows exact 0.40 → 0.81 and 0.77 → 1.00, findings precision 0 → 1).
WARP_PERCENTILE = 99
MIN_WARP_PX = 10.0
# Following a rule beyond its strips: steps this long, its ink looked for this far from
# its course, a step's band taken for a crossing rule when it is mostly ink.
FOLLOW_STEP_PX = 8.0
FOLLOW_WINDOW_PX = 5
FOLLOW_MIN_INK = 0.5
FOLLOW_CROSSING = 0.6
# The field: KNOTS hat functions along the rules times a polynomial of ACROSS_DEGREE
# across them; BEND_PENALTY weighs its second differences against the traced points.
KNOTS = 12
ACROSS_DEGREE = 2
BEND_PENALTY = 3.0


@dataclass(frozen=True)
class Dewarp:
    """Where each pixel of the straightened page lies on the input page (``map_x``,
    ``map_y``, for ``cv2.remap``; None when the page is left as it is), and the traced
    rules (arrays of (x, y) points of the input page) for the debug view."""

    map_x: np.ndarray | None
    map_y: np.ndarray | None
    rules: tuple[np.ndarray, ...]
    warp_px: float  # the rules' displacement before dewarping (WARP_PERCENTILE)

    @property
    def applied(self) -> bool:
        return self.map_x is not None


def _ink(gray: np.ndarray) -> np.ndarray:
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)


def _centres(profile: np.ndarray, least: float) -> list[float]:
    """Centres of the runs of ``profile`` at or above ``least``."""
    on = np.concatenate(([False], profile >= least, [False]))
    edges = np.flatnonzero(np.diff(on.astype(np.int8)))
    centres = []
    for a, b in zip(edges[::2], edges[1::2]):
        weights = profile[a:b].astype(np.float64)
        centres.append(float(a + (weights * np.arange(b - a)).sum() / max(weights.sum(), 1e-9)))
    return centres


def trace_rules(mask: np.ndarray) -> list[np.ndarray]:
    """The horizontal rules of ``mask`` (255 = rule ink), each as (x, y) points, one per
    strip it crosses: pieces found strip by strip are chained to their nearest neighbour
    in the next strip."""
    h, w = mask.shape
    strips = []
    for x0 in range(0, w - STRIP_PX + 1, STRIP_PX):
        profile = (mask[:, x0:x0 + STRIP_PX] > 0).sum(axis=1)
        strips.append((x0 + STRIP_PX / 2, _centres(profile, MIN_RULE_SHARE * STRIP_PX)))
    open_rules: list[list[tuple[float, float]]] = []
    done: list[list[tuple[float, float]]] = []
    for x, ys in strips:
        taken: set[int] = set()
        still: list[list[tuple[float, float]]] = []
        for rule in open_rules:
            expected = rule[-1][1] if len(rule) < 2 else 2 * rule[-1][1] - rule[-2][1]  # the rule's course so far
            best = min(((abs(y - expected), k) for k, y in enumerate(ys) if k not in taken), default=None)
            if best is not None and best[0] <= MAX_STEP_PX:
                taken.add(best[1])
                rule.append((x, ys[best[1]]))
                still.append(rule)
            else:
                done.append(rule)
        still += [[(x, y)] for k, y in enumerate(ys) if k not in taken]
        open_rules = still
    done += open_rules
    return [np.array(rule) for rule in done
            if len(rule) >= MIN_STRIPS and all(EDGE_PX < y < h - EDGE_PX for _, y in rule)]


def _hats(t: np.ndarray, knots: int) -> np.ndarray:
    """Piecewise-linear hat functions at ``knots`` even knots over [0, 1], for ``t`` in it."""
    position = np.clip(t, 0.0, 1.0) * (knots - 1)
    hats = np.zeros((t.size, knots))
    low = np.minimum(position.astype(int), knots - 2)
    frac = position - low
    hats[np.arange(t.size), low] = 1 - frac
    hats[np.arange(t.size), low + 1] = frac
    return hats


def _basis(along: np.ndarray, across: np.ndarray) -> np.ndarray:
    """The field's basis at points (``along``, ``across``, both scaled to [0, 1]): hats
    along the rules times 1, t and t² across them."""
    hats = _hats(along, KNOTS)
    t = 2 * across - 1
    return np.hstack([hats * (t**power)[:, None] for power in range(ACROSS_DEGREE + 1)])


def _extend(rule: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """``rule`` followed on beyond its traced ends through the ink, a step at a time along
    its course: a steep curl near an edge escapes the strips' straight-run test."""
    h, w = ink.shape
    points = [tuple(p) for p in rule]
    for direction in (1, -1):
        if direction == -1:
            points.reverse()
        while len(points) < 4 * w:
            (x1, y1), (x0, y0) = points[-1], points[-min(len(points), 4)]
            slope = (y1 - y0) / (x1 - x0) if x1 != x0 else 0.0
            x = x1 + direction * FOLLOW_STEP_PX
            if not FOLLOW_STEP_PX / 2 <= x <= w - FOLLOW_STEP_PX / 2:
                break
            expected = y1 + slope * direction * FOLLOW_STEP_PX
            top, bottom = int(expected - FOLLOW_WINDOW_PX), int(expected + FOLLOW_WINDOW_PX) + 1
            if top < 0 or bottom > h:
                break
            band = ink[top:bottom, int(x - FOLLOW_STEP_PX / 2):int(x + FOLLOW_STEP_PX / 2)] > 0
            profile = band.mean(axis=1)
            if profile.mean() > FOLLOW_CROSSING:  # a crossing rule fills the window: keep the course
                points.append((x, expected))
                continue
            if profile.max() < FOLLOW_MIN_INK:
                break
            rows = np.flatnonzero(profile >= FOLLOW_MIN_INK)
            points.append((x, float(top + rows.mean())))
        if direction == -1:
            points.reverse()
    return np.array(points)


def _field(rules: list[np.ndarray], length: int, across: int) -> np.ndarray:
    """The displacement across the rules at every pixel, shape (across, length): a smooth
    field (``_basis``) fitted, with one free height per rule, to the traced points by
    least squares with a small penalty on its bends."""
    points = np.vstack(rules)
    owner = np.concatenate([np.full(len(rule), k) for k, rule in enumerate(rules)])
    basis = _basis(points[:, 0] / length, points[:, 1] / across)
    heights = np.zeros((len(points), len(rules)))
    heights[np.arange(len(points)), owner] = 1.0
    bends = np.zeros(((KNOTS - 2) * (ACROSS_DEGREE + 1), basis.shape[1] + len(rules)))
    for power in range(ACROSS_DEGREE + 1):
        for k in range(KNOTS - 2):
            row = power * (KNOTS - 2) + k
            bends[row, power * KNOTS + k: power * KNOTS + k + 3] = np.array([1.0, -2.0, 1.0]) * BEND_PENALTY
    # a field that is the same all along the rules is one height per rule: held at zero
    level = np.zeros((ACROSS_DEGREE + 1, bends.shape[1]))
    for power in range(ACROSS_DEGREE + 1):
        level[power, power * KNOTS:(power + 1) * KNOTS] = 1e3
    system = np.vstack([np.hstack([basis, heights]), bends, level])
    target = np.concatenate([points[:, 1], np.zeros(len(bends) + len(level))])
    solution = np.linalg.lstsq(system, target, rcond=None)[0]
    coefficients = solution[: basis.shape[1]]
    # the field on a coarse grid, its median removed (a shift of the whole page is no warp)
    step = 8
    along, over = np.meshgrid(np.arange(0, length + step, step) / length, np.arange(0, across + step, step) / across)
    coarse = (_basis(along.ravel(), over.ravel()) @ coefficients).reshape(along.shape)
    coarse -= np.median(coarse)
    return cv2.resize(coarse.astype(np.float32), (length, across), interpolation=cv2.INTER_LINEAR)


def _rule_masks(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The straight horizontal and vertical runs of ``ink`` at least RULE_OPEN_PX long."""
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (RULE_OPEN_PX, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, RULE_OPEN_PX)))
    return horizontal, vertical


def _warp(rules: list[np.ndarray]) -> float:
    shifts = [np.abs(rule[:, 1] - np.median(rule[:, 1])) for rule in rules]
    return float(np.percentile(np.concatenate(shifts), WARP_PERCENTILE)) if shifts else 0.0


def dewarp(image: np.ndarray) -> Dewarp:
    """The remapping that makes the rules of ``image`` (a flattened page, RGB or grey)
    straight, or none when they already are (or it has too few to tell). The caller
    composes it with its own warp so that the photo is resampled once."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    h, w = gray.shape
    ink = _ink(gray)
    horizontal, vertical = _rule_masks(ink)
    rows = [_extend(rule, ink) for rule in trace_rules(horizontal)]  # points (x, y)
    ink_t = np.ascontiguousarray(ink.T)
    columns = [_extend(rule, ink_t) for rule in trace_rules(np.ascontiguousarray(vertical.T))]  # points (y, x)
    warp = max(_warp(rows), _warp(columns))
    traced = tuple(rows) + tuple(rule[:, ::-1] for rule in columns)
    if warp < MIN_WARP_PX:
        return Dewarp(None, None, traced, warp)
    dy = _field(rows, w, h) if rows else np.zeros((h, w), np.float32)  # (h, w): the shift in y
    dx = _field(columns, h, w).T if columns else np.zeros((h, w), np.float32)  # (h, w): the shift in x
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    return Dewarp(xs + dx, ys + dy, traced, warp)


def write_mesh(page: np.ndarray, result: Dewarp, target: Path) -> None:
    """The straightened page with the rules in red as they were traced before dewarping
    (``--debug``): where they part from the page's rules, the curl was removed."""
    scale = min(1.0, 1600 / max(page.shape[:2]))
    canvas = page if page.ndim == 3 else cv2.cvtColor(page, cv2.COLOR_GRAY2RGB)
    small = cv2.cvtColor(cv2.resize(canvas, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), cv2.COLOR_RGB2BGR)
    for rule in result.rules:
        cv2.polylines(small, [(rule * scale).astype(np.int32)], False, (0, 0, 255), 1)
    cv2.putText(small, f"warp {result.warp_px:.1f} px{'' if result.applied else ' (left as is)'}", (10, 30),
                cv2.FONT_HERSHEY_SIMPLEX, 0.8, (0, 0, 255), 2)  # fmt: skip
    target.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(target), small)
