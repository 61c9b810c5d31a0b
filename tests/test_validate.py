"""Tests for extract.rules.validate: one trip per rule, odd data, and a consistency property."""

from __future__ import annotations

import dataclasses
import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from extract.forms.layouts import get_layout
from extract.model import BudgetValue, Form, Indicator, Provenance
from extract.rules.validate import (
    ValidationRules,
    format_score,
    grade_for,
    rules_for,
)
from extract.rules.validate import validate as validate_with
from extract.text.numbers import decimals_in

# The department family's rules as its shipped layout sets them.
DEPT = rules_for(get_layout("dept_overall"))
PROJECT = rules_for(get_layout("project"))
ROLES = {"全年预算数": "budget", "全年执行数": "executed", "完成率": "rate"}


def validate(form: Form, rules: ValidationRules | None = None) -> list:
    return validate_with(form, rules or DEPT)

BUDGET_TEXT = {65240247.04: "65,240,247.04", 57368166.31: "57,368,166.31", 87.93: "87.93%"}


def leaf(
    level1: str,
    level1_max: float | None,
    level2: str,
    level2_max: float | None,
    name: str,
    max_score: float | None,
    score: float | None,
    page: int = 1,
) -> Indicator:
    return Indicator(level1, level1_max, level2, level2_max, name, max_score, score, page=page)


def budget(
    column: str,
    values: tuple[float | None, float | None, float | None],
    rate_text: str | None = None,
    rows: tuple[str, str, str] = ("全年预算数", "全年执行数", "完成率"),
) -> list[BudgetValue]:
    cells = []
    for row, value in zip(rows, values, strict=True):
        text = BUDGET_TEXT.get(value, "" if value is None else str(value))  # type: ignore[arg-type]
        if row == rows[2] and rate_text is not None:
            text = rate_text
        cells.append(BudgetValue(
            row, column, value, text, Provenance(page=1, bbox=[10.0, 20.0, 30.0, 40.0]),
            role=ROLES.get(row, ""), line=column,
        ))
    return cells


def consistent_form() -> Form:
    """A small dept_overall form whose numbers all agree (total 95.5 of 100)."""
    indicators = [
        leaf("管理效能", 45.0, "资金管理", 16.0, "预算完成率", 2.0, 2.0),
        leaf("管理效能", 45.0, "资金管理", 16.0, "部门预算编制情况", 14.0, 13.5),
        leaf("管理效能", 45.0, "采购管理", 29.0, "政府采购执行率", 29.0, 29.0),
        leaf(
            "履职效能", 50.0, "发挥政府门户网站权威发布", 20.0, "发布信息条数", 20.0, 20.0, page=2
        ),
        leaf("履职效能", 50.0, "政务基础设施及服务能力", 30.0, "系统可用率", 10.0, 9.0, page=2),
        leaf("履职效能", 50.0, "政务基础设施及服务能力", 30.0, "群众满意度", 20.0, 20.0, page=3),
        leaf("加减分项", 5.0, "工作表现加减分", 5.0, "工作受表彰或批评", 5.0, 2.0, page=3),
    ]
    return Form(
        file="seed.pdf",
        form_type="dept_overall",
        pages=3,
        method="text",
        unit_name="广州市海珠区政务服务数据管理局",
        year=2021,
        budget=budget("财政拨款", (65240247.04, 57368166.31, 87.93)),
        indicators=indicators,
        total_max=100.0,
        declared_total=95.5,
        total_provenance=Provenance(page=3, bbox=[1.0, 2.0, 3.0, 4.0]),
    )


def rules_of(findings: list) -> list[tuple[str, str]]:
    return [(f.rule, f.location) for f in findings]


def test_consistent_form_has_no_findings() -> None:
    assert validate(consistent_form()) == []


def test_missing_score_is_reported_once_and_skips_other_leaf_rules() -> None:
    form = consistent_form()
    form.indicators[0].score = None
    form.declared_total = 93.5
    findings = validate(form)
    assert rules_of(findings) == [("missing_value", "管理效能/资金管理/预算完成率")]
    assert findings[0].severity == "error"
    assert findings[0].page == 1


