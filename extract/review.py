"""Re-checks after a review: an output folder whose CSVs a reviewer corrected, or one
edited JSON document, run through the rules again (``selfeval validate``)."""

from __future__ import annotations

import json
from pathlib import Path

from .forms.layouts import get_layout
from .output import corrections, export
from .output.export import form_to_json, write_atomic, write_outputs
from .output.records import form_from_json
from .rules.validate import rules_for, validate


def _has_bom(path: Path) -> bool:
    """Whether the folder's CSVs were written for Excel (``--excel-csv``), to keep them so."""
    try:
        with open(path, "rb") as handle:
            return handle.read(3) == export.BOM.encode("utf-8")
    except OSError:
        return False


def revalidate(outdir: Path, layout_dirs: tuple[Path, ...] = ()) -> tuple[int, int, int]:
    """Take a reviewer's edits of an output folder's CSVs as corrections, run the rules
    again and rewrite the outputs (the formats the folder has). Returns (corrections
    kept, findings before, findings after)."""
    outdir = Path(outdir)
    read = corrections.kept_in_order(outdir)
    before_fixes = corrections.load(outdir)
    shown = corrections.apply(read, before_fixes, layout_dirs)
    merged = corrections.merge(before_fixes, corrections.edits_in_outputs(outdir, shown))
    fixed = corrections.apply(read, merged, layout_dirs)
    corrections.save(outdir, merged)
    formats = ("csv", "json") + (("xlsx",) if (outdir / export.WORKBOOK_NAME).exists() else ()) + (
        ("parquet",) if any((outdir / export.PARQUET_DIR).glob("*.parquet")) else ())
    write_outputs(fixed, outdir, formats, excel_csv=_has_bom(outdir / export.CSV_NAMES["summary"]))
    count = sum(len(f.findings) for r in shown for f in r.forms), sum(len(f.findings) for r in fixed for f in r.forms)
    return len(merged), *count


def revalidate_document(path: Path, layout_dirs: tuple[Path, ...] = ()) -> tuple[int, int]:
    """Run the rules again on one (edited) form JSON document and rewrite its findings,
    status and computed total in place. Returns (findings before, findings after)."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    form = form_from_json(document)
    before = len(form.findings)
    form.findings = validate(form, rules_for(get_layout(form.layout, layout_dirs)))
    text = json.dumps(form_to_json(form), ensure_ascii=False, indent=2)
    write_atomic(Path(path), text + "\n")
    return before, len(form.findings)
