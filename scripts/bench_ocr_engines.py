"""Benchmark the OCR engines on rendered, scan-degraded table pages.

Pages come from ``samples/exported/*.pdf`` when present, else from a small sample
built here (openpyxl sheet → LibreOffice PDF, 8–9 pt Noto Sans CJK SC). Cell boxes
come from the PDF's ruling lines (pdfplumber), the true text from its text layer.

    python scripts/bench_ocr_engines.py [--engines rapidocr,tesseract] [--dpi 150,200,300]
        [--runs 3] [--pdf FILE ...] [--pages N]

Prints per engine × dpi: exact-match rate of all cells and of numeric cells,
character accuracy, median seconds per page and milliseconds per cell.
"""

from __future__ import annotations

import argparse
import io
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extract.model import BBox
from extract.ocr.base import CellRequest
from extract.text.normalize import join_cjk_lines, normalize_text
from extract.text.numbers import parse_number

SAMPLE_FONT = "Noto Sans CJK SC"
SAMPLE_DIR = Path(tempfile.gettempdir()) / "selfeval_ocr_sample"
# Shrink cell boxes from pdfplumber by this many points before cropping the truth text:
# a character whose box grazes a ruling line belongs to the cell it sits in.
TRUTH_INSET_PT = 0.5

# Rows of the sample indicator table (docs/forms.md §1, dept_overall part 1), with wrapped
# names, long explanations and the number shapes of §3.
_HEADER = [
    "一级指标",
    "分值",
    "二级指标",
    "分值",
    "三级指标",
    "分值",
    "指标解释",
    "得分",
    "评分依据",
]
_ROWS = [
    [
        "管理效能",
        "45",
        "资金管理",
        "16",
        "预算完成率",
        "2.0",
        "反映部门预算完成程度。预算完成率=预算完成数/预算数×100%",
        "1.8",
        "87.93%",
    ],
    ["", "", "", "", "部门预算编制情况", "3.0", "部门预算编制是否科学、规范", "3.0", "编制规范"],
    ["", "", "", "", "预算调整率", "2.0", "反映部门预算调整程度", "0.4", "12.50%"],
    ["", "", "", "", "支付进度", "3.00", "反映部门预算执行进度", "2.75", "100.00%"],
    ["", "", "", "", "结转结余率", "2.0", "反映部门结转结余资金情况", "2.0", "0.00%"],
    ["", "", "采购管理", "2", "政府采购执行率", "2.0", "反映政府采购预算执行情况", "1.6", "80.00%"],
    [
        "",
        "",
        "信息公开管理",
        "4",
        "预决算信息公开情况",
        "4.0",
        "部门预决算是否按规定内容、时限公开",
        "4.0",
        "按时公开",
    ],
    ["", "", "资产管理", "4", "资产管理规范性", "2.0", "资产配置、使用、处置是否规范", "1.5", "-"],
    ["", "", "", "", "固定资产利用率", "2.0", "反映固定资产使用效率", "2.0", "95.20%"],
    [
        "履职效能",
        "50",
        "发挥政府门户网站权威发布",
        "1.00",
        "信息发布及时率",
        "1.00",
        "保障并提升政务基础设施及服务能力",
        "0.95",
        "≥98%",
    ],
    [
        "",
        "",
        "保障并提升政务基础设施及服务能力",
        "15.00",
        "政务服务事项网上可办率",
        "15.00",
        "全区政务服务事项实现网上办理",
        "14.20",
        "可关联电子证照材料3084项",
    ],
]
_BUDGET = [
    ["", "全年预算数", "全年执行数", "完成率"],
    ["财政拨款", "65,240,247.04", "57,368,166.31", "87.93%"],
    ["基本支出", "24,028,491.84", "23,918,002.50", "99.54%"],
    ["项目支出", "41,211,755.20", "33,450,163.81", "81.17%"],
]