def test_missing_max_score_does_not_cascade_into_sum_mismatches() -> None:
    form = consistent_form()
    form.indicators[1].max_score = None
    assert rules_of(validate(form)) == [("missing_value", "管理效能/资金管理/部门预算编制情况")]


def test_missing_max_score_still_checks_negative_score() -> None:
    form = consistent_form()
    form.indicators[2].max_score = None
    form.indicators[2].score = -1.0
    form.declared_total = 65.5
    assert rules_of(validate(form)) == [
        ("missing_value", "管理效能/采购管理/政府采购执行率"),
        ("negative_score", "管理效能/采购管理/政府采购执行率"),
    ]


def test_score_exceeds_max() -> None:
    form = consistent_form()
    form.indicators[0].score = 2.5
    form.indicators[0].provenance["score"] = Provenance(page=1, bbox=[5.0, 6.0, 7.0, 8.0])
    form.declared_total = 96.0
    (finding,) = validate(form)
    assert finding.rule == "score_exceeds_max"
    assert finding.location == "管理效能/资金管理/预算完成率"
    assert (finding.expected, finding.found) == ("2.0", "2.5")
    assert finding.message == "score 2.5 exceeds max 2.0 at 管理效能/资金管理/预算完成率"
    assert finding.bbox == [5.0, 6.0, 7.0, 8.0]


def test_score_within_tolerance_is_not_flagged() -> None:
    form = consistent_form()
    form.indicators[0].score = 2.001
    form.declared_total = 95.501
    assert validate(form) == []


def test_negative_score_outside_deduction_section() -> None:
    form = consistent_form()
    form.indicators[0].score = -1.0
    form.declared_total = 92.5
    (finding,) = validate(form)
    assert (finding.rule, finding.location) == ("negative_score", "管理效能/资金管理/预算完成率")
    assert (finding.expected, finding.found) == ("0.0", "-1.0")


def test_negative_score_allowed_in_deduction_section() -> None:
    form = consistent_form()
    form.indicators[-1].score = -2.0
    form.declared_total = 91.5
    assert validate(form) == []
    strict = dataclasses.replace(DEPT, allow_negative_sections=())
    assert rules_of(validate(form, strict)) == [
        ("negative_score", "加减分项/工作表现加减分/工作受表彰或批评")
    ]


def test_leaf_max_sum_differs_from_level2_max() -> None:
    form = consistent_form()
    form.indicators[1].max_score = 15.0
    (finding,) = validate(form)
    assert (finding.rule, finding.location) == ("children_max_sum_mismatch", "管理效能/资金管理")
    assert (finding.expected, finding.found) == ("16.0", "17.0")


def test_level2_max_sum_differs_from_level1_max() -> None:
    form = consistent_form()
    for item in form.indicators[:3]:
        item.level1_max = 40.0
    assert rules_of(validate(form)) == [
        ("children_max_sum_mismatch", "管理效能"),
        ("total_max_mismatch", "总分"),
    ]


def test_level2_max_counted_once_per_group() -> None:
    form = consistent_form()
    for item in form.indicators[4:6]:
        item.level2_max = 25.0
    assert rules_of(validate(form)) == [
        ("children_max_sum_mismatch", "履职效能/政务基础设施及服务能力"),
        ("children_max_sum_mismatch", "履职效能"),
    ]


def test_parent_without_max_is_reported_and_its_leaves_count_directly() -> None:
    """A 二级 分值 cell left empty (unreadable in a scan) while the form's other 二级 blocks
    have one: reported, and its leaves count straight towards the 一级."""
    form = consistent_form()
    for item in form.indicators[:2]:
        item.level2_max = None
    form.indicators[1].max_score = 13.5  # leaves 2 + 13.5 + 29 ≠ 45 now
    findings = validate(form)
    assert rules_of(findings) == [
        ("missing_value", "管理效能/资金管理"),
        ("children_max_sum_mismatch", "管理效能"),
    ]
    assert (findings[1].expected, findings[1].found) == ("45.0", "44.5")


def test_missing_level1_max_is_reported_only_when_the_column_is_used() -> None:
    form = consistent_form()
    for item in form.indicators[3:6]:
        item.level1_max = None
    found = validate(form)
    assert rules_of(found) == [("missing_value", "履职效能")]
    assert found[0].page == 2 and "level1_max" in found[0].message
    for item in form.indicators:
        item.level1_max = None  # a form without 一级 分值 at all: nothing to report
    assert validate(form) == []


