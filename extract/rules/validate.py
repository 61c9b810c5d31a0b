"""Check a parsed form against the scoring rules of docs/forms.md §3 and return findings.

Validation is pure and never raises: every rule is a small function from a form to a
list of findings, and :func:`validate` concatenates them in a fixed order. Odd data
(``None`` or NaN numbers, empty indicator lists) yields findings or nothing, never an
exception. Rule ids and location strings are part of the output contract.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby

from ..forms.budget import (
    RATE_TOLERANCE_PP,
    budget_lines,
    expected_rate,
    is_execution_row,
    role_label,
)
from ..forms.layouts import Layout
from ..model import NOT_READ, TEXT_LAYER, Finding, Form, Indicator, Provenance
from ..text.numbers import decimals_in, parse_percent, round_to_printed

ERROR = "error"
WARNING = "warning"

# Float arithmetic on printed decimals leaves noise around 1e-15; this slack keeps a
# difference of exactly the tolerance (e.g. 2.001 vs 2.0) from counting as a mismatch.
FLOAT_SLACK = 1e-9
# Scores and maxima are compared after rounding to this many decimals (docs/forms.md §3).
SCORE_DECIMALS = 3


@dataclass(frozen=True)
class ValidationRules:
    """What the rules need from a form family; :func:`rules_for` reads it from a layout."""

    # Scores are printed with one or two decimals; 0.001 absorbs rounding only.
    score_tolerance: float = 0.001
    # docs/forms.md §3: a printed rate may differ from 执行数 ÷ 预算数 by 0.01 percentage point.
    rate_tolerance_pp: float = RATE_TOLERANCE_PP
    # The 总分 分值 when the form does not print one.
    total_max: float = 100.0
    # Where total findings are reported: the total row's label (from the layout).
    total_location: str = ""
    # 一级 names whose leaf scores may be negative (deductions).
    allow_negative_sections: tuple[str, ...] = ()
    # Grades with lower bounds, highest first; empty when the family prints none.
    grades: tuple[tuple[str, float], ...] = ()
    grade_location: str = ""
    # 得分 = min(执行率, 100%) × 分值 on the budget block, and on these indicator rows.
    execution_score: bool = False
    execution_rows: tuple[str, ...] = ()
    # How alike an OCR'd name must be to a label of the layout (the layout's own figure).
    label_similarity: float = 0.75


def rules_for(layout: Layout) -> ValidationRules:
    """The rules' parameters as a layout sets them."""
    grade = layout.grade
    return ValidationRules(
        total_max=layout.total_max,
        total_location=layout.total.labels[0],
        allow_negative_sections=layout.rules.allow_negative_sections,
        grades=tuple((band.name, band.min) for band in grade.bands) if grade else (),
        grade_location=grade.labels[0] if grade else "",
        execution_score=layout.rules.execution_score,
        execution_rows=layout.rules.execution_rows,
        label_similarity=layout.match_threshold,
    )


DEFAULT_RULES = ValidationRules()


# --------------------------------------------------------------------------- helpers


