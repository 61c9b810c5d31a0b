"""OCR engines behind one interface (`base.OcrEngine`), picked by name from `registry`."""

from .base import CellRequest, CellText, OcrEngine
from .quality import is_degenerate
from .registry import DEFAULT_ENGINE, available_engines, get_engine

__all__ = [
    "DEFAULT_ENGINE",
    "CellRequest",
    "CellText",
    "OcrEngine",
    "available_engines",
    "get_engine",
    "is_degenerate",
]
