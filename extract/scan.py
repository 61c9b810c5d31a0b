"""Scanned pages: page image → upright, straight, flat image → ruled grid → cell text by OCR.

Stages (each in its own module, composed here):
``images`` (page pixels) → ``preprocess.normalize_background`` → ``preprocess.quarter_turn``
→ ``preprocess.deskew`` → ``preprocess.binarize_for_grid`` → ``image_lines.find_lines`` →
``grid.segments_to_tables`` (shared with the vector path) → ``preprocess.upside_down`` (on
the cells; an upside-down page is turned and its grid found again) → ``lost_rules`` (cells
joined by a rule the scan lost, split again) → OCR of every cell and of the
text lines outside the tables, batched per page → ``numeric_rescue`` (numbers under a stamp)
→ optional debug overlay.

Page coordinates are pixels of the deskewed image; ``Page.width``/``height`` are its size.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from . import preprocess
from .cut_labels import cut_strips
from .debug_view import write_debug_image
from .image_lines import LineSettings, find_lines, lines_to_tables
from .images import image_file_pages, pdf_page_image
from .lost_rules import split_lost_rules
from .model import BBox, Page, Segment, Table
from .numeric_rescue import rescue_numbers
from .ocr.base import CellRequest, CellText, OcrEngine
from .ocr.postprocess import clean_numeric, looks_numeric
from .textnorm import normalize_text

if TYPE_CHECKING:
    from .grid import GridSettings
    from .pipeline import Options, PageResult

log = logging.getLogger(__name__)

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

# --- numeric cells ---------------------------------------------------------------------
# Cells whose first reading looks like a number are read again with ``numeric=True`` in
# one more batched call; the second reading wins when it parses as a number. Deciding by
# the first reading (not by column width) keeps headers such as 分值 in narrow columns
# out of the number pass. Engines whose numeric pass only cleans the text (RapidOCR:
# ``rereads_numeric = False``) are not called again: the first reading is cleaned.
NUMERIC_SECOND_PASS = True


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


# OCR readings below this confidence are dropped as unreadable. Measured on the 200 dpi
# scanned samples (RapidOCR): correct cells scored >= 0.66, a stamp read as text 0.72 and
# legible-but-wrong names 0.90-0.98, so confidence only screens out the worst readings.
MIN_CELL_CONFIDENCE = 0.5

def analyse_page(gray: np.ndarray, pixels_per_point: float, number: int,
                 grid: GridSettings | None = None, *, use_osd: bool = True,
                 engine: OcrEngine | None = None) -> ScanPage:
    """Page image → cleaned image and ruled tables (no text yet).

    Orientation is settled in two steps: a quarter turn from the direction of the text
    lines before deskew, and 0° vs 180° after the grid is built, from the text in its
    cells (``preprocess.upside_down``; ``engine`` is asked only when the free cue is
    undecided, tesseract OSD only without an engine and with ``use_osd``). An upside-down
    page is turned and its lines found again."""
    timings: dict[str, float] = {}

    def timed(stage: str, start: float) -> float:
        now = time.perf_counter()
        timings[stage] = timings.get(stage, 0.0) + now - start
        return now

    settings = LineSettings(pixels_per_point=pixels_per_point)
    t = time.perf_counter()
    flat = preprocess.normalize_background(gray, pixels_per_point)
    t = timed("normalize", t)
    upright, rotation = preprocess.quarter_turn(flat, pixels_per_point)
    t = timed("orient", t)
    straight, skew = preprocess.deskew(upright, pixels_per_point)
    t = timed("deskew", t)
    segments = find_lines(preprocess.binarize_for_grid(straight), settings=settings)
    t = timed("lines", t)
    tables = lines_to_tables(segments, number, pixels_per_point, grid)
    t = timed("grid", t)
    boxes = [cell.bbox for table in tables for cell in table.cells]
    if preprocess.upside_down(straight, boxes, pixels_per_point, engine=engine, use_osd=use_osd):
        straight = np.ascontiguousarray(np.rot90(straight, 2))
        rotation = (rotation + 180) % 360
        t = timed("orient", t)
        segments = find_lines(preprocess.binarize_for_grid(straight), settings=settings)
        t = timed("lines", t)
        tables = lines_to_tables(segments, number, pixels_per_point, grid)
        t = timed("grid", t)
    else:
        t = timed("orient", t)
    ocr_image = preprocess.binarize_for_ocr(straight, keep_gray=True)
    tables = split_lost_rules(tables, ocr_image, pixels_per_point)
    t = timed("grid", t)
    return ScanPage(number, pixels_per_point, straight, ocr_image, rotation, skew,
                    segments, tables, timings)


def _runs(flags: np.ndarray, max_gap: int) -> list[tuple[int, int]]:
    """[start, end) runs of True, bridging gaps of up to ``max_gap`` False values."""
    idx = np.flatnonzero(flags)
    if idx.size == 0:
        return []
    runs: list[tuple[int, int]] = []
    start = prev = int(idx[0])
    for i in idx[1:]:
        i = int(i)
        if i - prev - 1 > max_gap:
            runs.append((start, prev + 1))
            start = i
        prev = i
    runs.append((start, prev + 1))
    return runs


def outside_text_boxes(page: ScanPage) -> list[list[BBox]]:
    """Text lines outside every table, top to bottom; each line as its pieces' boxes."""
    ppp = page.pixels_per_point
    ink = page.ocr_image < int(preprocess.OCR_INK_LEVEL * 255)
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
    for top, bottom in _runs(np.asarray(ink.any(axis=1)), int(OUTSIDE_LINE_GAP_PT * ppp)):
        if not OUTSIDE_MIN_HEIGHT_PT * ppp <= bottom - top <= OUTSIDE_MAX_HEIGHT_PT * ppp:
            continue
        pieces = [
            BBox(max(0.0, x0 - pad), max(0.0, top - pad), min(float(w), x1 + pad), min(float(h), bottom + pad))
            for x0, x1 in _runs(np.asarray(ink[top:bottom].any(axis=0)), int(OUTSIDE_PIECE_GAP_PT * ppp))
            if x1 - x0 >= OUTSIDE_MIN_HEIGHT_PT * ppp
        ]
        if pieces:
            lines.append(pieces)
    return lines


