"""Scanned pages: page images → grid and cell text by OCR. (Filled in by the OCR path.)"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import NoTableError

if TYPE_CHECKING:
    from .pipeline import Options, PageResult


def image_pages(path: Path, options: Options) -> list[PageResult]:
    raise NoTableError(f"{path}: image input needs the OCR path, not available yet")


def pdf_page_by_ocr(path: Path, number: int, options: Options) -> PageResult:
    raise NoTableError(f"{path}: page {number} has no usable text layer (OCR path not available yet)")
