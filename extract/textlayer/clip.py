"""Track clipping paths while pdfminer reads a page, so hidden characters can be dropped.

Spreadsheet exporters draw the label of a merged cell that runs over a page break on
every page of the span and hide the copies with a clipping rectangle. pdfminer ignores
clipping (``W``/``W*`` are no-ops), so those copies reach the text layer and land in
neighbouring cells, often right on top of the repeated header text. This module teaches
pdfminer's interpreter to keep the bounding box of the current clipping path in the
graphics state, and pdfplumber to expose it as ``char["clip"]`` (PDF user space,
``(x0, y0, x1, y1)``, y upwards), or None when nothing is clipped.

Only rectangles' bounding boxes are tracked: exporters clip to cell rectangles, and a
bounding box never hides a character that a real renderer would show.
"""

from __future__ import annotations

from typing import Any

import pdfplumber.page
from pdfminer import pdfinterp
from pdfminer.layout import LTChar

_INSTALLED = False
ClipBox = tuple[float, float, float, float]


def _apply(matrix: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _path_bbox(path: list[tuple[Any, ...]], ctm: tuple[float, ...]) -> ClipBox | None:
    xs: list[float] = []
    ys: list[float] = []
    for segment in path:
        coords = [float(v) for v in segment[1:]]
        for i in range(0, len(coords) - 1, 2):
            x, y = _apply(ctm, coords[i], coords[i + 1])
            xs.append(x)
            ys.append(y)
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def _intersect(a: ClipBox | None, b: ClipBox | None) -> ClipBox | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])


def install() -> None:
    """Patch pdfminer and pdfplumber once; idempotent."""
    global _INSTALLED
    if _INSTALLED:
        return
    state_cls = pdfinterp.PDFGraphicState
    interp_cls = pdfinterp.PDFPageInterpreter
    original_copy = state_cls.copy

    def copy(self: Any) -> Any:
        obj = original_copy(self)
        obj.clip = getattr(self, "clip", None)  # type: ignore[attr-defined]
        return obj

    def mark_clip(self: Any) -> None:
        self._pending_clip = True

    original_n = interp_cls.do_n

    def end_path(self: Any) -> None:
        if getattr(self, "_pending_clip", False):
            box = _path_bbox(self.curpath, self.ctm)
            state = self.graphicstate.copy()  # chars already drawn keep the old state
            state.clip = _intersect(getattr(self.graphicstate, "clip", None), box)
            self.graphicstate = state
            self._pending_clip = False
        original_n(self)

    state_cls.copy = copy  # type: ignore[method-assign]
    interp_cls.do_W = mark_clip  # type: ignore[method-assign]
    interp_cls.do_W_a = mark_clip  # type: ignore[method-assign]
    interp_cls.do_n = end_path  # type: ignore[method-assign]

    original_process = pdfplumber.page.Page.process_object

    def process_object(self: Any, obj: Any) -> Any:
        attr = original_process(self, obj)
        if isinstance(obj, LTChar):
            attr["clip"] = getattr(obj.graphicstate, "clip", None)
        return attr

    pdfplumber.page.Page.process_object = process_object  # type: ignore[method-assign]
    _INSTALLED = True


def char_is_visible(char: dict[str, Any], tolerance: float = 1.0) -> bool:
    """True unless the char's centre lies outside its clipping box."""
    clip = char.get("clip")
    if clip is None:
        return True
    cx = (char["x0"] + char["x1"]) / 2
    cy = (char["y0"] + char["y1"]) / 2
    return (
        clip[0] - tolerance <= cx <= clip[2] + tolerance
        and clip[1] - tolerance <= cy <= clip[3] + tolerance
    )
