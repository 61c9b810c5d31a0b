"""Read a PDF page's text layer and vector ruling lines with pdfplumber."""

from __future__ import annotations

from typing import Any

from . import pdf_clip
from .model import BBox, Segment, Word

pdf_clip.install()

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
        if not pdf_clip.char_is_visible(char):
            continue
        words.append(Word(text, BBox(char["x0"], char["top"], char["x1"], char["bottom"])))
    return words


def ruling_segments(page: Any) -> list[Segment]:
    """Straight horizontal and vertical strokes: lines, thin rectangles and rectangle edges."""
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
    return segments
