"""Write parsed forms as the CSV and JSON files of the output contract (docs/forms.md §6)."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..model import FileResult, Form, Provenance
from .cells import spreadsheet_safe

SCHEMA_VERSION = 1
# The JSON Schema of a form document (``selfeval schema`` prints it).
SCHEMA_FILE = Path(__file__).with_name("form.schema.json")

INDICATOR_COLUMNS = [
    "file", "form", "form_type", "unit_name", "year", "level1", "level1_max", "level2",
    "level2_max", "indicator", "max_score", "score", "target", "actual", "explanation",
    "criteria", "basis", "page",
]  # fmt: skip
BUDGET_COLUMNS = ["file", "form", "form_type", "row", "column", "value", "unit"]
FINDING_COLUMNS = ["file", "form", "rule", "severity", "location", "expected", "found", "message", "page"]
SUMMARY_COLUMNS = [
    "file", "form", "form_type", "pages", "method", "status", "declared_total", "computed_total",
    "findings", "seconds", "error", "layout", "layout_score", "unit_name", "year", "project_name",
    "department", "grade",
]  # fmt: skip

# Integer columns use pandas' nullable Int64 so a missing year prints empty, not "2021.0".
_INT_COLUMNS = {"form", "year", "page", "pages", "findings"}
# Numeric columns stay float even when every value is missing.
_FLOAT_COLUMNS = {
    "level1_max", "level2_max", "max_score", "score", "value", "declared_total",
    "computed_total", "seconds", "layout_score",
}  # fmt: skip
# Excel exports carry float noise such as 0.0900000762939453; six decimals keep every
# printed figure (money has two, rates four at most) and drop the noise.
CSV_FLOAT_DECIMALS = 6
SECONDS_DECIMALS = 3

CSV_NAMES = {
    "indicators": "indicators.csv",
    "budget": "budget.csv",
    "findings": "findings.csv",
    "summary": "summary.csv",
}
JSON_DIR = "json"


# ---------------------------------------------------------------------------- frames


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """A frame with exactly ``columns``; numeric columns typed even when empty."""
    frame = pd.DataFrame(rows, columns=columns)
    for column in columns:
        if column in _INT_COLUMNS:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
        elif column in _FLOAT_COLUMNS:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def _item_rows(
    forms: Iterable[Form], items: Callable[[Form], Iterable[Any]], columns: list[str]
) -> list[dict[str, Any]]:
    """A row of ``columns`` per item of each form: each value from the item when it has
    that field (``score``, ``page``), else from its form (``file``, ``form``, ``unit_name``)."""
    return [
        {c: getattr(item, c) if hasattr(item, c) else getattr(form, c) for c in columns}
        for form in forms
        for item in items(form)
    ]


def indicators_frame(forms: Iterable[Form]) -> pd.DataFrame:
    """One row per leaf indicator, parents filled in (``indicators.csv``)."""
    return _frame(_item_rows(forms, lambda f: f.indicators, INDICATOR_COLUMNS), INDICATOR_COLUMNS)


def budget_frame(forms: Iterable[Form]) -> pd.DataFrame:
    """One row per budget-block value (``budget.csv``)."""
    return _frame(_item_rows(forms, lambda f: f.budget, BUDGET_COLUMNS), BUDGET_COLUMNS)


def findings_frame(forms: Iterable[Form]) -> pd.DataFrame:
    """One row per validation finding (``findings.csv``)."""
    return _frame(_item_rows(forms, lambda f: f.findings, FINDING_COLUMNS), FINDING_COLUMNS)


def _summary_rows(result: FileResult) -> list[dict[str, Any]]:
    """One row per form of the file; one row without a form for a failed file."""
    seconds = round(float(result.seconds), SECONDS_DECIMALS) if result.seconds is not None else None
    if not result.forms:
        return [{
            "file": result.file, "form": None, "form_type": "", "pages": None, "method": "",
            "status": result.status, "declared_total": None, "computed_total": None,
            "findings": 0, "seconds": seconds, "error": result.error, "layout": "",
            "layout_score": None, "unit_name": "", "year": None, "project_name": "",
            "department": "", "grade": "",
        }]  # fmt: skip
    return [
        {
            "file": result.file,
            "form": form.form,
            "form_type": form.form_type,
            "pages": form.pages,
            "method": form.method,
            "status": form.status,
            "declared_total": form.declared_total,
            "computed_total": form.computed_total,
            "findings": len(form.findings),
            "seconds": seconds,
            "error": result.error,
            "layout": form.layout,
            "layout_score": form.layout_score,
            "unit_name": form.unit_name,
            "year": form.year,
            "project_name": form.project_name,
            "department": form.department,
            "grade": form.grade,
        }
        for form in result.forms
    ]


def summary_frame(results: Iterable[FileResult]) -> pd.DataFrame:
    """One row per input file, failed ones included (``summary.csv``)."""
    return _frame([row for result in results for row in _summary_rows(result)], SUMMARY_COLUMNS)


# ------------------------------------------------------------------------------ JSON


def _json_safe(value: Any) -> Any:
    """Plain JSON types only: NaN/inf → None, tuples → lists, dataclasses → dicts."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        return _json_safe(asdict(value))
    if isinstance(value, Path):
        return str(value)
    return value