def is_readable(result: CellText) -> bool:
    """Whether an OCR reading is kept: confident enough and not degenerate (the same
    phrase repeated, mostly symbols). Dropped readings leave the cell empty (the raw text
    stays in the provenance) so that validation reports them instead of using garbage."""
    from .ocr.quality import is_degenerate

    if not result.text:
        return True
    return result.confidence >= MIN_CELL_CONFIDENCE and not is_degenerate(result.text)


def read_text(page: ScanPage, engine: OcrEngine) -> tuple[list[Table], list[str]]:
    """Fill every cell and read the lines outside the tables, batched per page; numbers
    hidden under a stamp are read again in line-high windows (`rescue_numbers`)."""
    from .numbers import parse_number

    cells = [(ti, ci, cell) for ti, table in enumerate(page.tables) for ci, cell in enumerate(table.cells)]
    outside = outside_text_boxes(page)
    requests = [CellRequest(cell.bbox) for _, _, cell in cells]
    requests += [CellRequest(box) for line in outside for box in line]
    t = time.perf_counter()
    results = engine.read_cells(page.ocr_image, requests) if requests else []
    page.timings["ocr"] = time.perf_counter() - t
    if len(results) != len(requests):
        from .errors import OcrEngineError

        raise OcrEngineError(f"OCR engine {engine.name!r} returned {len(results)} results for "
                             f"{len(requests)} cells")
    cell_results: list[CellText] = list(results[: len(cells)])
    if NUMERIC_SECOND_PASS and not getattr(engine, "rereads_numeric", True):
        # the engine's numeric pass only cleans the text: clean, do not read again
        cell_results = [
            CellText(clean_numeric(r.text), r.confidence) if r.text and looks_numeric(r.text) else r
            for r in cell_results
        ]
    elif NUMERIC_SECOND_PASS:
        numeric = [i for i, r in enumerate(cell_results) if r.text and looks_numeric(r.text)]
        if numeric:
            t = time.perf_counter()
            again = engine.read_cells(page.ocr_image, [CellRequest(cells[i][2].bbox, numeric=True) for i in numeric])
            page.timings["ocr_numeric"] = time.perf_counter() - t
            for i, second in zip(numeric, again):
                first = cell_results[i]
                if parse_number(second.text) is not None and (
                    parse_number(first.text) is None or second.confidence >= first.confidence
                ):
                    cell_results[i] = second
    raw_texts = [r.text for r in cell_results]
    t = time.perf_counter()
    for ti in range(len(page.tables)):
        index = [k for k, (table_index, _, _) in enumerate(cells) if table_index == ti]
        found = rescue_numbers(page.ocr_image, [cells[k][2] for k in index],
                               [cell_results[k] for k in index], engine)
        for local, result in found.items():
            log.info("p%d: number %r read under %r", page.number, result.text, raw_texts[index[local]])
            cell_results[index[local]] = result  # the cell's own reading stays the raw text
    page.timings["ocr_rescue"] = time.perf_counter() - t
    filled: list[list] = [list(table.cells) for table in page.tables]
    for (ti, ci, cell), result, raw in zip(cells, cell_results, raw_texts):
        text = normalize_text(result.text) if is_readable(result) else ""
        filled[ti][ci] = replace(cell, text=text, raw_text=raw,
                                 confidence=result.confidence, source=engine.name)
    tables = [replace(table, cells=tuple(c)) for table, c in zip(page.tables, filled)]
    line_texts: list[str] = []
    rest = iter(results[len(cells):])
    for line in outside:
        parts = [normalize_text(next(rest).text) for _ in line]
        text = " ".join(p for p in parts if p)
        if text:
            line_texts.append(text)
    return tables, line_texts


