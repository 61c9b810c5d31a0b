"""Per-file results kept in the output folder, so that a batch can resume and the combined
outputs can be rebuilt from them.

``OUT/results/<file>.json`` holds what one input gave (its forms as the JSON documents
of the output contract, or its error), with the input's content hash and the key of the
options and layouts it was read with. A file whose hash and key match its record is not
read again. Records are written atomically, one per file as it finishes; the combined
CSVs and JSON documents are rebuilt from them."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..model import BudgetValue, FileResult, Finding, Form, Indicator, Options, Provenance
from .export import form_to_json, write_atomic

RESULTS_DIR = "results"
RECORD_VERSION = 2  # 2: page views kept beside the records (OUT/pages)
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Record:
    """What one input file gave, and what it was read from and with."""

    file: str  # the name in the outputs (relative to the input folder in batch mode)
    digest: str  # sha256 of the file's content
    key: str  # options, layouts and selfeval version it was read with
    seconds: float
    error: str
    forms: tuple[dict[str, Any], ...]  # the output contract's JSON documents

    def result(self) -> FileResult:
        return FileResult(self.file, [form_from_json(doc) for doc in self.forms], self.seconds, self.error)


def file_digest(path: Path) -> str:
    """sha256 of a file's content ("" for a file that cannot be read: it fails anyway)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def options_key(options: Options, layout_files: list[Path], version: str) -> str:
    """A key of everything that changes how a file is read: the options (not where debug
    images go), the layout files' contents, and selfeval's version."""
    settings = {f.name: getattr(options, f.name) for f in fields(options) if f.name != "debug_dir"}
    digest = hashlib.sha256(json.dumps([settings, version], default=str, sort_keys=True).encode())
    for path in sorted(layout_files):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def record_path(outdir: Path, file: str) -> Path:
    """``OUT/results/sub__a.pdf.json`` for the input named ``sub/a.pdf``."""
    flat = file.replace(os.sep, "__").replace("/", "__")
    return Path(outdir) / RESULTS_DIR / f"{flat}.json"


def write_record(outdir: Path, result: FileResult, digest: str, key: str) -> Record:
    """Keep one file's result (atomically) and return it as a record."""
    record = Record(result.file, digest, key, round(float(result.seconds), 3), result.error,
                    tuple(form_to_json(form) for form in result.forms))
    path = record_path(outdir, result.file)
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"record_version": RECORD_VERSION, "file": record.file, "digest": record.digest,
                "key": record.key, "seconds": record.seconds, "error": record.error,
                "forms": list(record.forms)}  # fmt: skip
    write_atomic(path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    return record


def read_records(outdir: Path) -> dict[str, Record]:
    """Every record in the output folder by file name; unreadable ones are left out (their
    files are read again)."""
    records: dict[str, Record] = {}
    for path in sorted((Path(outdir) / RESULTS_DIR).glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("record_version") != RECORD_VERSION:
                continue
            records[doc["file"]] = Record(doc["file"], doc["digest"], doc["key"], float(doc["seconds"]),
                                          doc["error"], tuple(doc["forms"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return records


def drop_record(outdir: Path, file: str) -> None:
    record_path(outdir, file).unlink(missing_ok=True)


# ------------------------------------------------------------------ JSON → Form


def _provenance(doc: dict[str, Any] | None) -> Provenance | None:
    return None if doc is None else Provenance(**doc)


def _build(cls: type, doc: dict[str, Any], **nested: Any) -> Any:
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in doc.items() if k in names and k not in nested}, **nested)


def form_from_json(doc: dict[str, Any]) -> Form:
    """A Form from its JSON document (``form_to_json``); the two round-trip exactly."""
    budget = [_build(BudgetValue, b, provenance=_provenance(b.get("provenance"))) for b in doc["budget"]]
    indicators = [
        _build(Indicator, leaf, provenance={k: Provenance(**v) for k, v in leaf["provenance"].items()})
        for leaf in doc["indicators"]
    ]
    findings = [_build(Finding, f) for f in doc["findings"]]
    return _build(
        Form, doc, budget=budget, indicators=indicators, findings=findings,
        total_provenance=_provenance(doc.get("total_provenance")),
        grade_provenance=_provenance(doc.get("grade_provenance")),
        header_provenance={k: Provenance(**v) for k, v in (doc.get("header_provenance") or {}).items()},
    )
