"""Scanned samples end to end with real OCR (the default engine), against their truth.

Each case is a different scan problem: skew and JPEG noise at 200 dpi, broken ruling
lines, low dpi as a multi-page TIFF, pages scanned sideways. Thresholds sit a little
below what scripts/bench_accuracy.py --scanned measures, so OCR noise does not make the
suite flaky while a real regression still fails it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.evaluation import compare, load_truth
from extract.pipeline import process_file

pytestmark = pytest.mark.ocr

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ROOT / "samples" / "scanned"

# sample → (min share of leaf rows with 分值 and 得分 exact, min share with the name exact)
CASES = {
    "dept_justice_2019-200dpi.pdf": (0.9, 0.9),  # skewed 1.4°/1.9°, JPEG q66
    "dept_market_2022-200dpi.pdf": (0.9, 0.9),  # broken ruling lines on every page
    "dept_justice_2019-150dpi.tif": (0.9, 0.6),  # multi-page TIFF at 150 dpi
    "dept_justice_2019-rot90-200dpi.pdf": (0.9, 0.9),  # every page scanned sideways
}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request: pytest.FixtureRequest, read_sample):  # type: ignore[no-untyped-def]
    path = SCANNED / request.param
    truth = load_truth(path.with_name(path.name.rsplit(".", 1)[0] + ".truth.json"))
    return request.param, read_sample(f"scanned/{request.param}"), truth


def test_scanned_form_is_read_by_ocr(case) -> None:  # type: ignore[no-untyped-def]
    name, result, truth = case
    assert result.form is not None, result.error
    assert result.form.method == "ocr"
    assert result.form.pages == truth["pages"]
    assert set(result.form.page_methods) == {"ocr"}
    assert result.form.unit_name == truth["unit_name"]


def test_scores_and_names(case) -> None:  # type: ignore[no-untyped-def]
    name, result, truth = case
    assert result.form is not None, result.error
    c = compare(result.form, truth)
    min_scores, min_names = CASES[name]
    assert c.extracted_rows >= 0.95 * c.truth_rows, c.field_errors[:10]
    assert c.scores_exact / c.truth_rows >= min_scores, c.field_errors[:20]
    assert c.names_exact / c.truth_rows >= min_names, c.field_errors[:20]


def test_provenance_records_ocr(case) -> None:  # type: ignore[no-untyped-def]
    _, result, _ = case
    assert result.form is not None, result.error
    prov = [leaf.provenance["score"] for leaf in result.form.indicators if "score" in leaf.provenance]
    assert prov and all(p.source == "rapidocr" and 0.0 <= p.confidence <= 1.0 for p in prov)
    assert all(p.raw_text or p.confidence == 0.0 for p in prov)


def test_number_under_a_grey_seal_is_read_in_line_high_windows() -> None:
    """A seal stamped over a 得分 cell of a grey scan reads, whole, as the seal's text
    (`湖市天财雾专片`); read one line height at a time the digits under it come out,
    and the cell's own reading stays in the provenance for a reviewer."""
    from extract.pipeline import Options, read_form

    form = read_form(SCANNED / "dept_edu_2022-200dpi.pdf", Options(pages=(4,)))
    leaf = next(i for i in form.indicators if i.indicator == "工作受表彰或批评")
    assert leaf.score == 2.5, leaf.provenance["score"]
    raw = leaf.provenance["score"].raw_text
    assert raw and not any(ch.isdigit() for ch in raw)  # the seal's characters
    assert not [f for f in form.findings if f.location.startswith("管理效能")], form.findings


def test_red_seal_in_a_colour_scan_is_removed_before_ocr() -> None:
    """In a colour scan the seal is red, and the digits under it are black: the seal is
    faded out by its hue, so the declared total it covers and the score beside it read
    exactly and no finding is raised for them (the grey scan above cannot do this)."""
    from extract.pipeline import Options, read_form

    form = read_form(SCANNED / "dept_health_2020-colour-200dpi.pdf", Options(pages=(4,)))
    assert form.declared_total == 98.8, form.total_provenance
    leaf = next(i for i in form.indicators if i.indicator == "工作受表彰或批评")
    assert leaf.score == 5.0, leaf.provenance["score"]
    assert leaf.basis.startswith("部门预算编制及执行工作较好"), leaf.basis
    assert not [f for f in form.findings if f.rule in ("missing_value", "unreadable_cell")], form.findings