def _provenance(provenance: Provenance | None) -> dict[str, Any] | None:
    return None if provenance is None else asdict(provenance)


def form_to_json(form: Form) -> dict[str, Any]:
    """The whole form as a JSON-safe dict, with provenance for every value."""
    document = {
        "schema_version": SCHEMA_VERSION,
        "file": form.file,
        "form": form.form,
        "form_type": form.form_type,
        "layout": form.layout,
        "layout_score": form.layout_score,
        "pages": form.pages,
        "method": form.method,
        "page_methods": list(form.page_methods),
        "unit_name": form.unit_name,
        "year": form.year,
        "staff": form.staff,
        "units": form.units,
        "project_name": form.project_name,
        "department": form.department,
        "goals": dict(form.goals),
        "facts": dict(form.facts),
        "budget": [asdict(cell) for cell in form.budget],
        "budget_counts": form.budget_counts,
        "budget_max": form.budget_max,
        "budget_score": form.budget_score,
        "indicators": [{"path": leaf.path, **asdict(leaf)} for leaf in form.indicators],
        "total_max": form.total_max,
        "declared_total": form.declared_total,
        "computed_total": form.computed_total,
        "total_provenance": _provenance(form.total_provenance),
        "grade": form.grade,
        "grade_provenance": _provenance(form.grade_provenance),
        "header_provenance": {
            name: _provenance(prov) for name, prov in (form.header_provenance or {}).items()
        },
        "findings": [asdict(finding) for finding in form.findings],
        "status": form.status,
    }
    return _json_safe(document)


def json_name(file: str) -> str:
    """The JSON file name for an input path: ``sub/a.pdf`` → ``sub__a.json``."""
    flat = file.replace(os.sep, "__")
    if os.altsep:
        flat = flat.replace(os.altsep, "__")
    return os.path.splitext(flat)[0] + ".json"


def _names_for(result: FileResult, keep_suffix: bool) -> list[str]:
    base = json_name(result.file + ".json" if keep_suffix else result.file)
    if len(result.forms) == 1:
        return [base]
    return [f"{base[: -len('.json')]}.{form.form}.json" for form in result.forms]


def json_names(results: list[FileResult]) -> list[tuple[Form, str]]:
    """The JSON name of every form: ``sub/a.pdf`` → ``sub__a.json``, the forms of a file
    holding several numbered (``sub__a.1.json``); inputs whose names would collide (``a.pdf``
    and ``a.tif``; ``a.pdf`` with two forms and ``a.1.pdf``) keep their suffix."""
    parsed = [r for r in results if r.forms]
    plain = [_names_for(r, keep_suffix=False) for r in parsed]
    counts: dict[str, int] = {}
    for names in plain:
        for n in names:
            counts[n] = counts.get(n, 0) + 1
    out: list[tuple[Form, str]] = []
    for result, names in zip(parsed, plain):
        if any(counts[n] > 1 for n in names):
            names = _names_for(result, keep_suffix=True)
        out += list(zip(result.forms, names))
    return out