def build_sample_pdf(out_dir: Path = SAMPLE_DIR, font_size: float = 8.0, scale: int = 75) -> Path:
    """Write the sample workbook and convert it with LibreOffice; reuse an existing PDF.
    8 pt type printed at 75 % is 6 pt, 12–13 px high at 150 dpi (docs/forms.md §5)."""
    pdf = out_dir / "ocr_sample.pdf"
    if pdf.exists():
        return pdf
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is needed to build the OCR sample")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    out_dir.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name=SAMPLE_FONT, size=font_size)
    widths = [8, 5, 10, 5, 14, 5, 18, 5, 14]
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    # the budget block sits in columns C, E, G, I (wide enough for the amounts)
    budget = [["", "", r[0], "", r[1], "", r[2], "", r[3]] for r in _BUDGET]
    rows = [_HEADER, *_ROWS, [""] * 9, *budget]
    for r, values in enumerate(rows, start=1):
        blank_row = not any(values)
        lines = 1
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value or None)
            cell.font = font
            cell.alignment = Alignment(
                wrap_text=True, vertical="center", horizontal="left" if c in (5, 7, 9) else "center"
            )
            in_budget = r > len(_ROWS) + 2
            if not blank_row and (not in_budget or c in (3, 5, 7, 9)):
                cell.border = border
            # LibreOffice keeps the row heights openpyxl writes: size them for the wrap
            # (a column-width unit is about 6.5 pt; a CJK character is font_size wide).
            chars_per_line = max(1.0, (widths[c - 1] * 6.5 - 4) / font_size)
            weight = sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in value)
            lines = max(lines, math.ceil(weight / chars_per_line))
        ws.row_dimensions[r].height = lines * font_size * 1.45 + 5
    # merged 一级/二级 cells, as in the real forms
    for col in ("A", "B"):
        ws.merge_cells(f"{col}2:{col}10")
        ws.merge_cells(f"{col}11:{col}12")
    for col in ("C", "D"):
        ws.merge_cells(f"{col}2:{col}6")
        ws.merge_cells(f"{col}9:{col}10")
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.scale = scale
    xlsx = out_dir / "ocr_sample.xlsx"
    wb.save(xlsx)
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out_dir), str(xlsx)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice did not write {pdf}")
    return pdf


@dataclass(frozen=True)
class TruthCell:
    request: CellRequest
    text: str  # normalised, spaces removed


def compact(text: str) -> str:
    """The form used for comparison: normalised, without any whitespace."""
    return "".join(normalize_text(text).split())


def page_cells(pdf: Path, index: int, dpi: int) -> list[TruthCell]:
    """Cells of the page's ruled tables in pixels at `dpi`, with their true text."""
    import pdfplumber

    scale = dpi / 72
    out: list[TruthCell] = []
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[index]
        for table in page.find_tables():
            for x0, top, x1, bottom in table.cells:
                inner = (
                    x0 + TRUTH_INSET_PT,
                    top + TRUTH_INSET_PT,
                    x1 - TRUTH_INSET_PT,
                    bottom - TRUTH_INSET_PT,
                )
                raw = page.crop(inner).extract_text() or ""
                text = compact(join_cjk_lines(raw.splitlines()))
                bbox = BBox(x0 * scale, top * scale, x1 * scale, bottom * scale)
                numeric = parse_number(text) is not None
                out.append(TruthCell(CellRequest(bbox, numeric=numeric), text))
    return out


def render_page(pdf: Path, index: int, dpi: int) -> np.ndarray:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        image = doc[index].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        doc.close()
    return np.asarray(image)


def degrade(image: np.ndarray, seed: int = 0) -> np.ndarray:
    """Make a clean render look scanned: blur, grey paper, noise, JPEG at quality 60."""
    rng = np.random.default_rng(seed)
    blurred = Image.fromarray(image).filter(ImageFilter.GaussianBlur(0.7))
    arr = np.asarray(blurred, dtype=np.float32) / 255.0
    h, w = arr.shape
    shade = 0.85 + 0.05 * np.linspace(0, 1, w)[None, :] * np.linspace(1, 0, h)[:, None]
    arr = arr * shade + rng.normal(0.0, 0.04, arr.shape)
    arr = np.clip(arr * 255.0, 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="JPEG", quality=60)
    buf.seek(0)
    return np.asarray(Image.open(buf).convert("L"))


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@dataclass(frozen=True)
class Score:
    exact: float
    exact_numeric: float
    char_accuracy: float
    n_cells: int
    n_numeric: int