def test_single_page_jpg_and_png_inputs(tmp_path: Path) -> None:
    """Image files are read directly: a scanned page saved as JPEG is converted; a PNG
    holding no table fails with one clear line naming the file."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    pdf = pdfium.PdfDocument(str(SCANNED / "dept_justice_2019-200dpi.pdf"))
    [image] = [obj for obj in pdf[0].get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    page = image.get_bitmap().to_pil()
    pdf.close()
    jpg = tmp_path / "scan.jpg"
    page.save(jpg, quality=80, dpi=(200, 200))
    result = process_file(jpg)
    assert result.form is not None, result.error
    assert result.form.page_methods == ["ocr"]
    assert result.form.unit_name == "广州市白云区司法局"
    assert len(result.form.indicators) >= 10

    png = tmp_path / "blank.png"
    Image.fromarray(np.full((400, 600), 235, dtype=np.uint8)).save(png)
    blank = process_file(png)
    assert blank.status == "failed" and str(png) in blank.error and "\n" not in blank.error


def test_label_cut_by_a_page_break_is_read_from_both_halves() -> None:
    """The merged 二级 cell 成本管理 (分值 5) of dept_water is split by the page-1/2 break
    and its label printed half on each page. Read apart, the halves give nothing and a
    wrong 6; joined, the block gets its name and 分值 and spans the break."""
    from extract.pipeline import Options, read_form

    form = read_form(SCANNED / "dept_water_2023-200dpi.pdf", Options(pages=(1, 2)))
    rows = [i for i in form.indicators if i.indicator in ("“三公经费”控制率", "日常公用经费节支率")]
    assert [(i.level2, i.level2_max, i.page) for i in rows] == [("成本管理", 5.0, 1), ("成本管理", 5.0, 2)]


def test_faint_cut_label_is_read_with_its_pages_ink_level() -> None:
    """dept_civil at 150 dpi: the 一级 分值 45 of 管理效能 is cut by the page-1/2 break
    and printed faint. The joined strip alone is nearly all paper, so Otsu on it put the
    ink level near the paper and took a faint rule remnant for ink: the 45 was lost and
    the level1_max of twelve rows came out empty. The pages' own ink level reads it."""
    from extract.pipeline import Options, read_form

    form = read_form(SCANNED / "dept_civil_2021-150dpi.pdf", Options(pages=(1, 2)))
    rows = [i for i in form.indicators if i.level1 == "管理效能"]
    assert len(rows) >= 8
    assert {i.level1_max for i in rows} == {45.0}
    assert not [f for f in form.findings if f.location.startswith("管理效能")]


def test_header_cells_joined_by_a_lost_rule_are_split() -> None:
    """var_bonus (a form family no other scan shares) lost the header rule between
    二级指标 and 分值 on page 3 and between 分值 and 指标解释 on page 4. The grid merged
    each pair into one cell, so the columns under them lost their roles: no 二级 分值 on
    page 3, 年度指标值/实际完成值 shifted on page 4. Each label is centred over its own
    columns with nothing across the edge between them, so the cell is split again."""
    from extract.pipeline import read_form

    form = read_form(SCANNED / "var_bonus_2022-200dpi.pdf")
    rows = {i.indicator: i for i in form.indicators}
    first = rows["知识产权服务对象满意度"]  # target ≥90%, actual 98.3% (the % is small type)
    assert first.level2_max == 12.0
    assert first.target.startswith("≥90") and first.actual.startswith("98.3")
    assert {i.level2_max for i in form.indicators if i.level2.startswith("知识产权")} == {12.0}
    last = rows["药械监管培训人次"]
    assert last.level1 == "履职效能"
    assert last.target.startswith("≥2000") and last.actual.startswith("2647")
    assert not [f for f in form.findings if f.rule == "missing_value"]


def test_a_lone_digit_read_as_nothing_is_read_again_taller() -> None:
    """justice 300 dpi: the 二级 分值 `4` of 成本管理, cut to a 21 px high crop, read as
    nothing, and the block had no 分值; with a little more paper above and below it reads."""
    from extract.pipeline import Options, read_form

    form = read_form(SCANNED / "dept_justice_2019-300dpi.pdf", Options(pages=(1,)))
    rows = [i for i in form.indicators if i.level2 == "成本管理"]
    assert rows and {i.level2_max for i in rows} == {4.0}


