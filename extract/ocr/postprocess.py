"""Recognised lines → cell text: CJK joined without spaces, marks after a full stop dropped."""

from __future__ import annotations

import re

from ..text.normalize import CJK_CORE_CLASS, join_cjk_lines, normalize_text, strip_inner_cjk_spaces

# OCR engines put spaces around CJK characters arbitrarily (tesseract's chi_sim spaces
# every character): in a Chinese cell a space next to a CJK character is never meant.
_SPACE_NEXT_TO_CJK_RE = re.compile(f"(?<=[{CJK_CORE_CLASS}])\\s+|\\s+(?=[{CJK_CORE_CLASS}])")

# A full stop followed by more marks (`。，`, `。。`, `。·`): Chinese prose never writes
# them; OCR makes them from a speck or a rule remnant after the closing `。`.
_AFTER_FULL_STOP_RE = re.compile(r"。[，。、．.,·]+")


def join_line_texts(lines: list[str]) -> str:
    """One cell's text from its lines read top to bottom."""
    text = join_cjk_lines([normalize_text(line) for line in lines])
    text = _AFTER_FULL_STOP_RE.sub("。", text)
    return _SPACE_NEXT_TO_CJK_RE.sub("", strip_inner_cjk_spaces(text))


def mean_confidence(values: list[float]) -> float:
    """Mean confidence clamped to [0, 1]; 0.0 when nothing was read."""
    if not values:
        return 0.0
    return float(min(1.0, max(0.0, sum(values) / len(values))))