def _num(value: object) -> float | None:
    """A finite float, or None for None, NaN, infinities and anything non-numeric."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def format_score(value: float | None) -> str:
    """A score without float noise: at most 3 decimals, at least one ("2.0", "90.25")."""
    number = _num(value)
    if number is None:
        return ""
    text = f"{round(number, SCORE_DECIMALS):.{SCORE_DECIMALS}f}".rstrip("0")
    if text.endswith("."):
        text += "0"
    return "0.0" if text == "-0.0" else text


def _differs(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) > tolerance + FLOAT_SLACK


def _differs_rounded(a: float, b: float, tolerance: float) -> bool:
    return _differs(round(a, SCORE_DECIMALS), round(b, SCORE_DECIMALS), tolerance)


def _bbox(provenance: Provenance | None) -> list[float] | None:
    if provenance is None or provenance.bbox is None:
        return None
    return list(provenance.bbox)


def _leaf_provenance(leaf: Indicator, *fields: str) -> Provenance | None:
    """The first provenance present among ``fields``; tolerates a missing dict."""
    provenance = leaf.provenance or {}
    for name in fields:
        if provenance.get(name) is not None:
            return provenance[name]
    return None


def _finding(
    rule: str,
    location: str,
    expected: str,
    found: str,
    message: str,
    page: int | None = 0,
    provenance: Provenance | None = None,
    severity: str = ERROR,
) -> Finding:
    if provenance is not None and provenance.page:
        page = provenance.page
    return Finding(
        rule=rule,
        severity=severity,
        location=location,
        expected=expected,
        found=found,
        message=message,
        page=page or 0,
        bbox=_bbox(provenance),
    )


def _consecutive(items: Sequence[Indicator], key: Callable[[Indicator], object]) -> list[list[Indicator]]:
    """Consecutive runs of items sharing ``key``, in order."""
    return [list(group) for _, group in groupby(items, key)]


def _first_known(values: Iterable[object]) -> float | None:
    for value in values:
        number = _num(value)
        if number is not None:
            return number
    return None


def _sum_known(values: Iterable[float | None]) -> float | None:
    """The sum, or None when any value is unknown (a missing value is reported once)."""
    total = 0.0
    for value in values:
        if value is None:
            return None
        total += value
    return total


def _level2_max(group: Sequence[Indicator]) -> float | None:
    return _first_known(leaf.level2_max for leaf in group)


def _level1_max(group: Sequence[Indicator]) -> float | None:
    return _first_known(leaf.level1_max for leaf in group)


def _leaf_max_sum(group: Sequence[Indicator]) -> float | None:
    return _sum_known(_num(leaf.max_score) for leaf in group)


def _level2_contribution(group: Sequence[Indicator]) -> float | None:
    """What a level2 group adds to its level1: its own max, else its leaves' maxima.

    A group without a 二级 label (level2 == "") or without a 二级 分值 column (project
    forms) hangs its leaves directly under the level1.
    """
    own = _level2_max(group) if group[0].level2 else None
    return own if own is not None else _leaf_max_sum(group)


def _level1_groups(form: Form) -> list[list[Indicator]]:
    return _consecutive(form.indicators or [], lambda leaf: leaf.level1)


def _level2_groups(level1_group: Sequence[Indicator]) -> list[list[Indicator]]:
    return _consecutive(level1_group, lambda leaf: leaf.level2)


def _level1_contribution(group: Sequence[Indicator]) -> float | None:
    """What a 一级 adds to the total: its own 分值, else its leaves' 分值 (a 二级 weight
    that disagrees with its leaves is a children_max_sum_mismatch already, not a
    second finding at the total)."""
    own = _level1_max(group)
    if own is not None:
        return own
    return _leaf_max_sum(group)


def _norm_label(text: str) -> str:
    """Labels compare after NFKC (full-width brackets) and without whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


# ----------------------------------------------------------------------------- rules


def check_missing_values(form: Form, rules: ValidationRules = DEFAULT_RULES) -> list[Finding]:
    """``missing_value``: a leaf without 分值 or 得分, or a form without a declared 总分."""
    findings: list[Finding] = []
    for leaf in form.indicators or []:
        missing = [
            name
            for name, value in (("max_score", leaf.max_score), ("score", leaf.score))
            if _num(value) is None
        ]
        if not missing:
            continue
        provenance = _leaf_provenance(leaf, *missing)
        findings.append(
            _finding(
                "missing_value",
                leaf.path,
                "number",
                provenance.raw_text if provenance else "",
                f"{' and '.join(missing)} missing at {leaf.path}",
                leaf.page,
                provenance,
            )
        )
    findings += _missing_parent_maxima(form, rules)
    findings += _missing_budget_shares(form)
    if form.indicators and _num(form.declared_total) is None:
        provenance = form.total_provenance
        findings.append(
            _finding(
                "missing_value",
                rules.total_location,
                "number",
                provenance.raw_text if provenance else "",
                f"declared total score missing at {rules.total_location}",
                0,
                provenance,
            )
        )
    return findings


def _level2_location(leaf: Indicator) -> str:
    """Where a 二级 block is reported: ``一级/二级``, or the 二级 alone without a 一级."""
    return f"{leaf.level1}/{leaf.level2}" if leaf.level1 else leaf.level2


def _missing_parent_maxima(form: Form, rules: ValidationRules) -> list[Finding]:
    """A 一级/二级 block without 分值 in a form whose other blocks of that level have one
    (the column exists: the cell is empty or was unreadable). Without it the block's
    children cannot be checked, so the gap is reported instead of skipped silently. The
    row holding the budget score (预算执行率) is a block of its own and has no 一级 分值."""
    level1 = [g for g in _level1_groups(form) if g[0].level1
              and not is_execution_row(g[0], rules.execution_rows, rules.label_similarity)]
    level2 = [g for group in level1 for g in _level2_groups(group) if g[0].level2]
    findings: list[Finding] = []
    for groups, key, own in ((level1, "level1_max", _level1_max), (level2, "level2_max", _level2_max)):
        missing = [g for g in groups if own(g) is None]
        if len(missing) == len(groups):
            continue
        for group in missing:
            leaf = group[0]
            location = leaf.level1 if key == "level1_max" else _level2_location(leaf)
            provenance = _first_provenance(group, key)
            findings.append(_finding(
                "missing_value", location, "number", provenance.raw_text if provenance else "",
                f"{key} missing at {location}", leaf.page, provenance,
            ))
    return findings


