"""The Python API other systems call: read forms, get DataFrames."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .batch import Job, collect_inputs, read_files
from .model import FileResult, Form
from .output.export import (
    budget_frame,
    findings_frame,
    form_to_json,
    indicators_frame,
    summary_frame,
)
from .output.tables import FoundTable, found_tables, table_frame
from .pipeline import Options, read_document, read_form, read_tables

__all__ = ["Options", "read_form", "read_document", "read_folder", "read_forms", "to_frames", "form_to_json",
           "find_tables", "tables_to_frames"]  # fmt: skip


def find_tables(path: str | Path, options: Options | None = None, *, join_pages: bool = False) -> list[FoundTable]:
    """Every ruled table of any document (no form family needed), each on the finest grid
    its rules imply; ``join_pages`` joins a table continued on the next page. Raises a
    SelfEvalError on a bad file."""
    return found_tables(read_tables(path, options), join_pages)


def tables_to_frames(tables: Iterable[FoundTable], *, fill_spans: bool = False) -> list[pd.DataFrame]:
    """Each table's grid as a DataFrame (a spanning cell's text in its top-left position,
    or in every position it covers with ``fill_spans``)."""
    return [table_frame(t.table, fill_spans) for t in tables]


def to_frames(items: Form | FileResult | Iterable[Form | FileResult]) -> dict[str, pd.DataFrame]:
    """The tables of the CSVs for forms or file results: indicators, budget and findings,
    and summary when given file results (failed files included)."""
    given = [items] if isinstance(items, Form | FileResult) else list(items)
    results = [item for item in given if isinstance(item, FileResult)]
    forms = [item for item in given if isinstance(item, Form)]
    forms += [form for result in results for form in result.forms]
    frames = {
        "indicators": indicators_frame(forms),
        "budget": budget_frame(forms),
        "findings": findings_frame(forms),
    }
    if results:
        frames["summary"] = summary_frame(results)
    return frames


def read_folder(*inputs: str | Path, options: Options | None = None, jobs: int = 1) -> list[FileResult]:
    """Every file under the folders (and files) given, read by ``jobs`` processes; never
    raises for one file's problem (its result says it). Named as the CLI names them."""
    found = [Job(path, name) for path, name in collect_inputs(list(inputs))]
    return read_files(found, options or Options(), workers=jobs)


def read_forms(paths: Iterable[str | Path], options: Options | None = None) -> list[Form]:
    """Every form of several files (a file may hold several); raises on the first bad file
    (use the CLI or process_file to go on)."""
    return [form for p in paths for form in read_document(p, options)]