def test_leaves_without_level2_are_checked_against_level1() -> None:
    indicators = [
        leaf("产出指标", 60.0, "", None, "数量", 30.0, 30.0),
        leaf("产出指标", 60.0, "", None, "质量", 30.0, 28.0),
        leaf("效益指标", 40.0, "", None, "满意度", 40.0, 40.0),
    ]
    form = Form("p.pdf", "project", 1, "text", indicators=indicators, declared_total=98.0)
    assert validate(form) == []
    indicators[1].max_score = 35.0
    findings = validate(form)
    assert rules_of(findings) == [("children_max_sum_mismatch", "产出指标")]
    assert (findings[0].expected, findings[0].found) == ("60.0", "65.0")


def test_level2_without_its_own_max_counts_its_leaves() -> None:
    indicators = [
        leaf("产出指标", 50.0, "数量指标", None, "培训人次", 25.0, 25.0),
        leaf("产出指标", 50.0, "质量指标", None, "合格率", 25.0, 20.0),
        leaf("效益指标", 50.0, "社会效益指标", None, "覆盖率", 50.0, 50.0),
    ]
    form = Form("p.pdf", "project", 1, "text", indicators=indicators, declared_total=95.0)
    assert validate(form) == []


def test_total_max_mismatch_uses_form_total_max() -> None:
    form = consistent_form()
    form.total_max = 90.0
    (finding,) = validate(form)
    assert (finding.rule, finding.location) == ("total_max_mismatch", "总分")
    assert (finding.expected, finding.found) == ("90.0", "100.0")
    assert finding.page == 3 and finding.bbox == [1.0, 2.0, 3.0, 4.0]


def test_total_max_falls_back_to_rules_total_max() -> None:
    form = consistent_form()
    form.total_max = None
    assert validate(form) == []
    assert rules_of(validate(form, dataclasses.replace(DEPT, total_max=120.0))) == [
        ("total_max_mismatch", "总分")
    ]


def test_total_score_mismatch() -> None:
    form = consistent_form()
    form.declared_total = 88.7
    (finding,) = validate(form)
    assert (finding.rule, finding.location) == ("total_score_mismatch", "总分")
    assert (finding.expected, finding.found) == ("95.5", "88.7")
    assert "总分" in finding.message


def test_total_score_counts_missing_scores_as_zero() -> None:
    form = consistent_form()
    form.indicators[3].score = None
    assert rules_of(validate(form)) == [
        ("missing_value", "履职效能/发挥政府门户网站权威发布/发布信息条数"),
        ("total_score_mismatch", "总分"),
    ]


def test_missing_declared_total() -> None:
    form = consistent_form()
    form.declared_total = None
    assert rules_of(validate(form)) == [("missing_value", "总分")]


def test_budget_rate_mismatch() -> None:
    form = consistent_form()
    form.budget = budget("财政拨款", (65240247.04, 57368166.31, 90.0), rate_text="90.00%")
    (finding,) = validate(form)
    assert (finding.rule, finding.location) == ("budget_rate_mismatch", "完成率/财政拨款")
    assert (finding.expected, finding.found) == ("87.93", "90.00")
    assert finding.bbox == [10.0, 20.0, 30.0, 40.0]


def test_budget_rate_within_printed_precision() -> None:
    form = consistent_form()
    form.budget = budget("其他资金", (200.0, 175.0, 88.0), rate_text="88%")  # 87.5 → 88
    assert validate(form) == []
    form.budget = budget("其他资金", (200.0, 175.0, 87.51), rate_text="87.51%")
    assert validate(form) == []  # within 0.01 pp
    form.budget = budget("其他资金", (200.0, 175.0, 87.52), rate_text="87.52%")
    assert rules_of(validate(form)) == [("budget_rate_mismatch", "完成率/其他资金")]


def test_budget_rate_skips_zero_budget_and_missing_rate() -> None:
    form = consistent_form()
    form.budget = (
        budget("上级资金", (0.0, 0.0, 0.0))
        + budget("区级资金", (None, 10.0, 50.0))
        + budget("基本支出", (100.0, 50.0, None))
        + budget("项目支出", (100.0, None, 50.0))
    )
    assert validate(form) == []


