"""Accuracy against the ground truth kept beside each sample.

    python scripts/bench_accuracy.py                     # exported samples, both families
    python scripts/bench_accuracy.py --scanned           # scanned samples, default engine
    python scripts/bench_accuracy.py --scanned --ocr tesseract
    python scripts/bench_accuracy.py --folder DIR        # e.g. held-out scans (make_samples --unseen)

Prints per sample, per family, per dpi and overall: leaf-row precision/recall (every field
exact), the share of rows with 分值+得分 exact and with the name exact, findings
precision/recall, and the share of files given the right family (a file the truth says
is no known form counts as right when it is refused).
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

from extract.evaluation import Comparison, compare_document, load_truth, truth_samples  # noqa: E402
from extract.model import FileResult  # noqa: E402
from extract.pipeline import Options, process_file  # noqa: E402

DPI_PATTERN = re.compile(r"(\d{3})dpi")


def row(name: str, c: Comparison, seconds: float) -> str:
    return (
        f"{name:<38} {c.truth_rows:>5} {c.extracted_rows:>5} {c.row_precision:>6.3f} {c.row_recall:>6.3f}"
        f" {c.scores_exact / max(c.truth_rows, 1):>7.3f} {c.names_exact / max(c.truth_rows, 1):>6.3f}"
        f" {c.findings_precision:>6.3f} {c.findings_recall:>6.3f} {seconds:>7.2f}"
    )


REFUSAL = "not a known self-evaluation form"


def family_right(result: FileResult, truth: dict) -> bool:
    """The file got the family (and layout, where the truth names one) it should, or was
    refused when it is no known form."""
    if "refused" in truth:
        return result.status == "failed" and REFUSAL in result.error
    if not result.forms:
        return False
    return all(
        f.form_type == truth["form_type"] and f.layout == truth.get("layout", f.layout)
        for f in result.forms
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scanned", action="store_true", help="scanned samples instead")
    parser.add_argument("--ocr", help="OCR engine for scanned pages")
    parser.add_argument("--read", choices=("all", "scores"), default="all",
                        help="--read mode of scanned pages (scores: prose cells are not read)")
    parser.add_argument("--photos", action="store_true", help="the phone photos (samples/photos) instead")
    parser.add_argument("--folder", type=Path, help="samples folder (overrides --scanned, --photos)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print field errors")
    parser.add_argument("--fields", help="with -v: only these fields' errors, all of them "
                        "(comma-separated, e.g. indicator,level2)")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="files converted in parallel")
    args = parser.parse_args()
    folders = [args.folder] if args.folder else (
        [ROOT / "samples" / "scanned"] if args.scanned
        else [ROOT / "samples" / "photos"] if args.photos
        else [ROOT / "samples" / "exported", ROOT / "samples" / "project"])
    options = Options(ocr_engine=args.ocr, read=args.read)
    header = (f"{'sample':<38} {'truth':>5} {'got':>5} {'rowP':>6} {'rowR':>6} {'scores':>7}"
              f" {'names':>6} {'findP':>6} {'findR':>6} {'sec':>7}  family")  # fmt: skip
    print(header)
    print("-" * len(header))
    total = Comparison()
    by_group: dict[str, Comparison] = defaultdict(Comparison)
    right: dict[str, list[bool]] = defaultdict(list)
    pairs = [pair for folder in folders if folder.is_dir() for pair in truth_samples(folder)]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(process_file, [d for d, _ in pairs], [options] * len(pairs)))
    for (doc, truth_path), result in zip(pairs, results):
        truth = load_truth(truth_path)
        family = truth.get("form_type", "unknown") if "refused" not in truth else "not a form"
        ok = family_right(result, truth)
        right[family].append(ok)
        right["overall"].append(ok)
        c = compare_document(result.forms, truth)
        if result.status == "failed" and "refused" not in truth:
            print(f"{doc.name:<38} FAILED: {result.error}")
        else:
            print(row(doc.name, c, result.seconds) + f"  {'right' if ok else 'WRONG'}")
        if args.verbose:
            errors = c.field_errors[:20]
            if args.fields:
                wanted = tuple(f".{f}:" for f in args.fields.split(","))
                errors = [e for e in c.field_errors if any(w in e for w in wanted)]
            for line in errors + [f"missed {m}" for m in c.missed_findings] + [
                f"extra {e}" for e in c.extra_findings
            ]:
                print("    " + line)
        total.add(c)
        by_group[f"family {family}"].add(c)
        dpi = DPI_PATTERN.search(doc.name)
        if dpi:
            by_group[f"{dpi.group(1)} dpi"].add(c)
        frame = truth.get("photo", {}).get("frame_pixels")
        if frame:  # photos by camera
            by_group["photos under 6 Mpx" if frame[0] * frame[1] < 6e6 else "photos 6 Mpx and over"].add(c)
    print("-" * len(header))
    for name, c in sorted(by_group.items()):
        family = name.removeprefix("family ")
        share = f"  family right {sum(right[family])}/{len(right[family])}" if family in right else ""
        print(row(f"overall {name}", c, 0.0) + share)
    print(row("overall", total, 0.0) + f"  family right {sum(right['overall'])}/{len(right['overall'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