def _missing_budget_shares(form: Form) -> list[Finding]:
    """The budget block's 分值 or 得分 that counts toward the total but could not be read."""
    if not form.budget_counts:
        return []
    findings = []
    for role, value in (("max", form.budget_max), ("score", form.budget_score)):
        if value is not None:
            continue
        line, roles = next(((ln, r) for ln, r in budget_lines(form.budget).items() if role in r), ("", {}))
        cell = roles.get(role)
        location = f"{role_label(cell)}/{line}" if cell is not None else role
        prov = cell.provenance if cell is not None else None
        findings.append(_finding(
            "missing_value", location, "number", prov.raw_text if prov else "",
            f"budget {role} missing at {location}", 0, prov,
        ))
    return findings


TEXT_FIELDS = ("indicator", "target", "actual", "explanation", "criteria", "basis")


def check_unreadable_cells(form: Form, rules: ValidationRules = DEFAULT_RULES) -> list[Finding]:
    """``unreadable_cell``: an OCR'd text cell whose reading was dropped as unreliable (low
    confidence or degenerate): the CSV holds an empty value, the raw reading is kept here.
    Unreadable 分值/得分 cells are ``missing_value`` findings instead."""
    findings: list[Finding] = []
    for leaf in form.indicators or []:
        for name in TEXT_FIELDS:
            prov = (leaf.provenance or {}).get(name)
            if prov is None or prov.source in (TEXT_LAYER, NOT_READ) or not prov.raw_text:
                continue  # read from text, or not read at all (--read scores)
            if getattr(leaf, name):
                continue
            findings.append(
                _finding(
                    "unreadable_cell",
                    leaf.path,
                    "text",
                    prov.raw_text[:80],
                    f"{name} unreadable at {leaf.path} (OCR confidence {prov.confidence:.2f})",
                    prov.page,
                    prov,
                    severity=WARNING,
                )
            )
    return findings


def check_score_exceeds_max(form: Form, rules: ValidationRules = DEFAULT_RULES) -> list[Finding]:
    """``score_exceeds_max``: a leaf 得分 above its own 分值."""
    findings: list[Finding] = []
    for leaf in form.indicators or []:
        score, max_score = _num(leaf.score), _num(leaf.max_score)
        if score is None or max_score is None:
            continue
        if round(score, SCORE_DECIMALS) > round(max_score, SCORE_DECIMALS) + (
            rules.score_tolerance + FLOAT_SLACK
        ):
            findings.append(
                _finding(
                    "score_exceeds_max",
                    leaf.path,
                    format_score(max_score),
                    format_score(score),
                    f"score {format_score(score)} exceeds max {format_score(max_score)}"
                    f" at {leaf.path}",
                    leaf.page,
                    _leaf_provenance(leaf, "score"),
                )
            )
    return findings


def check_negative_score(form: Form, rules: ValidationRules = DEFAULT_RULES) -> list[Finding]:
    """``negative_score``: a leaf 得分 below 0 outside the deduction sections."""
    findings: list[Finding] = []
    for leaf in form.indicators or []:
        score = _num(leaf.score)
        if score is None or leaf.level1 in rules.allow_negative_sections:
            continue
        if round(score, SCORE_DECIMALS) < -(rules.score_tolerance + FLOAT_SLACK):
            findings.append(
                _finding(
                    "negative_score",
                    leaf.path,
                    format_score(0.0),
                    format_score(score),
                    f"score {format_score(score)} is negative at {leaf.path}",
                    leaf.page,
                    _leaf_provenance(leaf, "score"),
                )
            )
    return findings


def _sum_mismatch(
    location: str, parent_max: float, children: float, group: Sequence[Indicator], key: str
) -> Finding:
    return _finding(
        "children_max_sum_mismatch",
        location,
        format_score(parent_max),
        format_score(children),
        f"children max sum {format_score(children)} differs from max"
        f" {format_score(parent_max)} at {location}",
        group[0].page,
        _first_provenance(group, key),
    )


def _first_provenance(group: Sequence[Indicator], key: str) -> Provenance | None:
    for leaf in group:
        provenance = _leaf_provenance(leaf, key)
        if provenance is not None:
            return provenance
    return None


