"""One scanned page, composed: page image → tables (``analysis``) → cell text by OCR
(``cell_text``) → optional debug overlay → strips for labels cut by a page break."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from ..grid.overlay import write_debug_image
from ..model import Options, Page, PageResult
from ..ocr.registry import get_engine
from .analysis import analyse_page
from .cell_text import read_text
from .cut_labels import ScanResult, cut_strips, has_cut_strips, mend_cut_labels

log = logging.getLogger(__name__)


def read_scanned_page(gray: np.ndarray, pixels_per_point: float, number: int, options: Options,
                      path: Path) -> ScanResult:
    """One page image (``path``'s page ``number``) read by OCR into tables and outside text,
    with the strips that may hold half of a label cut by a page break."""
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
    return ScanResult(Page(number, float(w), float(h), "ocr", tuple(tables)), outside, cut_strips=strips, image=page.image)


def mend_cut_pages(results: list[PageResult], options: Options) -> list[PageResult]:
    """A document's pages with the labels cut by a page break read again from their joined
    halves (``cut_labels``); pages read from a text layer pass through."""
    if not has_cut_strips(results):
        return results
    return mend_cut_labels(results, get_engine(options.ocr_engine))
