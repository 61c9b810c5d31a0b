"""Compare two selfeval output folders file by file, timings aside.

    python scripts/compare_outputs.py BEFORE AFTER

Every CSV and JSON file of either folder must exist in both and be identical, except the
``seconds`` column of summary.csv. Prints one line per difference and exits 1 if any.
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
        ta, tb = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
        same = _csv_without_timings(ta) == _csv_without_timings(tb) if name.suffix == ".csv" else ta == tb
        if not same:
            out.append(f"{name}: differs")
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    before, after = Path(argv[0]), Path(argv[1])
    found = differences(before, after)
    for line in found:
        print(line)
    files = sum(1 for p in before.rglob("*") if p.is_file())
    print(f"{files} file(s) compared: {len(found)} difference(s)")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
