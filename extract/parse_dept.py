"""Grid rows of a 部门整体支出绩效自评表 → a Form (header facts, budget, indicator tree)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .consensus import FormPrior, vote_name
from .hierarchy import Block, LevelCells, resolve_level
from .layout import Layout, best_match, matches, snap, split_into
from .model import BudgetValue, Cell, Form, Indicator, Provenance
from .ocr.postprocess import clean_name, clean_numeric
from .numbers import (
    column_decimals,
    parse_int_in,
    parse_number,
    parse_percent,
    parse_year,
    printed_decimals,
    restore_decimal_point,
    restore_point_below,
)
from .rows import GridRow
from .textnorm import is_cjk, match_key

# A data cell belongs to the header column whose span holds its left edge, give or take
# this share of the table width (ruling lines of scans wander by a few pixels).
COLUMN_TOLERANCE = 0.01
# OCR'd 一级/二级 names with less than this share of Chinese characters are noise.
MIN_CJK_SHARE = 0.5
# Header labels are short; longer cell texts are data and are not compared with synonyms.
MAX_HEADER_LABEL = 24
# Roles whose label similarities are this close count as a tie, settled by column order.
ROLE_TIE = 0.05
NAME_ROLES = ("level1", "level2", "indicator")
MAX_ROLE_OF = {"level1": "level1_max", "level2": "level2_max", "indicator": "max_score"}
YEAR_PATTERN = re.compile(r"((?:19|20)\d{2})\s*年")


def provenance(row: GridRow, cell: Cell | None) -> Provenance | None:
    if cell is None:
        return None
    return Provenance(
        page=row.page,
        bbox=cell.bbox.rounded(),
        confidence=round(cell.confidence, 3),
        source=cell.source,
        raw_text=cell.raw_text or cell.text,
    )


@dataclass(frozen=True)
class Column:
    """A header column: its role and its span relative to the table width."""

    role: str
    start: float
    end: float


@dataclass
class Section:
    """An indicator table part: its header row's columns and its data rows."""

    columns: list[Column]
    header_key: str
    rows: list[GridRow] = field(default_factory=list)

    def cell(self, row: GridRow, role: str) -> Cell | None:
        """The cell of ``row`` that sits in the column of ``role``."""
        column = next((c for c in self.columns if c.role == role), None)
        if column is None:
            return None
        for cell in row.cells:
            start = row.rel(cell.bbox.x0) + COLUMN_TOLERANCE
            if column.start <= start < column.end:
                return cell
        return None

    def text(self, row: GridRow, role: str) -> str:
        cell = self.cell(row, role)
        return cell.text if cell is not None else ""


def _name_like(text: str) -> bool:
    """An OCR'd level label whose digit was lost or garbled (``锻指标``, ``级指标``)."""
    key = match_key(text)
    return key.endswith("指标") and 3 <= len(key) <= 5


def _resolve_names(candidates: list[tuple[int, dict[str, float]]]) -> dict[int, str]:
    """Name roles for header cells (cell index → role), left to right in the order
    一级 < 二级 < 三级. Clear matches keep their role; unclear ones (OCR lost the digit)
    take the remaining roles in order, between their clear neighbours."""
    rank = {role: i for i, role in enumerate(NAME_ROLES)}
    fixed: dict[int, str] = {}
    for index, scores in candidates:
        ranked = sorted(((v, r) for r, v in scores.items() if r in rank), reverse=True)
        clear = ranked and ranked[0][0] > 0 and (len(ranked) < 2 or ranked[0][0] - ranked[1][0] > ROLE_TIE)
        if clear and ranked[0][1] not in fixed.values():
            fixed[index] = ranked[0][1]
    out = dict(fixed)
    for index, _ in candidates:
        if index in out:
            continue
        low = max((rank[r] for i, r in fixed.items() if i < index), default=-1)
        high = min((rank[r] for i, r in fixed.items() if i > index), default=len(NAME_ROLES))
        taken = set(out.values())
        free = [r for r in NAME_ROLES if low < rank[r] < high and r not in taken]
        if free:
            out[index] = free[0]
    return out


