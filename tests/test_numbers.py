"""Tests for extract.text.numbers: table-driven examples from docs/forms.md §4 plus properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.text.numbers import (
    UNITS,
    decimals_in,
    format_number,
    parse_int_in,
    parse_number,
    parse_percent,
    parse_year,
    round_to_printed,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # plain and thousands separators
        ("2.0", 2.0),
        ("0.4", 0.4),
        ("100", 100.0),
        (".5", 0.5),
        ("65,240,247.04", 65240247.04),
        ("57,368,166.31", 57368166.31),
        ("  88.7 ", 88.7),
        # full-width digits and punctuation
        ("１２．５", 12.5),
        ("６５，２４０，２４７．０４", 65240247.04),
        ("８７．９３％", 87.93),
        # OCR spaces inside numbers
        ("2. 0", 2.0),
        ("87. 93%", 87.93),
        ("24, 028, 491. 84", 24028491.84),
        ("87.93 %", 87.93),
        ("65,240,\n247.04", 65240247.04),
        # OCR letters for digits
        ("1O0", 100.0),
        ("1o.5", 10.5),
        ("l00", 100.0),
        ("2I.0", 21.0),
        ("1|.5", 11.5),
        # trailing units are dropped, not rescaled
        ("3.0分", 3.0),
        ("1.5万元", 1.5),
        ("1,200元", 1200.0),
        ("15 分", 15.0),
        # percentages give the percent number
        ("87.93%", 87.93),
        ("100.00%", 100.0),
        # negatives
        ("-2.5", -2.5),
        ("－2.5", -2.5),
        ("\u22122.5", -2.5),
        ("- 2.5", -2.5),
        ("(2.5)", -2.5),
        ("（2.5）", -2.5),
        ("(2.5%)", -2.5),
        ("+3", 3.0),
        # spreadsheet float noise is kept as is
        ("0.0900000762939453", 0.0900000762939453),
        ("9.00000076293945E-02", 0.0900000076293945),
    ],
)
def test_parse_number_examples(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected, rel=1e-15, abs=0)


@pytest.mark.parametrize(
    "text",
    [
        # placeholders
        "",
        "   ",
        "-",
        "—",
        "–",
        "/",
        "／",
        "无",
        "——",
        "--",
        # not one number
        "不低于2000M",
        "≥50个",
        "20000人以上",
        "优秀",
        "3.0反映",
        "4.00反映部门",
        "2.0 3.0",
        "12 34",
        "1,2",
        "1.234,56",
        "2.",
        "..5",
        "2..0",
        "(2021年度)",
        "合计：67人",
        "O",
        "Ol",
        "I",
        "|2.0",
        "2.0|",
        "-(2.5)",
        "(-2)",
        "5%%",
        "nan",
        "inf",
        "1e999",
        "第1名",
        "abc",
    ],
)
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("87.93%", 87.93),
        ("87.93", 87.93),
        ("８７．９３％", 87.93),
        ("100.00%", 100.0),
        ("87. 93 %", 87.93),
        ("-", None),
        ("87.93元", None),
        ("3.0分", None),
        ("约90%", None),
    ],
)
def test_parse_percent(text: str, expected: float | None) -> None:
    assert parse_percent(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("65,240,247.04", 2),
        ("2. 0", 1),
        ("87.93%", 2),
        ("100", 0),
        ("１２．５", 1),
        ("0.0900000762939453", 16),
        ("3.0分", 1),
        ("≥50.5个", 1),
        ("优秀", 0),
        ("", 0),
        ("1e-05", 5),
        ("-", 0),
    ],
)
def test_decimals_in(text: str, expected: int) -> None:
    assert decimals_in(text) == expected


@pytest.mark.parametrize(
    ("value", "text", "expected"),
    [
        (0.0900000762939453, "0.09", 0.09),
        (87.925, "87.93%", 87.93),
        (2.675, "2.68", 2.68),
        (88.7000001, "88.7", 88.7),
        (57368166.31 / 65240247.04 * 100, "87.93%", 87.93),
        (3.4, "3", 3.0),
    ],
)
def test_round_to_printed(value: float, text: str, expected: float) -> None:
    assert round_to_printed(value, text) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (65240247.04, 2, "65240247.04"),
        (2.0, 1, "2.0"),
        (87.925, 2, "87.93"),
        (2.675, 2, "2.68"),
        (1234567.891, 0, "1234568"),
        (-0.001, 1, "0.0"),
        (-2.5, 1, "-2.5"),
        (0.0900000762939453, 2, "0.09"),
        (1e-7, 3, "0.000"),
        (5.0, 0, "5"),
        (math.nan, 2, ""),
    ],
)
def test_format_number(value: float, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("合计：67人", 67),
        ("合计: 67人", 67),
        ("单位数:2", 2),
        ("单位数：２", 2),
        ("1,200人", 1200),
        ("财供人数(编制总数) 合计: 67人", 67),
        ("无", None),
        ("", None),
        ("约2.5人", None),
    ],
)
def test_parse_int_in(text: str, expected: int | None) -> None:
    assert parse_int_in(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(2021年度)", 2021),
        ("2021 年度", 2021),
        ("（２０２１年度）", 2021),
        ("2021", 2021),
        ("部门整体支出绩效自评表(2021年度)", 2021),
        ("2 0 2 1 年度", 2021),
        ("（2020年）", 2020),
        ("65,240,247.04", None),
        ("部门整体支出绩效自评表", None),
        ("12021年", None),
    ],
)
def test_parse_year(text: str, expected: int | None) -> None:
    assert parse_year(text) == expected


# --- properties ---------------------------------------------------------------------------

_values = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
_decimals = st.integers(min_value=0, max_value=4)
_FULL_WIDTH = str.maketrans("0123456789.,%-", "０１２３４５６７８９．，％－")


def _close(parsed: float | None, value: float, decimals: int) -> bool:
    return parsed is not None and abs(parsed - value) <= 10**-decimals / 2 + 1e-6


@given(_values, _decimals)
def test_thousands_separators_round_trip(value: float, decimals: int) -> None:
    assert _close(parse_number(f"{value:,.{decimals}f}"), value, decimals)


@given(_values, _decimals)
def test_full_width_round_trip(value: float, decimals: int) -> None:
    text = f"{value:,.{decimals}f}".translate(_FULL_WIDTH)
    assert _close(parse_number(text), value, decimals)


@given(_values, _decimals, st.data())
def test_ocr_spaces_round_trip(value: float, decimals: int, data: st.DataObject) -> None:
    printed = f"{value:,.{decimals}f}"
    spaced = "".join(
        ch + (" " if ch in ".," and data.draw(st.booleans()) else "") for ch in printed
    )
    assert _close(parse_number(spaced), value, decimals)


@given(_values, _decimals)
def test_percent_round_trip(value: float, decimals: int) -> None:
    text = f"{value:.{decimals}f}%"
    assert _close(parse_number(text), value, decimals)
    assert _close(parse_percent(text), value, decimals)


@given(_values, _decimals)
def test_format_number_round_trip(value: float, decimals: int) -> None:
    text = format_number(value, decimals)
    assert "," not in text
    assert _close(parse_number(text), value, decimals)
    assert decimals_in(text) == decimals


_unit_chars = set("".join(UNITS)) | {"无"}
_cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_digits_or_cjk = st.one_of(_cjk, st.sampled_from(list("0123456789.,%- ")))


@given(st.text(alphabet=_digits_or_cjk, min_size=1))
def test_cjk_text_never_parses(text: str) -> None:
    if any("\u4e00" <= ch <= "\u9fff" and ch not in _unit_chars for ch in text):
        assert parse_number(text) is None
        assert parse_percent(text) is None


@given(st.text())
def test_never_raises(text: str) -> None:
    for fn in (parse_number, parse_percent, parse_int_in, parse_year):
        fn(text)
    decimals_in(text)
    value = parse_number(text)
    if value is not None:
        assert math.isfinite(value)
        round_to_printed(value, text)


def test_restore_decimal_point() -> None:
    from extract.text.numbers import column_decimals, restore_decimal_point

    assert restore_decimal_point("20", 1) == "2.0"
    assert restore_decimal_point("105", 1) == "10.5"
    assert restore_decimal_point("1,5", 1) == "1.5"
    assert restore_decimal_point("5", 1) == "5"  # too short to hold a point
    assert restore_decimal_point("2.0", 1) == "2.0"
    assert restore_decimal_point("20", 0) == "20"
    assert restore_decimal_point("1,500", 1) == "1,500"
    assert column_decimals(["2.0", "1.5", "20", "0.4"]) == 1
    assert column_decimals(["45", "16", "2"]) == 0
    assert column_decimals(["2.00", "20", "3", "4"]) == 0  # no clear majority


def test_restore_point_below_the_rows_max() -> None:
    """market 150 dpi: the points of `2.0`, `3.0` were lost in 19 of 36 scores (read `20`,
    `30` at 0.999), too many for the column's majority to say it prints decimals."""
    from extract.text.numbers import printed_decimals, restore_point_below

    column = ["20", "30", "4.0", "30", "20", "2.0", "10", "1.0", "6.5"]
    assert printed_decimals(column) == 1
    assert printed_decimals(["20", "3", "4"]) == 0
    assert restore_point_below("20", 1, 2.0) == "2.0"
    assert restore_point_below("18", 1, 1.8) == "1.8"
    assert restore_point_below("20", 1, 25.0) == "20"  # fits as read
    assert restore_point_below("35", 1, 3.0) == "35"  # 3.5 is still above: left to flag
    assert restore_point_below("20", 0, 2.0) == "20"  # the column prints no decimals
    assert restore_point_below("20", 1, None) == "20"
