"""One scanned page, composed: page image → tables (``analysis``) → cell text by OCR
(``cell_text``) → optional debug overlay → strips for labels cut by a page break."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..grid.overlay import write_debug_image
from ..model import NOT_READ, Cell, Options, Page, PageResult, Table
from ..ocr.base import CellRequest, OcrEngine
from ..ocr.crops import ink_threshold
from ..ocr.registry import get_engine
from .analysis import ScanPage, analyse_page
from .cell_text import read_text
from .cut_labels import ScanResult, cut_strips, has_cut_strips, mend_cut_labels
from .prose import is_prose

log = logging.getLogger(__name__)


def read_scanned_page(gray: np.ndarray, pixels_per_point: float, number: int, options: Options,
                      path: Path) -> ScanResult:
    """One page image (``path``'s page ``number``) read by OCR into tables and outside text,
    with the strips that may hold half of a label cut by a page break."""
    engine = get_engine(options.ocr_engine)
    page = analyse_page(gray, pixels_per_point, number, options.grid, engine=engine)
    only = _not_prose(page) if options.read == "scores" else None
    tables, outside = read_text(page, engine, only)
    if only is not None:
        tables = _marked_not_read(tables, only)
    h, w = page.image.shape
    if options.debug_dir is not None:
        target = Path(options.debug_dir) / f"{path.stem}-p{number}.png"
        write_debug_image(page.image, tables, target, segments=page.segments,
                          pixels_per_point=pixels_per_point)
    log.debug("%s p%d: rotation %d, skew %.2f, %d tables, timings %s", path, number,
              page.rotation, page.skew, len(tables),
              {k: round(v, 3) for k, v in page.timings.items()})
    # a cell left unread is not mended across a page break (its text would appear)
    strips = tuple(s for s in cut_strips(page.ocr_image, tables) if tables[s.table].cells[s.cell].source != NOT_READ)
    unread = only is not None and any(c.source == NOT_READ for t in tables for c in t.cells)
    return ScanResult(Page(number, float(w), float(h), "ocr", tuple(tables)), outside, cut_strips=strips,
                      image=page.image, scan=page if unread else None)  # fmt: skip


def _not_prose(page: ScanPage) -> set[tuple[int, int]]:
    """(table, cell) indices of the cells that do not hold prose (``prose.is_prose``)."""
    threshold = ink_threshold(page.ocr_image)
    return {(ti, ci) for ti, table in enumerate(page.tables) for ci, cell in enumerate(table.cells)
            if not is_prose(page.ocr_image, cell.bbox, threshold)}  # fmt: skip


def _marked_not_read(tables: list[Table], read: set[tuple[int, int]]) -> list[Table]:
    return [replace(table, cells=tuple(cell if (ti, ci) in read else replace(cell, text="", confidence=0.0,
                                                                               source=NOT_READ)
                                       for ci, cell in enumerate(table.cells)))
            for ti, table in enumerate(tables)]  # fmt: skip


def unread_cells(results: list[PageResult]) -> dict[int, set[tuple[float, ...]]]:
    """The (rounded) boxes of the cells left unread, by page number."""
    return {r.page.number: {tuple(c.bbox.rounded()) for t in r.page.tables for c in t.cells if c.source == NOT_READ}
            for r in results if isinstance(r, ScanResult) and r.scan is not None}  # fmt: skip


def read_cells_left(results: list[PageResult], wanted: dict[int, set[tuple[float, ...]]], options: Options,
                    witnesses: dict[int, set[tuple[float, ...]]] | None = None) -> list[PageResult]:
    """The pages with the unread cells whose (rounded) boxes ``wanted`` names read now,
    as every other cell was, and those ``witnesses`` names read as witnesses: the reading
    kept as the cell's raw text for name voting, the cell itself left unread. The rest
    stay unread."""
    engine = get_engine(options.ocr_engine)
    out: list[PageResult] = []
    for result in results:
        boxes = wanted.get(result.page.number, set())
        echoes = (witnesses or {}).get(result.page.number, set()) - boxes
        if not isinstance(result, ScanResult) or result.scan is None:
            out.append(result)
            continue
        if not (boxes or echoes):
            out.append(replace(result, scan=None))  # its analysed image is no longer needed
            continue
        cells = [(ti, ci, cell) for ti, table in enumerate(result.page.tables) for ci, cell in enumerate(table.cells)
                 if cell.source == NOT_READ]  # fmt: skip
        only = {(ti, ci) for ti, ci, cell in cells if tuple(cell.bbox.rounded()) in boxes}
        page = replace(result.scan, tables=list(result.page.tables))
        tables = list(read_text(page, engine, only, outside_lines=False)[0]) if only else list(page.tables)
        echoing = [(ti, ci, cell) for ti, ci, cell in cells if tuple(cell.bbox.rounded()) in echoes]
        if echoing:
            tables = _with_witness_readings(page, engine, tables, echoing)
        out.append(replace(result, page=replace(result.page, tables=tuple(tables)), scan=None))
    return out


def _with_witness_readings(page: ScanPage, engine: OcrEngine, tables: list[Table],
                           cells: list[tuple[int, int, Cell]]) -> list[Table]:
    """``tables`` with each of ``cells`` given its reading as its raw text (text and
    source left as they are: not read)."""
    readings = engine.read_cells(page.ocr_image, [CellRequest(cell.bbox) for _, _, cell in cells])
    cells_of = [list(table.cells) for table in tables]
    for (ti, ci, _), reading in zip(cells, readings):
        cells_of[ti][ci] = replace(cells_of[ti][ci], raw_text=reading.text)
    return [replace(table, cells=tuple(c)) for table, c in zip(tables, cells_of)]


def mend_cut_pages(results: list[PageResult], options: Options) -> list[PageResult]:
    """A document's pages with the labels cut by a page break read again from their joined
    halves (``cut_labels``); pages read from a text layer pass through."""
    if not has_cut_strips(results):
        return results
    return mend_cut_labels(results, get_engine(options.ocr_engine))
