"""Batch throughput: one archive of sample files (exported, scanned and broken ones mixed)
converted with -j 1, -j 2 and a two-worker local Dask cluster, and re-run unchanged.

    python scripts/bench_batch.py                # 42 files, a few minutes on two cores
    python scripts/bench_batch.py --scans 4      # fewer scans, quicker
    python scripts/bench_batch.py --repeat 3     # medians of three rounds (the figures to quote)

Each worker gets one core (the run is pinned to as many cores as it has workers) and one
thread (SELFEVAL_OCR_THREADS=1 and the BLAS/OpenMP limits). Prints files and pages per
minute per mode, each as a ratio of -j 1, and the re-run's time as a share of its run's;
with ``--repeat N`` the modes take turns N times and the medians are printed.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def build_archive(folder: Path, scans: int) -> int:
    """Copy the samples into ``folder`` (every text-layer and broken file, ``scans`` scans)."""
    names = [p for sub in ("exported", "project", "variants", "bad") for p in sorted((SAMPLES / sub).glob("*"))
             if p.suffix.lower() in (".pdf", ".tif")]  # fmt: skip
    names += sorted(p for p in (SAMPLES / "scanned").glob("*") if p.suffix.lower() in (".pdf", ".tif"))[:scans]
    for path in names:
        target = folder / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    return len(names)


# One thread per worker for every library that would start more (BLAS, OpenMP, OpenCV).
ONE_THREAD = {"SELFEVAL_OCR_THREADS": "1", "OMP_THREAD_LIMIT": "1", "OMP_NUM_THREADS": "1",
              "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENCV_NUM_THREADS": "1"}  # fmt: skip


def run(archive: Path, out: Path, cores: int, *extra: str) -> float:
    """Seconds of one CLI run pinned to ``cores`` cores (one per worker)."""
    env = {**os.environ, **ONE_THREAD, "PYTHONPATH": str(ROOT)}
    pin = ["taskset", "-c", ",".join(str(c) for c in sorted(os.sched_getaffinity(0))[:cores])]
    start = time.perf_counter()
    subprocess.run([*pin, sys.executable, "-m", "extract", "extract", str(archive), "-o", str(out), "-q", *extra],
                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def pages_read(out: Path) -> int:
    with open(out / "summary.csv", encoding="utf-8", newline="") as handle:
        return sum(int(row["pages"]) for row in csv.DictReader(handle) if row["pages"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scans", type=int, default=16, help="scanned samples in the archive")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of every mode (medians printed)")
    args = parser.parse_args()
    modes = [("-j 1", 1, ["-j", "1"]), ("-j 2", 2, ["-j", "2"]),
             ("dask local, 2 workers", 2, ["-j", "2", "--dask", "local"])]
    seconds: dict[str, list[float]] = {label: [] for label, _, _ in modes}
    reruns: list[float] = []
    pages = 0
    with tempfile.TemporaryDirectory(prefix="bench_batch_") as tmp:
        archive = Path(tmp) / "archive"
        files = build_archive(archive, args.scans)
        for _ in range(max(1, args.repeat)):
            for label, cores, extra in modes:
                out = Path(tmp) / label.replace(" ", "_").replace(",", "")
                shutil.rmtree(out, ignore_errors=True)
                seconds[label].append(run(archive, out, cores, *extra))
                pages = pages_read(out)
            reruns.append(run(archive, Path(tmp) / "-j_2", 2, "-j", "2") / seconds["-j 2"][-1])
    rows = [(label, statistics.median(seconds[label]), pages) for label, _, _ in modes]
    rounds = f", medians of {args.repeat} rounds" if args.repeat > 1 else ""
    base = rows[0][1]
    print(f"{files} files ({args.scans} scans), {pages} pages read{rounds}")
    print(f"{'mode':<24} {'seconds':>8} {'files/min':>10} {'pages/min':>10} {'× -j 1':>7}")
    for label, median, pages in rows:
        print(f"{label:<24} {median:>8.1f} {files / median * 60:>10.1f} {pages / median * 60:>10.1f}"
              f" {base / median:>7.2f}")
    print(f"{'re-run of -j 2, unchanged':<24} {statistics.median(reruns):>8.1%} of its run")
    if args.repeat > 1:
        for label, _, _ in modes:
            print(f"  {label}: " + ", ".join(f"{value:.1f}" for value in seconds[label]) + " s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
