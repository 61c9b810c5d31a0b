"""Cell text of a scanned page by OCR: every cell and the lines outside the tables read
in one batch per page, numbers read again, numbers under a stamp rescued, unreadable
readings dropped."""

from __future__ import annotations

import logging
import time
from dataclasses import replace

from ..errors import OcrEngineError
from ..model import Cell, Table
from ..ocr.base import CellRequest, CellText, OcrEngine
from ..text.cleanup import clean_numeric, looks_numeric
from ..text.normalize import normalize_text
from ..text.numbers import parse_number
from .analysis import ScanPage
from .numeric_rescue import rescue_numbers
from .outside import outside_text_boxes
from .readings import is_readable, repaired

log = logging.getLogger(__name__)

# --- numeric cells ---------------------------------------------------------------------
# Cells whose first reading looks like a number are read again with ``numeric=True`` in
# one more batched call; the second reading wins when it parses as a number. Deciding by
# the first reading (not by column width) keeps headers such as 分值 in narrow columns
# out of the number pass. Engines whose numeric pass only cleans the text (RapidOCR:
# ``rereads_numeric = False``) are not called again: the first reading is cleaned.
NUMERIC_SECOND_PASS = True


def read_text(page: ScanPage, engine: OcrEngine, only: set[tuple[int, int]] | None = None,
              *, outside_lines: bool = True) -> tuple[list[Table], list[str]]:
    """Fill every cell (or the cells ``only`` names, as (table, cell) indices; the others
    are left as they are) and read the lines outside the tables, batched per page; numbers
    hidden under a stamp are read again in line-high windows (`rescue_numbers`)."""
    cells = [(ti, ci, cell) for ti, table in enumerate(page.tables) for ci, cell in enumerate(table.cells)
             if only is None or (ti, ci) in only]  # fmt: skip
    outside = outside_text_boxes(page) if outside_lines else []
    requests = [CellRequest(cell.bbox) for _, _, cell in cells]
    requests += [CellRequest(box) for line in outside for box in line]
    t = time.perf_counter()
    results = [repaired(r) for r in engine.read_cells(page.ocr_image, requests)] if requests else []
    page.timings["ocr"] = time.perf_counter() - t
    if len(results) != len(requests):
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
        if not index:
            continue
        found = rescue_numbers(page.ocr_image, [cells[k][2] for k in index],
                               [cell_results[k] for k in index], engine)
        for local, result in found.items():
            log.info("p%d: number %r read under %r", page.number, result.text, raw_texts[index[local]])
            cell_results[index[local]] = result  # the cell's own reading stays the raw text
    page.timings["ocr_rescue"] = time.perf_counter() - t
    filled: list[list[Cell]] = [list(table.cells) for table in page.tables]
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