def check_children_max_sum(form: Form, rules: ValidationRules = DEFAULT_RULES) -> list[Finding]:
    """``children_max_sum_mismatch``: children's 分值 do not add up to a 二级/一级 分值.

    Groups are consecutive leaves sharing level1 (+ level2). A parent whose own max is
    unknown is skipped, as is a sum with an unknown child (that leaf is already a
    ``missing_value``). Leaves without a 二级 label count directly under the 一级.
    """
    findings: list[Finding] = []
    tolerance = rules.score_tolerance
    for level1_group in _level1_groups(form):
        level2_groups = _level2_groups(level1_group)
        for group in level2_groups:
            if not group[0].level2:
                continue
            own, children = _level2_max(group), _leaf_max_sum(group)
            if own is None or children is None or not _differs_rounded(own, children, tolerance):
                continue
            location = _level2_location(group[0])
            findings.append(_sum_mismatch(location, own, children, group, "level2_max"))
        own = _level1_max(level1_group)
        children = _sum_known(_level2_contribution(group) for group in level2_groups)
        if own is None or children is None or not _differs_rounded(own, children, tolerance):
            continue
        location = level1_group[0].level1
        findings.append(_sum_mismatch(location, own, children, level1_group, "level1_max"))
    return findings


def check_total_max(form: Form, rules: ValidationRules = DEFAULT_RULES) -> list[Finding]:
    """``total_max_mismatch``: the 一级 分值 (and the budget block's 分值 where the family
    counts it) do not add up to the 总分 分值."""
    if not form.indicators:
        return []
    expected = _num(form.total_max)
    if expected is None:
        expected = rules.total_max
    found = _sum_known(_level1_contribution(group) for group in _level1_groups(form))
    if form.budget_counts:  # an unread budget 分值 is a missing_value: the sum is unknown
        found = _sum_known([found, _num(form.budget_max)])
    if found is None or not _differs_rounded(expected, found, rules.score_tolerance):
        return []
    location = rules.total_location
    return [
        _finding(
            "total_max_mismatch",
            location,
            format_score(expected),
            format_score(found),
            f"level-1 max sum {format_score(found)} differs from total max"
            f" {format_score(expected)} at {location}",
            0,
            form.total_provenance,
        )
    ]


def _unreadable_score(leaf: Indicator) -> bool:
    """A 得分 cell holding something that is not a number (blank cells count as 0)."""
    prov = (leaf.provenance or {}).get("score")
    return _num(leaf.score) is None and prov is not None and bool(prov.raw_text.strip())


def check_total_score(form: Form, rules: ValidationRules = DEFAULT_RULES) -> list[Finding]:
    """``total_score_mismatch``: the declared 总分 得分 differs from the sum of leaf scores
    (and of the budget block's 得分 where the family counts it)."""
    declared = _num(form.declared_total)
    if declared is None:
        return []  # reported as missing_value when the form has indicators
    if any(_unreadable_score(leaf) for leaf in form.indicators or []):
        return []  # a score that is there but could not be read: the sum is unknown
    if form.budget_counts and _num(form.budget_score) is None:
        return []  # the budget 得分 counts but could not be read: a missing_value
    computed = sum(_num(leaf.score) or 0.0 for leaf in form.indicators or [])
    computed += _num(form.budget_score) or 0.0
    if not _differs_rounded(declared, computed, rules.score_tolerance):
        return []
    location = rules.total_location
    return [
        _finding(
            "total_score_mismatch",
            location,
            format_score(computed),
            format_score(declared),
            f"declared total {format_score(declared)} differs from leaf score sum"
            f" {format_score(computed)} at {location}",
            0,
            form.total_provenance,
        )
    ]


def check_budget_rate(form: Form, rules: ValidationRules = DEFAULT_RULES) -> list[Finding]:
    """``budget_rate_mismatch``: a printed 完成率/执行率 differs from 执行数 ÷ 预算数 × 100."""
    findings: list[Finding] = []
    for line, roles in budget_lines(form.budget).items():
        if not {"budget", "executed", "rate"} <= set(roles):
            continue
        budget = _num(roles["budget"].value)
        executed = _num(roles["executed"].value)
        rate_cell = roles["rate"]
        printed = _num(rate_cell.value)
        if not budget or executed is None or printed is None:
            continue
        decimals = decimals_in(rate_cell.text)  # the rate parsed: it is one number
        expected = expected_rate(executed, budget, rate_cell.text)
        if not _differs(printed, expected, rules.rate_tolerance_pp):
            continue
        location = f"{role_label(rate_cell)}/{line}"
        findings.append(
            _finding(
                "budget_rate_mismatch",
                location,
                f"{expected:.{decimals}f}",
                f"{printed:.{decimals}f}",
                f"printed rate {printed:.{decimals}f}% differs from executed / budget"
                f" = {expected:.{decimals}f}% at {location}",
                0,
                rate_cell.provenance,
            )
        )
    return findings


