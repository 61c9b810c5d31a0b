"""One Excel workbook for reviewers (``selfeval.xlsx``): the sheets indicators, budget,
findings and summary, header row frozen, filters on, columns fitted, numbers as numbers,
and every flagged value's cell filled and carrying its finding as a comment.

A finding names its place by rule and location (docs/forms.md §3); ``flagged_cells``
turns that into a sheet, a row and a column. A finding about the whole form without a
cell of its own (``total_max_mismatch``) marks the form's summary status."""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from ..model import FileResult, Finding, Form
from .cells import spreadsheet_safe

SHEETS = ("indicators", "budget", "findings", "summary")
FLAG_COLOUR = "FFF2B8B8"
MAX_WIDTH = 60  # characters; longer texts wrap in the cell
# The column of a leaf row that a rule's finding is about.
LEAF_COLUMN = {"score_exceeds_max": "score", "negative_score": "score"}
SUMMARY_COLUMN = {"total_score_mismatch": "declared_total", "grade_mismatch": "grade",
                  "total_max_mismatch": "status"}  # fmt: skip


def _leaf_column(finding: Finding) -> str:
    """The leaf column a missing_value or unreadable_cell finding is about (its message
    starts with the field's name: ``score missing at …``, ``target unreadable at …``)."""
    if finding.rule in LEAF_COLUMN:
        return LEAF_COLUMN[finding.rule]
    first = finding.message.split(" ", 1)[0]
    return first if first in ("max_score", "score", "indicator", "target", "actual", "explanation",
                              "criteria", "basis", "level1_max", "level2_max") else "score"


def _summary_rows(results: list[FileResult]) -> Iterable[tuple[int, Form]]:
    """Each form with its row in summary.csv (a failed file has a row and no form)."""
    row = 0
    for result in results:
        if not result.forms:
            row += 1
        for form in result.forms:
            yield row, form
            row += 1


def flagged_cells(results: list[FileResult]) -> list[tuple[str, int, str, Finding]]:
    """(sheet, row index in its frame, column, finding) for every finding, in the order the
    frames list the forms (``indicators_frame``, ``budget_frame``, ``summary_frame``)."""
    out: list[tuple[str, int, str, Finding]] = []
    leaf_row = budget_row = 0
    for summary_row, form in _summary_rows(results):
        paths: dict[str, int] = {}
        blocks: dict[str, int] = {}
        for offset, leaf in enumerate(form.indicators):
            paths.setdefault(leaf.path, leaf_row + offset)
            blocks.setdefault(leaf.level1, leaf_row + offset)
            blocks.setdefault(f"{leaf.level1}/{leaf.level2}" if leaf.level1 else leaf.level2, leaf_row + offset)
        budget: dict[str, tuple[int, str]] = {}
        for offset, value in enumerate(form.budget):
            for location in (f"{value.column}/{value.row}", f"{value.row}/{value.column}"):
                budget.setdefault(location, (budget_row + offset, "value"))
        for finding in form.findings:
            place = finding.location
            if finding.rule in SUMMARY_COLUMN or (finding.rule == "missing_value" and place not in paths
                                                  and place not in blocks and place not in budget):
                out.append(("summary", summary_row, SUMMARY_COLUMN.get(finding.rule, "declared_total"), finding))
            elif place in budget:
                row, column = budget[place]
                out.append(("budget", row, column, finding))
            elif place in paths and finding.rule != "children_max_sum_mismatch":
                out.append(("indicators", paths[place], _leaf_column(finding), finding))
            elif place in blocks:
                column = "level1_max" if "/" not in place and place in {i.level1 for i in form.indicators} else "level2_max"
                out.append(("indicators", blocks[place], column, finding))
            else:
                out.append(("summary", summary_row, "status", finding))
        leaf_row += len(form.indicators)
        budget_row += len(form.budget)
    return out


def _width(values: Iterable[Any]) -> int:
    """A column's width in characters: a CJK character counts two."""
    widest = 0
    for value in values:
        text = "" if value is None else str(value)
        widest = max(widest, sum(2 if ord(ch) > 0x2E80 else 1 for ch in text))
    return min(MAX_WIDTH, max(6, widest + 2))


def _cell_value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):  # numpy and pandas scalars
        value = value.item()
    return spreadsheet_safe(value)


def write_workbook(frames: dict[str, pd.DataFrame], results: list[FileResult], path: Path) -> None:
    """The four frames as one workbook, flagged values marked; written to ``path``."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = {}
    for name in SHEETS:
        frame = frames[name]
        sheet = workbook.create_sheet(name)
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append([_cell_value(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for index, column in enumerate(frame.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = _width([column, *frame[column].tolist()])
        sheets[name] = (sheet, list(frame.columns))
    fill = PatternFill("solid", start_color=FLAG_COLOUR, end_color=FLAG_COLOUR)
    for name, row, column, finding in flagged_cells(results):
        sheet, columns = sheets[name]
        cell = sheet.cell(row=row + 2, column=columns.index(column) + 1)
        cell.fill = fill
        note = f"{finding.rule}: {finding.message}"
        cell.comment = Comment(f"{cell.comment.text}\n{note}" if cell.comment else note, "selfeval")
        cell.alignment = Alignment(wrap_text=False)
    temporary = path.with_name(f".{path.name}.tmp")
    workbook.save(temporary)
    temporary.replace(path)
