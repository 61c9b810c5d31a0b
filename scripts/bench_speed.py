"""Speed per page: selfeval against camelot lattice and pdfplumber's table finder.

    python scripts/bench_speed.py              # exported (text-layer) samples
    python scripts/bench_speed.py --repeat 5
    python scripts/bench_speed.py --scanned --repeat 1   # OCR engines vs img2table, one core
    python scripts/bench_speed.py --folder samples/project --tools selfeval   # project forms
    python scripts/bench_speed.py --scanned --folder DIR --tools selfeval    # some scans
    python scripts/bench_speed.py --photos --repeat 1      # phone photos: page finding's share
    python scripts/bench_speed.py --scanned --tools selfeval-rapidocr,selfeval-rapidocr-scores   # --read modes

Each tool reads every page of every sample ``--repeat`` times; the table gives the median
and the 90th percentile of seconds per page, and each tool's median as a ratio of
selfeval's. Peak memory is the process's maximum resident set after that tool ran alone
in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pdf_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    if path.suffix.lower() != ".pdf":
        return 1  # a photo or scan as an image file: one page
    return len(pdfium.PdfDocument(str(path)))


def run_selfeval(path: Path) -> None:
    from extract.pipeline import process_file

    process_file(path)  # a file refused (not a known form) is timed as well


def run_pdfplumber(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                table.extract()


def run_camelot(path: Path) -> None:
    import camelot

    camelot.read_pdf(str(path), pages="all", flavor="lattice")


OCR_SECONDS = [0.0]  # time spent inside the OCR engine (scanned mode)
PAGE_FINDING_SECONDS = [0.0]  # time spent finding and flattening photographed pages
TABLES = [0]  # scanned mode: forms parsed (selfeval) or tables found (img2table), last run
PAGES_WITH_TABLE: list[float] = []  # img2table: seconds of each page where it found a table


def _timed_engines() -> None:
    """Count the time spent in the engines' read_cells (measurement only)."""
    from extract.ocr.rapid import RapidOcrEngine
    from extract.ocr.tesseract import TesseractEngine

    for cls in (RapidOcrEngine, TesseractEngine):
        original = cls.read_cells

        def timed(self, image, cells, *args, _original=original, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return _original(self, image, cells, *args, **kwargs)
            finally:
                OCR_SECONDS[0] += time.perf_counter() - start

        cls.read_cells = timed  # type: ignore[method-assign]

    from extract.inputs import images

    find_page = images.find_page

    def timed_find_page(image, _original=find_page):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return _original(image)
        finally:
            PAGE_FINDING_SECONDS[0] += time.perf_counter() - start

    images.find_page = timed_find_page  # type: ignore[assignment]


def run_selfeval_engine(engine: str, backend: str = "auto", read: str = "all"):  # type: ignore[no-untyped-def]
    def run(path: Path) -> None:
        from extract.pipeline import Options, process_file

        os.environ["SELFEVAL_OCR_BACKEND"] = backend  # read when the engine is created

        result = process_file(path, Options(ocr_engine=engine, read=read))  # a failed file still counts
        TABLES[0] += 0 if result.form is None else 1
        if result.error:
            print(f"{path.name}: {result.error}", file=sys.stderr)

    return run


def run_img2table(path: Path) -> None:
    from img2table.document import PDF
    from img2table.ocr import TesseractOCR

    ocr = TesseractOCR(n_threads=1, lang="chi_sim")
    # detect_rotation: img2table's own deskew; without it, it finds no table on a page
    # scanned 0.3–2° askew (0 of 9 pages; with it, 2 of 9). Page by page, so that the
    # pages where it found a table can be timed apart.
    for index in range(pdf_pages(path)):
        start = time.perf_counter()
        doc = PDF(str(path), pages=[index], detect_rotation=True)
        found = doc.extract_tables(ocr=ocr, implicit_rows=False, borderless_tables=False)
        tables = sum(len(t) for t in found.values())
        TABLES[0] += tables
        if tables:
            PAGES_WITH_TABLE.append(time.perf_counter() - start)


TOOLS = {
    "selfeval": run_selfeval,
    "pdfplumber": run_pdfplumber,
    "camelot-lattice": run_camelot,
    "selfeval-rapidocr": run_selfeval_engine("rapidocr"),
    "selfeval-rapidocr-ort": run_selfeval_engine("rapidocr", "onnxruntime"),
    "selfeval-rapidocr-scores": run_selfeval_engine("rapidocr", read="scores"),  # --read scores
    "selfeval-tesseract": run_selfeval_engine("tesseract"),
    "img2table-tesseract": run_img2table,
}
# selfeval-rapidocr runs the recogniser in OpenVINO (the default), -ort in onnxruntime
SCANNED_TOOLS = ("selfeval-rapidocr,selfeval-rapidocr-scores,selfeval-rapidocr-ort,selfeval-tesseract,"
                 "img2table-tesseract")
SCANNED_FILES = ("seed_haizhu_2021-200dpi.pdf", "dept_justice_2019-200dpi.pdf",
                 "dept_civil_2021-150dpi.pdf")  # fmt: skip


def measure(tool: str, files: list[Path], repeat: int) -> dict[str, float | None]:
    """Per-page seconds of one tool (run inside this process)."""
    fn = TOOLS[tool]
    per_page: list[float] = []
    if tool.startswith("selfeval-"):
        _timed_engines()
    fn(files[0])  # warm-up: imports, font caches, model loading
    PAGES_WITH_TABLE.clear()
    OCR_SECONDS[0] = PAGE_FINDING_SECONDS[0] = 0.0
    total = 0.0
    pages = 0
    for _ in range(repeat):
        TABLES[0] = 0
        for path in files:
            start = time.perf_counter()
            fn(path)
            elapsed = time.perf_counter() - start
            total += elapsed
            per_page.append(elapsed / pdf_pages(path))
            pages += pdf_pages(path)
    per_page.sort()
    return {
        "found": TABLES[0],
        "ocr_share": OCR_SECONDS[0] / total if total and tool.startswith("selfeval-") else None,
        "outside_ocr": (total - OCR_SECONDS[0]) / pages if pages and tool.startswith("selfeval-") else None,
        "page_finding": PAGE_FINDING_SECONDS[0] / pages if pages and tool.startswith("selfeval-") else None,
        "median": statistics.median(per_page),
        "p90": per_page[int(0.9 * (len(per_page) - 1))],
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "median_with_table": statistics.median(PAGES_WITH_TABLE) if PAGES_WITH_TABLE else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path, help="PDFs to read (default: samples/exported, "
                        "or the chosen scans of samples/scanned with --scanned)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tools", default="selfeval,pdfplumber,camelot-lattice")
    parser.add_argument("--scanned", action="store_true",
                        help="scanned pages, one core: OCR engines and img2table")
    parser.add_argument("--photos", action="store_true",
                        help="the phone photos (samples/photos, PDFs and JPGs), one core, rapidocr")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--one-core", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.photos:
        args.scanned = True  # one core, OCR columns
        if args.tools == parser.get_default("tools"):
            args.tools = "selfeval-rapidocr"
    if args.folder is None:
        args.folder = ROOT / "samples" / ("photos" if args.photos else "scanned" if args.scanned else "exported")
    if args.scanned and not args.child and args.tools == parser.get_default("tools"):
        args.tools = SCANNED_TOOLS
    files = sorted(p for p in args.folder.iterdir() if p.suffix.lower() in (".pdf", ".jpg", ".jpeg", ".png"))
    if args.folder.name == "scanned":
        files = [f for f in files if f.name in SCANNED_FILES]
    if args.child:
        if args.one_core and hasattr(os, "sched_setaffinity"):  # pinned: no tool may use two
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        print(json.dumps(measure(args.child, files, args.repeat)))
        return 0
    results: dict[str, dict[str, Any]] = {}  # tool → measure() as read back from JSON
    for tool in args.tools.split(","):
        out = subprocess.run(
            [sys.executable, __file__, "--child", tool, "--repeat", str(args.repeat),
             "--folder", str(args.folder)] + (["--one-core"] if args.scanned else []),
            capture_output=True, text=True,
            env={**os.environ, "SELFEVAL_OCR_THREADS": "1", "OMP_THREAD_LIMIT": "1"},
        )  # fmt: skip
        if out.returncode != 0:
            print(f"{tool}: failed: {out.stderr.strip().splitlines()[-1:]}")
            continue
        results[tool] = json.loads(out.stdout.strip().splitlines()[-1])
    pages = sum(pdf_pages(p) for p in files)
    print(f"{len(files)} files, {pages} pages, {args.repeat} runs each")
    print(f"{'tool':<20} {'median s/page':>14} {'p90 s/page':>11} {'× first':>8} {'OCR share':>10} "
          f"{'not OCR s/page':>15} {'page finding s/page':>20} {'peak MB':>8} {'found':>6}")  # fmt: skip
    base = next(iter(results.values()), {}).get("median")
    for tool, r in results.items():
        ratio = f"{r['median'] / base:.2f}" if base else "-"
        share = f"{r['ocr_share']:.0%}" if r.get("ocr_share") is not None else "-"
        outside = f"{r['outside_ocr']:.2f}" if r.get("outside_ocr") is not None else "-"
        finding = f"{r['page_finding']:.2f}" if r.get("page_finding") is not None else "-"
        print(f"{tool:<20} {r['median']:>14.3f} {r['p90']:>11.3f} {ratio:>8} {share:>10} {outside:>15} {finding:>20} "
              f"{r['peak_mb']:>8.0f} {r.get('found', 0):>6}")  # fmt: skip
    print("found: scanned mode only: forms parsed (selfeval) or tables found (img2table) in the last run")
    for tool, r in results.items():
        if r.get("median_with_table") is not None:
            print(f"{tool}: median {r['median_with_table']:.3f} s on the pages where it found a table")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
