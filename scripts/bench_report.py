"""Review report cost: the whole samples folder converted once, then its report built
(from the output folder alone) several times; prints the extract run's seconds, the
report's median seconds and their ratio, and the report's size.

    python scripts/bench_report.py               # a few minutes on two cores
    python scripts/bench_report.py --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def seconds(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "extract", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)  # fmt: skip
    return time.perf_counter() - start


def size(folder: Path, pattern: str = "*") -> int:
    return sum(p.stat().st_size for p in folder.rglob(pattern) if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="report builds (median printed)")
    parser.add_argument("--input", type=Path, default=ROOT / "samples", help="folder to convert")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_report_") as tmp:
        out = Path(tmp) / "out"
        extract = seconds("extract", str(args.input), "-o", str(out), "-q", "-j", "2")
        builds = [seconds("report", str(out)) for _ in range(max(1, args.repeat))]
        report = out / "report"
        files = len(list((report / "files").glob("*.html")))
        pages = len(list((report / "pages").rglob("*.webp")))
        total, images = size(report), size(report, "*.webp")
    median = statistics.median(builds)
    print(f"{files} files, {pages} pages ({args.input})")
    print(f"{'step':<28} {'seconds':>8}")
    print(f"{'extract -j 2':<28} {extract:>8.1f}")
    print(f"{'report, median of ' + str(len(builds)):<28} {median:>8.1f}   ({median / extract:.1%} of extract)")
    print(f"report size: {total / 1e6:.1f} MB ({images / 1e6:.1f} MB page images, {total / max(1, files) / 1e3:.0f} KB a file,"
          f" {images / max(1, pages) / 1e3:.0f} KB a page image)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
