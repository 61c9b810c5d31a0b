"""Grid rows of a form → a Form: header facts, budget block, indicator tree, total.

The rows are split into sections (``sections``); the indicator rows' OCR readings are
repaired with the form's knowledge (``readings``); 一级/二级 blocks are joined across page
breaks (``hierarchy``)."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..grid.rows import GridRow
from ..model import Cell, Form, Indicator, Provenance
from ..text.normalize import match_key
from ..text.numbers import parse_int_in, parse_number, parse_year
from .budget import block_share, has_role, is_execution_row, parse_budget, repair_budget
from .hierarchy import LevelCells, resolve_level
from .layouts import FactSpec, Layout
from .matching import matches, snap, split_into
from .provenance import cell_provenance, provenance
from .readings import RowReading, block_name, grade_text, read_rows, text_of
from .sections import (
    COLUMN_TOLERANCE,
    MAX_HEADER_LABEL,
    MAX_ROLE_OF,
    Section,
    header_columns,
    split_sections,
)

YEAR_PATTERN = re.compile(r"((?:19|20)\d{2})\s*年")
LEAF_ROLES = ("indicator", "max_score", "score", "target", "actual", "explanation", "criteria", "basis")
TEXT_ROLES = ("target", "actual", "explanation", "criteria", "basis")


# The 分值 text given to the 二级 of a row whose 一级 name runs across the 二级 column
# (预算执行率 printed as its own row): a placeholder, so that the row is a 二级 block of
# its own, labelled "none", never the continuation of the block before it.
NO_LEVEL = "—"


def _level_cells(data: list[tuple[Section, GridRow]], sections: list[Section],
                 readings: list[RowReading], level: str) -> list[LevelCells]:
    out = []
    for (section, row), reading in zip(data, readings):
        name_cell = section.cell(row, level)
        max_cell = section.cell(row, MAX_ROLE_OF[level])
        wide = section.cell(row, "level1")
        if level != "level1" and name_cell is None and wide is not None and section.covers(row, wide, level):
            out.append(LevelCells(row.page, sections.index(section), ("no level", row.key(wide)), "",
                                  None, None, NO_LEVEL, None))
            continue
        out.append(
            LevelCells(
                page=row.page,
                section=sections.index(section),
                name_key=row.key(name_cell) if name_cell is not None else None,
                name=reading.levels[level].name,
                name_cell=name_cell,
                max_key=row.key(max_cell) if max_cell is not None else None,
                max_text=reading.levels[level].max_text,
                max_cell=max_cell,
            )
        )
    return out


def _sum(values: list[float | None]) -> float | None:
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def data_rows(sections: list[Section], layout: Layout) -> list[tuple[Section, GridRow]]:
    """The rows of every section that hold an indicator (a name, a 分值 or a 得分), template
    placeholders left out."""
    data: list[tuple[Section, GridRow]] = []
    for section in sections:
        for row in section.rows:
            names = [section.text(row, r) for r in ("indicator", "max_score", "score")]
            if not any(names):
                continue
            if names[0] and layout.is_placeholder(names[0]):
                continue
            data.append((section, row))
    return data


def _remapped(cells: dict[str, Cell | None], level1: str, layout: Layout) -> dict[str, Cell | None]:
    """The cells of a row whose 一级 prints other content in some columns, moved to the
    roles the layout gives them (the source roles left empty)."""
    for remap in layout.remap:
        if matches(level1, remap.level1, layout.match_threshold):
            moved: dict[str, Cell | None] = {source: None for source in remap.columns}
            moved.update({target: cells.get(source) for source, target in remap.columns.items()})
            return moved
    return {}


def _extra_texts(section: Section, row: GridRow) -> dict[str, str]:
    """Texts of the row's cells that no output field holds: columns without a role, keyed
    by their header (a repeated header numbered: ``备注``, ``备注 2``), and the ``remark``
    column under its role."""
    out: dict[str, str] = {}
    remark = section.column("remark")
    for column in [*section.extras, *([remark] if remark else [])]:
        key, n = column.role, 2
        while key in out:
            key, n = f"{column.role} {n}", n + 1
        for cell in row.cells:
            if column.start <= row.rel(cell.bbox.x0) + COLUMN_TOLERANCE < column.end:
                out[key] = cell.text
                break
    return out


def parse_indicators(sections: list[Section], layout: Layout) -> list[Indicator]:
    """Leaf rows of all sections with their parents resolved across page breaks."""
    data = data_rows(sections, layout)
    readings = read_rows(data, sections, layout)
    leaf_names = [layout.split_weight(r.indicator) for r in readings]
    leaf_max = [r.max_score for r in readings]

    def weight(name: str) -> float | None:
        return layout.split_weight(name)[1]

    def known(role: str) -> Callable[[str], bool]:  # a weight in the name is no part of it
        lexicon = layout.lexicon_for(role)
        return lambda name: snap(layout.split_weight(name)[0], lexicon, layout.snap_threshold) in lexicon

    level2 = resolve_level(
        _level_cells(data, sections, readings, "level2"),
        lambda rows: _sum([leaf_max[i] for i in rows]),
        weight,
        known=known("level2"),
        split_name=lambda name, n: split_into(name, layout.lexicon_for("level2"), n),
    )

    def level2_maxima(rows: list[int]) -> float | None:
        seen: dict[int, float | None] = {}
        for i in rows:
            block = level2[i]
            if not block.labelled:  # no 二级 level: leaves sit right under the 一级
                seen[-i - 1] = leaf_max[i]
                continue
            own = parse_number(block.max_text)
            seen[id(block)] = own if own is not None else weight(block.name)
        return _sum(list(seen.values()))

    def shares_level2(a: list[int], b: list[int]) -> bool:
        return bool({id(level2[i]) for i in a if level2[i].labelled} & {id(level2[i]) for i in b})

    level1 = resolve_level(
        _level_cells(data, sections, readings, "level1"), level2_maxima, weight, shares_level2,
        known("level1"),
    )
    page_of = {id(cell): row.page for _, row in data for cell in row.cells}

    indicators = []
    for index, (section, row) in enumerate(data):
        l1, l2 = level1[index], level2[index]
        level1_name, level1_weight = layout.split_weight(block_name(l1, "level1", layout))
        level2_name, level2_weight = layout.split_weight(block_name(l2, "level2", layout))
        level1_max = parse_number(l1.max_text)
        level2_max = parse_number(l2.max_text)
        cells = {role: section.cell(row, role) for role in LEAF_ROLES}
        cells.update(_remapped(cells, level1_name, layout))
        texts = {role: text_of(role, cells[role]) for role in TEXT_ROLES}
        indicator = Indicator(
            level1=level1_name,
            level1_max=level1_max if level1_max is not None else level1_weight,
            level2=level2_name,
            level2_max=level2_max if level2_max is not None else level2_weight,
            indicator=leaf_names[index][0],
            max_score=leaf_max[index],
            score=parse_number(readings[index].score_text),
            target=texts["target"],
            actual=texts["actual"],
            explanation=texts["explanation"],
            criteria=texts["criteria"],
            basis=texts["basis"],
            page=row.page,
            section=str(sections.index(section) + 1),
            extra=_extra_texts(section, row),
        )
        for role, cell in cells.items():
            prov = provenance(row, cell)
            if prov is not None:
                indicator.provenance[role] = prov
        for role, cell in (
            ("level1", l1.name_cell), ("level1_max", l1.max_cell),
            ("level2", l2.name_cell), ("level2_max", l2.max_cell),
        ):  # fmt: skip
            if cell is not None:
                indicator.provenance[role] = cell_provenance(page_of.get(id(cell), row.page), cell)
        indicators.append(indicator)
    return indicators


def _value_cell(row: GridRow, label_cell: Cell) -> Cell | None:
    """The cell right of a label cell in the same row."""
    after = [c for c in row.cells if c.bbox.x0 >= label_cell.bbox.x1 - 1]
    return after[0] if after else None


def _head(text: str) -> str:
    """A label cell's label: the text before its first colon (``单位数：2`` → ``单位数``)."""
    return re.split("[:：]", text)[0]