def test_budget_roles_not_names_drive_the_rate_check() -> None:
    """Project forms put the roles on columns: the rate of a row is checked, and the
    finding names the rate column and the row."""
    form = consistent_form()
    form.budget = [
        BudgetValue("年度资金总额", name, value, text, role=role, line="年度资金总额")
        for name, value, text, role in (
            ("全年预算数", 100.0, "100.00", "budget"),
            ("全年执行数", 80.0, "80.00", "executed"),
            ("执行率", 90.0, "90.00%", "rate"),
        )
    ]
    assert rules_of(validate(form)) == [("budget_rate_mismatch", "执行率/年度资金总额")]
    for cell in form.budget:
        cell.role = ""
    assert validate(form) == []


def test_empty_and_odd_forms_never_raise() -> None:
    assert validate(Form("x.pdf", "dept_overall", 0, "ocr")) == []
    odd = Form(
        "x.pdf",
        "dept_overall",
        1,
        "ocr",
        indicators=[
            leaf("", None, "", None, "", None, None),
            leaf("a", math.nan, "b", math.inf, "c", math.nan, None),
            Indicator("", None, "", None, "", 1.0, 1.0, provenance=None),  # type: ignore[arg-type]
        ],
        budget=[BudgetValue("完成率", "财政拨款", None, ""), BudgetValue("", "", math.nan, "")],
        declared_total=math.nan,
        total_max=math.nan,
    )
    findings = validate(odd)
    assert all(f.rule == "missing_value" for f in findings)
    assert findings[-1].location == "总分"


def test_findings_are_in_rule_order() -> None:
    form = consistent_form()
    form.indicators[0].score = 3.0
    form.indicators[1].score = None
    form.total_max = 99.0
    form.declared_total = 1.0
    form.budget = budget("财政拨款", (100.0, 50.0, 60.0))
    assert [f.rule for f in validate(form)] == [
        "missing_value",
        "score_exceeds_max",
        "total_max_mismatch",
        "total_score_mismatch",
        "budget_rate_mismatch",
    ]


def test_validate_does_not_modify_the_form() -> None:
    form = consistent_form()
    form.declared_total = 1.0
    before = dataclasses.asdict(form)
    validate(form)
    assert dataclasses.asdict(form) == before


def test_helpers() -> None:
    assert format_score(2) == "2.0"
    assert format_score(90.2000000001) == "90.2"
    assert format_score(0.0900000762939453) == "0.09"
    assert format_score(-0.0001) == "0.0"
    assert format_score(None) == ""
    assert decimals_in("87. 93%") == 2
    assert decimals_in("８７．９３％") == 2
    assert decimals_in("100%") == 0
    bands = PROJECT.grades
    assert grade_for(90.0, bands) == "优" and grade_for(89.9, bands) == "良"
    assert grade_for(59.99, bands) == "差" and grade_for(None, bands) == ""


# ------------------------------------------------------------------- property test


@st.composite
def splits(draw: st.DrawFn, total: int, min_parts: int = 1, max_parts: int = 4) -> list[int]:
    """``total`` (in tenths) split into 1..max_parts non-negative integer parts."""
    parts = draw(st.integers(min_parts, max_parts))
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, total]
    return [b - a for a, b in itertools.pairwise(bounds)]


