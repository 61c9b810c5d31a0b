"""A scanned page image → upright, straight, flat image → ruled tables (no text yet).

Stages, each in its own module: ``cleanup.normalize_background`` →
``orientation.quarter_turn`` → ``deskew.deskew`` → ``cleanup.binarize_for_grid`` →
``lines.find_lines`` → ``grid.build.segments_to_tables`` (shared with the vector path) →
``orientation.upside_down`` (on the cells; an upside-down page is turned and its grid found
again) → ``lost_rules`` (cells joined by a rule the scan lost, split again).

Page coordinates are pixels of the deskewed image.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..model import GridSettings, Segment, Table
from ..ocr.base import OcrEngine
from .cleanup import binarize_for_grid, binarize_for_ocr, normalize_background
from .deskew import deskew
from .lines import LineSettings, find_lines, lines_to_tables
from .lost_rules import split_lost_rules
from .orientation import quarter_turn, upside_down


@dataclass
class ScanPage:
    """Everything one scanned page went through, for composition, tests and debugging."""

    number: int
    pixels_per_point: float
    image: np.ndarray  # upright, deskewed, flattened grayscale: page coordinates
    ocr_image: np.ndarray
    rotation: int  # counter-clockwise quarter turns applied, in degrees
    skew: float  # degrees removed by deskew (counter-clockwise positive)
    segments: list[Segment]
    tables: list[Table]
    timings: dict[str, float] = field(default_factory=dict)


def analyse_page(gray: np.ndarray, pixels_per_point: float, number: int,
                 grid: GridSettings | None = None, *, use_osd: bool = True,
                 engine: OcrEngine | None = None) -> ScanPage:
    """Page image → cleaned image and ruled tables (no text yet).

    Orientation is settled in two steps: a quarter turn from the direction of the text
    lines before deskew, and 0° vs 180° after the grid is built, from the text in its
    cells (``orientation.upside_down``; ``engine`` is asked only when the free cue is
    undecided, tesseract OSD only without an engine and with ``use_osd``). An upside-down
    page is turned and its lines found again."""
    timings: dict[str, float] = {}

    def timed(stage: str, start: float) -> float:
        now = time.perf_counter()
        timings[stage] = timings.get(stage, 0.0) + now - start
        return now

    settings = LineSettings(pixels_per_point=pixels_per_point)
    t = time.perf_counter()
    flat = normalize_background(gray, pixels_per_point)
    t = timed("normalize", t)
    upright, rotation = quarter_turn(flat, pixels_per_point)
    t = timed("orient", t)
    straight, skew = deskew(upright, pixels_per_point)
    t = timed("deskew", t)
    segments = find_lines(binarize_for_grid(straight), settings=settings)
    t = timed("lines", t)
    tables = lines_to_tables(segments, number, pixels_per_point, grid)
    t = timed("grid", t)
    boxes = [cell.bbox for table in tables for cell in table.cells]
    if upside_down(straight, boxes, pixels_per_point, engine=engine, use_osd=use_osd):
        straight = np.ascontiguousarray(np.rot90(straight, 2))
        rotation = (rotation + 180) % 360
        t = timed("orient", t)
        segments = find_lines(binarize_for_grid(straight), settings=settings)
        t = timed("lines", t)
        tables = lines_to_tables(segments, number, pixels_per_point, grid)
        t = timed("grid", t)
    else:
        t = timed("orient", t)
    ocr_image = binarize_for_ocr(straight, keep_gray=True)
    tables = split_lost_rules(tables, ocr_image, pixels_per_point)
    t = timed("grid", t)
    return ScanPage(number, pixels_per_point, straight, ocr_image, rotation, skew,
                    segments, tables, timings)
