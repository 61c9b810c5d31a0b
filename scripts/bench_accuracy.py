"""Accuracy against the ground truth kept beside each sample.

    python scripts/bench_accuracy.py                     # exported samples
    python scripts/bench_accuracy.py --scanned           # scanned samples, default engine
    python scripts/bench_accuracy.py --scanned --ocr tesseract

Prints per sample and overall: leaf-row precision/recall (every field exact), the share of
rows with 分值+得分 exact and with the name exact, and findings precision/recall.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.evaluation import Comparison, compare, load_truth, truth_samples  # noqa: E402
from extract.pipeline import Options, process_file  # noqa: E402

DPI_PATTERN = re.compile(r"(\d{3})dpi")


def row(name: str, c: Comparison, seconds: float) -> str:
    return (
        f"{name:<38} {c.truth_rows:>5} {c.extracted_rows:>5} {c.row_precision:>6.3f} {c.row_recall:>6.3f}"
        f" {c.scores_exact / max(c.truth_rows, 1):>7.3f} {c.names_exact / max(c.truth_rows, 1):>6.3f}"
        f" {c.findings_precision:>6.3f} {c.findings_recall:>6.3f} {seconds:>7.2f}"
    )


def add(total: Comparison, c: Comparison) -> None:
    for name in ("truth_rows", "extracted_rows", "exact_rows", "scores_exact", "names_exact",
                 "findings_expected", "findings_found", "findings_matched"):  # fmt: skip
        setattr(total, name, getattr(total, name) + getattr(c, name))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scanned", action="store_true", help="scanned samples instead")
    parser.add_argument("--ocr", help="OCR engine for scanned pages")
    parser.add_argument("--folder", type=Path, help="samples folder (overrides --scanned)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print field errors")
    parser.add_argument("--fields", help="with -v: only these fields' errors, all of them "
                        "(comma-separated, e.g. indicator,level2)")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="files converted in parallel")
    args = parser.parse_args()
    folder = args.folder or ROOT / "samples" / ("scanned" if args.scanned else "exported")
    options = Options(ocr_engine=args.ocr)
    header = (f"{'sample':<38} {'truth':>5} {'got':>5} {'rowP':>6} {'rowR':>6} {'scores':>7}"
              f" {'names':>6} {'findP':>6} {'findR':>6} {'sec':>7}")  # fmt: skip
    print(header)
    print("-" * len(header))
    total = Comparison()
    by_group: dict[str, Comparison] = defaultdict(Comparison)
    pairs = truth_samples(folder)
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(process_file, [d for d, _ in pairs], [options] * len(pairs)))
    for (doc, truth_path), result in zip(pairs, results):
        truth = load_truth(truth_path)
        if result.form is None:
            print(f"{doc.name:<38} FAILED: {result.error}")
            failed = Comparison(truth_rows=len(truth["indicators"]),
                                findings_expected=len(truth.get("findings", [])))  # fmt: skip
            add(total, failed)
            continue
        c = compare(result.form, truth)
        print(row(doc.name, c, result.seconds))
        if args.verbose:
            errors = c.field_errors[:20]
            if args.fields:
                wanted = tuple(f".{f}:" for f in args.fields.split(","))
                errors = [e for e in c.field_errors if any(w in e for w in wanted)]
            for line in errors + [f"missed {m}" for m in c.missed_findings] + [
                f"extra {e}" for e in c.extra_findings
            ]:
                print("    " + line)
        add(total, c)
        dpi = DPI_PATTERN.search(doc.name)
        if dpi:
            add(by_group[f"{dpi.group(1)} dpi"], c)
    print("-" * len(header))
    for name, c in sorted(by_group.items()):
        print(row(f"overall {name}", c, 0.0))
    print(row("overall", total, 0.0))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
