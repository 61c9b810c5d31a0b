"""Grid rows of a form → a Form: header facts, budget block, indicator tree, total.

The rows are split into sections (``sections``); the indicator rows' OCR readings are
repaired with the form's knowledge (``readings``); 一级/二级 blocks are joined across page
breaks (``hierarchy``)."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..grid.rows import GridRow
from ..model import BudgetValue, Cell, Form, Indicator, Provenance
from ..text.numbers import parse_int_in, parse_number, parse_percent, parse_year
from .hierarchy import LevelCells, resolve_level
from .layouts import Layout
from .matching import best_match, matches, snap, split_into
from .readings import RowReading, block_name, read_rows
from .sections import COLUMN_TOLERANCE, MAX_ROLE_OF, Section, split_sections

YEAR_PATTERN = re.compile(r"((?:19|20)\d{2})\s*年")
LEAF_ROLES = ("indicator", "max_score", "score", "target", "actual", "explanation", "basis")


def cell_provenance(page: int, cell: Cell) -> Provenance:
    return Provenance(
        page=page,
        bbox=cell.bbox.rounded(),
        confidence=round(cell.confidence, 3),
        source=cell.source,
        raw_text=cell.raw_text or cell.text,
    )


def provenance(row: GridRow, cell: Cell | None) -> Provenance | None:
    return cell_provenance(row.page, cell) if cell is not None else None


def _level_cells(data: list[tuple[Section, GridRow]], sections: list[Section],
                 readings: list[RowReading], level: str) -> list[LevelCells]:
    out = []
    for (section, row), reading in zip(data, readings):
        name_cell = section.cell(row, level)
        max_cell = section.cell(row, MAX_ROLE_OF[level])
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


def parse_indicators(sections: list[Section], layout: Layout) -> list[Indicator]:
    """Leaf rows of all sections with their parents resolved across page breaks."""
    data = data_rows(sections, layout)
    readings = read_rows(data, sections, layout)
    leaf_names = [layout.split_weight(r.indicator) for r in readings]
    leaf_max = [r.max_score for r in readings]

    def weight(name: str) -> float | None:
        return layout.split_weight(name)[1]

    def known(role: str) -> Callable[[str], bool]:
        lexicon = layout.lexicon.get(role, ())
        return lambda name: snap(name, lexicon, layout.snap_threshold) in lexicon

    level2 = resolve_level(
        _level_cells(data, sections, readings, "level2"),
        lambda rows: _sum([leaf_max[i] for i in rows]),
        weight,
        known=known("level2"),
        split_name=lambda name, n: split_into(name, layout.lexicon.get("level2", ()), n),
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
        indicator = Indicator(
            level1=level1_name,
            level1_max=level1_max if level1_max is not None else level1_weight,
            level2=level2_name,
            level2_max=level2_max if level2_max is not None else level2_weight,
            indicator=leaf_names[index][0],
            max_score=leaf_max[index],
            score=parse_number(readings[index].score_text),
            target=section.text(row, "target"),
            actual=section.text(row, "actual"),
            explanation=section.text(row, "explanation"),
            basis=section.text(row, "basis"),
            page=row.page,
            section=str(sections.index(section) + 1),
        )
        for role in LEAF_ROLES:
            prov = provenance(row, section.cell(row, role))
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


def _inline_or_next(row: GridRow, cell: Cell, inline: str) -> tuple[int | None, Cell | None]:
    """A count written in the label cell (``单位数：2``) or else in the cell after it."""
    value = parse_int_in(inline)
    if value is not None:
        return value, cell
    nxt = _value_cell(row, cell)
    return (parse_int_in(nxt.text), nxt) if nxt is not None else (None, None)


def parse_header_facts(
    rows: list[GridRow], layout: Layout
) -> tuple[dict[str, object], dict[str, Provenance]]:
    """Unit name, staff and number of units from the 单位基本情况 block, with provenance."""
    facts: dict[str, object] = {}
    where: dict[str, Provenance] = {}
    threshold = layout.match_threshold
    for row in rows:
        for cell in row.cells:
            if not row.starts_here(cell) or not cell.text:
                continue
            head = re.split("[:：]", cell.text)[0]
            found: tuple[object, Cell | None] | None = None
            if "unit_name" not in facts and matches(head, layout.header["unit_name"], threshold):
                value_cell = _value_cell(row, cell)
                name, found = "unit_name", (value_cell.text if value_cell else "", value_cell)
            elif "staff" not in facts and matches(cell.text, layout.header["staff"], threshold, contains=True):
                name, found = "staff", _inline_or_next(row, cell, cell.text.split("合计")[-1])
            elif "units" not in facts and matches(head, layout.header["units"], threshold, contains=True):
                name, found = "units", _inline_or_next(row, cell, cell.text[len(head) :])
            if found is None:
                continue
            facts[name] = found[0]
            prov = provenance(row, found[1])
            if prov is not None:
                where[name] = prov
    return facts, where


def parse_budget(rows: list[GridRow], layout: Layout) -> list[BudgetValue]:
    """The budget block: rows 全年预算数/全年执行数/完成率 × its columns."""
    threshold = layout.match_threshold
    header_index = None
    columns: list[tuple[str, float, float]] = []
    for index, row in enumerate(rows):
        found: list[tuple[str, float, float]] = []
        for cell in row.cells:
            if not row.starts_here(cell):
                continue
            name = best_match(cell.text, layout.budget_columns, threshold)
            if name and name not in [f[0] for f in found]:
                found.append((name, row.rel(cell.bbox.x0), row.rel(cell.bbox.x1)))
        if len(found) >= 2:
            header_index, columns = index, found
            break
    if header_index is None:
        return []
    header = rows[header_index]
    values: list[BudgetValue] = []
    for row in rows[header_index + 1 :]:
        if row.table != header.table:
            break
        role = None
        for cell in row.cells:
            for candidate, synonyms in layout.budget_rows.items():
                if matches(cell.text, synonyms, threshold):
                    role = candidate
                    break
            if role:
                break
        if role is None:
            continue
        for name, start, end in columns:
            hits = [c for c in row.cells if start <= row.rel(c.bbox.x0) + COLUMN_TOLERANCE < end]
            text = hits[0].text if hits else ""
            value = parse_percent(text) if role == "rate" else parse_number(text)
            prov = provenance(row, hits[0]) if hits else None
            values.append(BudgetValue(layout.budget_row_name(role), name, value, text, prov))
    return values


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


def parse_form(rows: list[GridRow], layout: Layout, *, file: str, pages: int, method: str,
               outside_text: list[str]) -> Form:
    """The whole form from the document's grid rows and the text outside its tables."""
    preamble, sections, total_row = split_sections(rows, layout)
    facts, fact_provenance = parse_header_facts(preamble, layout)
    total_max, declared, total_prov = parse_total(sections[-1] if sections else None, total_row)
    form = Form(
        file=file,
        form_type=layout.name,
        pages=pages,
        method=method,
        unit_name=str(facts.get("unit_name", "")),
        year=find_year(outside_text + [c.text for r in preamble[:3] for c in r.cells]),
        staff=facts.get("staff"),  # type: ignore[arg-type]
        units=facts.get("units"),  # type: ignore[arg-type]
        budget=parse_budget(preamble, layout),
        indicators=parse_indicators(sections, layout),
        total_max=total_max,
        declared_total=declared,
        total_provenance=total_prov,
        header_provenance=fact_provenance,
    )
    return form
