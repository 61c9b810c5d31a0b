"""The budget (department) or funds (project) block: read by the layout's rows, columns
and roles, its lines and rate shared with the rules, OCR'd amounts repaired with the
block's own rate.

A value's role (预算, 执行, 率, 分值, 得分) comes from its row or its column, whichever has
one; its *line* is the other one: a department column such as 财政拨款, a project row
such as 年度资金总额. The rules compare the values of one line."""

from __future__ import annotations

from dataclasses import replace

from ..grid.rows import GridRow
from ..model import TEXT_LAYER, BudgetValue, Indicator
from ..text.normalize import match_key
from ..text.numbers import money_unit, parse_number, parse_percent, round_to_printed
from .layouts import UNITLESS_ROLES, BudgetLabel, BudgetSpec, Layout
from .matching import matches
from .provenance import provenance
from .sections import COLUMN_TOLERANCE

# A printed rate may differ from 执行数 ÷ 预算数 by this much (percentage points).
RATE_TOLERANCE_PP = 0.01


def _budget_label(text: str, labels: dict[str, BudgetLabel], threshold: float) -> str | None:
    """The canonical name of the budget label ``text`` is most like (the first in the
    layout's order on a tie), or None."""
    best, best_score = None, 0.0
    for name, label in labels.items():
        score = matches(text, (name, *label.synonyms), threshold)
        if score > best_score:
            best, best_score = name, score
    return best


def _row_label(row: GridRow, labels: dict[str, BudgetLabel], threshold: float) -> str | None:
    """The budget row a row is: the first of its cells naming one (in the layout's order)."""
    for cell in row.cells:
        for name, label in labels.items():
            if matches(cell.text, (name, *label.synonyms), threshold):
                return name
    return None


def block_unit(rows: list[GridRow], spec: BudgetSpec) -> str:
    """The unit the block's caption names (``项目资金（万元）``), else the layout's default."""
    for row in rows:
        for cell in row.cells:
            key = match_key(cell.text)
            if any(match_key(caption) in key for caption in spec.caption):
                unit = money_unit(cell.text)
                if unit:
                    return unit
    return spec.unit


def parse_budget(rows: list[GridRow], layout: Layout) -> list[BudgetValue]:
    """The block: a header row naming at least two of its columns, then the rows its
    first cells name, each value with its role, line and unit. A value cell merged down
    over several rows (a 分值 printed once for the block) belongs to its first row."""
    spec = layout.budget
    if spec is None:
        return []
    threshold = layout.match_threshold
    header_index = None
    columns: list[tuple[str, float, float]] = []
    for index, row in enumerate(rows):
        found: list[tuple[str, float, float]] = []
        for cell in row.cells:
            if not row.starts_here(cell):
                continue
            name = _budget_label(cell.text, spec.columns, threshold)
            if name and name not in [f[0] for f in found]:
                found.append((name, row.rel(cell.bbox.x0), row.rel(cell.bbox.x1)))
        if len(found) >= 2:
            header_index, columns = index, found
            break
    if header_index is None:
        return []
    header = rows[header_index]
    unit = block_unit(rows, spec)
    values: list[BudgetValue] = []
    for row in rows[header_index + 1 :]:
        if row.table != header.table:
            break
        row_name = _row_label(row, spec.rows, threshold)
        if row_name is None:
            continue
        row_role = spec.rows[row_name].role
        for name, start, end in columns:
            role = row_role or spec.columns[name].role or ""
            hits = [c for c in row.cells
                    if row.starts_here(c) and start <= row.rel(c.bbox.x0) + COLUMN_TOLERANCE < end]
            text = hits[0].text if hits else ""
            value = parse_percent(text) if role == "rate" else parse_number(text)
            values.append(BudgetValue(
                row_name, name, value, text, provenance(row, hits[0]) if hits else None,
                unit="" if role in UNITLESS_ROLES else unit,
                role=role,
                line=name if row_role else row_name,
            ))
    return values


def budget_lines(values: list[BudgetValue]) -> dict[str, dict[str, BudgetValue]]:
    """line → role → its first value, lines in order."""
    lines: dict[str, dict[str, BudgetValue]] = {}
    for value in values:
        if value.role:
            lines.setdefault(value.line, {}).setdefault(value.role, value)
    return lines


def role_label(value: BudgetValue) -> str:
    """The name of the role a value has (完成率, 得分): its row or column, not its line."""
    return value.column if value.line == value.row else value.row


def expected_rate(executed: float, budget: float, rate_text: str) -> float:
    """执行数 ÷ 预算数 as a percentage, rounded half-up to the printed rate's decimals."""
    return round_to_printed(executed / budget * 100, rate_text)


def rate_agrees(executed: float | None, budget: float | None, rate: BudgetValue) -> bool | None:
    """Whether a printed rate agrees with its amounts; None when it cannot be told."""
    if executed is None or not budget or rate.value is None:
        return None
    return abs(expected_rate(executed, budget, rate.text) - rate.value) <= RATE_TOLERANCE_PP + 1e-9


def block_share(values: list[BudgetValue], role: str) -> float | None:
    """The block's own 分值 or 得分 (``role`` max or score): the first line's that has one."""
    for roles in budget_lines(values).values():
        if role in roles and roles[role].value is not None:
            return roles[role].value
    return None


def has_role(values: list[BudgetValue], role: str) -> bool:
    """Whether the block has a row or column of ``role`` (a 分值 column, read or not)."""
    return any(v.role == role for v in values)


def is_execution_row(leaf: Indicator, names: tuple[str, ...], threshold: float) -> bool:
    """Whether an indicator row is the budget score printed inside the table (预算执行率)."""
    return bool(names) and any(
        matches(name, names, threshold) for name in (leaf.indicator, leaf.level1) if name
    )


# A rule beside a number, read as part of it, is a leading `1` (``12,043.00`` for
# ``2,043.00``): taken back when the block's own rate says so.


def _without_leading_one(text: str) -> str | None:
    stripped = text.strip()
    rest = stripped[1:].lstrip(",")
    return rest if stripped.startswith("1") and parse_number(rest) is not None else None


def _by_ocr(value: BudgetValue) -> bool:
    return value.provenance is not None and value.provenance.source != TEXT_LAYER


def repair_budget(values: list[BudgetValue]) -> list[BudgetValue]:
    """OCR'd amounts of a line whose printed rate disagrees with them until a leading
    ``1`` (a rule read as a digit) is taken off one of them: that amount without it (the
    raw reading stays in the provenance). Lines from a text layer, or that agree, are
    left alone."""
    fixes: dict[int, str] = {}
    for roles in budget_lines(values).values():
        if not {"budget", "executed", "rate"} <= set(roles):
            continue
        budget, executed, rate = roles["budget"], roles["executed"], roles["rate"]
        if rate_agrees(executed.value, budget.value, rate) is not False:
            continue
        for cell in (executed, budget):
            fixed = _without_leading_one(cell.text) if _by_ocr(cell) else None
            if fixed is None:
                continue
            number = parse_number(fixed)
            pair = (number, budget.value) if cell is executed else (executed.value, number)
            if rate_agrees(*pair, rate):
                fixes[id(cell)] = fixed
                break
    return [replace(v, value=parse_number(fixes[id(v)]), text=fixes[id(v)]) if id(v) in fixes else v
            for v in values]
