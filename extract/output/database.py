"""The combined outputs in a SQL database (SQLAlchemy): tables ``documents`` (the summary),
``indicators``, ``budget`` and ``findings``, with the CSVs' columns and types.

Rows are keyed by the input's ``file``: a run replaces the rows of every file it has a
result for, and deletes those of files gone from the archive, in one transaction, so a
database holds exactly the CSVs' rows after any number of runs (other files' rows, of
another archive written to the same database, are left alone)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from ..model import FileResult
from .export import (
    BUDGET_COLUMNS,
    FINDING_COLUMNS,
    INDICATOR_COLUMNS,
    SUMMARY_COLUMNS,
    budget_frame,
    findings_frame,
    indicators_frame,
    summary_frame,
)

TABLES = {"documents": SUMMARY_COLUMNS, "indicators": INDICATOR_COLUMNS, "budget": BUDGET_COLUMNS,
          "findings": FINDING_COLUMNS}  # fmt: skip
# Batches of rows per INSERT.
CHUNK = 1000


def _frames(results: list[FileResult]) -> dict[str, pd.DataFrame]:
    forms = [form for result in results for form in result.forms]
    return {"documents": summary_frame(results), "indicators": indicators_frame(forms),
            "budget": budget_frame(forms), "findings": findings_frame(forms)}  # fmt: skip


def _metadata(frames: dict[str, pd.DataFrame]):  # type: ignore[no-untyped-def]
    from sqlalchemy import Column, Float, Index, Integer, MetaData, Table, Text

    metadata = MetaData()
    for name, frame in frames.items():
        columns = [Column("id", Integer, primary_key=True, autoincrement=True)]
        for column in TABLES[name]:
            kind = frame[column].dtype
            sql_type: Any = Integer if str(kind) == "Int64" else Float if kind.kind == "f" else Text
            columns.append(Column(column, sql_type))
        Table(name, metadata, *columns, Index(f"ix_{name}_file", "file"))
    return metadata


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as plain Python values, missing ones None."""
    cleaned = frame.astype(object).where(frame.notna(), None)
    return [dict(zip(frame.columns, row)) for row in cleaned.itertuples(index=False)]


def write_database(url: str, results: list[FileResult], gone: Iterable[str] = ()) -> None:
    """Replace the rows of ``results``' files (and delete those of the ``gone`` ones)."""
    from sqlalchemy import create_engine

    frames = _frames(results)
    metadata = _metadata(frames)
    engine = create_engine(url)
    try:
        metadata.create_all(engine)
        files = sorted({result.file for result in results} | set(gone))
        with engine.begin() as connection:
            for name, table in metadata.tables.items():
                for start in range(0, len(files), CHUNK):
                    connection.execute(table.delete().where(table.c.file.in_(files[start : start + CHUNK])))
                rows = _records(frames[name])
                for start in range(0, len(rows), CHUNK):
                    connection.execute(table.insert(), rows[start : start + CHUNK])
    finally:
        engine.dispose()