def header_columns(row: GridRow, layout: Layout) -> list[Column] | None:
    """The columns of an indicator header row, or None when ``row`` is not one.

    Each role is taken once. Level labels (一级/二级/三级指标) are ordered left to right, so
    when OCR blurs one (``级指标``) it takes the level its position implies. A 分值 column
    takes the role of the name column to its left."""
    order = list(layout.columns)
    cells = [
        c for c in row.cells
        if row.starts_here(c) and c.text and len(c.text) <= MAX_HEADER_LABEL
    ]  # fmt: skip
    scores = [
        {role: matches(c.text, syn, layout.match_threshold, contains=True)
         for role, syn in layout.columns.items()}
        for c in cells
    ]  # fmt: skip
    candidates = []
    for index, (cell, sc) in enumerate(zip(cells, scores)):
        best = max(sc.values(), default=0.0)
        best_roles = [r for r in order if sc[r] >= best - ROLE_TIE] if best > 0 else []
        if (best_roles and best_roles[0] in NAME_ROLES) or (best <= 0 and _name_like(cell.text)):
            candidates.append((index, sc))
    names = _resolve_names(candidates)
    columns: list[Column] = []
    used: set[str] = set(names.values())
    last_name_role = ""
    for index, (cell, sc) in enumerate(zip(cells, scores)):
        if index in names:
            role = names[index]
            last_name_role = role
        elif any(index == i for i, _ in candidates):
            continue
        else:
            best = max(sc.values(), default=0.0)
            if best <= 0.0:
                continue
            close = [r for r in order if sc[r] >= best - ROLE_TIE and r not in NAME_ROLES
                     and (r == "weight" or r not in used)]  # fmt: skip
            if not close:
                continue
            role = close[0]
            if role == "weight":
                if not last_name_role:
                    continue
                role = MAX_ROLE_OF[last_name_role]
            used.add(role)
        columns.append(Column(role, row.rel(cell.bbox.x0), row.rel(cell.bbox.x1)))
    roles = {c.role for c in columns}
    if {"level1", "indicator", "score"} <= roles or {"level2", "indicator", "score"} <= roles:
        return columns
    return None


def _header_key(columns: list[Column]) -> str:
    """A header's identity: its column roles left to right (robust to OCR noise)."""
    return "|".join(c.role for c in columns)


# A repeated header's columns lie where the first one's did, to this share of the table width.
REPEAT_POSITION_TOLERANCE = 0.02


def _same_but_remark(columns: list[Column], earlier: list[Column]) -> bool:
    """The same roles at the same places, a 备注 column left out of both, the last one's
    end aside: with the rule before 备注 lost, one page's last column runs on over it."""
    a = [c for c in columns if c.role != "remark"]
    b = [c for c in earlier if c.role != "remark"]
    if len(a) != len(b) or len(a) == len(columns) == len(earlier):
        return False
    return all(
        c.role == e.role
        and abs(c.start - e.start) <= REPEAT_POSITION_TOLERANCE
        and (k == len(a) - 1 or abs(c.end - e.end) <= REPEAT_POSITION_TOLERANCE)
        for k, (c, e) in enumerate(zip(a, b))
    )


def is_repeat(columns: list[Column], seen: list[list[Column]]) -> bool:
    """Whether a header row repeats one seen before (a print title): the same roles, or
    all but one of them when a header cell was misread (``+指标解箱``), each at the same
    place in the table; or the same roles but for a trailing 备注 column whose rule the
    scan lost on one of the pages (see _same_but_remark)."""
    key = _header_key(columns)
    for earlier in seen:
        if key == _header_key(earlier) or _same_but_remark(columns, earlier):
            return True
        if len(columns) < len(earlier) - 1:
            continue
        if all(
            any(
                c.role == e.role
                and abs(c.start - e.start) <= REPEAT_POSITION_TOLERANCE
                and abs(c.end - e.end) <= REPEAT_POSITION_TOLERANCE
                for e in earlier
            )
            for c in columns
        ):
            return True
    return False


def is_total_row(section: Section, row: GridRow, layout: Layout) -> bool:
    """The 总分 row: labelled so, or (label unreadable) a row without an indicator whose
    一级 分值 cell holds the form's total maximum (100)."""
    first = section.text(row, "level1") or (row.cells[0].text if row.cells else "")
    if matches(first, layout.total_labels, layout.match_threshold):
        return True
    level1_max = section.cell(row, "level1_max")
    return (
        level1_max is not None
        and row.starts_here(level1_max)
        and parse_number(level1_max.text) == layout.total_max
        and not section.text(row, "indicator")
        and not section.text(row, "max_score")
    )


