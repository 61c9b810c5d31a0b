"""Voting an OCR'd name against its other readings in the same row."""

from __future__ import annotations

from extract.forms.consensus import (
    FormPrior,
    closest_substring,
    fix_by_context,
    occurrences,
    vote_name,
)


def test_misread_character_is_outvoted() -> None:
    name = "社区频正任务完成率"
    target = "按照年度工作计划和项目实施方案，社区矫正任务完成率≥95%"
    basis = "根据年度工作总结，社区矫正任务完成率为100%，达到年度指标值。"
    assert vote_name(name, [target, basis]) == "社区矫正任务完成率"


def test_one_disagreeing_reading_is_not_enough() -> None:
    name = "普法宣传覆盖人数"
    assert vote_name(name, ["普法宣传服盖人数达到20000人"]) == name


def test_unrelated_texts_leave_the_name_alone() -> None:
    name = "部门预算编制情况"
    explanation = "反映部门（单位）预算编制的准确性、及时性。"
    assert vote_name(name, [explanation, "预算编制基础信息准确完整"]) == name
    assert occurrences("预算完成率", "预算完成率87.93%，预算完成率") == ["预算完成率", "预算完成率"]


def test_short_names_are_not_voted() -> None:
    assert vote_name("办件量", ["办件里达到3万", "办件里为3.2万"]) == "办件量"


def test_dropped_character_is_restored_by_two_readings() -> None:
    name = "村居法律问服务对象满意度"  # 顾 dropped in the name cell
    target = "按照年度工作计划，村居法律顾问服务对象满意度≥90%"
    basis = "根据月度工作台账，村居法律顾问服务对象满意度为98.6%，达到年度指标值。"
    assert vote_name(name, [target, basis]) == "村居法律顾问服务对象满意度"


def test_tie_is_settled_by_character_pairs_common_in_the_form() -> None:
    basis = "根据月度工作台账，村居法律顾问服务对象满意度为98.6%，达到年度指标值。"
    form_texts = [basis] + ["村居法律顾问覆盖人数", "村居法律顾问验收合格率", "村居法律顾问任务完成率"]
    prior = FormPrior.of(form_texts + ["村居法律问服务对象满意度"])
    assert vote_name("村居法律问服务对象满意度", [basis], prior) == "村居法律顾问服务对象满意度"
    # without the form's support the single other reading is not enough
    assert vote_name("村居法律问服务对象满意度", [basis]) == "村居法律问服务对象满意度"


def test_tie_with_rare_pairs_keeps_the_name() -> None:
    # the other reading's pairs (律顾, 顾问) occur once in the form: no evidence either way
    basis = "根据月度工作台账，村居法律顾问服务对象满意度为98.6%"
    prior = FormPrior.of([basis, "村居法律问服务对象满意度"])
    assert vote_name("村居法律问服务对象满意度", [basis], prior) == "村居法律问服务对象满意度"


def test_closest_substring_counts_a_dropped_character_once() -> None:
    assert closest_substring("社区矫正任务完成率", "根据总结，社区矫正任务完成率为100%") == (0, "社区矫正任务完成率")
    assert closest_substring("社区正任务完成率", "根据总结，社区矫正任务完成率为100%") == (1, "社区矫正任务完成率")


def test_a_character_seen_once_is_fixed_by_its_context_in_the_form() -> None:
    form = ["优化升级“令行禁止、有呼必应”综合指挥调度平台", "实现有令必行、有呼必应移动端",
            "“令行禁止、有呼必应”平台运行流畅", "有呼必应工作机制"]
    prior = FormPrior.of([*form, "优化完善“令行禁止、有時必应”综合指挥调度平台功能"])
    assert fix_by_context("优化完善“令行禁止、有時必应”综合指挥调度平台功能", prior) == (
        "优化完善“令行禁止、有呼必应”综合指挥调度平台功能"
    )


def test_context_fix_needs_the_other_character_to_recur() -> None:
    # 有呼必应 only twice elsewhere: not enough to overrule the reading
    prior = FormPrior.of(["实现有呼必应", "有呼必应机制", "令行禁止、有時必应"])
    assert fix_by_context("令行禁止、有時必应", prior) == "令行禁止、有時必应"
    # a character the form has elsewhere in the same context is left alone
    prior = FormPrior.of(["政府采购执行率"] * 4 + ["政府采购预算率"] * 2)
    assert fix_by_context("政府采购预算率", prior) == "政府采购预算率"


def test_sibling_names_sharing_a_prefix_are_not_merged() -> None:
    form = ["村居法律顾问服务对象满意度"] * 3 + ["根据考核，村居法律顾问服务对象满意度为98%"] * 2
    prior = FormPrior.of([*form, "村居法律顾问任务完成率"])
    assert fix_by_context("村居法律顾问任务完成率", prior) == "村居法律顾问任务完成率"


def test_context_fix_never_changes_digits() -> None:
    prior = FormPrior.of(["满意度为98%，达到"] * 3 + ["满意度为95%，达到"])
    assert fix_by_context("服务满意度为95%，达到", prior) == "服务满意度为95%，达到"
