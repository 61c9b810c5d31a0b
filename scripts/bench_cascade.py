"""Would a recognition cascade pay? Every cell of some scanned pages read by a cheap pass
and by the full pass (48 px, long lines squeezed to 0.7), one core.

    python scripts/bench_cascade.py                      # seed, justice and mof at 200 dpi
    python scripts/bench_cascade.py samples/scanned/x.pdf ...

For each cheap pass the table gives its time as a share of the full pass, the share of
cells it reads as the full pass does, and, for a confidence threshold, the share of cells
a cascade would accept from it, how many of those differ from the full reading, and the
cascade's cost (the cheap pass, then the full pass on the cells it rejected) as a share
of the full pass. A cascade pays when that cost is well under 1 with next to no cells
differing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_FILES = [ROOT / "samples" / "scanned" / name for name in
                 ("seed_haizhu_2021-200dpi.pdf", "dept_justice_2019-200dpi.pdf", "proj_mof_2023-200dpi.pdf")]  # fmt: skip
THRESHOLDS = (0.9, 0.95, 0.98)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    args = parser.parse_args()
    os.environ.setdefault("SELFEVAL_OCR_THREADS", "1")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    import pypdfium2 as pdfium

    from extract.inputs import pdf_page_image
    from extract.ocr.base import CellRequest
    from extract.ocr.rapid import RapidOcrEngine, RapidSettings
    from extract.scan.analysis import analyse_page

    full = RapidOcrEngine(RapidSettings())
    cheap = {
        "input height 36 px": RapidOcrEngine(RapidSettings(rec_height=36)),
        "input height 40 px": RapidOcrEngine(RapidSettings(rec_height=40)),
        "every line squeezed to 0.5": RapidOcrEngine(RapidSettings(long_line_ratio=2.0, long_line_squeeze=0.5)),
    }
    seconds = {name: 0.0 for name in ["full", *cheap]}
    pairs: dict[str, list[tuple[str, str, float]]] = {name: [] for name in cheap}
    for path in args.files:
        for number in range(1, len(pdfium.PdfDocument(str(path))) + 1):
            gray, pixels_per_point = pdf_page_image(path, number, 200)
            page = analyse_page(gray, pixels_per_point, number, None, engine=full)
            requests = [CellRequest(cell.bbox) for table in page.tables for cell in table.cells]
            for engine in (full, *cheap.values()):
                engine.read_cells(page.ocr_image, requests[:4])  # warm-up of this input shape
            start = time.perf_counter()
            reference = full.read_cells(page.ocr_image, requests)
            seconds["full"] += time.perf_counter() - start
            for name, engine in cheap.items():
                start = time.perf_counter()
                readings = engine.read_cells(page.ocr_image, requests)
                seconds[name] += time.perf_counter() - start
                pairs[name] += [(a.text, b.text, b.confidence) for a, b in zip(reference, readings) if a.text or b.text]
    print(f"{len(args.files)} files; the full pass took {seconds['full']:.1f} s on one core")
    print(f"{'cheap pass':<28} {'time':>6} {'same':>6} {'accept at':>10} {'accepted':>9} {'differ':>7} {'cascade cost':>13}")
    for name, rows in pairs.items():
        share_time = seconds[name] / seconds["full"]
        same = sum(a == b for a, b, _ in rows) / len(rows)
        for threshold in THRESHOLDS:
            accepted = [(a, b) for a, b, confidence in rows if confidence >= threshold]
            differ = sum(a != b for a, b in accepted)
            cost = share_time + (1 - len(accepted) / len(rows))
            print(f"{name:<28} {share_time:>5.2f}x {same:>6.1%} {threshold:>10} {len(accepted) / len(rows):>9.1%} "
                  f"{differ:>7} {cost:>12.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
