"""A file that holds several forms one after another, cut into the rows of each."""

from __future__ import annotations

from ..grid.rows import GridRow
from .blocks import head
from .layouts import Layout
from .matching import matches
from .sections import header_columns


def _names(row: GridRow, labels: tuple[str, ...], layout: Layout) -> bool:
    """Whether a cell starting in ``row`` is one of ``labels`` (before any colon)."""
    return any(row.starts_here(c) and matches(head(c.text), labels, layout.match_threshold)
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