@st.composite
def consistent_forms(draw: st.DrawFn) -> Form:
    total = draw(st.integers(0, 1500))  # tenths of a point
    indicators: list[Indicator] = []
    for i, level1_max in enumerate(draw(splits(total))):
        flat = draw(st.booleans())  # a 一级 without a 二级 level
        level2_maxima = [level1_max] if flat else draw(splits(level1_max))
        for j, level2_max in enumerate(level2_maxima):
            for k, leaf_max in enumerate(draw(splits(level2_max))):
                score = draw(st.integers(0, leaf_max))
                indicators.append(
                    Indicator(
                        level1=f"一级{i}",
                        level1_max=level1_max / 10,
                        level2="" if flat else f"二级{j}",
                        level2_max=None if flat else level2_max / 10,
                        indicator=f"指标{k}",
                        max_score=leaf_max / 10,
                        score=score / 10,
                    )
                )
    budget_value = draw(st.integers(1, 10**9)) / 100
    executed = draw(st.integers(0, 10**9)) / 100
    rate = round(executed / budget_value * 100, 2)
    return Form(
        file="generated.pdf",
        form_type="dept_overall",
        pages=1,
        method="text",
        indicators=indicators,
        total_max=total / 10,
        declared_total=round(sum(i.score or 0 for i in indicators), 1),
        budget=[
            BudgetValue("全年预算数", "财政拨款", budget_value, f"{budget_value:,.2f}",
                        role="budget", line="财政拨款"),
            BudgetValue("全年执行数", "财政拨款", executed, f"{executed:,.2f}",
                        role="executed", line="财政拨款"),
            BudgetValue("完成率", "财政拨款", rate, f"{rate:.2f}%", role="rate", line="财政拨款"),
        ],
    )


@settings(max_examples=200, deadline=None)
@given(consistent_forms())
def test_consistent_trees_have_no_findings(form: Form) -> None:
    assert validate(form) == []


def test_unreadable_score_skips_the_total_check_but_is_reported() -> None:
    form = consistent_form()
    first = form.indicators[0]
    first.score = None
    first.provenance["score"] = Provenance(page=4, bbox=[1, 2, 3, 4], confidence=0.72,
                                           source="rapidocr", raw_text="湖市天财雾专片")
    assert rules_of(validate(form)) == [("missing_value", first.path)]


def test_blank_score_counts_as_zero_in_the_total() -> None:
    form = consistent_form()
    form.indicators[0].score = None
    assert ("total_score_mismatch", "总分") in rules_of(validate(form))


def test_unreadable_text_cell() -> None:
    form = consistent_form()
    leaf0 = form.indicators[0]
    leaf0.basis = ""
    leaf0.provenance["basis"] = Provenance(page=2, bbox=[0, 0, 9, 9], confidence=0.3,
                                           source="rapidocr", raw_text="一个工作，一个工作，一个工作")
    findings = validate(form)
    assert rules_of(findings) == [("unreadable_cell", leaf0.path)]
    assert findings[0].severity == "warning" and findings[0].page == 2


# ------------------------------------------------------------------- project family


def project_form(rate: float = 95.0, budget_score: float = 9.5, grade: str = "优") -> Form:
    """A project form whose numbers agree: leaves 87 of 90, funds block 9.5 of 10."""
    indicators = [
        leaf("产出指标", None, "数量指标", None, "资助学生人数", 20.0, 20.0),
        leaf("产出指标", None, "质量指标", None, "验收合格率", 30.0, 28.0),
        leaf("效益指标", None, "社会效益指标", None, "受益人数", 30.0, 30.0),
        leaf("满意度指标", None, "服务对象满意度指标", None, "学生满意度", 10.0, 9.0),
    ]
    line = "年度资金总额"
    budget = [
        BudgetValue(line, column, value, text, role=role, line=line)
        for column, value, text, role in (
            ("全年预算数", 100.0, "100.00", "budget"),
            ("全年执行数", rate, f"{rate:.2f}", "executed"),
            ("分值", 10.0, "10", "max"),
            ("执行率", rate, f"{rate:.2f}%", "rate"),
            ("得分", budget_score, f"{budget_score}", "score"),
        )
    ]
    return Form("p.pdf", "project", 1, "text", indicators=indicators, budget=budget,
                total_max=100.0, declared_total=87.0 + budget_score, grade=grade,
                budget_counts=True, budget_max=10.0, budget_score=budget_score)


def test_project_form_that_agrees_has_no_findings() -> None:
    assert validate(project_form(), PROJECT) == []
    assert validate(project_form(rate=100.0, budget_score=10.0), PROJECT) == []
    capped = project_form(rate=104.0, budget_score=10.0)  # min(执行率, 100%)
    capped.budget[1].value = capped.budget[1].text = None  # type: ignore[assignment]
    assert validate(capped, PROJECT) == []


