"""Scan-path geometry against the truth: orientation, skew and grid per scanned page.

    python scripts/bench_scan_grid.py                 # every scanned sample
    python scripts/bench_scan_grid.py -k civil -v     # some samples, with cell mismatches

For each page of each sample in samples/scanned/: the rotation ``analyse_page`` applied vs
the truth's ``scan.rotation`` (the content was turned counter-clockwise by it, so undoing
it is a counter-clockwise turn of ``(360 - rotation) % 360``), the skew error in degrees,
and the grid of each table vs the vector grid of the same page of the exported original
(``textlayer.chars.ruling_segments`` + ``grid.build.segments_to_tables``): rows and columns equal, and
cells matched (same row/column span, same box relative to the table's box within
``CELL_TOLERANCE_PT``). Then the seconds per stage, and totals.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from extract.evaluation import load_truth, truth_samples  # noqa: E402
from extract.grid.build import segments_to_tables  # noqa: E402
from extract.inputs.images import image_file_pages, pdf_page_image  # noqa: E402
from extract.model import Table  # noqa: E402
from extract.ocr.registry import get_engine  # noqa: E402
from extract.scan.analysis import analyse_page  # noqa: E402
from extract.textlayer.chars import ruling_segments  # noqa: E402

SCANNED = ROOT / "samples" / "scanned"
EXPORTED = ROOT / "samples" / "exported"
# A scanned cell matches a vector cell when every edge, relative to its table's box and
# expressed in points of the original page, is within this distance.
CELL_TOLERANCE_PT = 4.0


def scan_documents(folder: Path) -> list[tuple[Path, dict]]:
    return [(doc, load_truth(truth)) for doc, truth in truth_samples(folder)]


def page_images(doc: Path, n_pages: int, dpi: float = 200.0):
    if doc.suffix.lower() == ".pdf":
        for number in range(1, n_pages + 1):
            gray, ppp = pdf_page_image(doc, number, dpi)
            yield number, gray, ppp
    else:
        for number, (gray, file_dpi) in enumerate(image_file_pages(doc), start=1):
            yield number, gray, file_dpi / 72.0


def vector_grids(pdf: Path) -> list[list[Table]]:
    with pdfplumber.open(pdf) as doc:
        return [segments_to_tables(ruling_segments(p), i + 1) for i, p in enumerate(doc.pages)]


def _relative(table: Table, scale: float) -> list[tuple[int, int, tuple[float, float, float, float]]]:
    """(rowspan, colspan, edges relative to the table's top-left corner in points)."""
    b = table.bbox
    return [(c.rowspan, c.colspan, ((c.bbox.x0 - b.x0) / scale, (c.bbox.top - b.top) / scale,
                                    (c.bbox.x1 - b.x0) / scale, (c.bbox.bottom - b.top) / scale))
            for c in table.cells]


def compare_tables(found: Table | None, expected: Table, scale: float) -> tuple[int, int, bool, bool]:
    """(cells matched, cells expected, rows equal, columns equal)."""
    if found is None:
        return 0, len(expected.cells), False, False
    # the scanned table may be a little bigger or smaller than the original (print scale):
    # compare positions relative to the table's box, rescaled to the original's size
    sx = (expected.bbox.x1 - expected.bbox.x0) / max((found.bbox.x1 - found.bbox.x0) / scale, 1e-6)
    sy = (expected.bbox.bottom - expected.bbox.top) / max((found.bbox.bottom - found.bbox.top) / scale, 1e-6)
    pool = [(rs, cs, (e[0] * sx, e[1] * sy, e[2] * sx, e[3] * sy)) for rs, cs, e in _relative(found, scale)]
    matched = 0
    for rs, cs, e in _relative(expected, 1.0):
        for k, (frs, fcs, fe) in enumerate(pool):
            if (frs, fcs) == (rs, cs) and all(abs(a - b) <= CELL_TOLERANCE_PT for a, b in zip(e, fe)):
                matched += 1
                pool.pop(k)
                break
    return (matched, len(expected.cells), found.n_rows == expected.n_rows,
            found.n_cols == expected.n_cols)


def _pair_tables(found: list[Table], expected: list[Table], scale: float) -> list[tuple[Table | None, Table]]:
    """Each vector table with the scanned table whose relative vertical position is closest."""
    pairs = []
    pool = list(found)
    for t in expected:
        best = None
        if pool:
            best = max(pool, key=lambda f: min(f.bbox.bottom / scale, t.bbox.bottom)
                       - max(f.bbox.top / scale, t.bbox.top))
            pool.remove(best)
        pairs.append((best, t))
    return pairs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-k", action="append", default=[], help="only samples whose name contains this")
    parser.add_argument("--no-osd", action="store_true", help="analyse_page(use_osd=False)")
    parser.add_argument("--no-engine", action="store_true",
                        help="no OCR engine for the orientation check (as analyse_page alone)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print unmatched cells")
    args = parser.parse_args()

    engine = None
    if not args.no_engine:
        try:
            engine = get_engine()  # as the pipeline passes it; loaded here, not timed per page
        except Exception as exc:  # noqa: BLE001 - a missing engine is reported, not fatal
            print(f"no OCR engine ({exc}): orientation without it")
    totals: Counter[str] = Counter()
    stage_totals: defaultdict[str, float] = defaultdict(float)
    print(f"{'page':<42} {'rot':>7} {'skew err':>8} {'tables':>6} {'rows':>9} {'cols':>7} "
          f"{'cells':>9} {'orient':>6} {'lines':>6} {'grid':>6} {'total':>6}")
    for doc, truth in scan_documents(SCANNED):
        if args.k and not any(k in doc.name for k in args.k):
            continue
        scan = truth["scan"]
        expected_rot = (360 - int(scan["rotation"])) % 360
        vectors = vector_grids(EXPORTED / scan["source"])
        for number, gray, ppp in page_images(doc, len(vectors), float(scan["dpi"])):
            t0 = time.perf_counter()
            kwargs: dict = {"use_osd": not args.no_osd, "engine": engine}
            page = analyse_page(gray, ppp, number, **kwargs)
            elapsed = time.perf_counter() - t0
            for stage, sec in page.timings.items():
                stage_totals[stage] += sec
            stage_totals["total"] += elapsed
            skew_err = page.skew - float(scan["skew_degrees"][number - 1])
            rot_ok = page.rotation == expected_rot
            expected = vectors[number - 1]
            pairs = _pair_tables(page.tables, expected, ppp) if rot_ok else [(None, t) for t in expected]
            matched = cells = rows_ok = cols_ok = 0
            for found, exp in pairs:
                m, n, r, c = compare_tables(found, exp, ppp)
                matched, cells, rows_ok, cols_ok = matched + m, cells + n, rows_ok + r, cols_ok + c
                if args.verbose and found is not None and m < n:
                    print(f"    table rows {found.n_rows}/{exp.n_rows} cols {found.n_cols}/{exp.n_cols}, "
                          f"spans found {sorted(Counter((c.rowspan, c.colspan) for c in found.cells).items())} "
                          f"expected {sorted(Counter((c.rowspan, c.colspan) for c in exp.cells).items())}")
            broken = number in scan.get("broken_line_pages", [])
            name = f"{doc.name} p{number}{' [broken]' if broken else ''}"
            tm = page.timings
            print(f"{name:<42} {page.rotation:>3}/{expected_rot:<3} {skew_err:>+8.2f} "
                  f"{len(page.tables):>2}/{len(expected):<3} {rows_ok:>4}/{len(expected):<4} "
                  f"{cols_ok:>3}/{len(expected):<3} {matched:>4}/{cells:<4} {tm.get('orient', 0):>6.2f} "
                  f"{tm.get('lines', 0):>6.2f} {tm.get('grid', 0):>6.2f} {elapsed:>6.2f}")
            totals["pages"] += 1
            totals["rot_ok"] += rot_ok
            totals["skew_ok"] += abs(skew_err) < 0.2
            totals["tables"] += len(expected)
            totals["rows_ok"] += rows_ok
            totals["cols_ok"] += cols_ok
            totals["cells"] += cells
            totals["matched"] += matched
            totals["pages_exact"] += matched == cells and len(page.tables) == len(expected)
            if broken:
                totals["broken_pages"] += 1
                totals["broken_exact"] += matched == cells and len(page.tables) == len(expected)
    p = max(totals["pages"], 1)
    print()
    print(f"pages {totals['pages']}: rotation right {totals['rot_ok']}/{p}, skew within 0.2° "
          f"{totals['skew_ok']}/{p}, grid exact {totals['pages_exact']}/{p} "
          f"(broken-line pages {totals['broken_exact']}/{totals['broken_pages']})")
    print(f"tables {totals['tables']}: rows right {totals['rows_ok']}, cols right {totals['cols_ok']}; "
          f"cells matched {totals['matched']}/{totals['cells']} "
          f"({totals['matched'] / max(totals['cells'], 1):.3f})")
    print("seconds per page by stage: " + ", ".join(
        f"{k} {v / p:.3f}" for k, v in sorted(stage_totals.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
