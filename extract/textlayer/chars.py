"""Read a PDF page's text layer and vector ruling lines with pdfplumber."""

from __future__ import annotations

from typing import Any

from ..model import BBox, Segment, Word
from . import clip

clip.install()

# A usable text layer has at least this many visible characters (fewer: a scan, perhaps
# with a stamp or a caption) ...
MIN_TEXT_CHARS = 20
# ... and at least this share of them readable (CJK, letters, digits, punctuation); a
# broken font map yields "(cid:123)" runs or private-use code points instead.
MIN_READABLE_SHARE = 0.8

# Rectangles thinner than this (points) are drawn lines, not filled boxes.
MAX_LINE_THICKNESS = 3.0


def visible_chars(page: Any) -> list[Word]:
    """Characters drawn on the page box and not clipped away, as one-character words."""
    width, height = float(page.width), float(page.height)
    words = []
    for char in page.chars:
        text = char["text"]
        if not text or text.isspace():
            continue
        cx = (char["x0"] + char["x1"]) / 2
        cy = (char["top"] + char["bottom"]) / 2
        if not (0 <= cx <= width and 0 <= cy <= height):
            continue
        if not clip.char_is_visible(char):
            continue
        words.append(Word(text, BBox(char["x0"], char["top"], char["x1"], char["bottom"])))
    return words


def _readable(ch: str) -> bool:
    return not ("\ue000" <= ch <= "\uf8ff") and (ch.isprintable() and ch not in "\ufffd")


def is_usable(words: list[Word]) -> bool:
    """Whether a page's text layer is worth reading instead of OCR."""
    if len(words) < MIN_TEXT_CHARS:
        return False
    if sum(1 for w in words if w.text.startswith("(cid:")) > len(words) * (1 - MIN_READABLE_SHARE):
        return False
    readable = sum(1 for w in words if all(_readable(ch) for ch in w.text))
    return readable >= MIN_READABLE_SHARE * len(words)


def ruling_segments(page: Any) -> list[Segment]:
    """Straight horizontal and vertical strokes: lines, thin rectangles, rectangle edges,
    and thin filled paths (LibreOffice draws a border that meets a diagonal as a slanted
    quadrilateral, which pdfplumber lists as a curve)."""
    segments: list[Segment] = []
    for line in page.lines:
        x0, x1, top, bottom = line["x0"], line["x1"], line["top"], line["bottom"]
        if abs(top - bottom) < 1.0 or abs(x0 - x1) < 1.0:
            segments.append(Segment(x0, top, x1, bottom))
    for rect in page.rects:
        x0, x1, top, bottom = rect["x0"], rect["x1"], rect["top"], rect["bottom"]
        w, h = x1 - x0, bottom - top
        if h <= MAX_LINE_THICKNESS and w > h:
            y = (top + bottom) / 2
            segments.append(Segment(x0, y, x1, y))
        elif w <= MAX_LINE_THICKNESS and h > w:
            x = (x0 + x1) / 2
            segments.append(Segment(x, top, x, bottom))
        elif rect.get("stroke"):
            segments += [
                Segment(x0, top, x1, top),
                Segment(x0, bottom, x1, bottom),
                Segment(x0, top, x0, bottom),
                Segment(x1, top, x1, bottom),
            ]
    for curve in page.curves:
        x0, x1, top, bottom = curve["x0"], curve["x1"], curve["top"], curve["bottom"]
        w, h = x1 - x0, bottom - top
        if h <= MAX_LINE_THICKNESS and w > 4 * h:
            segments.append(Segment(x0, (top + bottom) / 2, x1, (top + bottom) / 2))
        elif w <= MAX_LINE_THICKNESS and h > 4 * w:
            segments.append(Segment((x0 + x1) / 2, top, (x0 + x1) / 2, bottom))
    return segments
