"""Page views kept in the output folder for the review report: ``OUT/pages/<file>/`` holds
one WebP image per page and ``pages.json`` with each page's size, the scale of its image
and its grid (every cell's box, text, confidence and raw OCR text). The report is built
from these and the records alone, so it can be made again without reading any file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from ..model import PageView, Table
from .export import write_atomic
from .records import record_path
from .tables import cell_json

PAGES_DIR = "pages"
INDEX = "pages.json"


def pages_folder(outdir: Path, file: str) -> Path:
    """``OUT/pages/sub__a.pdf/`` for the input named ``sub/a.pdf``."""
    return Path(outdir) / PAGES_DIR / record_path(outdir, file).stem


def _table_json(table: Table) -> dict[str, Any]:
    """A table as ``selfeval tables`` writes it, each cell with its raw OCR text too."""
    cells = [{**cell_json(c), "raw_text": c.raw_text} for c in table.cells]
    return {"bbox": table.bbox.rounded(), "n_rows": table.n_rows, "n_cols": table.n_cols, "cells": cells}


def write_page_views(outdir: Path, file: str, views: list[PageView]) -> None:
    """Keep one file's page views (each image, then the index, atomically); a file without
    views (it failed) has its earlier ones removed."""
    folder = pages_folder(outdir, file)
    if not views:
        drop_page_views(outdir, file)
        return
    folder.mkdir(parents=True, exist_ok=True)
    pages = []
    for view in views:
        name = f"p{view.number}.webp"
        temporary = folder / f".{name}.tmp"
        temporary.write_bytes(view.image)
        temporary.replace(folder / name)
        pages.append({"number": view.number, "method": view.method, "width": round(view.width, 2),
                      "height": round(view.height, 2), "scale": view.scale, "image": name,
                      "tables": [_table_json(t) for t in view.tables]})  # fmt: skip
    write_atomic(folder / INDEX, json.dumps({"file": file, "pages": pages}, ensure_ascii=False) + "\n")
    kept = {page["image"] for page in pages}
    for stale in folder.glob("p*.webp"):
        if stale.name not in kept:
            stale.unlink()


def read_page_views(outdir: Path, file: str) -> list[dict[str, Any]]:
    """The kept page views of one file as written (an empty list when there are none)."""
    try:
        return list(json.loads((pages_folder(outdir, file) / INDEX).read_text(encoding="utf-8"))["pages"])
    except (OSError, ValueError, KeyError):
        return []


def drop_page_views(outdir: Path, file: str) -> None:
    shutil.rmtree(pages_folder(outdir, file), ignore_errors=True)
