"""Ruling lines → grid with merged cells (pure geometry, no PDF)."""

from __future__ import annotations

from extract.grid.build import GridSettings, segments_to_tables
from extract.model import Segment


def h(y: float, x0: float, x1: float) -> Segment:
    return Segment(x0, y, x1, y)


def v(x: float, y0: float, y1: float) -> Segment:
    return Segment(x, y0, x, y1)


def test_plain_grid_and_merged_cells() -> None:
    # 3 columns × 3 rows; the first column's last two rows are merged (no line between),
    # and the top row's last two columns are merged.
    lines = [h(0, 0, 30), h(10, 0, 30), h(20, 10, 30), h(30, 0, 30)]
    lines += [v(0, 0, 30), v(10, 0, 30), v(20, 10, 30), v(30, 0, 30)]
    [table] = segments_to_tables(lines, page=1)
    assert (table.n_rows, table.n_cols) == (3, 3)
    spans = {(c.row, c.col): (c.rowspan, c.colspan) for c in table.cells}
    assert spans[(1, 0)] == (2, 1)
    assert spans[(0, 1)] == (1, 2)
    assert spans[(0, 0)] == (1, 1)
    assert len(table.cells) == 7
    assert table.cell_at(2, 0) is None  # covered by the merged cell above


def test_broken_and_doubled_lines_are_joined() -> None:
    # lines drawn in pieces with small gaps and doubled 0.5 apart (scans, double borders)
    lines = [h(0, 0, 14), h(0, 16, 30), h(0.5, 0, 30), h(10, 0, 30), h(20, 0, 30)]
    lines += [v(0, 0, 20), v(15, 0, 9), v(15, 11, 20), v(30, 0, 20)]
    [table] = segments_to_tables(lines, page=1)
    assert (table.n_rows, table.n_cols) == (2, 2)
    assert len(table.cells) == 4


def test_separate_tables_and_stray_strokes() -> None:
    first = [h(0, 0, 20), h(10, 0, 20), v(0, 0, 10), v(10, 0, 10), v(20, 0, 10)]
    second = [h(50, 0, 20), h(60, 0, 20), v(0, 50, 60), v(10, 50, 60), v(20, 50, 60)]
    stray = [h(100, 0, 3)]  # an underline stroke shorter than a line
    tables = segments_to_tables(first + second + stray, page=2)
    assert len(tables) == 2
    assert tables[0].bbox.top == 0 and tables[1].bbox.top == 50
    assert all(t.page == 2 for t in tables)


def test_scaled_settings() -> None:
    settings = GridSettings().scaled(200 / 72)
    assert settings.snap_tolerance > GridSettings().snap_tolerance
    assert settings.border_coverage == GridSettings().border_coverage