# ----------------------------------------------------------------------------- write


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary sibling, then rename over ``path``."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8", newline="")
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def _csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV: floats without noise, text that would run as a formula in a
    spreadsheet neutralised (``cells.spreadsheet_safe``)."""
    floats = frame.select_dtypes(include="float").columns
    texts = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    rounded = frame.copy()
    rounded[floats] = rounded[floats].round(CSV_FLOAT_DECIMALS)
    for column in texts:
        rounded[column] = rounded[column].map(spreadsheet_safe)
    return rounded.to_csv(index=False, lineterminator="\n")


FORMATS = ("csv", "json", "xlsx", "parquet")
DEFAULT_FORMATS = ("csv", "json")
WORKBOOK_NAME = "selfeval.xlsx"
PARQUET_DIR = "parquet"
# Written first in a CSV for Excel, which reads UTF-8 without it as the local code page.
BOM = "\ufeff"


def write_outputs(results: list[FileResult], outdir: Path, formats: tuple[str, ...] = DEFAULT_FORMATS,
                  *, excel_csv: bool = False) -> dict[str, Path]:
    """Write the combined outputs of ``results`` into ``outdir`` in ``formats``: the four
    CSV files (with a BOM for Excel when ``excel_csv``), one JSON document per form, one
    workbook, and one Parquet file per table.

    Returns the written paths keyed ``indicators``, ``budget``, ``findings``, ``summary``
    (CSV), ``json/<name>.json``, ``xlsx`` and ``parquet/<table>``."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    forms = [form for result in results for form in result.forms]
    frames = {
        "indicators": indicators_frame(forms),
        "budget": budget_frame(forms),
        "findings": findings_frame(forms),
        "summary": summary_frame(results),
    }
    _remove_unasked(outdir, formats)
    paths: dict[str, Path] = {}
    if "csv" in formats:
        for key, frame in frames.items():
            path = outdir / CSV_NAMES[key]
            write_atomic(path, (BOM if excel_csv else "") + _csv_text(frame))
            paths[key] = path
    if "json" in formats:
        paths.update(_write_json(results, outdir))
    if "xlsx" in formats:
        from .workbook import write_workbook

        write_workbook(frames, results, outdir / WORKBOOK_NAME)
        paths["xlsx"] = outdir / WORKBOOK_NAME
    if "parquet" in formats:
        (outdir / PARQUET_DIR).mkdir(exist_ok=True)
        for key, frame in frames.items():
            path = outdir / PARQUET_DIR / f"{key}.parquet"
            temporary = path.with_name(f".{path.name}.tmp")
            frame.to_parquet(temporary, index=False)
            temporary.replace(path)
            paths[f"{PARQUET_DIR}/{key}"] = path
    return paths


def _remove_unasked(outdir: Path, formats: tuple[str, ...]) -> None:
    """Remove the combined outputs of formats not asked for this time: left from an earlier
    run, they would disagree with the records (a file dropped or corrected since)."""
    stale: list[Path] = []
    if "csv" not in formats:
        stale += [outdir / name for name in CSV_NAMES.values()]
    if "json" not in formats:
        stale += list((outdir / JSON_DIR).glob("*.json"))
    if "xlsx" not in formats:
        stale.append(outdir / WORKBOOK_NAME)
    if "parquet" not in formats:
        stale += list((outdir / PARQUET_DIR).glob("*.parquet"))
    for path in stale:
        path.unlink(missing_ok=True)


def _write_json(results: list[FileResult], outdir: Path) -> dict[str, Path]:
    """One JSON document per form; documents of earlier runs that no form has are removed."""
    paths: dict[str, Path] = {}
    if any(result.forms for result in results):
        (outdir / JSON_DIR).mkdir(exist_ok=True)
    for form, name in json_names(results):
        path = outdir / JSON_DIR / name
        text = json.dumps(form_to_json(form), ensure_ascii=False, indent=2)
        write_atomic(path, text + "\n")
        paths[f"{JSON_DIR}/{name}"] = path
    written = {path.name for path in paths.values()}
    for stale in (outdir / JSON_DIR).glob("*.json"):  # a file gone, or read into other forms
        if stale.name not in written:
            stale.unlink()
    return paths
