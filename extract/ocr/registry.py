"""OCR engines by name, imported lazily and cached per process."""

from __future__ import annotations

import importlib
import importlib.util
import shutil
from functools import cache

from ..errors import OcrEngineError
from .base import OcrEngine

# name → (module, class, install hint). Modules are imported only when asked for, so a
# missing engine fails with the hint instead of at import time.
ENGINES: dict[str, tuple[str, str, str]] = {
    "rapidocr": ("extract.ocr.rapid", "RapidOcrEngine", "pip install rapidocr-onnxruntime"),
    "tesseract": (
        "extract.ocr.tesseract",
        "TesseractEngine",
        "pip install pytesseract; apt-get install tesseract-ocr tesseract-ocr-chi-sim",
    ),
}
# The engine used when none is named. Chosen by scripts/bench_ocr_engines.py on
# scan-degraded pages at 150–300 dpi: see the module docstring of rapid.py.
DEFAULT_ENGINE = "rapidocr"


def _missing(name: str) -> str | None:
    """Why engine `name` cannot run here, or None when it can."""
    if name == "rapidocr":
        if importlib.util.find_spec("rapidocr_onnxruntime") is None:
            return "the rapidocr_onnxruntime package is not installed"
    elif name == "tesseract":
        if importlib.util.find_spec("pytesseract") is None:
            return "the pytesseract package is not installed"
        if shutil.which("tesseract") is None:
            return "the tesseract binary is not on PATH"
    return None


def available_engines() -> list[str]:
    """Names of the registered engines that can run in this environment."""
    return [name for name in ENGINES if _missing(name) is None]


def get_engine(name: str | None = None) -> OcrEngine:
    """The engine called `name` (None: DEFAULT_ENGINE), created once per process.
    Raises OcrEngineError for an unknown or missing engine, with an install hint."""
    key = (name or DEFAULT_ENGINE).strip().lower()
    if key not in ENGINES:
        known = ", ".join(sorted(ENGINES))
        raise OcrEngineError(f"unknown OCR engine {name!r} (known: {known})")
    reason = _missing(key)
    if reason is not None:
        raise OcrEngineError(f"OCR engine {key!r} is not available: {reason} ({ENGINES[key][2]})")
    return _create(key)


def engines_loaded() -> bool:
    """Whether this process has created an engine (its native threads run)."""
    return _create.cache_info().currsize > 0


@cache
def _create(key: str) -> OcrEngine:
    """One engine instance per process (RapidOCR loads its ONNX models once)."""
    module_name, class_name, _ = ENGINES[key]
    module = importlib.import_module(module_name)
    engine: OcrEngine = getattr(module, class_name)()
    return engine
