"""Voting an OCR'd name against its other readings in the same row."""

from __future__ import annotations

from extract.consensus import occurrences, vote_name


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
