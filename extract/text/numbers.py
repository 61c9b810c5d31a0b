"""Parsing and printing of the numbers found in form cells (docs/forms.md §4).

Parsing is strict: the whole cell must be one number, with only the decorations
listed here (thousands separators, full-width forms, a sign or accounting
parentheses, a trailing `%` or unit, and common OCR artefacts). Anything else
returns None so that the validator can flag it instead of guessing.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

# Cells that mean "no value" (docs/forms.md §4): dashes, slashes, 无 ("none").
PLACEHOLDER_RE = re.compile(r"[-—–―/\\]+|无")

# Trailing units dropped from a number; the value is kept as printed, not rescaled
# (the seed prints 元 amounts under a 万元 caption).
UNITS = ("万元", "元", "分")

# Minus signs NFKC leaves alone (U+2212 MINUS SIGN, U+2012 FIGURE DASH, U+2013 EN DASH).
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-"})

# OCR letter confusions inside a number: O/o for 0, l/I/| for 1.
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})

# A plain number: with well-formed thousands groups, or without separators
# (optionally in exponent form, as spreadsheet exports write small values).
_NUMBER_RE = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?"
)
# Enough digits for any finite float (about 1.8e308) printed with many decimals, so
# quantize never runs out of precision.
_EXACT = Context(prec=700, rounding=ROUND_HALF_UP)
# More decimals than any float has (the smallest, 5e-324, has 324), so no-op beyond this.
_MAX_DECIMALS = 330
_SEPARATOR_SPACES_RE = re.compile(r"\s*([.,])\s*")
_FIRST_NUMBER_RE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?", re.ASCII)
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年", re.ASCII)
_BARE_YEAR_RE = re.compile(r"[(\[]?\s*((?:19|20)\d{2})\s*[)\]]?", re.ASCII)


def _prepare(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII), minus signs unified, stripped."""
    return unicodedata.normalize("NFKC", text).translate(_MINUS_SIGNS).strip()


def _strip_suffix(s: str, units: tuple[str, ...]) -> tuple[str, bool]:
    """Drop one trailing `%` or unit from `units`; also say whether one was dropped."""
    for suffix in ("%", *units):
        if s.endswith(suffix):
            return s[: -len(suffix)].rstrip(), True
    return s, False


def _canonical(text: str, units: tuple[str, ...]) -> str | None:
    """The cell as a plain decimal string (`-65240247.04`), or None if it is not one number."""
    if not isinstance(text, str):
        return None
    s = _prepare(text)
    if not s or PLACEHOLDER_RE.fullmatch(s):
        return None
    negative = False
    s, had_suffix = _strip_suffix(s, units)
    if len(s) >= 2 and s[0] == "(" and s[-1] == ")":  # accounting negative: (2.5)
        negative, s = True, s[1:-1].strip()
        if not had_suffix:  # the suffix may sit inside the parentheses: (2.5%)
            s, _ = _strip_suffix(s, units)
    if s[:1] in ("-", "+"):
        if negative:
            return None
        negative, s = s[0] == "-", s[1:].lstrip()
    body = _SEPARATOR_SPACES_RE.sub(r"\1", s)
    if not body or not any(ch.isdigit() for ch in body):
        return None
    if body[0] == "|" or body[-1] == "|":  # a table rule next to the number, not a 1
        return None
    body = body.translate(_OCR_DIGITS)
    if not body.isascii() or not _NUMBER_RE.fullmatch(body):
        return None
    return ("-" if negative else "") + body.replace(",", "")


def _to_float(canonical: str | None) -> float | None:
    if canonical is None:
        return None
    value = float(canonical)
    return value if math.isfinite(value) else None


def parse_number(text: str) -> float | None:
    """Parse a cell holding one number, e.g. `65,240,247.04`, `１２．５`, `87. 93%`,
    `(2.5)`, `3.0分`, `1O0`; a percentage gives the percent number (`87.93%` → 87.93).
    Placeholders (`-`, `—`, `/`, blank, `无`) and non-numbers (`≥50个`) give None."""
    return _to_float(_canonical(text, UNITS))


def parse_percent(text: str) -> float | None:
    """Parse a percentage as its percent number: `87.93%` and bare `87.93` both give
    87.93. Units such as 元 are not accepted."""
    return _to_float(_canonical(text, ()))


def decimals_in(text: str) -> int:
    """Number of decimals printed in `text` (`65,240,247.04` → 2, `2. 0` → 1); for a
    phrase, those of its first number; 0 when there is no number."""
    canonical = _canonical(text, UNITS)
    if canonical is None:
        if not isinstance(text, str):
            return 0
        match = _FIRST_NUMBER_RE.search(_SEPARATOR_SPACES_RE.sub(r"\1", _prepare(text)))
        if match is None:
            return 0
        canonical = match.group().replace(",", "")
    try:
        exponent = Decimal(canonical).as_tuple().exponent
    except InvalidOperation:
        return 0
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _quantize(value: float, decimals: int) -> Decimal:
    """`value` rounded half-up at `decimals` places, from its shortest repr (as
    spreadsheets round: 2.675 → 2.68)."""
    places = min(decimals, _MAX_DECIMALS)
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), context=_EXACT)


