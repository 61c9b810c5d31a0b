"""The OCR engine interface: read the text of many cells of one page image in one go."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..model import BBox


@dataclass(frozen=True)
class CellRequest:
    """One cell to read: its box in the page image (pixels) and whether it holds a number."""

    bbox: BBox
    numeric: bool = False  # 分值/得分/amounts/rates: a number-aware pass may be used


@dataclass(frozen=True)
class CellText:
    """What an engine read in one cell. ``confidence`` in [0, 1]; 0.0 for an empty cell."""

    text: str
    confidence: float


class OcrEngine(Protocol):
    """An OCR engine. Implementations batch work per page: never one process per cell."""

    name: str

    def read_cells(self, image: np.ndarray, cells: list[CellRequest],
                   ink_level: float | None = None) -> list[CellText]:
        """Text of each requested cell of a grayscale uint8 page image, in request order.
        Multi-line cells are read top to bottom and joined without spaces between CJK.
        ``ink_level``: grey level below which a pixel is ink; None: Otsu on ``image``.
        Pass the page's level when ``image`` is a small piece of a page (Otsu on mostly
        paper lands near the paper and takes faint specks and rule remnants for ink)."""
        ...
