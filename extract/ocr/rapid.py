"""RapidOCR (PP-OCRv4 ONNX models shipped in the rapidocr_onnxruntime wheel).

Per page: cells are split into text lines by `crops.cell_line_crops` and all lines are
recognised in batches by the recognition model alone (no detection, no angle
classifier). Measured on scan-degraded 150–300 dpi pages this is both more accurate
and faster than running the detector on the page and assigning its boxes to cells
(`mode="detect"`, kept for comparison): detector boxes merge text with the ruling
line it touches and straddle cell borders.

The recognition model runs in OpenVINO when it is installed (a dependency), else in
onnxruntime. Same model file, same output: on the 133 lines of a 200 dpi page every
reading was identical and OpenVINO took 4.0–4.3 s against onnxruntime's 7.4–7.8 s on one
core (AVX2 EPYC; `scripts/bench_speed.py --scanned` has the end-to-end figures).
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ..errors import OcrEngineError
from ..model import PAPER_PERCENTILE, BBox
from ..text.cleanup import clean_numeric
from .base import CellRequest, CellText
from .crops import DASH_CONFIDENCE, LineCrop, cell_line_crops, dash_reading, ink_threshold
from .postprocess import join_line_texts, mean_confidence

# Lines recognised per ONNX run, sorted by aspect ratio first. Measured on a 100-line
# page at 150 dpi (1 thread): 8 lines 3.1 CPU-s, 16 lines 4.2 s, 32 lines more (every
# line of a batch is padded to the widest one).
REC_BATCH = 8
# Threads per ONNX session when SELFEVAL_OCR_THREADS is not set. A batch runs one
# process per core, so one thread each; the CLI gives a lone file all cores (measured on
# the 2-core machine, idle: a batch of 8 lines 0.40 s with 1 thread, 0.20 s with 2).
DEFAULT_THREADS = 1
# Below this recognition score a line is dropped as noise (speck, stamp fragment).
MIN_LINE_SCORE = 0.3
# Share of a detected box's height that must lie in a cell for the part to be kept
# (mode="detect"): a box merely touching a border contributes nothing to that cell.
DETECT_MIN_OVERLAP = 0.5
# Narrowest input given to the recogniser, as width / height: a 48 px high model
# needs a few CTC steps per character even for a one-digit cell. RapidOCR's own
# batching uses 320 / 48 ≈ 6.7; 2.0 cut a 100-line page from 5.3 to 3.1 CPU-s with
# the same accuracy.
MIN_REC_RATIO = 2.0
# Lines are padded to their width rounded up to this many pixels (the model's width
# stride is 8 px) and batched with lines of the same padded width.
WIDTH_STEP_PX = 32
# Lines longer than LONG_LINE_RATIO × their height (prose in the explanation and basis
# columns, long names; amounts and scores are shorter) are given to the recogniser
# LONG_LINE_SQUEEZE as wide: a CJK character still spans ~4 of the model's 8-px steps, and
# the model's time is proportional to the width. Measured with bench_accuracy.py
# --scanned on 12 scans (498 rows) and one 177-line page pinned to one core:
#   squeeze 1.0: OCR 9.4 s; 200 dpi names 96.7 %, rows exact 63.7 %; 300 dpi rows 38.9 %
#   0.7 from 8:  6.5 s (0.69×); 96.4 %, 65.8 %; 50.0 % (150 dpi names 66.7 → 65.9 %)
#   0.6 from 10: 6.2 s; 96.1 %, 64.3 %; 44.4 %, a 300 dpi name lost
#   0.6 from 6:  5.5 s; budget amounts misread (two false budget_rate_mismatch)
# bench_speed.py --scanned (9 pages, pinned to one core): 7.96 → 6.24–6.35 s/page.
# A squeezed line that reads as mostly digits, or as far fewer characters than its
# length holds, is read again at full width (amounts squeezed read `1,234,5,90.,11,.`).
LONG_LINE_RATIO = 8.0
LONG_LINE_SQUEEZE = 0.7
# Share of digits from which a squeezed line's reading is read again unsqueezed.
REREAD_DIGIT_SHARE = 0.5
# …or fewer characters than this many per line height (CJK prose reads ~0.9, digits ~1.8).
REREAD_MIN_CHARS_PER_HEIGHT = 0.5


# A line at least REREAD_MIN_HEIGHT_SHARE of the page's median crop height that reads as
# nothing is read again with this share of its height more paper above and below.
REREAD_MIN_HEIGHT_SHARE = 0.6
REREAD_PAD_SHARE = 0.1

THREADS_ENV = "SELFEVAL_OCR_THREADS"
# "auto" (OpenVINO when installed, else onnxruntime), "openvino" or "onnxruntime"
BACKEND_ENV = "SELFEVAL_OCR_BACKEND"
BACKENDS = ("auto", "openvino", "onnxruntime")
# Recognition model inside the rapidocr_onnxruntime wheel (its config.yaml Rec.model_path)
REC_MODEL = "models/ch_PP-OCRv4_rec_infer.onnx"


def threads_from_env() -> int:
    """ONNX threads from SELFEVAL_OCR_THREADS (the CLI sets cores ÷ worker processes)."""
    try:
        return max(1, int(os.environ.get(THREADS_ENV, DEFAULT_THREADS)))
    except ValueError:
        return DEFAULT_THREADS


@dataclass(frozen=True)
class RapidSettings:
    """Settings of the RapidOCR engine."""

    intra_op_num_threads: int = field(default_factory=lambda: threads_from_env())
    rec_batch: int = REC_BATCH
    mode: str = "lines"  # "lines" (projection + batched recognition) or "detect"
    backend: str = field(default_factory=lambda: os.environ.get(BACKEND_ENV, "auto"))
    # None: the model's own input height, 48 px. Smaller is faster but worse (measured with
    # scripts/bench_ocr_engines.py at 200 dpi, 641 cells: 48 px 95.2 % exact, numeric 99.1 %;
    # 40 px 93.4 % / 95.4 % at 0.68× the time; 36 px 92.0 % / 91.3 % at 0.59×).
    rec_height: int | None = None
    long_line_ratio: float = LONG_LINE_RATIO
    long_line_squeeze: float = LONG_LINE_SQUEEZE  # 1.0: every line at its own width

    def __post_init__(self) -> None:
        if self.intra_op_num_threads < 1:
            raise ValueError("intra_op_num_threads must be at least 1")
        if self.rec_batch < 1:
            raise ValueError("rec_batch must be at least 1")
        if self.mode not in ("lines", "detect"):
            raise ValueError(f"unknown RapidOCR mode {self.mode!r}")
        if not 0.3 <= self.long_line_squeeze <= 1.0:
            raise ValueError("long_line_squeeze must lie in [0.3, 1.0]")
        if self.backend not in BACKENDS:
            raise ValueError(f"unknown RapidOCR backend {self.backend!r}: one of {BACKENDS}")


class RapidOcrEngine:
    """Reads table cells with RapidOCR's recognition model, batched per page."""

    name = "rapidocr"
    # numeric=True only cleans the reading (clean_numeric); the recogniser is the same
    rereads_numeric = False

    def __init__(self, settings: RapidSettings | None = None) -> None:
        self.settings = settings or RapidSettings()
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise OcrEngineError(
                "RapidOCR is not installed: pip install rapidocr-onnxruntime"
            ) from exc
        threads = self.settings.intra_op_num_threads
        try:
            self._ocr: Any = RapidOCR(
                intra_op_num_threads=threads,
                inter_op_num_threads=1,
                rec_batch_num=self.settings.rec_batch,
            )
        except Exception as exc:
            raise OcrEngineError(f"RapidOCR failed to load its models: {exc}") from exc
        self.backend, self._run_rec = self._rec_runner()

    def _rec_runner(self) -> tuple[str, Callable[[np.ndarray], np.ndarray]]:
        """The backend actually used and a function: batch tensor → model output."""
        wanted = self.settings.backend
        if wanted in ("auto", "openvino"):
            try:
                return "openvino", _openvino_rec(self.settings.intra_op_num_threads)
            except ImportError as exc:
                if wanted == "openvino":
                    raise OcrEngineError("OpenVINO is not installed: pip install openvino") from exc
            except Exception as exc:
                raise OcrEngineError(f"OpenVINO failed to load the recognition model: {exc}") from exc
        session = self._ocr.text_rec.session
        return "onnxruntime", lambda tensor: session(tensor)[0]

    def read_cells(self, image: np.ndarray, cells: list[CellRequest],
                   ink_level: float | None = None) -> list[CellText]:
        if image.ndim != 2:
            image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        if self.settings.mode == "detect":
            crops = self._detected_crops(image, cells)
        else:
            crops = cell_line_crops(image, [c.bbox for c in cells], ink_level)
        results = self._read_again_taller(crops, self._recognise([c.image for c in crops]))
        per_cell: list[list[tuple[str, float]]] = [[] for _ in cells]
        for crop, (text, score) in zip(crops, results):
            if crop.dash and not (dash_reading(crop, text) and score >= MIN_LINE_SCORE):
                text, score = "-", DASH_CONFIDENCE
            if text.strip() and score >= MIN_LINE_SCORE:
                per_cell[crop.cell].append((text, score))
        out = []
        for request, lines in zip(cells, per_cell):
            text = join_line_texts([t for t, _ in lines])
            if request.numeric:
                text = clean_numeric(text)
            conf = mean_confidence([s for _, s in lines]) if text else 0.0
            out.append(CellText(text, conf))
        return out

    def _read_again_taller(self, crops: list[LineCrop],
                           results: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """Text-high lines that read as nothing, read again with REREAD_PAD_SHARE more paper
        above and below: a lone digit is sensitive to its crop (a 300 dpi `4` read as
        nothing cut to 21 px high, as `4` at 0.997 with 2 px of paper more each side)."""
        if not crops:
            return results
        typical = float(np.median([c.image.shape[0] for c in crops]))
        again = [
            i for i, (crop, (text, score)) in enumerate(zip(crops, results))
            if not crop.dash and crop.image.shape[0] >= REREAD_MIN_HEIGHT_SHARE * typical
            and not (text.strip() and score >= MIN_LINE_SCORE)
        ]  # fmt: skip
        if not again:
            return results
        taller = []
        for i in again:
            image = crops[i].image
            pad = max(1, round(REREAD_PAD_SHARE * image.shape[0]))
            paper = int(np.percentile(image, PAPER_PERCENTILE))
            taller.append(np.pad(image, ((pad, pad), (0, 0)), constant_values=paper))
        out = list(results)
        for i, reading in zip(again, self._recognise(taller)):
            if reading[0].strip() and reading[1] >= MIN_LINE_SCORE:
                out[i] = reading
        return out

    def _recognise(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """(text, score) of each line crop; long lines squeezed (LONG_LINE_SQUEEZE), and
        read again at full width when they turn out to be mostly digits or too short."""
        ratios = [c.shape[1] / max(1, c.shape[0]) for c in crops]
        squeeze, long_line = self.settings.long_line_squeeze, self.settings.long_line_ratio
        squeezed = [i for i, r in enumerate(ratios) if squeeze < 1.0 and r > long_line]
        widths = list(ratios)
        for i in squeezed:
            widths[i] *= squeeze
        out = self._recognise_at(crops, widths)
        again = [
            i for i in squeezed
            if _digit_share(out[i][0]) >= REREAD_DIGIT_SHARE
            or len(out[i][0].strip()) < REREAD_MIN_CHARS_PER_HEIGHT * ratios[i]
        ]  # fmt: skip
        if again:
            readings = self._recognise_at([crops[i] for i in again], [ratios[i] for i in again])
            for i, reading in zip(again, readings):
                out[i] = reading
        return out

    def _recognise_at(self, crops: list[np.ndarray], ratios: list[float]) -> list[tuple[str, float]]:
        """(text, score) of each line crop resized to the model's height and ``ratio`` ×
        that height wide, batched by ratio.

        RapidOCR's own batching pads every line to at least 320 × 48 px (its training
        shape); cell lines are mostly a few characters, so padding each line only to its
        own width rounded up to WIDTH_STEP_PX (at least MIN_REC_RATIO) is several times
        faster. Batching only lines of one padded width makes a line's reading its own:
        padded to the widest line of a mixed batch, a line read differently when the
        other lines of its page changed (`，100%` / `100%`), and was no faster (3 pages,
        one core: 17.2 s against 18.4 s)."""
        if not crops:
            return []
        rec = self._ocr.text_rec
        height = self.settings.rec_height or int(rec.rec_image_shape[1])
        # each line padded to its own width rounded up to WIDTH_STEP_PX, and batched only
        # with lines of that padded width: its reading depends on itself alone, not on
        # which other lines share its batch
        padded = [WIDTH_STEP_PX * math.ceil(height * max(MIN_REC_RATIO, r) / WIDTH_STEP_PX) for r in ratios]
        order = sorted(range(len(crops)), key=padded.__getitem__)
        out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
        batch = self.settings.rec_batch
        groups = [list(g) for _, g in itertools.groupby(order, key=padded.__getitem__)]
        try:
            for idx in (g[k : k + batch] for g in groups for k in range(0, len(g), batch)):
                width = padded[idx[0]]
                tensor = np.zeros((len(idx), 3, height, width), dtype=np.float32)
                for k, i in enumerate(idx):
                    w = min(width, math.ceil(height * ratios[i]))
                    line = cv2.resize(crops[i], (max(1, w), height), interpolation=cv2.INTER_LINEAR)
                    norm = line.astype(np.float32) / 127.5 - 1.0
                    tensor[k, :, :, :w] = norm[None, :, :]
                preds = self._run_rec(tensor)
                for i, res in zip(idx, rec.postprocess_op(preds)):
                    out[int(i)] = (str(res[0]), float(res[1]))
        except Exception as exc:
            raise OcrEngineError(f"RapidOCR recognition failed: {exc}") from exc
        return out

    def _detected_crops(self, image: np.ndarray, cells: list[CellRequest]) -> list[LineCrop]:
        """Detector boxes on the page (rules blanked), split along cell borders."""
        thr = ink_threshold(image)
        # paint the cells' rules out first, by pasting each cell's cleaned lines
        clean = np.full_like(image, int(np.percentile(image, PAPER_PERCENTILE)))
        for crop in cell_line_crops(image, [c.bbox for c in cells], thr):
            b = crop.bbox
            clean[int(b.top) : int(b.bottom), int(b.x0) : int(b.x1)] = crop.image
        boxes, _ = self._ocr.text_det(cv2.cvtColor(clean, cv2.COLOR_GRAY2BGR))
        if boxes is None:
            return []
        pieces: list[tuple[int, float, float, LineCrop]] = []
        for quad in boxes:
            xs, ys = quad[:, 0], quad[:, 1]
            det = BBox(float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
            for index, cell in enumerate(cells):
                c = cell.bbox
                x0, x1 = max(det.x0, c.x0), min(det.x1, c.x1)
                y0, y1 = max(det.top, c.top), min(det.bottom, c.bottom)
                if x1 - x0 < 2 or (y1 - y0) < DETECT_MIN_OVERLAP * det.height:
                    continue
                part = clean[int(y0) : int(y1) + 1, int(x0) : int(x1) + 1]
                if part.size:
                    crop = LineCrop(index, BBox(x0, y0, x1, y1), part)
                    pieces.append((index, y0, x0, crop))
        pieces.sort(key=lambda p: (p[0], p[1], p[2]))
        return [p[3] for p in pieces]


def _digit_share(text: str) -> float:
    """Share of ASCII digits among the non-space characters of ``text``."""
    chars = [c for c in text if not c.isspace()]
    return sum(c in "0123456789" for c in chars) / len(chars) if chars else 0.0


def _openvino_rec(threads: int) -> Callable[[np.ndarray], np.ndarray]:
    """RapidOCR's recognition model compiled by OpenVINO for the CPU (ImportError if absent)."""
    import openvino as ov
    import rapidocr_onnxruntime

    model = Path(rapidocr_onnxruntime.__file__).parent / REC_MODEL
    core = ov.Core()
    # No pinning: OpenVINO pins its threads to cores from the first one on, so two worker
    # processes of one thread each would share one core (measured: -j 2 no faster than -j 1).
    compiled = core.compile_model(
        core.read_model(str(model)), "CPU",
        {"INFERENCE_NUM_THREADS": threads, "PERFORMANCE_HINT": "LATENCY", "ENABLE_CPU_PINNING": False},
    )
    output = compiled.output(0)
    return lambda tensor: np.asarray(compiled(tensor)[output])
