"""Ruled tables of any document: selfeval against the general table extractors on the
samples of ``samples/tables/`` (``make_table_samples.py``), per source kind.

    python scripts/bench_tables.py
    python scripts/bench_tables.py --tools selfeval,camelot --folder samples/tables

For each tool and kind (spreadsheet exports, HTML printed by Chromium, scans): tables
found against the truth's count, exact grids (n_rows, n_cols and every cell's position and
span), ICDAR 2013 style adjacency precision/recall/F1 of non-empty cells, cell text exact
(whitespace ignored), and seconds per page. Tools: selfeval, camelot (lattice),
pdfplumber (find_tables), img2table (Tesseract chi_sim) in its own environment
(``--setup-peers`` makes it: it needs opencv-contrib-python, which would replace the
project's OpenCV). A tool that cannot
read a file (camelot and pdfplumber on scans: no text layer) scores what it found: nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GridCell = tuple[int, int, int, int, str]  # row, col, rowspan, colspan, text
Grid = tuple[int, int, list[GridCell]]  # n_rows, n_cols, cells


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


# ------------------------------------------------------------------ tools → grids


def selfeval_tables(path: Path) -> list[Grid]:
    from extract.api import find_tables

    return [(t.table.n_rows, t.table.n_cols, [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in t.table.cells])
            for t in find_tables(path)]  # fmt: skip


def _spans_from_boxes(boxes: list[tuple[float, float, float, float, str]]) -> Grid:
    """Cells given as boxes (merged cells once) → a grid on every distinct edge."""
    def edges(values: list[float]) -> list[float]:
        out: list[float] = []
        for v in sorted(values):
            if not out or v - out[-1] > 1.0:
                out.append(v)
        return out

    xs = edges([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = edges([b[1] for b in boxes] + [b[3] for b in boxes])

    def index(values: list[float], v: float) -> int:
        return min(range(len(values)), key=lambda i: abs(values[i] - v))

    cells = []
    for x0, top, x1, bottom, text in boxes:
        c0, c1, r0, r1 = index(xs, x0), index(xs, x1), index(ys, top), index(ys, bottom)
        if c1 > c0 and r1 > r0:
            cells.append((r0, c0, r1 - r0, c1 - c0, text))
    return len(ys) - 1, len(xs) - 1, cells


def pdfplumber_tables(path: Path) -> list[Grid]:
    import pdfplumber

    grids = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                boxes = []
                for cell in table.cells:
                    text = page.crop(cell).extract_text() or ""
                    boxes.append((cell[0], cell[1], cell[2], cell[3], text))
                grids.append(_spans_from_boxes(boxes))
    return grids


def camelot_tables(path: Path) -> list[Grid]:
    import camelot

    grids = []
    for table in camelot.read_pdf(str(path), flavor="lattice", pages="all"):
        rows, cols = len(table.cells), len(table.cells[0]) if table.cells else 0
        seen: set[tuple[int, int]] = set()
        cells = []
        for r in range(rows):
            for c in range(cols):
                if (r, c) in seen:
                    continue
                # a merged cell: extend right while no right border, down while no bottom border
                cs = 1
                while c + cs < cols and not table.cells[r][c + cs - 1].right:
                    cs += 1
                rs = 1
                while r + rs < rows and not table.cells[r + rs - 1][c].bottom:
                    rs += 1
                for i in range(r, r + rs):
                    for j in range(c, c + cs):
                        seen.add((i, j))
                cells.append((r, c, rs, cs, str(table.df.iat[r, c])))
        grids.append((rows, cols, cells))
    return grids


PEER_VENV = ROOT / ".venvs" / "img2table"


def setup_peers() -> None:
    """img2table in its own environment: it needs opencv-contrib-python, which would
    replace the project's OpenCV in this one."""
    subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    subprocess.run([str(PEER_VENV / "bin" / "python"), "-m", "pip", "install", "-q", "img2table"], check=True)


