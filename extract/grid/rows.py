"""Tables of all pages → one sequence of grid rows, the input of the form parsers."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Cell, Table


@dataclass(frozen=True)
class GridRow:
    """One grid row with every cell that covers it (merged cells from above included)."""

    page: int
    table: int  # index of the table in the document
    row: int
    cells: tuple[Cell, ...]  # left to right
    x0: float  # the table's left and right edges, to compare columns across pages
    x1: float

    def key(self, cell: Cell) -> tuple[int, int, int]:
        """Identity of a cell across the rows it covers."""
        return self.table, cell.row, cell.col

    def rel(self, x: float) -> float:
        """Position relative to the table's width (0 = left edge, 1 = right edge)."""
        return (x - self.x0) / max(self.x1 - self.x0, 1e-9)

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def starts_here(self, cell: Cell) -> bool:
        return cell.row == self.row


def table_rows(table: Table, table_index: int) -> list[GridRow]:
    """Rows of one table, each with the cells covering it."""
    covering: list[list[Cell]] = [[] for _ in range(table.n_rows)]
    for cell in table.cells:
        for r in range(cell.row, min(cell.row + cell.rowspan, table.n_rows)):
            covering[r].append(cell)
    return [
        GridRow(
            page=table.page,
            table=table_index,
            row=r,
            cells=tuple(sorted(cells, key=lambda c: c.col)),
            x0=table.bbox.x0,
            x1=table.bbox.x1,
        )
        for r, cells in enumerate(covering)
    ]


def document_rows(tables: list[Table]) -> list[GridRow]:
    """All rows of all tables in reading order (page, then top to bottom)."""
    rows: list[GridRow] = []
    ordered = sorted(tables, key=lambda t: (t.page, t.bbox.top, t.bbox.x0))
    for index, table in enumerate(ordered):
        rows.extend(table_rows(table, index))
    return rows