def test_execution_score_mismatch_fires_and_keeps_the_printed_precision() -> None:
    form = project_form(budget_score=9.0)
    assert rules_of(validate(form, PROJECT)) == [("execution_score_mismatch", "得分/年度资金总额")]
    [finding] = validate(form, PROJECT)
    assert (finding.expected, finding.found) == ("9.5", "9.0")
    rounded = project_form(rate=95.24, budget_score=9.5)  # 9.524 printed with one decimal
    rounded.budget[3].value, rounded.budget[3].text = 95.24, "95.24%"
    rounded.budget[1].value = rounded.budget[1].text = None  # type: ignore[assignment]
    assert validate(rounded, PROJECT) == []
    assert "execution_score_mismatch" not in {f.rule for f in validate(form, DEPT)}  # not its rule


def test_execution_score_on_an_indicator_row() -> None:
    form = project_form()
    form.budget = [b for b in form.budget if b.role in ("budget", "executed", "rate")]
    form.budget_counts, form.budget_max, form.budget_score = False, None, None
    form.indicators.append(leaf("预算执行率", None, "", None, "预算执行率", 10.0, 9.0))
    form.declared_total = 96.0
    assert rules_of(validate(form, PROJECT)) == [("execution_score_mismatch", "预算执行率/预算执行率")]
    form.indicators[-1].score, form.declared_total = 9.5, 96.5
    assert validate(form, PROJECT) == []


def test_grade_mismatch_uses_the_layout_bands() -> None:
    form = project_form(grade="良")
    [finding] = validate(form, PROJECT)
    assert (finding.rule, finding.location, finding.expected, finding.found) == (
        "grade_mismatch", "自评等级", "优", "良")
    assert validate(project_form(grade=""), PROJECT) == []  # a template without 自评等级
    low = project_form(grade="良")
    low.indicators[1].score, low.declared_total = 20.0, 88.5
    assert validate(low, PROJECT) == []  # 88.5 is 良
    assert validate(form, DEPT) == []  # the department family prints no grade


def test_funds_block_counts_toward_both_totals() -> None:
    form = project_form()
    form.budget_max = 12.0
    assert rules_of(validate(form, PROJECT)) == [("total_max_mismatch", "总分")]
    form = project_form()
    form.declared_total, form.grade = 87.0, "良"  # the funds block's 9.5 left out
    assert rules_of(validate(form, PROJECT)) == [("total_score_mismatch", "总分")]
    assert form.computed_total == 96.5


def test_execution_row_uses_its_own_rate_first() -> None:
    form = project_form()
    form.budget = [b for b in form.budget if b.role in ("budget", "executed", "rate")]
    form.budget_counts, form.budget_max, form.budget_score = False, None, None
    row = leaf("预算执行率", None, "", None, "预算执行率", 10.0, 9.0)
    row.actual = "90.00%"  # its own rate: 9.0 is right although the block says 95 %
    form.indicators.append(row)
    form.declared_total = 96.0
    assert validate(form, PROJECT) == []


def test_execution_score_rounds_half_up_as_printed() -> None:
    form = project_form(rate=82.5, budget_score=8.3)  # 8.25 printed with one decimal: 8.3
    form.budget[-1].text = "8.3"
    form.budget[1].value = form.budget[1].text = None  # type: ignore[assignment]
    form.declared_total = 95.3
    assert validate(form, PROJECT) == []


def test_an_unread_funds_score_is_missing_not_a_total_mismatch() -> None:
    form = project_form()
    form.budget[-1].value, form.budget[-1].text, form.budget_score = None, "", None
    assert rules_of(validate(form, PROJECT)) == [("missing_value", "得分/年度资金总额")]


def test_the_execution_row_needs_no_level1_weight_of_its_own() -> None:
    form = project_form()
    form.budget = [b for b in form.budget if b.role in ("budget", "executed", "rate")]
    form.budget_counts, form.budget_max, form.budget_score = False, None, None
    for item in form.indicators:  # weights written inside the 一级 names
        item.level1_max = {"产出指标": 50.0, "效益指标": 30.0, "满意度指标": 10.0}[item.level1]
    form.indicators[1].max_score = 30.0
    form.indicators.append(leaf("预算执行率", None, "", None, "预算执行率", 10.0, 9.5))
    assert validate(form, PROJECT) == []
