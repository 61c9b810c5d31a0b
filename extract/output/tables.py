"""Ruled tables of any document (``selfeval tables``) as JSON, CSV, XLSX and HTML.

A table is the finest grid its ruling lines imply: every distinct rule position is a
boundary, and a cell spans the rows and columns between the rules that really enclose
it. The cells tile the grid exactly, empty ones included. A table continued on the next
page (same columns, its header repeated or not) can be joined into one."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from ..model import Cell, Table
from .cells import spreadsheet_safe
from .export import json_name, write_atomic

# Two tables are one continued across a page break when their column boundaries, taken
# relative to each table's width, agree within this share of the width.
JOIN_EDGE_TOLERANCE = 0.015


@dataclass(frozen=True)
class FoundTable:
    """A table of a document: its grid, and the pages it lies on (several when joined);
    ``pages[i]`` is the page of the grid rows from ``starts[i]`` on."""

    table: Table
    pages: tuple[int, ...]
    starts: tuple[int, ...] = (0,)

    def page_of(self, row: int) -> int:
        page = self.pages[0]
        for start, number in zip(self.starts, self.pages):
            if row >= start:
                page = number
        return page


def _relative_edges(table: Table) -> list[float]:
    left, width = table.bbox.x0, max(table.bbox.width, 1e-9)
    return [(x - left) / width for x in table.col_edges]


def _header(table: Table) -> list[str]:
    return [c.text for c in table.row_cells(0)]


def continues(upper: Table, lower: Table) -> bool:
    """Whether ``lower`` (first table of a page) continues ``upper`` (last of the page
    before): the same number of columns on the same relative boundaries."""
    if upper.n_cols != lower.n_cols or not upper.col_edges or not lower.col_edges:
        return False
    return all(abs(a - b) <= JOIN_EDGE_TOLERANCE for a, b in zip(_relative_edges(upper), _relative_edges(lower)))


def _append(upper: FoundTable, lower: Table) -> FoundTable:
    """``lower`` below ``upper``: its repeated header row dropped, its rows renumbered."""
    skip = 1 if lower.n_rows > 1 and _header(lower) == _header(upper.table) and any(_header(lower)) else 0
    offset = upper.table.n_rows - skip
    moved = tuple(replace(c, row=c.row + offset) for c in lower.cells if c.row >= skip)
    if skip:  # a cell of the header that spans into the body keeps its lower part
        moved += tuple(replace(c, row=offset + skip, rowspan=c.rowspan - skip) for c in lower.cells
                       if c.row < skip < c.row + c.rowspan)  # fmt: skip
    table = replace(upper.table, n_rows=offset + lower.n_rows, cells=upper.table.cells + moved,
                    row_edges=())  # fmt: skip
    return FoundTable(table, upper.pages + (lower.page,), upper.starts + (upper.table.n_rows,))


def found_tables(tables: list[Table], join_pages: bool = False) -> list[FoundTable]:
    """The tables in page order; with ``join_pages`` a page's first table is appended to
    the last table of the page before when it continues it."""
    out: list[FoundTable] = []
    for table in sorted(tables, key=lambda t: (t.page, t.bbox.top, t.bbox.x0)):
        first_on_page = not out or out[-1].pages[-1] != table.page
        if join_pages and out and first_on_page and out[-1].pages[-1] == table.page - 1 and continues(out[-1].table, table):
            out[-1] = _append(out[-1], table)
        else:
            out.append(FoundTable(table, (table.page,)))
    return out


# ------------------------------------------------------------------ shapes


def cell_json(cell: Cell, page: int | None = None) -> dict[str, Any]:
    doc = {"row": cell.row, "col": cell.col, "rowspan": cell.rowspan, "colspan": cell.colspan,
           "text": cell.text, "bbox": cell.bbox.rounded(), "confidence": round(cell.confidence, 3),
           "source": cell.source}  # fmt: skip
    if page is not None:
        doc["page"] = page
    return doc


def table_json(found: FoundTable) -> dict[str, Any]:
    table = found.table
    joined = len(found.pages) > 1
    doc: dict[str, Any] = {"page": found.pages[0], "bbox": table.bbox.rounded(), "n_rows": table.n_rows,
                           "n_cols": table.n_cols}  # fmt: skip
    if joined:
        doc["pages"] = list(found.pages)
    cells = sorted(table.cells, key=lambda c: (c.row, c.col))
    doc["cells"] = [cell_json(c, found.page_of(c.row) if joined else None) for c in cells]
    return doc


def grid_texts(table: Table, fill_spans: bool = False) -> list[list[str]]:
    """The table as rows of text on its grid: a spanning cell's text in its top-left
    position (in every position it covers with ``fill_spans``)."""
    grid = [["" for _ in range(table.n_cols)] for _ in range(table.n_rows)]
    for cell in table.cells:
        for r in range(cell.row, min(table.n_rows, cell.row + cell.rowspan)):
            for c in range(cell.col, min(table.n_cols, cell.col + cell.colspan)):
                if (r, c) == (cell.row, cell.col) or fill_spans:
                    grid[r][c] = cell.text
    return grid


def table_frame(table: Table, fill_spans: bool = False) -> pd.DataFrame:
    """The table's grid as a DataFrame (columns numbered, no header assumed)."""
    return pd.DataFrame(grid_texts(table, fill_spans))