def split_sections(rows: list[GridRow], layout: Layout) -> tuple[list[GridRow], list[Section], GridRow | None]:
    """Rows before the first indicator header, the indicator sections, and the 总分 row.

    A header row equal to one seen before is a print-title repeat: it is dropped and the
    current section goes on (its columns come from its own header, not the repeat)."""
    preamble: list[GridRow] = []
    sections: list[Section] = []
    seen_headers: list[list[Column]] = []
    total_row = None
    for row in rows:
        columns = header_columns(row, layout)
        if columns is not None:
            if sections and is_repeat(columns, seen_headers):
                continue
            seen_headers.append(columns)
            sections.append(Section(columns, _header_key(columns)))
            continue
        if not sections:
            preamble.append(row)
            continue
        if is_total_row(sections[-1], row, layout):
            total_row = row
            break
        sections[-1].rows.append(row)
    return preamble, sections, total_row


# ---------------------------------------------------------------- the parts of a form


def split_weight(name: str, layout: Layout) -> tuple[str, float | None]:
    """``产出指标(70分)`` → (``产出指标``, 70.0)."""
    match = layout.weight_in_name.search(name)
    if not match:
        return name, None
    return name[: match.start()].strip(), parse_number(match.group(1))


def is_placeholder(name: str, layout: Layout) -> bool:
    return any(p.search(name) for p in layout.placeholders)


def _ocr_name(cell: Cell | None) -> str:
    """A level cell's name; an OCR reading that is mostly not Chinese (``Mt``, ``RT A TI``:
    noise in a tall merged cell; ``化/l + y Iett 4.``: half a label cut by a page break)
    counts as no label."""
    if cell is None:
        return ""
    if cell.source != "text":
        letters = [ch for ch in cell.text if ch.isalnum()]
        if not letters or sum(map(is_cjk, letters)) < MIN_CJK_SHARE * len(letters):
            return ""
    return cell.text


def _ocr_number(cell: Cell | None) -> str:
    """A 分值 cell's text, OCR confusions repaired (``5.0)`` → ``5.0``, ``1.()`` → ``1.0``)."""
    if cell is None:
        return ""
    return clean_numeric(cell.text) if cell.source != "text" and cell.text else cell.text


def _level_cells(data: list[tuple[Section, GridRow]], sections: list[Section], level: str) -> list[LevelCells]:
    out = []
    for section, row in data:
        name_cell = section.cell(row, level)
        max_cell = section.cell(row, MAX_ROLE_OF[level])
        out.append(
            LevelCells(
                page=row.page,
                section=sections.index(section),
                name_key=row.key(name_cell) if name_cell is not None else None,
                name=_ocr_name(name_cell),
                name_cell=name_cell,
                max_key=row.key(max_cell) if max_cell is not None else None,
                max_text=_ocr_number(max_cell),
                max_cell=max_cell,
            )
        )
    return out


LEADING_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?%?)\s*(?=[^\d\s.,%])")


def leading_number(text: str) -> str:
    """An OCR'd 分值/得分 cell that ran into its neighbour when the ruling line between
    them was lost (``1.0公用经费控制率为91.6%。``): the number it starts with."""
    if parse_number(text) is not None:
        return text
    match = LEADING_NUMBER.match(text)
    return match.group(1) if match else text


def ocr_numbers(cells: list[Cell | None]) -> list[str]:
    """Texts of a numeric column; OCR'd integers lacking the column's decimal point get it
    back (the raw reading stays in the provenance)."""
    texts = [
        leading_number(_ocr_number(c)) if c is not None and c.source != "text" else _ocr_number(c)
        for c in cells
    ]
    decimals = column_decimals(texts)
    return [
        restore_decimal_point(t, decimals) if c is not None and c.source != "text" else t
        for c, t in zip(cells, texts)
    ]


def snapped(cell: Cell | None, role: str, layout: Layout) -> str:
    """A cell's text; an OCR'd name is snapped to the layout's lexicon when close enough."""
    if cell is None:
        return ""
    if cell.source == "text":
        return cell.text
    return snap_name(cell.text, role, layout)


def snap_name(text: str, role: str, layout: Layout) -> str:
    """An OCR'd name cleaned and snapped to the lexicon, a weight written in it
    (``资产管理（4分）``) kept: the name alone is snapped, or the weight would be lost."""
    text = clean_name(text)
    match = layout.weight_in_name.search(text)
    head, tail = (text[: match.start()], text[match.start():]) if match else (text, "")
    return snap(head, layout.lexicon.get(role, ()), layout.snap_threshold) + tail


