"""Debug overlay of a page (a scan, or a text-layer page rendered): detected lines, cell
boxes and each cell's text."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path
from typing import Any

import numpy as np

from ..model import DEFAULT_PIXELS_PER_POINT, POINTS_PER_INCH, Segment, Table

LINE_COLOUR = (230, 40, 40)  # detected ruling lines: red
CELL_COLOUR = (30, 120, 230)  # cell boxes (merged cells drawn once): blue
TEXT_COLOUR = (0, 140, 60)  # OCR text: green
LOW_CONFIDENCE_COLOUR = (220, 120, 0)  # text read with low confidence: orange
LOW_CONFIDENCE = 0.6  # below this the overlay marks the text for a second look
# Cell text is drawn at this share of the page's row height scale (pixels per point),
# i.e. 7 pt: small enough to fit a narrow score cell, large enough to read when zoomed.
TEXT_SIZE_PT = 7.0
FALLBACK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


@functools.lru_cache(maxsize=1)
def _cjk_font_path() -> str | None:
    """A CJK font file: fontconfig's match for Noto Sans CJK SC, else a known path."""
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "Noto Sans CJK SC"],
            capture_output=True, text=True, timeout=10, check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        found = ""
    for candidate in (found, *FALLBACK_FONTS):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _font(size: int) -> Any:
    from PIL import ImageFont

    path = _cjk_font_path()
    if path is None:
        return ImageFont.load_default()
    return ImageFont.truetype(path, size)


def write_debug_image(gray: np.ndarray, tables: list[Table] | tuple[Table, ...], path: Path,
                      *, segments: list[Segment] | None = None,
                      pixels_per_point: float = DEFAULT_PIXELS_PER_POINT) -> Path:
    """Draw ``segments`` (if given), every cell box and its text over the page image."""
    from PIL import Image, ImageDraw

    image = Image.fromarray(gray).convert("RGB")
    draw = ImageDraw.Draw(image)
    width = max(1, round(pixels_per_point / 2))
    for seg in segments or []:
        draw.line([(seg.x0, seg.top), (seg.x1, seg.bottom)], fill=LINE_COLOUR, width=width + 1)
    font = _font(max(8, round(TEXT_SIZE_PT * pixels_per_point)))
    for table in tables:
        for cell in table.cells:
            b = cell.bbox
            inset = width + 1
            draw.rectangle([b.x0 + inset, b.top + inset, b.x1 - inset, b.bottom - inset],
                           outline=CELL_COLOUR, width=width)
            label = f"{cell.row},{cell.col}"
            if cell.rowspan > 1 or cell.colspan > 1:
                label += f" {cell.rowspan}x{cell.colspan}"
            draw.text((b.x0 + 2 * inset, b.top + 2 * inset), label, fill=CELL_COLOUR, font=font)
            if cell.text:
                colour = TEXT_COLOUR if cell.confidence >= LOW_CONFIDENCE else LOW_CONFIDENCE_COLOUR
                draw.text((b.x0 + 2 * inset, (b.top + b.bottom) / 2), cell.text[:40],
                          fill=colour, font=font)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path


def _scaled_table(table: Table, factor: float) -> Table:
    from dataclasses import replace

    from ..model import BBox

    def box(b: BBox) -> BBox:
        return BBox(b.x0 * factor, b.top * factor, b.x1 * factor, b.bottom * factor)

    return replace(
        table,
        bbox=box(table.bbox),
        cells=tuple(replace(c, bbox=box(c.bbox)) for c in table.cells),
        col_edges=tuple(x * factor for x in table.col_edges),
        row_edges=tuple(y * factor for y in table.row_edges),
    )


def write_text_page_debug(pdf_path: Path, number: int, tables: list[Table],
                          segments: list[Segment], path: Path, dpi: int = 144) -> Path:
    """The debug overlay of a text-layer page: the page rendered at ``dpi`` with its
    vector ruling lines, cells and cell text (points scaled to pixels)."""
    import pypdfium2 as pdfium

    factor = dpi / POINTS_PER_INCH
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        gray = np.asarray(pdf[number - 1].render(scale=factor, grayscale=True).to_pil().convert("L"))
    finally:
        pdf.close()
    scaled = [Segment(s.x0 * factor, s.top * factor, s.x1 * factor, s.bottom * factor) for s in segments]
    return write_debug_image(gray, [_scaled_table(t, factor) for t in tables], path,
                             segments=scaled, pixels_per_point=factor)