def img2table_tables(path: Path) -> list[Grid]:
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        raise ImportError("img2table's environment is not set up (bench_tables.py --setup-peers)")
    done = subprocess.run([str(python), str(ROOT / "scripts" / "peer_img2table.py"), str(path)],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return [_spans_from_boxes([tuple(box) for box in boxes]) for boxes in json.loads(done.stdout.strip().splitlines()[-1])]


TOOLS: dict[str, Callable[[Path], list[Grid]]] = {
    "selfeval": selfeval_tables, "camelot": camelot_tables, "pdfplumber": pdfplumber_tables,
    "img2table": img2table_tables,
}  # fmt: skip


# ------------------------------------------------------------------ scores


def truth_grids(doc: dict) -> list[Grid]:  # type: ignore[type-arg]
    return [(t["n_rows"], t["n_cols"], [(c["row"], c["col"], c["rowspan"], c["colspan"], c["text"]) for c in t["cells"]])
            for t in doc["tables"]]  # fmt: skip


def exact_grid(a: Grid, b: Grid) -> bool:
    return a[:2] == b[:2] and {c[:4] for c in a[2]} == {c[:4] for c in b[2]}


def adjacency(grid: Grid) -> Counter[tuple[str, str, str]]:
    """Each non-empty cell's relation to the nearest non-empty cell right of it (on its
    top row) and below it (on its left column)."""
    n_rows, n_cols, cells = grid
    at: dict[tuple[int, int], GridCell] = {}
    for cell in cells:
        for r in range(cell[0], cell[0] + cell[2]):
            for c in range(cell[1], cell[1] + cell[3]):
                at[(r, c)] = cell
    relations: Counter[tuple[str, str, str]] = Counter()
    for cell in cells:
        text = norm(cell[4])
        if not text:
            continue
        r, c = cell[0], cell[1] + cell[3]
        while c < n_cols:
            other = at.get((r, c))
            if other is not None and norm(other[4]):
                relations[(text, norm(other[4]), "h")] += 1
                break
            c += other[3] if other is not None else 1
        r, c = cell[0] + cell[2], cell[1]
        while r < n_rows:
            other = at.get((r, c))
            if other is not None and norm(other[4]):
                relations[(text, norm(other[4]), "v")] += 1
                break
            r += other[2] if other is not None else 1
    return relations


def score(found: list[Grid], truth: list[Grid]) -> dict[str, float]:
    pairs = list(zip(found, truth))
    want = sum((adjacency(t) for t in truth), Counter())
    got = sum((adjacency(f) for f in found), Counter())
    hit = sum((want & got).values())
    truth_texts = Counter(norm(c[4]) for t in truth for c in t[2] if norm(c[4]))
    found_texts = Counter(norm(c[4]) for f in found for c in f[2] if norm(c[4]))
    return {"tables": len(found), "truth_tables": len(truth), "exact": sum(exact_grid(f, t) for f, t in pairs),
            "hit": hit, "want": sum(want.values()), "got": sum(got.values()),
            "text_hit": sum((truth_texts & found_texts).values()), "text_want": sum(truth_texts.values())}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path, default=ROOT / "samples" / "tables")
    parser.add_argument("--tools", default="selfeval,camelot,pdfplumber,img2table")
    parser.add_argument("-v", "--verbose", action="store_true", help="a line per file and tool")
    parser.add_argument("--setup-peers", action="store_true",
                        help="first make .venvs/img2table (img2table needs its own OpenCV)")
    args = parser.parse_args()
    if args.setup_peers:
        setup_peers()
    import pypdfium2 as pdfium

    samples = sorted(args.folder.glob("*.pdf"))
    totals: dict[tuple[str, str], Counter[str]] = {}
    seconds: dict[tuple[str, str], float] = {}
    pages: Counter[str] = Counter()
    for path in samples:
        truth_doc = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
        kind = truth_doc["kind"]
        pages[kind] += len(pdfium.PdfDocument(str(path)))
        truth = truth_grids(truth_doc)
        for tool in args.tools.split(","):
            start = time.perf_counter()
            try:
                found = TOOLS[tool](path)
            except ImportError:
                continue
            except Exception as exc:  # a peer that cannot read a file finds nothing in it
                found = []
                if args.verbose:
                    print(f"{tool} {path.name}: {type(exc).__name__}: {exc}"[:160])
            seconds[(tool, kind)] = seconds.get((tool, kind), 0.0) + time.perf_counter() - start
            result = score(found, truth)
            totals.setdefault((tool, kind), Counter()).update(result)
            if args.verbose:
                print(f"{tool:<10} {path.name:<30} {result}")
    print(f"{'kind':<12} {'tool':<10} {'tables':>9} {'exact grid':>10} {'adj P':>6} {'adj R':>6} {'adj F1':>6}"
          f" {'text':>6} {'s/page':>7}")  # fmt: skip
    for (tool, kind), t in sorted(totals.items(), key=lambda item: (item[0][1], item[0][0])):
        p = t["hit"] / t["got"] if t["got"] else 0.0
        r = t["hit"] / t["want"] if t["want"] else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        text = t["text_hit"] / t["text_want"] if t["text_want"] else 1.0
        print(f"{kind:<12} {tool:<10} {t['tables']:>4}/{t['truth_tables']:<4} {t['exact']:>5}/{t['truth_tables']:<4}"
              f" {p:>6.2f} {r:>6.2f} {f1:>6.2f} {text:>6.1%} {seconds[(tool, kind)] / pages[kind]:>7.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