def _execution_mismatch(rate: float, maximum: float, score: float, score_text: str,
                        location: str, provenance: Provenance | None, page: int,
                        tolerance: float) -> Finding | None:
    share = min(rate, 100.0) / 100.0 * maximum
    expected = round_to_printed(share, score_text) if score_text else round(share, SCORE_DECIMALS)
    if not _differs_rounded(expected, score, tolerance):
        return None
    return _finding(
        "execution_score_mismatch",
        location,
        format_score(expected),
        format_score(score),
        f"budget score {format_score(score)} differs from min(rate {rate:g}%, 100%) × max"
        f" {format_score(maximum)} = {format_score(expected)} at {location}",
        page,
        provenance,
    )


def check_execution_score(form: Form, rules: ValidationRules = DEFAULT_RULES) -> list[Finding]:
    """``execution_score_mismatch``: a budget 得分 differs from min(执行率, 100%) × 分值, on
    the budget block or on the indicator row that holds the budget score."""
    if not rules.execution_score:
        return []
    findings: list[Finding] = []
    first_rate: float | None = None
    for line, roles in budget_lines(form.budget).items():
        rate = _num(roles["rate"].value) if "rate" in roles else None
        if rate is None:
            continue
        first_rate = rate if first_rate is None else first_rate
        maximum = _num(roles["max"].value) if "max" in roles else None
        score = _num(roles["score"].value) if "score" in roles else None
        if maximum is None or score is None:
            continue
        cell = roles["score"]
        found = _execution_mismatch(rate, maximum, score, cell.text, f"{role_label(cell)}/{line}",
                                    cell.provenance, 0, rules.score_tolerance)
        findings += [found] if found else []
    for leaf in form.indicators or []:
        if not is_execution_row(leaf, rules.execution_rows, rules.label_similarity):
            continue
        # the row's own 实际完成值 is its 执行率; else the budget block's
        own = parse_percent(leaf.actual) if "%" in (leaf.actual or "") else None
        rate = own if own is not None else first_rate
        maximum, score = _num(leaf.max_score), _num(leaf.score)
        if rate is None or maximum is None or score is None:
            continue
        prov = _leaf_provenance(leaf, "score")
        found = _execution_mismatch(rate, maximum, score, prov.raw_text if prov else "",
                                    leaf.path, prov, leaf.page, rules.score_tolerance)
        findings += [found] if found else []
    return findings


def check_grade(form: Form, rules: ValidationRules = DEFAULT_RULES) -> list[Finding]:
    """``grade_mismatch``: the printed 自评等级 is not the band of the declared total."""
    printed = _norm_label(form.grade)
    declared = _num(form.declared_total)
    if not rules.grades or not printed or declared is None:
        return []
    expected = grade_for(declared, rules.grades)
    if printed.startswith(expected):
        return []
    location = rules.grade_location
    return [
        _finding(
            "grade_mismatch",
            location,
            expected,
            form.grade,
            f"printed grade {form.grade} differs from {expected} for total"
            f" {format_score(declared)} at {location}",
            0,
            form.grade_provenance,
        )
    ]


RULES: tuple[Callable[[Form, ValidationRules], list[Finding]], ...] = (
    check_unreadable_cells,
    check_missing_values,
    check_score_exceeds_max,
    check_negative_score,
    check_children_max_sum,
    check_total_max,
    check_total_score,
    check_budget_rate,
    check_execution_score,
    check_grade,
)


def validate(form: Form, rules: ValidationRules | None = None) -> list[Finding]:
    """All findings for ``form``, rule by rule in :data:`RULES` order; never raises."""
    rules = rules or DEFAULT_RULES
    findings: list[Finding] = []
    for rule in RULES:
        findings.extend(rule(form, rules))
    return findings


def grade_for(total: float | None, grades: Sequence[tuple[str, float]]) -> str:
    """The grade whose lower bound ``total`` reaches ("" for an unknown total)."""
    number = _num(total)
    if number is None:
        return ""
    for name, lower in grades:
        if number >= lower - FLOAT_SLACK:
            return name
    return grades[-1][0] if grades else ""
