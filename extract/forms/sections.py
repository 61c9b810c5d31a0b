"""The indicator table's sections: header rows recognised by their column roles, print-title
repeats dropped, data rows gathered under their own header, and the 总分 row found."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..grid.rows import GridRow
from ..model import Cell
from ..text.normalize import match_key
from ..text.numbers import parse_number
from .layouts import MAX_ROLE_OF, Layout
from .matching import matches

# A data cell belongs to the header column whose span holds its left edge, give or take
# this share of the table width (ruling lines of scans wander by a few pixels).
COLUMN_TOLERANCE = 0.01
# Header labels are short; longer cell texts are data and are not compared with synonyms.
MAX_HEADER_LABEL = 24
# Roles whose label similarities are this close count as a tie, settled by column order.
ROLE_TIE = 0.05
NAME_ROLES = ("level1", "level2", "indicator")


@dataclass(frozen=True)
class Column:
    """A header column: its role and its span relative to the table width."""

    role: str
    start: float
    end: float


@dataclass
class Section:
    """An indicator table part: its header row's columns and its data rows; ``extras``
    are header columns without a role (``指标性质``, ``度量单位``), by their header text."""

    columns: list[Column]
    header_key: str
    rows: list[GridRow] = field(default_factory=list)
    extras: list[Column] = field(default_factory=list)

    def column(self, role: str) -> Column | None:
        return next((c for c in self.columns if c.role == role), None)

    def cell(self, row: GridRow, role: str) -> Cell | None:
        """The cell of ``row`` that sits in the column of ``role``. A row whose name is
        one cell merged across the name columns from 一级 on (``预算执行率`` printed as
        its own row) gives that cell as its 三级 too."""
        column = self.column(role)
        if column is None:
            return None
        found = self._starting_in(row, column)
        if found is None and role == "indicator":
            first = self.column("level1")
            wide = self._starting_in(row, first) if first is not None else None
            if wide is not None and self.covers(row, wide, role):
                return wide
        return found

    def covers(self, row: GridRow, cell: Cell, role: str) -> bool:
        """Whether ``cell`` (merged across columns) runs over the whole column of ``role``."""
        column = self.column(role)
        return column is not None and row.rel(cell.bbox.x1) >= column.end - COLUMN_TOLERANCE

    @staticmethod
    def _starting_in(row: GridRow, column: Column) -> Cell | None:
        for cell in row.cells:
            start = row.rel(cell.bbox.x0) + COLUMN_TOLERANCE
            if column.start <= start < column.end:
                return cell
        return None

    def text(self, row: GridRow, role: str) -> str:
        cell = self.cell(row, role)
        return cell.text if cell is not None else ""


def _level_suffix(layout: Layout) -> str:
    """What the layout's level labels end with (``指标`` of 一级指标/二级指标/三级指标)."""
    firsts = [match_key(layout.columns[r][0])[::-1] for r in NAME_ROLES if r in layout.columns]
    return os.path.commonprefix(firsts)[::-1] if len(firsts) > 1 else ""


def _name_like(text: str, layout: Layout) -> bool:
    """An OCR'd level label whose digit was lost or garbled (``锻指标``, ``级指标``): it
    ends as the layout's level labels do and is about as long."""
    key, suffix = match_key(text), _level_suffix(layout)
    return len(suffix) >= 2 and key.endswith(suffix) and len(suffix) + 1 <= len(key) <= len(suffix) + 3


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
    scores: list[dict[str, float]] = [
        {role: matches(c.text, syn, layout.match_threshold, contains=True)
         for role, syn in layout.columns.items()}
        for c in cells
    ]  # fmt: skip
    candidates = []
    for index, (cell, sc) in enumerate(zip(cells, scores)):
        best = max(sc.values(), default=0.0)
        best_roles = [r for r in order if sc[r] >= best - ROLE_TIE] if best > 0 else []
        if (best_roles and best_roles[0] in NAME_ROLES) or (best <= 0 and _name_like(cell.text, layout)):
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


def extra_columns(row: GridRow, columns: list[Column]) -> list[Column]:
    """Header cells of ``row`` outside every role column, each as a column whose role is
    its header text: their cells are kept, not dropped."""
    extras = []
    for cell in row.cells:
        if not row.starts_here(cell) or not cell.text:
            continue
        start, end = row.rel(cell.bbox.x0), row.rel(cell.bbox.x1)
        if any(c.start - COLUMN_TOLERANCE <= start < c.end - COLUMN_TOLERANCE for c in columns):
            continue
        extras.append(Column(cell.text, start, end))
    return extras


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
    if matches(first, layout.total.labels, layout.match_threshold):
        return True
    level1_max = section.cell(row, "level1_max")
    return (
        level1_max is not None
        and row.starts_here(level1_max)
        and parse_number(level1_max.text) == layout.total_max
        and not section.text(row, "indicator")
        and not section.text(row, "max_score")
    )


@dataclass
class FormParts:
    """A form's rows by part: before the first indicator header, the indicator sections,
    the 总分 row, and the rows after it (a 自评等级 row, signatures)."""

    preamble: list[GridRow]
    sections: list[Section]
    total_row: GridRow | None
    after: list[GridRow]


def split_sections(rows: list[GridRow], layout: Layout) -> FormParts:
    """A form's rows split into its parts.

    A header row equal to one seen before is a print-title repeat: it is dropped and the
    current section goes on (its columns come from its own header, not the repeat)."""
    parts = FormParts([], [], None, [])
    sections = parts.sections
    seen_headers: list[list[Column]] = []
    for index, row in enumerate(rows):
        columns = header_columns(row, layout)
        if columns is not None:
            if sections and is_repeat(columns, seen_headers):
                continue
            seen_headers.append(columns)
            sections.append(Section(columns, _header_key(columns), extras=extra_columns(row, columns)))
            continue
        if not sections:
            parts.preamble.append(row)
            continue
        if is_total_row(sections[-1], row, layout):
            parts.total_row = row
            parts.after = list(rows[index + 1 :])
            break
        sections[-1].rows.append(row)
    return parts
