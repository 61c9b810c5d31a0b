"""Small page images for the review report: a scan's straightened image scaled down, or a
text page rendered with pypdfium2, both as grey WebP. Each comes with its scale (image
pixels per page unit) so that the grid's boxes can be drawn over it."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from ..errors import InputFileError

# The long side of a page image: Chinese text of a 9 pt form stays legible at this size,
# and a page costs some 60–120 KB (a 300-file archive's report stays near 100 MB).
LONG_SIDE = 1400
WEBP_QUALITY = 60


def encode(gray: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".webp", gray, [cv2.IMWRITE_WEBP_QUALITY, WEBP_QUALITY])
    if not ok:  # pragma: no cover - OpenCV built without WebP
        raise RuntimeError("OpenCV cannot encode WebP")
    return data.tobytes()


def image_thumbnail(gray: np.ndarray) -> tuple[bytes, float]:
    """A page image scaled down to at most LONG_SIDE pixels, and that scale."""
    h, w = gray.shape[:2]
    scale = min(1.0, LONG_SIDE / max(h, w))
    small = gray if scale == 1.0 else cv2.resize(gray, (round(w * scale), round(h * scale)),
                                                 interpolation=cv2.INTER_AREA)
    return encode(small), scale


def pdf_page_thumbnail(path: Path, number: int) -> tuple[bytes, float]:
    """Page ``number`` (1-based) of a PDF rendered with its long side LONG_SIDE pixels, and
    the scale in pixels per point."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
        try:
            page = pdf[number - 1]
            page.set_cropbox(*page.get_mediabox())  # the text layer's boxes are in the media box
            width, height = page.get_size()
            scale = LONG_SIDE / max(width, height)
            gray = np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L"))
            page.close()
        finally:
            pdf.close()
    except (pdfium.PdfiumError, IndexError) as exc:
        raise InputFileError(f"{path}: cannot render page {number} ({exc})") from exc
    return encode(gray), scale
