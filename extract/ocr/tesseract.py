"""Tesseract (chi_sim; eng for numbers) through pytesseract, two processes per page at most.

The text lines of all cells (`crops.cell_line_crops`, rules blanked) are scaled to one
height and stacked into a montage separated by white gaps; one `image_to_data` call
reads it (`--psm 6`) and each word goes back to the line slot holding its centre.
Numeric cells get a second call over a montage of their lines with `eng` and a digit
whitelist; its reading is used when the general one is not a number.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from ..errors import OcrEngineError
from ..text.cleanup import clean_numeric, looks_numeric
from ..text.numbers import parse_number
from .base import CellRequest, CellText
from .crops import DASH_CONFIDENCE, LineCrop, cell_line_crops, dash_reading, normalise_crop
from .postprocess import join_line_texts, mean_confidence

# Height line crops are scaled to before binarising: measured best of 32/40/48 on
# 150–300 dpi pages (small type is 12–15 px high at 150 dpi, too small for tesseract).
LINE_HEIGHT_PX = 48
# White space between montage slots and around the montage, in pixels: more than a
# line gap, so that tesseract's page layout keeps every slot a line of its own.
SLOT_GAP_PX = 24
MARGIN_PX = 16
# Characters the numeric pass may read (docs/forms.md §4 numbers).
NUMERIC_WHITELIST = "0123456789.,%-"
# A tesseract process may run this long per page before it is given up.
TIMEOUT_S = 120


@dataclass(frozen=True)
class TesseractSettings:
    """Settings of the tesseract engine."""

    # chi_sim alone: with +eng tesseract reads whole Chinese lines as Latin garbage
    # (measured char accuracy 0.74 vs 0.87); chi_sim has digits and Latin letters.
    lang: str = "chi_sim"
    numeric_lang: str = "eng"
    line_height: int = LINE_HEIGHT_PX
    numeric_pass: bool = True
    timeout: int = TIMEOUT_S


@dataclass(frozen=True)
class _Montage:
    image: np.ndarray
    slots: list[tuple[int, int]]  # [top, bottom) of each line in the montage


def build_montage(crops: list[np.ndarray], height: int) -> _Montage:
    """Stack line crops scaled to `height`, left-aligned, separated by white gaps."""
    scaled = [_binarise(normalise_crop(c, height)) for c in crops]
    width = max((s.shape[1] for s in scaled), default=1) + 2 * MARGIN_PX
    total = MARGIN_PX * 2 + sum(s.shape[0] for s in scaled) + SLOT_GAP_PX * max(0, len(scaled) - 1)
    canvas = np.full((max(total, 1), width), 255, dtype=np.uint8)
    slots = []
    y = MARGIN_PX
    for s in scaled:
        canvas[y : y + s.shape[0], MARGIN_PX : MARGIN_PX + s.shape[1]] = s
        slots.append((y, y + s.shape[0]))
        y += s.shape[0] + SLOT_GAP_PX
    return _Montage(canvas, slots)


def _binarise(line: np.ndarray) -> np.ndarray:
    """Otsu per line after upscaling: tesseract's own page-wide binarisation loses the
    faint decimal points of small type."""
    _, out = cv2.threshold(line, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return out


class TesseractEngine:
    """Reads table cells with tesseract, one montage call per page (plus one for numbers)."""

    name = "tesseract"

    def __init__(self, settings: TesseractSettings | None = None) -> None:
        self.settings = settings or TesseractSettings()
        try:
            import pytesseract
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise OcrEngineError("pytesseract is not installed: pip install pytesseract") from exc
        if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
            raise OcrEngineError(
                "the tesseract binary is not installed: "
                "apt-get install tesseract-ocr tesseract-ocr-chi-sim"
            )
        self._tess: Any = pytesseract
        try:
            langs = set(pytesseract.get_languages(config=""))
        except Exception as exc:
            raise OcrEngineError(f"tesseract does not run: {exc}") from exc
        wanted = set(self.settings.lang.split("+")) | {self.settings.numeric_lang}
        if not wanted <= langs:
            missing = ", ".join(sorted(wanted - langs))
            raise OcrEngineError(
                f"tesseract language data missing: {missing} "
                "(apt-get install tesseract-ocr-chi-sim tesseract-ocr-eng)"
            )

    def read_cells(self, image: np.ndarray, cells: list[CellRequest],
                   ink_level: float | None = None) -> list[CellText]:
        if image.ndim != 2:
            image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        crops = cell_line_crops(image, [c.bbox for c in cells], ink_level)
        general = self._read_lines(crops, self.settings.lang, "--psm 6")
        per_cell: list[list[tuple[str, list[float]]]] = [[] for _ in cells]
        for crop, reading in zip(crops, general):
            if crop.dash and not dash_reading(crop, reading[0]):
                reading = ("-", [DASH_CONFIDENCE])
            per_cell[crop.cell].append(reading)
        numeric_lines = [c for c in crops if cells[c.cell].numeric]
        numeric: dict[int, list[tuple[str, list[float]]]] = {}
        if self.settings.numeric_pass and numeric_lines:
            config = f"--psm 6 -c tessedit_char_whitelist={NUMERIC_WHITELIST}"
            for crop, reading in zip(
                numeric_lines, self._read_lines(numeric_lines, self.settings.numeric_lang, config)
            ):
                numeric.setdefault(crop.cell, []).append(reading)
        out = []
        for index, request in enumerate(cells):
            text, confs = _cell_text(per_cell[index])
            if request.numeric:
                text = clean_numeric(text)
                # The whitelisted reading wins whenever the general one is a number or
                # nothing: chi_sim drops decimal points (2.0 → 20) far more often. A
                # general reading with other characters (≥98%, 按时公开) is kept.
                if index in numeric and (not text or looks_numeric(text)):
                    alt, alt_confs = _cell_text(numeric[index])
                    alt = clean_numeric(alt)
                    if parse_number(alt) is not None:
                        text, confs = alt, alt_confs
            out.append(CellText(text, mean_confidence(confs) if text else 0.0))
        return out

    def _read_lines(
        self, crops: list[LineCrop], lang: str, config: str
    ) -> list[tuple[str, list[float]]]:
        """(text, word confidences in [0, 1]) of each line crop, from one tesseract call."""
        if not crops:
            return []
        montage = build_montage([c.image for c in crops], self.settings.line_height)
        try:
            data = self._tess.image_to_data(
                montage.image,
                lang=lang,
                config=config,
                output_type=self._tess.Output.DICT,
                timeout=self.settings.timeout,
            )
        except Exception as exc:
            raise OcrEngineError(f"tesseract failed: {exc}") from exc
        tops = np.array([s[0] for s in montage.slots])
        words: list[list[tuple[int, str, float]]] = [[] for _ in crops]
        for text, conf, left, top, height in zip(
            data["text"], data["conf"], data["left"], data["top"], data["height"]
        ):
            conf = float(conf)
            if conf < 0 or not str(text).strip():
                continue
            centre = top + height / 2
            slot = int(np.searchsorted(tops, centre, side="right")) - 1
            if slot < 0 or centre > montage.slots[slot][1] + SLOT_GAP_PX / 2:
                continue
            words[slot].append((left, str(text), conf / 100.0))
        out = []
        for line in words:
            line.sort()
            out.append((" ".join(t for _, t, _ in line), [c for _, _, c in line]))
        return out


def _cell_text(lines: list[tuple[str, list[float]]]) -> tuple[str, list[float]]:
    text = join_line_texts([t for t, _ in lines])
    return text, [c for _, confs in lines for c in confs]