def round_to_printed(value: float, text: str) -> float:
    """Round `value` to the number of decimals printed in `text` (half-up)."""
    if not math.isfinite(value):
        return value
    return float(_quantize(value, decimals_in(text)))


def format_number(value: float, decimals: int) -> str:
    """Print `value` with `decimals` places (half-up), no thousands separators, no `-0`;
    "" for NaN or infinity."""
    if not math.isfinite(value):
        return ""
    quantized = _quantize(value, max(0, decimals))
    if quantized.is_zero():
        quantized = abs(quantized)
    return f"{quantized:f}"


def parse_int_in(text: str) -> int | None:
    """The first number in a phrase, if it is a whole number (`合计：67人` → 67,
    `单位数:2` → 2, `1,200人` → 1200); None when there is none."""
    if not isinstance(text, str):
        return None
    match = _FIRST_NUMBER_RE.search(_prepare(text))
    if match is None:
        return None
    value = Decimal(match.group().replace(",", ""))
    return int(value) if value == value.to_integral_value() else None


def parse_year(text: str) -> int | None:
    """The year of a title or cell: `(2021年度)`, `2021 年度`, `（２０２１年度）`,
    or a bare `2021`; None when there is none."""
    if not isinstance(text, str):
        return None
    s = _prepare(text)
    for candidate in (s, re.sub(r"\s+", "", s)):  # OCR may space out digits: `2 0 2 1年`
        match = _YEAR_RE.search(candidate)
        if match:
            return int(match.group(1))
    match = _BARE_YEAR_RE.fullmatch(s)
    return int(match.group(1)) if match else None


def restore_decimal_point(text: str, decimals: int) -> str:
    """OCR often drops the decimal point of small printed numbers (``2.0`` read ``20``)
    or reads it as a comma (``1,5``).
    When the column prints ``decimals`` places and ``text`` is a bare integer with more
    digits than that, put the point back (``20`` → ``2.0``); otherwise ``text`` as is."""
    digits = text.strip()
    if decimals < 1:
        return text
    head, sep, tail = digits.rpartition(",")
    if sep and head.isdigit() and tail.isdigit() and len(tail) == decimals and head.isascii():
        return f"{head}.{tail}"  # ``1,5``: a comma can only be a point before 1–2 digits
    if not digits.isdigit() or not digits.isascii() or len(digits) <= decimals:
        return text
    return f"{int(digits[:-decimals])}.{digits[-decimals:]}"


def _decimal_counts(texts: list[str]) -> dict[int, int]:
    """How many of the numbers with a point in ``texts`` print each number of decimals."""
    counts: dict[int, int] = {}
    for text in texts:
        if parse_number(text) is not None and "." in text:
            d = decimals_in(text)
            counts[d] = counts.get(d, 0) + 1
    return counts


def printed_decimals(texts: list[str]) -> int:
    """The number of decimals most numbers of a column that have a point print (0 when
    none has one): how the column prints its numbers, whatever OCR lost."""
    counts = _decimal_counts(texts)
    return max(counts.items(), key=lambda kv: kv[1])[0] if counts else 0


def restore_point_below(text: str, decimals: int, ceiling: float | None) -> str:
    """A bare integer above ``ceiling`` (its row's 分值) that fits below it once its last
    ``decimals`` digits are decimals, as its column prints them: the point was lost
    (150 dpi, `2.0` read `20` at 0.999 in a column where 17 of 36 scores kept theirs, too
    few for ``column_decimals``). Otherwise ``text`` as is, for validation to flag."""
    value = parse_number(text)
    if value is None or ceiling is None or value <= ceiling or decimals < 1:
        return text
    restored = restore_decimal_point(text, decimals)
    fixed = parse_number(restored)
    return restored if fixed is not None and fixed <= ceiling else text


def column_decimals(texts: list[str]) -> int:
    """The number of decimals most numbers of a column print (0 when none has a point)."""
    counts = _decimal_counts(texts)
    if not counts:
        return 0
    numbers = sum(1 for t in texts if parse_number(t) is not None)
    best, count = max(counts.items(), key=lambda kv: kv[1])
    return best if count * 2 > numbers else 0  # a clear majority only


# A money unit named in brackets in a caption: 项目资金（万元）, 支出规模(元).
MONEY_UNIT = re.compile(r"[（(]\s*(万元|元)\s*[)）]")


def money_unit(text: str) -> str:
    """The money unit a caption names in brackets (``万元`` or ``元``), "" when none."""
    match = MONEY_UNIT.search(unicodedata.normalize("NFKC", text or ""))
    return match.group(1) if match else ""
