"""Text made safe for spreadsheets: a cell that starts like a formula is neutralised.

Text read from a form goes into CSV (and XLSX) files that people open in Excel or WPS. A
text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would run as a
formula there (CSV injection); OWASP's advice is a leading apostrophe. A text that is a
number (``-2.5``) or only a placeholder dash stays as it is. The JSON keeps the text as
read."""

from __future__ import annotations

from ..text.numbers import PLACEHOLDER_RE, parse_number

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRAL_PREFIX = "'"


def spreadsheet_safe(value: object) -> object:
    """``value`` with a leading apostrophe when it is text that a spreadsheet would run."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if parse_number(value) is not None or PLACEHOLDER_RE.fullmatch(value.strip()):
        return value
    return NEUTRAL_PREFIX + value