def _page_result(gray: np.ndarray, pixels_per_point: float, number: int, path: Path,
                 options: Options) -> PageResult:
    from .ocr.registry import get_engine
    from .pipeline import PageResult

    engine = get_engine(options.ocr_engine)
    page = analyse_page(gray, pixels_per_point, number, options.grid, engine=engine)
    tables, outside = read_text(page, engine)
    h, w = page.image.shape
    if options.debug_dir is not None:
        target = Path(options.debug_dir) / f"{path.stem}-p{number}.png"
        write_debug_image(page.image, tables, target, segments=page.segments,
                          pixels_per_point=pixels_per_point)
    log.debug("%s p%d: rotation %d, skew %.2f, %d tables, timings %s", path, number,
              page.rotation, page.skew, len(tables),
              {k: round(v, 3) for k, v in page.timings.items()})
    strips = tuple(cut_strips(page.ocr_image, tables))
    return PageResult(Page(number, float(w), float(h), "ocr", tuple(tables)), outside, strips)


def image_pages(path: Path, options: Options) -> list[PageResult]:
    """Every page of a PNG/JPEG/TIFF file, read by OCR."""
    return [
        _page_result(gray, dpi / 72.0, number, path, options)
        for number, (gray, dpi) in enumerate(image_file_pages(path), start=1)
        if options.pages is None or number in options.pages
    ]


def pdf_page_by_ocr(path: Path, number: int, options: Options) -> PageResult:
    """One PDF page without a usable text layer, read by OCR from its image."""
    gray, pixels_per_point = pdf_page_image(path, number, options.dpi)
    return _page_result(gray, pixels_per_point, number, path, options)