def leaf_name(section: Section, row: GridRow, layout: Layout, prior: FormPrior) -> str:
    """A leaf's name. An OCR'd name is snapped to the lexicon, or else corrected by its
    other readings in the same row's texts (targets and bases repeat the name) and by
    ``prior``, the form's own texts."""
    cell = section.cell(row, "indicator")
    name = snapped(cell, "indicator", layout)
    if cell is None or cell.source == "text" or name in layout.lexicon.get("indicator", ()):
        return name
    others = [section.text(row, r) for r in ("target", "actual", "explanation", "basis")]
    return vote_name(name, [t for t in others if t], prior)


def snap_block(block: Block, role: str, layout: Layout) -> str:
    if block.name_cell is None or block.name_cell.source == "text":
        return block.name
    return snap_name(block.name, role, layout)


def _sum(values: list[float | None]) -> float | None:
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def parse_indicators(sections: list[Section], layout: Layout) -> list[Indicator]:
    """Leaf rows of all sections with their parents resolved across page breaks."""
    data: list[tuple[Section, GridRow]] = []
    for section in sections:
        for row in section.rows:
            names = [section.text(row, r) for r in ("indicator", "max_score", "score")]
            if not any(names):
                continue
            if names[0] and is_placeholder(names[0], layout):
                continue
            data.append((section, row))
    # every cell once: a merged cell sits in each row it spans
    unique = {id(cell): cell for section in sections for row in section.rows for cell in row.cells}
    prior = FormPrior.of(cell.text for cell in unique.values())
    leaf_names = [
        split_weight(leaf_name(section, row, layout, prior), layout) for section, row in data
    ]
    max_texts = ocr_numbers([section.cell(row, "max_score") for section, row in data])
    score_cells = [section.cell(row, "score") for section, row in data]
    score_texts = ocr_numbers(score_cells)
    leaf_max: list[float | None] = []
    for text, (_, from_name) in zip(max_texts, leaf_names):
        value = parse_number(text)
        leaf_max.append(value if value is not None else from_name)
    score_decimals = printed_decimals(score_texts)
    score_texts = [
        restore_point_below(text, score_decimals, ceiling) if c is not None and c.source != "text" else text
        for text, ceiling, c in zip(score_texts, leaf_max, score_cells)
    ]

    def weight(name: str) -> float | None:
        return split_weight(name, layout)[1]

    def known(role: str) -> Callable[[str], bool]:
        lexicon = layout.lexicon.get(role, ())
        return lambda name: snap(name, lexicon, layout.snap_threshold) in lexicon

    level2 = resolve_level(
        _level_cells(data, sections, "level2"),
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
        _level_cells(data, sections, "level1"), level2_maxima, weight, shares_level2, known("level1")
    )
    page_of = {id(cell): row.page for _, row in data for cell in row.cells}

    indicators = []
    for index, (section, row) in enumerate(data):
        l1, l2 = level1[index], level2[index]
        level1_name, level1_weight = split_weight(snap_block(l1, "level1", layout), layout)
        level2_name, level2_weight = split_weight(snap_block(l2, "level2", layout), layout)
        level1_max = parse_number(l1.max_text)
        level2_max = parse_number(l2.max_text)
        indicator = Indicator(
            level1=level1_name,
            level1_max=level1_max if level1_max is not None else level1_weight,
            level2=level2_name,
            level2_max=level2_max if level2_max is not None else level2_weight,
            indicator=leaf_names[index][0],
            max_score=leaf_max[index],
            score=parse_number(score_texts[index]),
            target=section.text(row, "target"),
            actual=section.text(row, "actual"),
            explanation=section.text(row, "explanation"),
            basis=section.text(row, "basis"),
            page=row.page,
            section=str(sections.index(section) + 1),
        )
        for role in ("indicator", "max_score", "score", "target", "actual", "explanation", "basis"):
            prov = provenance(row, section.cell(row, role))
            if prov is not None:
                indicator.provenance[role] = prov
        for role, cell in (
            ("level1", l1.name_cell), ("level1_max", l1.max_cell),
            ("level2", l2.name_cell), ("level2_max", l2.max_cell),
        ):  # fmt: skip
            if cell is not None:
                indicator.provenance[role] = Provenance(
                    page=page_of.get(id(cell), row.page),
                    bbox=cell.bbox.rounded(),
                    confidence=round(cell.confidence, 3),
                    source=cell.source,
                    raw_text=cell.raw_text or cell.text,
                )
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
