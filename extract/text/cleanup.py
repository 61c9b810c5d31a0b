"""Repairs of recognised text that need nothing but the text: a numeric reading made a
number (``1O0`` → ``100``, ``2. 0`` → ``2.0``), a name rid of stray marks. Used by the OCR
stage on cells it knows to be numeric and by the forms side on cells whose column it knows."""

from __future__ import annotations

import re
import unicodedata

from .normalize import CJK_CORE_CLASS
from .numbers import PLACEHOLDER_RE, parse_number

# Characters OCR reads for digits and separators inside a number (docs/forms.md §4).
_NUMBER_CONFUSIONS = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "Q": "0",
        "〇": "0",
        "l": "1",
        "L": "1",
        "I": "1",
        "|": "1",
        "i": "1",
        "!": "1",
        "S": "5",
        "s": "5",
        "$": "5",
        "B": "8",
        "Z": "2",
        "z": "2",
        "，": ",",
        "、": ",",
        "。": ".",
        "·": ".",
        "．": ".",
        "：": ".",
        ":": ".",
        "％": "%",
        "—": "-",
        "－": "-",
        "_": "-",
        "一": "-",
        "~": "-",
    }
)
# What the remnant of a rule beside a number reads as.
_RULE_MARKS = "[]|丨【】!"
# What a speck next to a number reads as.
_SPECK_MARKS = "*'`\"‘’“”^°·"
_NUMBER_LIKE_RE = re.compile(r"[\d.,%\s()+-]+")
# A numeric reading of marks only (a `+` where a broken rule crossed another, a speck
# read as `.`): no number, no placeholder, nothing to keep.
_MARKS_ONLY_RE = re.compile(f"[{re.escape(_SPECK_MARKS)}+.,:;、。，\\s]+")


def number_candidates(text: str) -> list[str]:
    """Readings of a numeric cell, from the least to the most repaired; the text kept
    is the first that parses, so `2. 0` becomes `2.0` (parse_number would take both)."""
    base = unicodedata.normalize("NFKC", text).strip()
    squeezed = re.sub(r"\s+", "", base)
    # `()` is a 0 read as brackets; a lone bracket at either end is a cell-border speck
    fixed = squeezed.replace("()", "0").translate(_NUMBER_CONFUSIONS)
    if fixed.count("(") != fixed.count(")"):
        fixed = fixed.strip("()")
    # a trailing separator or a doubled one is a speck: 2.0. → 2.0, 1..5 → 1.5; so is a
    # mark at either end that no number has (`*3.50`: scanner dust above the 3)
    trimmed = re.sub(r"([.,])\1+", r"\1", fixed).strip(".," + _SPECK_MARKS)
    out: list[str] = []
    # a comma before the last 1–2 digits of a short number is its decimal point: 3,0 → 3.0
    point = re.sub(r"^(-?\d{1,3}),(\d{1,2}%?)$", r"\1.\2", trimmed)
    # a bracket or bar at an end that keeps the rest from parsing is a rule remnant:
    # ]15| → 15 (but |5 alone reads 15 above, `|` being a 1)
    unruled = squeezed.strip(_RULE_MARKS).translate(_NUMBER_CONFUSIONS).strip(".," + _SPECK_MARKS)
    for c in (squeezed, fixed, trimmed, _regroup(trimmed), point, unruled):
        if c and c not in out:
            out.append(c)
    return out


_GROUPS_RE = re.compile(r"(\d{1,3})((?:[.,]\d{3})+)(?:[.,](\d{1,2}))?(%?)")


def _regroup(text: str) -> str:
    """Separators of a grouped amount repaired by position: `65.240,247.04` and
    `65,240,247,04` → `65,240,247.04` (small type blurs commas and points alike).
    A final group of 1–2 digits is the decimals; 3-digit groups are thousands."""
    match = _GROUPS_RE.fullmatch(text)
    if match is None or len(re.findall(r"[.,]", text)) < 2:
        return text
    head, groups, decimals, percent = match.groups()
    body = head + "".join("," + g for g in re.findall(r"\d{3}", groups))
    return body + ("." + decimals if decimals else "") + percent


def clean_numeric(text: str) -> str:
    """A numeric cell's reading repaired: the first candidate that `parse_number`
    accepts and is made of number characters only (`1O0` → `100`, `2. 0` → `2.0`),
    else the first it accepts (`3.0分`), a placeholder (`-`, `/`) as such, nothing for
    marks only (`+`, `·`), and otherwise the text as read (e.g. `≥98%`) for the
    validator to flag."""
    candidates = number_candidates(text)
    parsed = [c for c in candidates if parse_number(c) is not None]
    for candidate in parsed:
        if _NUMBER_LIKE_RE.fullmatch(candidate):
            return candidate
    if parsed:
        return parsed[0]
    for candidate in candidates:
        if PLACEHOLDER_RE.fullmatch(candidate):
            return candidate
    if _MARKS_ONLY_RE.fullmatch(unicodedata.normalize("NFKC", text)):
        return ""
    return text


def looks_numeric(text: str) -> bool:
    """True when `text` (after the usual repairs) is made only of number characters."""
    fixed = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).translate(_NUMBER_CONFUSIONS)
    return bool(fixed) and bool(_NUMBER_LIKE_RE.fullmatch(fixed))


# Punctuation an OCR'd name cannot start with (closing marks, separators: specks and
# bits of the neighbouring rule read as ``，`` or ``’``) or end with (opening marks,
# separators). ``“三公经费”控制率`` and ``…(万元)`` keep their balanced marks.
_NAME_LEAD_NOISE = "，,、。.；;：:’'”\"」』）)]】|-_—–~`·"
_NAME_TRAIL_NOISE = "，,、。；;：:‘“「『（([【|-_—–~`·"
# 一 read as a dash (``加强--体化``, ``-般公共预算``) where a dash cannot be: next to
# Chinese characters inside a name.
_DASH_FOR_ONE_RE = re.compile(f"(?:(?<=[{CJK_CORE_CLASS}])|^)[-—–－]{{1,2}}(?=[\u4e00-\u9fff])")


# Opening marks a name starts with only when it closes them too.
_PAIRS = {"【": "】", "[": "]", "（": "）", "(": ")", "“": "”", "‘": "’", "「": "」", "《": "》"}


# A bar or exclamation mark between two Chinese characters of a name: what is left of a
# rule or a speck at the end of a wrapped line (`行政复议及行政执法监！督工作经费`, 300 dpi).
_MARK_IN_NAME_RE = re.compile(r"(?<=[\u4e00-\u9fff])[!！|丨](?=[\u4e00-\u9fff])")


def clean_name(text: str) -> str:
    """An OCR'd name without the stray marks at its edges or between its characters, with
    一 read as a dash restored."""
    text = _MARK_IN_NAME_RE.sub("", _DASH_FOR_ONE_RE.sub("一", text.strip()))
    text = text.lstrip(_NAME_LEAD_NOISE).rstrip(_NAME_TRAIL_NOISE).strip()
    while text and text[0] in _PAIRS and _PAIRS[text[0]] not in text:
        text = text[1:].lstrip(_NAME_LEAD_NOISE)
    return text
