"""A reviewer's corrections: values edited in the output CSVs (or in a form's JSON
document), recorded beside the per-file results and applied on every rebuild, the rules
run again on the corrected forms.

A correction says which value (file, form, the leaf's place, the field), what was read,
what the reviewer set and when. They live in ``OUT/corrections.json``; a later run, a
rebuild or a report applies them over what the files give, so a file read again does not
undo a review. Only values that differ from what was read are recorded."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..forms.layouts import get_layout
from ..model import FileResult, Form
from ..rules.validate import rules_for, validate
from .cells import FORMULA_STARTS, NEUTRAL_PREFIX
from .export import CSV_NAMES, INDICATOR_COLUMNS, write_atomic
from .records import read_records

CORRECTIONS_FILE = "corrections.json"
# Indicator fields a reviewer may set; numbers are parsed, the rest kept as text.
EDITABLE = [c for c in INDICATOR_COLUMNS if c not in ("file", "form", "form_type", "unit_name", "year", "page")]
NUMERIC = {"level1_max", "level2_max", "max_score", "score"}
FORM_FIELDS = {"declared_total": "number", "grade": "text"}  # summary.csv columns a reviewer may set


class ReviewError(ValueError):
    """Edited outputs that cannot be matched with the kept results."""


@dataclass(frozen=True)
class Correction:
    file: str
    form: int
    leaf: int | None  # the leaf's index in its form; None for a form-level field
    path: str  # the leaf's path as read (or "" for a form-level field), for people
    field: str
    read: Any
    set: Any
    when: str


def _text(value: str) -> str:
    """A CSV cell as the reviewer means it: the apostrophe that neutralised a formula off."""
    if value.startswith(NEUTRAL_PREFIX) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _number(value: str) -> float | None:
    value = value.strip()
    return float(value) if value else None


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, abs_tol=1e-9)
    return bool(a == b or (a in (None, "") and b in (None, "")))


def load(outdir: Path) -> list[Correction]:
    path = Path(outdir) / CORRECTIONS_FILE
    if not path.exists():
        return []
    return [Correction(**item) for item in json.loads(path.read_text(encoding="utf-8"))]


def save(outdir: Path, corrections: list[Correction]) -> None:
    text = json.dumps([asdict(c) for c in corrections], ensure_ascii=False, indent=1)
    write_atomic(Path(outdir) / CORRECTIONS_FILE, text + "\n")


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def files_in_summary(outdir: Path) -> list[str]:
    """The input files in the order summary.csv lists them."""
    return list(dict.fromkeys(row["file"] for row in _rows(Path(outdir) / CSV_NAMES["summary"])))


def kept_in_order(outdir: Path) -> list[FileResult]:
    """Every kept result as read (no corrections), in the order the CSVs list the files
    (the run's input order), then any the CSVs do not have, by name."""
    kept = read_records(outdir)
    try:
        order = files_in_summary(outdir)
    except OSError:  # no CSVs (--format json)
        order = []
    files = [f for f in order if f in kept] + sorted(set(kept) - set(order))
    return [kept[f].result() for f in files]


def edits_in_outputs(outdir: Path, results: list[FileResult]) -> list[Correction]:
    """Every value of indicators.csv and summary.csv that differs from the forms as read.
    The rows must be those the run wrote, in its order (values edited in place)."""
    outdir = Path(outdir)
    when = datetime.now(UTC).isoformat(timespec="seconds")
    forms = [form for result in results for form in result.forms]
    leaves = [(form, i, leaf) for form in forms for i, leaf in enumerate(form.indicators)]
    rows = _rows(outdir / CSV_NAMES["indicators"])
    if len(rows) != len(leaves) or any(
        row["file"] != form.file or int(row["form"]) != form.form for row, (form, _, _) in zip(rows, leaves)
    ):
        raise ReviewError(f"{outdir / CSV_NAMES['indicators']}: its rows are not those of the kept results "
                          "(edit values in place; do not add, remove or reorder rows)")
    out: list[Correction] = []
    for row, (form, index, leaf) in zip(rows, leaves):
        for field in EDITABLE:
            now: Any = _number(row[field]) if field in NUMERIC else _text(row[field])
            if not _same(now, getattr(leaf, field)):
                out.append(Correction(form.file, form.form, index, leaf.path, field, getattr(leaf, field), now, when))
    by_form = {(form.file, form.form): form for form in forms}
    for row in _rows(outdir / CSV_NAMES["summary"]):
        summarised = by_form.get((row["file"], int(row["form"]))) if row["form"] else None
        if summarised is None:
            continue
        for field, kind in FORM_FIELDS.items():
            now = _number(row[field]) if kind == "number" else _text(row[field])
            was = getattr(summarised, field)
            if not _same(now, was):
                out.append(Correction(summarised.file, summarised.form, None, "", field, was, now, when))
    return out


def merge(kept: list[Correction], new: list[Correction]) -> list[Correction]:
    """The kept corrections with the new ones over them (the first reading is kept as read)."""
    merged = {(c.file, c.form, c.leaf, c.field): c for c in kept}
    for c in new:
        key = (c.file, c.form, c.leaf, c.field)
        merged[key] = replace(c, read=merged[key].read) if key in merged else c
    return [c for c in merged.values() if not _same(c.read, c.set)]


def apply(results: list[FileResult], corrections: list[Correction],
          layout_dirs: tuple[Path, ...] = ()) -> list[FileResult]:
    """``results`` with the corrections set and the rules run again on every form that has
    one (with its layout's rules)."""
    by_form: dict[tuple[str, int], list[Correction]] = {}
    for c in corrections:
        by_form.setdefault((c.file, c.form), []).append(c)
    out = []
    for result in results:
        forms = [_corrected(form, by_form[(form.file, form.form)], layout_dirs)
                 if (form.file, form.form) in by_form else form for form in result.forms]
        out.append(replace(result, forms=forms))
    return out


def _corrected(form: Form, corrections: list[Correction], layout_dirs: tuple[Path, ...]) -> Form:
    indicators = list(form.indicators)
    changes: dict[str, Any] = {}
    for c in corrections:
        if c.leaf is None:
            changes[c.field] = c.set
        elif 0 <= c.leaf < len(indicators):
            indicators[c.leaf] = replace(indicators[c.leaf], **{c.field: c.set})
    fixed = replace(form, indicators=indicators, **changes)
    fixed.findings = validate(fixed, rules_for(get_layout(form.layout, layout_dirs)))
    return fixed