def _fact_value(row: GridRow, cell: Cell, spec: FactSpec) -> tuple[object, Cell | None]:
    """A fact's value: a count written in its label cell (after the layout's marker, or
    after the label) or else in the cell after it; a text in the cell after it."""
    if spec.kind == "text":
        value_cell = _value_cell(row, cell)
        return (value_cell.text if value_cell else "", value_cell)
    inline = cell.text.split(spec.after)[-1] if spec.after and spec.after in cell.text else cell.text[len(_head(cell.text)):]
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
                label = cell.text if spec.contains else _head(cell.text)
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
            if not row.starts_here(cell) or not matches(_head(cell.text), spec.labels, layout.match_threshold):
                continue
            inline = cell.text[len(_head(cell.text)) + 1 :].strip()
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
    for text in texts:
        year = parse_year(text) if "年度" in text else None
        if year is None:
            match = YEAR_PATTERN.search(text)
            year = int(match.group(1)) if match and "年度" in text else None
        if year:
            return year
    return None


def _names(row: GridRow, labels: tuple[str, ...], layout: Layout) -> bool:
    """Whether a cell starting in ``row`` is one of ``labels`` (before any colon)."""
    return any(row.starts_here(c) and matches(_head(c.text), labels, layout.match_threshold)
               for c in row.cells)


