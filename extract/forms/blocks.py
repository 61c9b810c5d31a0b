"""The parts of a form around its indicator table, read by the layout's labels: header
facts (单位名称, 项目名称 …), the goals block, the total row, the printed grade and the year."""

from __future__ import annotations

import re

from ..grid.rows import GridRow
from ..model import Cell, Provenance
from ..text.normalize import match_key
from ..text.numbers import parse_int_in, parse_number, parse_year
from .layouts import FactSpec, Layout
from .matching import matches
from .provenance import provenance
from .readings import grade_text
from .sections import MAX_HEADER_LABEL, Section


def head(text: str) -> str:
    """A label cell's label: the text before its first colon (``单位数：2`` → ``单位数``)."""
    return re.split("[:：]", text)[0]


def _value_cell(row: GridRow, label_cell: Cell) -> Cell | None:
    """The cell right of a label cell in the same row."""
    after = [c for c in row.cells if c.bbox.x0 >= label_cell.bbox.x1 - 1]
    return after[0] if after else None


def _fact_value(row: GridRow, cell: Cell, spec: FactSpec) -> tuple[object, Cell | None]:
    """A fact's value: a count written in its label cell (after the layout's marker, or
    after the label) or else in the cell after it; a text in the cell after it."""
    if spec.kind == "text":
        value_cell = _value_cell(row, cell)
        return (value_cell.text if value_cell else "", value_cell)
    inline = cell.text.split(spec.after)[-1] if spec.after and spec.after in cell.text else cell.text[len(head(cell.text)):]
    value = parse_int_in(inline)
    if value is not None:
        return value, cell
    nxt = _value_cell(row, cell)
    return (parse_int_in(nxt.text), nxt) if nxt is not None else (None, None)


def parse_header_facts(
    rows: list[GridRow], layout: Layout
) -> tuple[dict[str, object], dict[str, Provenance]]:
    """The layout's facts (单位名称, 项目名称 …) from the rows before the indicator table,
    with provenance."""
    facts: dict[str, object] = {}
    where: dict[str, Provenance] = {}
    threshold = layout.match_threshold
    for row in rows:
        for cell in row.cells:
            if not row.starts_here(cell) or not cell.text:
                continue
            for name, spec in layout.facts.items():
                if name in facts:
                    continue
                label = cell.text if spec.contains else head(cell.text)
                if not matches(label, spec.labels, threshold, contains=spec.contains):
                    continue
                value, value_cell = _fact_value(row, cell, spec)
                facts[name] = value
                prov = provenance(row, value_cell)
                if prov is not None:
                    where[name] = prov
                break
    return facts, where


def parse_goals(rows: list[GridRow], layout: Layout) -> dict[str, str]:
    """The goals block: the texts under its 预期目标 and 实际完成情况 header cells."""
    spec = layout.goals
    if spec is None:
        return {}
    threshold = layout.match_threshold
    for index, row in enumerate(rows[:-1]):
        heads: dict[str, Cell] = {}
        for cell in row.cells:
            if not row.starts_here(cell) or len(match_key(cell.text)) > MAX_HEADER_LABEL:
                continue
            for name, labels in (("expected", spec.expected), ("actual", spec.actual)):
                if name not in heads and matches(cell.text, labels, threshold):
                    heads[name] = cell
        if len(heads) < 2:
            continue
        below = rows[index + 1]
        goals = {}
        for name, head in heads.items():
            under = [c for c in below.cells if c.bbox.x0 < head.bbox.x1 - 1 and c.bbox.x1 > head.bbox.x0 + 1
                     and c.bbox.x0 >= head.bbox.x0 - 1]  # fmt: skip
            goals[name] = under[0].text if under else ""
        return goals
    return {}


def parse_grade(rows: list[GridRow], layout: Layout) -> tuple[str, Provenance | None]:
    """The printed 自评等级: after its label in the same cell, or in the next cell."""
    spec = layout.grade
    if spec is None:
        return "", None
    for row in rows:
        for cell in row.cells:
            if not row.starts_here(cell) or not matches(head(cell.text), spec.labels, layout.match_threshold):
                continue
            inline = cell.text[len(head(cell.text)) + 1 :].strip()
            if inline:
                return grade_text(cell, inline), provenance(row, cell)
            value_cell = _value_cell(row, cell)
            if value_cell is not None:
                return grade_text(value_cell, value_cell.text.strip()), provenance(row, value_cell)
    return "", None


def parse_total(section: Section | None, row: GridRow | None) -> tuple[float | None, float | None, Provenance | None]:
    """(总分 分值, declared 得分, provenance of the declared score) from the 总分 row."""
    if row is None:
        return None, None, None
    # the label cell is no number, even when OCR reads 总分 as 8分
    label = (section.cell(row, "level1") if section else None) or (row.cells[0] if row.cells else None)
    numbers = [(c, parse_number(c.text)) for c in row.cells if row.starts_here(c) and c is not label]
    numbers = [(c, v) for c, v in numbers if v is not None]
    total_max = None
    declared_cell = section.cell(row, "score") if section else None
    declared = parse_number(declared_cell.text) if declared_cell else None
    if numbers:
        total_max = numbers[0][1]
        if declared is None and len(numbers) > 1:
            declared_cell, declared = numbers[-1]
    if declared_cell is not None and declared is None:
        declared_cell = None
    return total_max, declared, provenance(row, declared_cell)


def find_year(texts: list[str]) -> int | None:
    """The year of the first text that names a 年度 (``（2021年度）``, ``2019 年度``)."""
    for text in texts:
        year = parse_year(text) if "年度" in text else None
        if year:
            return year
    return None
