"""Recognise OCR output that is not text: loops and symbol garbage.

Recognisers that lose track of a dense cell repeat one phrase dozens of times (the
seed shows `一个工作,一个工作,一个工作,…` and `等 等 等 等 …`), or return runs of
punctuation from stamps, rules and noise. The pipeline flags such cells as unreadable
instead of keeping their text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ..text.normalize import is_cjk

# Texts shorter than this are judged by the symbol rule only: a short cell may well
# repeat itself (`是是`, `1.11`).
MIN_REPEAT_TEXT = 8
# A phrase of up to this many characters repeated …
MAX_UNIT = 12
# … at least this many times (a one-character unit: REPEAT_MIN_SINGLE times) …
REPEAT_MIN = 4
REPEAT_MIN_SINGLE = 6
# … covering at least this share of the text is a recognition loop.
REPEAT_SHARE = 0.5
# Texts of at least this many characters with less than MIN_WORD_SHARE of letters,
# digits and CJK characters are symbol garbage.
MIN_SYMBOL_TEXT = 3
MIN_WORD_SHARE = 0.4
# Cells that are only placeholders (docs/forms.md §4) or a template's ellipsis are valid.
_PLACEHOLDER_RE = re.compile(r"[\s\-—–―/\\…·.。无]*")
_SEPARATORS_RE = re.compile(r"[\s,，、;；。.]+")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or is_cjk(ch) and unicodedata.category(ch).startswith("L")


def _repetition_share(text: str) -> float:
    """Largest share of `text` covered by one repeated unit (separators ignored)."""
    s = _SEPARATORS_RE.sub("", text)
    n = len(s)
    if n < MIN_REPEAT_TEXT:
        return 0.0
    best = 0.0
    for k in range(1, min(MAX_UNIT, n // REPEAT_MIN) + 1):
        counts = Counter(s[i : i + k] for i in range(n - k + 1))
        unit, count = counts.most_common(1)[0]
        if not any(is_cjk(ch) or ch.isalpha() for ch in unit):
            # digits repeat legitimately (1,111,111.11); only words loop
            continue
        if count < (REPEAT_MIN_SINGLE if k == 1 else REPEAT_MIN):
            continue
        best = max(best, min(1.0, count * k / n))
    return best


def is_degenerate(text: str) -> bool:
    """True when `text` is a recognition loop (one phrase repeated over most of it) or
    mostly symbols; False for ordinary text, numbers, placeholders and empty cells."""
    stripped = text.strip()
    if not stripped or _PLACEHOLDER_RE.fullmatch(stripped):
        return False
    compact = "".join(stripped.split())
    if len(compact) >= MIN_SYMBOL_TEXT:
        words = sum(_is_word_char(ch) for ch in compact)
        if words / len(compact) < MIN_WORD_SHARE:
            return True
    return _repetition_share(stripped) >= REPEAT_SHARE