def _scan_on_the_fly(tmp_path: Path, form: str, dpi: int, broken_lines: bool = False) -> Path:
    """A variant form printed and scanned now by scripts/make_samples.py (samples/ has no
    room for every variant at every dpi; the scan is seeded, so it is the same each run)."""
    from scripts import make_samples

    scan = make_samples.ScanSpec(form, dpi, broken_lines=broken_lines, source_dir="variants")
    make_samples.make_scan(scan, ROOT / "samples" / "exported", tmp_path)
    return tmp_path / f"{scan.stem}.pdf"


def test_a_speck_in_an_empty_piece_of_a_split_score_cell_is_no_label(tmp_path: Path) -> None:
    """var_excel at 150 dpi: the 一级 cell 履职效能 (分值 45) starts at the foot of page 2
    and its label is printed on page 3. The page-2 piece of its 分值 cell is blank but for
    a `+` where a broken rule crossed another; read as a label, it kept the piece apart:
    the page-2 rows had no 一级, and four false sum findings followed (pages 2–3 read
    here, so only the block whose rows are all on them is checked for findings)."""
    from extract.pipeline import Options, read_form

    form = read_form(_scan_on_the_fly(tmp_path, "var_excel_2024", 150), Options(pages=(2, 3)))
    rows = [i for i in form.indicators if i.indicator.startswith("应急广播")]
    assert len(rows) >= 5
    assert {(i.level1, i.level1_max) for i in rows} == {("履职效能", 45.0)}
    split = [i for i in form.indicators if i.level2 == "文化市场综合执法经费"]
    assert {i.page for i in split} == {2, 3}  # its block runs over the break too
    assert not [f for f in form.findings if "文化市场综合执法经费" in f.location]


def test_rules_lost_across_rows_and_before_the_remark_column(tmp_path: Path) -> None:
    """var_reportlab at 150 dpi with broken lines, pages 2–3:
    - the rules between three 三级 rows of 绩效管理 were lost: one cell over three rows
      and two columns (names and 分值), read as garbage; two rows lost name and 分值;
    - page 3 lost the rule between 得分 and 评分依据 in four rows: the 得分 was read
      into the prose;
    - page 2 lost the rule before 备注 in its second header, so page 3's header did not
      count as its repeat and the 履职效能 block split by the break was not joined."""
    from extract.pipeline import Options, read_form

    form = read_form(_scan_on_the_fly(tmp_path, "var_reportlab_2022", 150, broken_lines=True),
                     Options(pages=(2, 3)))
    rows = {i.indicator: i for i in form.indicators}
    for name in ("绩效指标明确性", "绩效目标完成率", "绩效监控和绩效评价开展情况"):
        assert rows[name].max_score == 2.0 and rows[name].level2 == "绩效管理"
    safety = [i for i in form.indicators if i.level2 == "校园安保服务及校车管理经费"]
    assert {i.page for i in safety} == {2, 3}
    assert {(i.level1, i.level1_max, i.level2_max) for i in safety} == {("履职效能", 50.0, 6.5)}
    assert all(i.score is not None for i in safety)
    assert not [f for f in form.findings if "绩效管理" in f.location or "校园安保" in f.location]


def test_a_short_last_page_with_faint_skewed_rules_is_not_turned(tmp_path: Path) -> None:
    """var_synonyms at 150 dpi, page 4 (one indicator row and the 总分 row): its faint
    rules, skewed by the scan, break into 1 px wide steps that counted as vertical text
    lines and outvoted the few real ones; the page was turned a quarter and its rows lost."""
    from extract.inputs.images import pdf_page_image
    from extract.scan.analysis import analyse_page

    path = _scan_on_the_fly(tmp_path, "var_synonyms_2023", 150)
    gray, pixels_per_point = pdf_page_image(path, 4, 200)
    page = analyse_page(gray, pixels_per_point, 4, use_osd=False)
    assert page.rotation == 0
    assert page.tables and page.tables[0].n_cols >= 9