def score(truth: list[TruthCell], read: list[str]) -> Score:
    """Exact-match rates and character accuracy of `read` against `truth` (non-empty
    truth cells count; empty ones count as exact when nothing was read)."""
    exact = [compact(r) == t.text for t, r in zip(truth, read)]
    numeric = [e for t, e in zip(truth, exact) if t.request.numeric]
    errors = sum(edit_distance(t.text, compact(r)) for t, r in zip(truth, read))
    length = sum(len(t.text) for t in truth)
    return Score(
        exact=sum(exact) / len(exact),
        exact_numeric=sum(numeric) / len(numeric) if numeric else 1.0,
        char_accuracy=max(0.0, 1 - errors / max(1, length)),
        n_cells=len(truth),
        n_numeric=len(numeric),
    )


def sample_pages(pdfs: list[Path], pages: int) -> list[tuple[Path, int]]:
    import pypdfium2 as pdfium

    out: list[tuple[Path, int]] = []
    for pdf in pdfs:
        doc = pdfium.PdfDocument(str(pdf))
        n = len(doc)
        doc.close()
        out.extend((pdf, i) for i in range(min(n, pages)))
    return out


def main(argv: list[str] | None = None) -> int:
    from extract.ocr.registry import get_engine

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engines", default="rapidocr,tesseract")
    ap.add_argument("--dpi", default="150,200,300")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pdf", nargs="*", type=Path)
    ap.add_argument("--pages", type=int, default=2, help="pages per PDF")
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args(argv)

    pdfs = args.pdf or sorted((ROOT / "samples" / "exported").glob("*.pdf"))[:3]
    if not pdfs:
        pdfs = [build_sample_pdf()]
    pages = sample_pages(pdfs, args.pages)
    print(f"pages: {len(pages)} from {', '.join(p.name for p in pdfs)}")
    header = (
        f"{'engine':<10} {'dpi':>4} {'cells':>5} {'exact':>6} {'num':>4} "
        f"{'exact#':>6} {'char acc':>8} {'s/page':>7} {'ms/cell':>7}"
    )
    print(header)
    print("-" * len(header))
    for name in args.engines.split(","):
        engine = get_engine(name)
        for dpi in (int(d) for d in args.dpi.split(",")):
            truth_all: list[TruthCell] = []
            read_all: list[str] = []
            times: list[float] = []
            for k, (pdf, index) in enumerate(pages):
                image = degrade(render_page(pdf, index, dpi), seed=k)
                truth = page_cells(pdf, index, dpi)
                requests = [t.request for t in truth]
                runs = []
                for _ in range(args.runs):
                    t0 = time.perf_counter()
                    result = engine.read_cells(image, requests)
                    runs.append(time.perf_counter() - t0)
                times.append(statistics.median(runs))
                truth_all.extend(truth)
                read_all.extend(r.text for r in result)
                if args.show_errors:
                    for t, r in zip(truth, result):
                        if compact(r.text) != t.text:
                            print(
                                f"  {name}@{dpi} p{index + 1}: {t.text!r} -> {r.text!r} "
                                f"({r.confidence:.2f})"
                            )
            s = score(truth_all, read_all)
            per_page = statistics.median(times)
            per_cell = 1000 * sum(times) / max(1, s.n_cells)
            print(
                f"{name:<10} {dpi:>4} {s.n_cells:>5} {s.exact:>6.1%} {s.n_numeric:>4} "
                f"{s.exact_numeric:>6.1%} {s.char_accuracy:>8.1%} {per_page:>7.2f} "
                f"{per_cell:>7.1f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