def split_forms(rows: list[GridRow], layout: Layout) -> list[list[GridRow]]:
    """The rows of each form of a file that holds several one after another. The next
    form starts at a row naming the layout's ``form_starts_at`` fact after an indicator
    header, or, should that label be missed (printed outside the table, misread), at an
    indicator header after a total row: no form is lost behind another's total. The rows
    between that total and that header go to the next form from the first one that is
    in another table than the total (a 自评等级 row under the total stays)."""
    if layout.form_starts_at is None:
        return [rows]
    labels = layout.facts[layout.form_starts_at].labels
    forms: list[list[GridRow]] = [[]]
    seen_header = False
    total: GridRow | None = None
    for row in rows:
        is_header = header_columns(row, layout) is not None
        if seen_header and _names(row, labels, layout):
            forms.append([])
            seen_header, total = False, None
        elif total is not None and is_header:
            current = forms[-1]
            cut = current.index(total) + 1
            while cut < len(current) and (current[cut].page, current[cut].table) == (total.page, total.table):
                cut += 1
            forms[-1], moved = current[:cut], current[cut:]
            forms.append(moved)
            seen_header, total = False, None
        seen_header = seen_header or is_header
        if seen_header and total is None and _names(row, layout.total.labels, layout):
            total = row
        forms[-1].append(row)
    return [f for f in forms if f]


def parse_form(rows: list[GridRow], layout: Layout, *, file: str, pages: int, method: str,
               outside_text: list[str]) -> Form:
    """One form from its grid rows and the text outside its tables."""
    parts = split_sections(rows, layout)
    preamble, sections = parts.preamble, parts.sections
    facts, fact_provenance = parse_header_facts(preamble, layout)
    total_max, declared, total_prov = parse_total(sections[-1] if sections else None, parts.total_row)
    grade_rows = ([parts.total_row] if parts.total_row is not None else []) + parts.after
    grade, grade_prov = parse_grade(grade_rows, layout)
    budget = repair_budget(parse_budget(preamble, layout))
    indicators = parse_indicators(sections, layout)
    in_table = any(is_execution_row(i, layout.rules.execution_rows, layout.match_threshold) for i in indicators)
    counts = layout.rules.budget_score_counts and has_role(budget, "max") and not in_table
    form = Form(
        file=file,
        form_type=layout.family,
        pages=pages,
        method=method,
        unit_name=str(facts.get("unit_name", "")),
        year=find_year(outside_text + [c.text for r in preamble[:3] for c in r.cells]),
        staff=facts.get("staff"),  # type: ignore[arg-type]
        units=facts.get("units"),  # type: ignore[arg-type]
        budget=budget,
        indicators=indicators,
        total_max=total_max,
        declared_total=declared,
        total_provenance=total_prov,
        header_provenance=fact_provenance,
        layout=layout.name,
        project_name=str(facts.get("project_name", "")),
        department=str(facts.get("department", "")),
        grade=grade,
        grade_provenance=grade_prov,
        goals=parse_goals(preamble, layout),
        facts=facts,
        budget_counts=counts,
        budget_max=block_share(budget, "max") if counts else None,
        budget_score=block_share(budget, "score") if counts else None,
    )
    return form