def _td(cell: Cell) -> str:
    spans = (f" rowspan={cell.rowspan}" if cell.rowspan > 1 else "") + (f" colspan={cell.colspan}" if cell.colspan > 1 else "")
    return f"<td{spans}>" + html.escape(cell.text).replace("\n", "<br>") + "</td>"


def table_html(found: FoundTable, index: int) -> str:
    table = found.table
    pages = ", ".join(str(p) for p in found.pages)
    rows = []
    for r in range(table.n_rows):
        cells = "".join(_td(c) for c in table.row_cells(r))
        rows.append(f"<tr>{cells}</tr>")
    return (f"<table>\n<caption>Table {index} (page {pages})</caption>\n" + "\n".join(rows) + "\n</table>")


# ------------------------------------------------------------------ writing


def output_stem(file: str) -> str:
    """``a/x.pdf`` → ``a__x``: the name ``extract`` gives the file's JSON, without .json."""
    return json_name(file)[: -len(".json")]


def write_tables(found: list[FoundTable], file: str, outdir: Path, *, fill_spans: bool = False,
                 xlsx: bool = True, stem: str | None = None) -> dict[str, Path]:
    """One input's tables: ``<stem>.json``, ``<stem>.t<k>.csv`` per table, ``<stem>.html``
    and ``<stem>.xlsx`` (a sheet per table, merged cells merged); the CSVs and workbook of
    an earlier run of the same input are replaced, not left beside."""
    outdir.mkdir(parents=True, exist_ok=True)
    stem = stem or output_stem(file)
    for old in outdir.iterdir():
        middle = old.name[len(stem) + 2 : -len(".csv")]
        if old.name.startswith(f"{stem}.t") and old.name.endswith(".csv") and middle.isdigit():
            old.unlink()
    (outdir / f"{stem}.xlsx").unlink(missing_ok=True)
    paths = {"json": outdir / f"{stem}.json", "html": outdir / f"{stem}.html"}
    document = {"file": file, "tables": [table_json(t) for t in found]}
    write_atomic(paths["json"], json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    for k, item in enumerate(found, start=1):
        rows = [[spreadsheet_safe(text) for text in row] for row in grid_texts(item.table, fill_spans)]
        path = outdir / f"{stem}.t{k}.csv"
        write_atomic(path, pd.DataFrame(rows).to_csv(index=False, header=False, lineterminator="\n"))
        paths[f"csv{k}"] = path
    body = "\n".join(table_html(t, k) for k, t in enumerate(found, start=1)) or "<p>No ruled table found.</p>"
    write_atomic(paths["html"], f'<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>'
                 f"{html.escape(file)}</title>\n<style>table{{border-collapse:collapse;margin:1em 0}}"
                 f"td{{border:1px solid #888;padding:2px 6px;vertical-align:top}}</style></head>\n<body>\n"
                 f"{body}\n</body></html>\n")  # fmt: skip
    if xlsx:
        paths["xlsx"] = outdir / f"{stem}.xlsx"
        _write_xlsx(found, paths["xlsx"])
    return paths


def _write_xlsx(found: list[FoundTable], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    book.remove(book.active)
    for k, item in enumerate(found, start=1):
        sheet = book.create_sheet(f"table {k} (p{item.pages[0]})")
        for cell in item.table.cells:
            target = sheet.cell(row=cell.row + 1, column=cell.col + 1, value=spreadsheet_safe(cell.text) or None)
            target.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.rowspan > 1 or cell.colspan > 1:
                sheet.merge_cells(start_row=cell.row + 1, start_column=cell.col + 1,
                                  end_row=cell.row + cell.rowspan, end_column=cell.col + cell.colspan)  # fmt: skip
    if not found:
        book.create_sheet("no tables")
    temporary = path.with_name(f".{path.name}.tmp")
    book.save(temporary)
    temporary.replace(path)
