"""Compare two selfeval output folders file by file, timings aside.

    python scripts/compare_outputs.py BEFORE AFTER
    python scripts/compare_outputs.py --common-columns BEFORE AFTER   # CSVs only

Every CSV and JSON file of either folder must exist in both and be identical, except the
``seconds`` column of summary.csv. Prints one line per difference and exits 1 if any.
With ``--common-columns`` (for a change that adds columns to the output contract) only the
CSVs are compared, on the columns both have, and each differing row is printed.
Used to show that a refactoring changes no output: run ``selfeval extract samples -o
BEFORE`` on the old commit and ``-o AFTER`` on the new one, with the same input path.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

TIMING_COLUMNS = {"seconds"}


def _csv_without_timings(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return rows
    keep = [i for i, name in enumerate(rows[0]) if name not in TIMING_COLUMNS]
    return [[row[i] for i in keep if i < len(row)] for row in rows]


def _common_rows(ta: str, tb: str) -> tuple[list[list[str]], list[list[str]]]:
    a, b = list(csv.reader(io.StringIO(ta))), list(csv.reader(io.StringIO(tb)))
    if not a or not b:
        return a, b
    common = [n for n in a[0] if n in b[0] and n not in TIMING_COLUMNS]
    ia, ib = [a[0].index(n) for n in common], [b[0].index(n) for n in common]
    return [[r[i] for i in ia] for r in a], [[r[i] for i in ib] for r in b]


def column_differences(before: Path, after: Path) -> list[str]:
    """Each row of a CSV that differs on the columns both folders' files have."""
    out: list[str] = []
    for a in sorted(before.glob("*.csv")):
        b = after / a.name
        if not b.exists():
            out.append(f"{a.name}: only in before")
            continue
        ra, rb = _common_rows(a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8"))
        if len(ra) != len(rb):
            out.append(f"{a.name}: {len(ra) - 1} rows before, {len(rb) - 1} after")
        for x, y in zip(ra, rb):
            if x != y:
                out.append(f"{a.name}: {x} -> {y}")
    return out


def differences(before: Path, after: Path) -> list[str]:
    """One message per file that is missing on one side or differs."""
    names = {p.relative_to(before) for p in before.rglob("*") if p.is_file()}
    names |= {p.relative_to(after) for p in after.rglob("*") if p.is_file()}
    out: list[str] = []
    for name in sorted(names):
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            out.append(f"{name}: only in {'after' if b.exists() else 'before'}")
            continue
        if name.suffix not in (".csv", ".json"):  # page images and other binary outputs
            same = a.read_bytes() == b.read_bytes()
        else:
            ta, tb = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
            same = _csv_without_timings(ta) == _csv_without_timings(tb) if name.suffix == ".csv" else ta == tb
        if not same:
            out.append(f"{name}: differs")
    return out


def main(argv: list[str]) -> int:
    common = "--common-columns" in argv
    argv = [a for a in argv if a != "--common-columns"]
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    before, after = Path(argv[0]), Path(argv[1])
    found = column_differences(before, after) if common else differences(before, after)
    for line in found:
        print(line)
    files = sum(1 for p in before.rglob("*") if p.is_file())
    print(f"{files} file(s) compared: {len(found)} difference(s)")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
