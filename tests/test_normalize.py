"""Tests for extract.text.normalize with examples from real text layers and OCR output."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.text.normalize import (
    KEPT_PUNCTUATION,
    RADICAL_FIXES,
    is_cjk,
    join_cjk_lines,
    match_key,
    normalize_text,
    strip_inner_cjk_spaces,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Kangxi radicals (NFKC) and CJK radicals supplement (table)
        ("项\u2f6c名称", "项目名称"),  # ⽬ U+2F6C
        ("\u2f54平", "水平"),  # ⽔ U+2F54
        ("部\u2ed4整体支出", "部门整体支出"),  # ⻔ U+2ED4
        ("\u2ed3期", "长期"),  # ⻓ U+2ED3
        ("\u2ec5效", "见效"),
        ("\u2ee9埔区", "黄埔区"),
        (
            "\u2ed4\u2ec9\u2ecb\u2ee2\u2eda\u2edb\u2edc\u2ef0\u2eec\u2ee6\u2ee5",
            "门贝车马页风飞龙齐鸟鱼",
        ),
        ("\u2ec6色", "角色"),
        ("\u2edd堂", "食堂"),
        ("戶籍", "户籍"),
        # full-width letters, digits and space
        ("ＡＢＣ１２３", "ABC123"),
        ("２０２１年度", "2021年度"),
        ("实施\u3000单位", "实施 单位"),
        # Chinese punctuation is kept
        ("单位名称：海珠区", "单位名称：海珠区"),
        ("得分（自评分）", "得分（自评分）"),
        ("评分依据、未达标原因，改进措施；完成。", "评分依据、未达标原因，改进措施；完成。"),
        ("“互联网+政务服务”……", "“互联网+政务服务”……"),
        ("是否达标？是！", "是否达标？是！"),
        # whitespace collapsed and stripped
        ("  整体绩效目标 \n 完成情况\t ", "整体绩效目标 完成情况"),
        ("Word  and\nPDF", "Word and PDF"),
        ("", ""),
    ],
)
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("得分/自评分", "得分自评分"),
        ("评分依据、未达标原因、改进措施", "评分依据未达标原因改进措施"),
        ("一级指标", "一级指标"),
        (" 一 级 指 标 ", "一级指标"),
        ("项\u2f6c名称：", "项目名称"),
        ("全年预算数（A）", "全年预算数a"),
        ("全年预算数(A)", "全年预算数a"),
        ("执行率(B/A)", "执行率ba"),
        ("年度部门整体支出规模(万元)", "年度部门整体支出规模万元"),
        ("ＰＤＦ　Text", "pdftext"),
        ("“满意度”指标", "满意度指标"),
    ],
)
def test_match_key(text: str, expected: str) -> None:
    assert match_key(text) == expected


def test_match_key_equates_header_variants() -> None:
    assert match_key("得分 / 自评分") == match_key("得分／自评分")
    assert match_key("部\u2ed4名称") == match_key("部门名称")
    assert match_key("实际完成值") != match_key("实际完成指标值")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("绩 效 目 标", "绩效目标"),
        ("绩  效\u3000目\n标", "绩效目标"),
        ("部门 整体 支出", "部门整体支出"),
        ("使用 Word 和 PDF 文档", "使用 Word 和 PDF 文档"),
        ("2021 年度", "2021 年度"),
        ("完成 ， 达标", "完成，达标"),
        ("open data", "open data"),
    ],
)
def test_strip_inner_cjk_spaces(text: str, expected: str) -> None:
    assert strip_inner_cjk_spaces(text) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["发挥政府门户网站权", "威发布"], "发挥政府门户网站权威发布"),
        (["保障并提升", "政务基础设施及服务能力"], "保障并提升政务基础设施及服务能力"),
        (["提供 Web", "服务"], "提供 Web服务"),
        (["open government", "data portal"], "open government data portal"),
        (["65,240,", "247.04"], "65,240,247.04"),
        (["87.", "93%"], "87.93%"),
        (["e-", "government"], "e-government"),
        (["  第一行 ", "", " 第二行"], "第一行第二行"),
        (["服务质量，", "Quality"], "服务质量，Quality"),
        ([], ""),
        (["", " "], ""),
    ],
)
def test_join_cjk_lines(lines: list[str], expected: str) -> None:
    assert join_cjk_lines(lines) == expected


def test_is_cjk() -> None:
    assert all(is_cjk(ch) for ch in "绩效，。（）“”、\u2ed4\U00020000")
    assert not any(is_cjk(ch) for ch in "aZ09 .,()%-")


def test_radical_table_targets_are_plain_ideographs() -> None:
    for source, target in RADICAL_FIXES.items():
        assert unicodedata.normalize("NFKC", source) == source  # NFKC leaves it
        assert len(target) == 1 and "\u3400" <= target <= "\u9fff"
        assert unicodedata.normalize("NFKC", target) == target


def test_kept_punctuation_survives() -> None:
    text = "".join(sorted(KEPT_PUNCTUATION))
    assert normalize_text(text) == text


@given(st.text())
def test_normalize_text_is_idempotent_and_total(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert once == once.strip()
    assert "  " not in once
    assert match_key(match_key(text)) == match_key(text)


def test_roman_numerals_are_kept_as_printed() -> None:
    from extract.text.normalize import match_key, normalize_text

    assert normalize_text("达到Ⅴ类及以上") == "达到Ⅴ类及以上"
    assert match_key("Ⅴ类") == match_key("V类")  # headers and names still compare equal
