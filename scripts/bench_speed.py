"""Speed per page: selfeval against camelot lattice and pdfplumber's table finder.

    python scripts/bench_speed.py              # exported (text-layer) samples
    python scripts/bench_speed.py --repeat 5

Each tool reads every page of every sample ``--repeat`` times; the table gives the median
and the 90th percentile of seconds per page, and each tool's median as a ratio of
selfeval's. Peak memory is the process's maximum resident set after that tool ran alone
in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pdf_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(str(path)))


def run_selfeval(path: Path) -> None:
    from extract.pipeline import read_form

    read_form(path)


def run_pdfplumber(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                table.extract()


def run_camelot(path: Path) -> None:
    import camelot

    camelot.read_pdf(str(path), pages="all", flavor="lattice")


TOOLS = {"selfeval": run_selfeval, "pdfplumber": run_pdfplumber, "camelot-lattice": run_camelot}


def measure(tool: str, files: list[Path], repeat: int) -> dict[str, float]:
    """Per-page seconds of one tool (run inside this process)."""
    fn = TOOLS[tool]
    per_page: list[float] = []
    fn(files[0])  # warm-up: imports, font caches
    for _ in range(repeat):
        for path in files:
            start = time.perf_counter()
            fn(path)
            per_page.append((time.perf_counter() - start) / pdf_pages(path))
    per_page.sort()
    return {
        "median": statistics.median(per_page),
        "p90": per_page[int(0.9 * (len(per_page) - 1))],
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path, default=ROOT / "samples" / "exported")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    files = sorted(args.folder.glob("*.pdf"))
    if args.child:
        print(json.dumps(measure(args.child, files, args.repeat)))
        return 0
    results = {}
    for tool in args.tools.split(","):
        out = subprocess.run(
            [sys.executable, __file__, "--child", tool, "--repeat", str(args.repeat),
             "--folder", str(args.folder)],
            capture_output=True, text=True,
        )  # fmt: skip
        if out.returncode != 0:
            print(f"{tool}: failed: {out.stderr.strip().splitlines()[-1:]}")
            continue
        results[tool] = json.loads(out.stdout.strip().splitlines()[-1])
    pages = sum(pdf_pages(p) for p in files)
    print(f"{len(files)} files, {pages} pages, {args.repeat} runs each")
    print(f"{'tool':<18} {'median s/page':>14} {'p90 s/page':>11} {'× selfeval':>11} {'peak MB':>8}")
    base = results.get("selfeval", {}).get("median")
    for tool, r in results.items():
        ratio = f"{r['median'] / base:.2f}" if base else "-"
        print(f"{tool:<18} {r['median']:>14.3f} {r['p90']:>11.3f} {ratio:>11} {r['peak_mb']:>8.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
