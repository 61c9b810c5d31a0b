"""Provenance of a value: the page, box, confidence, source and raw reading of its cell."""

from __future__ import annotations

from ..grid.rows import GridRow
from ..model import Cell, Provenance


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
