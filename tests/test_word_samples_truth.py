"""The Word-typed department form (samples/variants/var_word_2022.pdf, made by
scripts/make_word_samples.py) agrees with its truth and shows what docs/forms.md §5 says
such forms look like.

These tests check the file itself, not the extractor: the truth's findings are the
independent checker's, the truth is what the generator's form gives, every 三级 name is
printed, the form runs over several pages with the header block and the indicator table
as two tables, and merged 二级 cells are cut by page breaks the Writer way.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from scripts import make_samples as ms

pytestmark = pytest.mark.samples

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "samples" / "variants" / "var_word_2022.pdf"
TRUTH = PDF.with_name("var_word_2022.truth.json")


@cache
def truth() -> dict[str, Any]:
    return json.loads(TRUTH.read_text(encoding="utf-8"))


@cache
def page_tables() -> list[list[list[list[str | None]]]]:
    """Per page, each table pdfplumber finds, as rows of cell texts."""
    import pdfplumber

    with pdfplumber.open(str(PDF)) as pdf:
        return [[t.extract() for t in page.find_tables()] for page in pdf.pages]


def test_sample_exists() -> None:
    assert PDF.exists() and TRUTH.exists(), "run python -m scripts.make_word_samples"


def test_truth_findings_are_the_checkers() -> None:
    t = truth()
    got = sorted(map(ms.finding_key, ms.check_truth(t)))
    assert got == sorted(map(ms.finding_key, t["findings"]))


def test_truth_is_the_generated_forms() -> None:
    from scripts import make_word_samples as mw

    t = truth()
    assert t == ms.make_truth(mw.word_form(), t["pages"])
    assert (t["unit_name"], t["year"], t["file"]) == ("广州市黄埔区农业农村局", 2022, "var_word_2022.pdf")
    assert any(it["level1"] == ms.BONUS_LEVEL1 for it in t["indicators"])


def test_every_indicator_name_is_printed() -> None:
    """In the table cells' text, whitespace removed and the pages joined. (The page text
    line by line would not do: a 三级 name wrapped in its cell is interleaved with the
    wrapped lines of the cells beside it.)"""
    cells = "".join(re.sub(r"\s", "", c or "") for tables in page_tables() for table in tables
                    for row in table for c in row)
    missing = [it["indicator"] for it in truth()["indicators"] if it["indicator"] not in cells]
    assert missing == []


def test_pages_and_tables() -> None:
    tables = page_tables()
    assert len(tables) >= 4
    assert len(tables) == truth()["pages"] == ms.page_count(PDF)
    assert len(tables[0]) == 2  # the header block, then the indicator table
    assert all(len(t) == 1 for t in tables[1:])  # the indicator table runs on
    first = re.sub(r"\s", "", "".join(c or "" for row in tables[0][0] for c in row))
    assert "单位基本情况" in first and "年度部门整体支出规模（万元）" in first


def test_title_and_year_are_paragraphs_above_the_tables() -> None:
    import pdfplumber

    with pdfplumber.open(str(PDF)) as pdf:
        page = pdf.pages[0]
        top = min(t.bbox[1] for t in page.find_tables())
        above = page.crop((0, 0, page.width, top)).extract_text()
    assert "部门整体支出绩效自评表" in above.replace(" ", "")
    assert "（2022年度）" in above.replace(" ", "")


def test_header_row_repeats_and_fonts() -> None:
    """The part-1 header row tops the indicator table on every page; digits are set in
    Liberation Serif, CJK text in Noto Serif CJK."""
    import pdfplumber

    for tables in page_tables():
        header = "".join(c or "" for c in tables[-1][0]).replace("\n", "")
        assert "三级指标" in header and "指标解释" in header
    with pdfplumber.open(str(PDF)) as pdf:
        chars = pdf.pages[0].chars
    assert {c["fontname"].split("+")[1] for c in chars if c["text"].isdigit()} == {"LiberationSerif"}
    assert all("NotoSerifCJK" in c["fontname"] for c in chars if "\u4e00" <= c["text"] <= "\u9fff")


def test_merged_cells_cut_by_page_breaks() -> None:
    """A 二级 cell cut by a break prints its label once, in its first part; another
    二级 label reaches the break and runs on to the next page."""
    from scripts import make_word_samples as mw

    layout = mw.analyse(PDF, mw.word_form(), mw.Look())
    assert layout.ok
    l2 = [c for c in layout.cuts if c.level == "二级"]
    once = [c for c in l2 if not c.label_split]
    assert once and all(c.pieces[0][0] == c.pages[0] for c in once)
    split = [c for c in l2 if c.label_split]
    assert split and all(p2 == p1 + 1 for c in split for (p1, _), (p2, _) in zip(c.pieces, c.pieces[1:]))
    assert all("".join(t for _, t in c.pieces) == c.path.split("/", 1)[1] for c in split)
