"""One PDF page read from its text layer: vector ruling lines → tables → cell text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..grid.build import segments_to_tables
from ..grid.overlay import write_text_page_debug
from ..model import Options, Page, PageResult, Table, Word
from .cells import fill_cells, words_to_text
from .chars import is_usable, ruling_segments, visible_chars


def read_text_page(pdf_page: Any, number: int, options: Options, path: Path) -> PageResult | None:
    """Tables of a page read from its vector lines and text layer; None when the page has
    no usable text layer (a scan: read it by OCR instead)."""
    words = visible_chars(pdf_page)
    if not is_usable(words):
        return None
    segments = ruling_segments(pdf_page)
    tables = segments_to_tables(segments, number, options.grid)
    filled: list[Table] = []
    for table in tables:
        table, words = fill_cells(table, words)
        filled.append(table)
    if options.debug_dir is not None:
        target = Path(options.debug_dir) / f"{path.stem}-p{number}.png"
        write_text_page_debug(path, number, filled, segments, target)
    page = Page(number, float(pdf_page.width), float(pdf_page.height), "text", tuple(filled))
    return PageResult(page, _outside_lines(words))


def _outside_lines(words: list[Word]) -> list[str]:
    """Text outside any table (title, year, signatures) as lines."""
    if not words:
        return []
    return [line for line in words_to_text(words).split("\n") if line] or []
