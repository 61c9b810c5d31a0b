"""Grid rows of a form → a Form: the indicator tree, with the blocks around it.

The rows are split into sections (``sections``); the indicator rows' OCR readings are
repaired with the form's knowledge (``readings``); 一级/二级 blocks are joined across page
breaks (``hierarchy``); facts, goals, total and grade come from ``blocks``, the budget
block from ``budget``."""

from __future__ import annotations

from collections.abc import Callable

from ..grid.rows import GridRow
from ..model import Cell, Form, Indicator
from ..text.numbers import parse_number
from .blocks import find_year, parse_goals, parse_grade, parse_header_facts, parse_total
from .budget import block_share, has_role, is_execution_row, parse_budget, repair_budget
from .hierarchy import LevelCells, resolve_level
from .layouts import Layout
from .matching import matches, snap, split_into
from .provenance import cell_provenance, provenance
from .readings import RowReading, block_name, read_rows, text_of
from .sections import COLUMN_TOLERANCE, MAX_ROLE_OF, Section, split_sections

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
