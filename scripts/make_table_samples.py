"""Ruled tables that are not forms of the two families, made the way real ones are, with
truth: spreadsheets exported to PDF by LibreOffice, HTML tables printed by Chromium, and
some of them printed and scanned. Writes ``samples/tables/``.

    python scripts/make_table_samples.py            # needs soffice and chromium

Each table is specified on its finest grid (every column and row boundary is ruled
somewhere in the table), so the truth is the specification itself: ``<name>.truth.json``
holds ``{"tables": [{"page", "n_rows", "n_cols", "cells": [{"row", "col", "rowspan",
"colspan", "text"}]}]}`` in the format of ``selfeval tables`` (without boxes). Hard cases:
a header whose columns do not line up with the body's, cells of several lines, a
diagonal-split corner cell, a coloured header with white rules, a seal over the rules
(scans), a page with no table but a framed text box, a table without vertical rules
(三线表: not a table for now), and a table continued on the next page (--join-pages).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "samples" / "tables"


@dataclass
class Spec:
    """A table on its finest grid: cells at their top-left with spans; every position is
    covered by exactly one cell."""

    n_rows: int
    n_cols: int
    cells: list[tuple[int, int, int, int, str]]  # row, col, rowspan, colspan, text
    widths: list[float] = field(default_factory=list)  # column widths (characters / px)
    page: int = 1

    def check(self) -> Spec:
        covered = [[0] * self.n_cols for _ in range(self.n_rows)]
        for r, c, rs, cs, _ in self.cells:
            for i in range(r, r + rs):
                for j in range(c, c + cs):
                    covered[i][j] += 1
        assert all(v == 1 for row in covered for v in row), "cells must tile the grid"
        return self

    def truth(self) -> dict[str, Any]:
        cells = [{"row": r, "col": c, "rowspan": rs, "colspan": cs, "text": t}
                 for r, c, rs, cs, t in sorted(self.cells)]  # fmt: skip
        return {"page": self.page, "n_rows": self.n_rows, "n_cols": self.n_cols, "cells": cells}


def simple(rows: list[list[str]], page: int = 1, widths: list[float] | None = None) -> Spec:
    cells = [(r, c, 1, 1, text) for r, row in enumerate(rows) for c, text in enumerate(row)]
    return Spec(len(rows), len(rows[0]), cells, widths or [], page).check()


# ------------------------------------------------------------------ the tables


def budget_table() -> Spec:
    """部门收支预算总表: a two-level header, merged group cells, numbers, a wrapped name."""
    cells = [(0, 0, 2, 1, "项目"), (0, 1, 1, 3, "本年预算"), (0, 4, 2, 1, "上年执行数"),
             (1, 1, 1, 1, "合计"), (1, 2, 1, 1, "财政拨款"), (1, 3, 1, 1, "其他资金")]  # fmt: skip
    body = [("一般公共服务支出", "1,234.56", "1,100.00", "134.56", "1,180.20"),
            ("教育支出（含职业教育和继续教育补助经费）", "8,765.40", "8,000.00", "765.40", "8,120.75"),
            ("科学技术支出", "321.00", "300.00", "21.00", "298.33"),
            ("社会保障和就业支出", "2,468.10", "2,400.00", "68.10", "2,390.00"),
            ("卫生健康支出", "1,357.90", "1,300.00", "57.90", "1,288.64")]  # fmt: skip
    for r, row in enumerate(body, start=2):
        cells += [(r, c, 1, 1, text) for c, text in enumerate(row)]
    cells += [(7, 0, 1, 1, "合计"), (7, 1, 1, 1, "14,147.96"), (7, 2, 1, 1, "13,100.00"),
              (7, 3, 1, 1, "1,047.96"), (7, 4, 1, 1, "13,277.92")]  # fmt: skip
    return Spec(8, 5, cells, [18, 12, 12, 12, 12]).check()


def timetable() -> Spec:
    """课程表: a diagonal-split corner cell, periods merged over two rows, a lunch row."""
    days = ["星期一", "星期二", "星期三", "星期四", "星期五"]
    cells = [(0, 0, 1, 2, "节次 星期")] + [(0, 2 + i, 1, 1, d) for i, d in enumerate(days)]
    subjects = [["语文", "数学", "英语", "物理", "化学"], ["数学", "语文", "化学", "英语", "生物"],
                ["英语", "历史", "数学", "语文", "地理"], ["物理", "化学", "语文", "数学", "英语"]]  # fmt: skip
    cells += [(1, 0, 2, 1, "上午"), (3, 0, 1, 7, "午休"), (4, 0, 2, 1, "下午")]
    periods = {1: "第一节", 2: "第二节", 4: "第三节", 5: "第四节"}
    for i, (row, name) in enumerate(periods.items()):
        cells.append((row, 1, 1, 1, name))
        cells += [(row, 2 + d, 1, 1, subjects[i][d]) for d in range(5)]
    return Spec(6, 7, cells, [8, 9, 10, 10, 10, 10, 10]).check()


def coloured_header() -> Spec:
    """项目资金明细表 with a dark header row, white rules inside it, and paragraph cells."""
    rows = [["序号", "项目名称", "实施内容", "资金（万元）"],
            ["1", "老旧小区改造", "完成12个小区的雨污分流、外墙翻新和电梯加装，惠及住户3,200户。", "1,520.00"],
            ["2", "社区养老服务", "新建社区养老服务站4个，开展助餐、助浴、日间照料等服务。", "386.50"],
            ["3", "公共文化设施", "图书馆分馆延时开放，增设自助借还设备8台。", "95.20"],
            ["4", "农村公路养护", "养护县乡道路46公里，修复桥涵5座。", "640.00"]]  # fmt: skip
    return simple(rows, widths=[6, 16, 40, 12])


def long_table(page_rows: int = 34) -> tuple[Spec, Spec]:
    """资产清单 of 60 rows over two pages, its header repeated on the second: the truth is
    the two page tables; --join-pages joins them into one."""
    header = ["资产编号", "资产名称", "规格型号", "数量", "原值（元）", "使用部门"]
    names = ["台式计算机", "激光打印机", "办公桌", "文件柜", "投影仪", "空调", "复印机", "笔记本电脑"]
    depts = ["办公室", "财务科", "业务科", "信息中心"]
    rows = [[f"ZC-2023-{i:04d}", names[i % 8], f"型号{chr(65 + i % 5)}-{100 + i}", str(1 + i % 4),
             f"{(i * 137) % 9000 + 800:,}.00", depts[i % 4]] for i in range(1, 61)]  # fmt: skip
    first, second = rows[:page_rows], rows[page_rows:]
    widths = [14, 12, 12, 6, 12, 10]
    return simple([header] + first, 1, widths), simple([header] + second, 2, widths)


def misaligned_header() -> Spec:
    """A bank form: its header's three columns over a body of four, so the finest grid has
    six columns (every rule position of both systems)."""
    # column boundaries (px): body 0 160 320 480 640, header 0 213 427 640 → six columns
    cells = [(0, 0, 1, 2, "账户名称"), (0, 2, 1, 2, "开户银行"), (0, 4, 1, 2, "账号"),
             (1, 0, 1, 2, "某某区财政局"), (1, 2, 1, 2, "中国工商银行某某支行"), (1, 4, 1, 2, "3602 0012 0900 1234 567"),
             (2, 0, 1, 1, "日期"), (2, 1, 1, 2, "摘要"), (2, 3, 1, 2, "金额（元）"), (2, 5, 1, 1, "余额（元）"),
             (3, 0, 1, 1, "2024-03-01"), (3, 1, 1, 2, "拨付专项资金"), (3, 3, 1, 2, "500,000.00"), (3, 5, 1, 1, "1,250,000.00"),
             (4, 0, 1, 1, "2024-03-15"), (4, 1, 1, 2, "支付工程款"), (4, 3, 1, 2, "-320,000.00"), (4, 5, 1, 1, "930,000.00"),
             (5, 0, 1, 1, "2024-03-28"), (5, 1, 1, 2, "利息收入"), (5, 3, 1, 2, "1,162.50"), (5, 5, 1, 1, "931,162.50")]  # fmt: skip
    return Spec(6, 6, cells, [160, 53, 107, 107, 53, 160]).check()


# ------------------------------------------------------------------ spreadsheets (LibreOffice)


def xlsx_pdf(name: str, specs: list[Spec], work: Path, *, header_fill: str | None = None,
             diagonal: tuple[int, int] | None = None, repeat_header: bool = False,
             row_height: float | None = None) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    book.properties.creator = "Administrator"
    black, white = Side(style="thin", color="000000"), Side(style="thin", color="FFFFFF")
    spec = specs[0]
    rows = [spec] if len(specs) == 1 else specs
    offset = 0
    for k, part in enumerate(rows):
        skip = 1 if k and repeat_header else 0  # the second part's header comes from print titles
        for r, c, rs, cs, text in part.cells:
            if r < skip:
                continue
            row = offset + r - skip + 1
            cell = sheet.cell(row=row, column=c + 1, value=text)
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center" if len(text) < 8 else "left")
            if rs > 1 or cs > 1:
                sheet.merge_cells(start_row=row, start_column=c + 1, end_row=row + rs - 1, end_column=c + cs)
        offset += part.n_rows - skip
    for row in sheet.iter_rows(min_row=1, max_row=offset, max_col=spec.n_cols):
        for cell in row:
            inside = header_fill is not None and cell.row == 1  # white rules between header cells
            left = white if inside and cell.column > 1 else black
            right = white if inside and cell.column < spec.n_cols else black
            cell.border = Border(left=left, right=right, top=black, bottom=black)
            cell.font = Font(name="Noto Sans CJK SC", size=10, bold=inside, color="FFFFFF" if inside else "000000")
            if inside:
                cell.fill = PatternFill("solid", fgColor=header_fill)
    if diagonal is not None:
        r, c = diagonal
        target = sheet.cell(row=r + 1, column=c + 1)
        target.border = Border(left=black, right=black, top=black, bottom=black,
                               diagonal=black, diagonalDown=True)  # fmt: skip
    for i, width in enumerate(spec.widths):
        sheet.column_dimensions[chr(65 + i)].width = width
    for r in range(1, offset + 1):
        sheet.row_dimensions[r].height = row_height or (30 if spec.n_rows < 20 else 18)
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    if repeat_header:
        sheet.print_title_rows = "1:1"
        sheet.row_breaks.append(__import__("openpyxl").worksheet.pagebreak.Break(id=specs[0].n_rows))
    xlsx = work / f"{name}.xlsx"
    book.save(xlsx)
    subprocess.run(["soffice", f"-env:UserInstallation={(work / 'lo').as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work), str(xlsx)], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=180)  # fmt: skip
    return work / f"{name}.pdf"


# ------------------------------------------------------------------ HTML (Chromium)

CSS = """body { font: 13px "Noto Sans CJK SC", sans-serif; margin: 0; }
table.grid { border-collapse: collapse; margin: 24px 0; }
table.grid td { border: 1px solid #000; padding: 6px 8px; height: 26px; }
table.booktabs { border-collapse: collapse; margin: 24px 0; border-top: 2px solid #000; border-bottom: 2px solid #000; }
table.booktabs th { border-bottom: 1px solid #000; padding: 4px 10px; }
table.booktabs td { padding: 4px 10px; }
.box { border: 1px solid #000; padding: 12px; width: 420px; margin: 24px 0; }"""


def spec_html(spec: Spec) -> str:
    rows = []
    for r in range(spec.n_rows):
        cells = [c for c in spec.cells if c[0] == r]
        tds = "".join(f'<td rowspan="{rs}" colspan="{cs}">{text}</td>' for _, _, rs, cs, text in sorted(cells, key=lambda c: c[1]))
        rows.append(f"<tr>{tds}</tr>")
    cols = "".join(f'<col style="width:{w}px">' for w in spec.widths)
    return f'<table class="grid" style="table-layout:fixed;width:{sum(spec.widths)}px"><colgroup>{cols}</colgroup>{"".join(rows)}</table>'


def html_pdf(name: str, body: str, work: Path) -> Path:
    page = work / f"{name}.html"
    page.write_text(f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{CSS}'
                    f"@page {{ size: A4; margin: 18mm; }}</style></head><body>{body}</body></html>",
                    encoding="utf-8")  # fmt: skip
    pdf = work / f"{name}.pdf"
    chromium = shutil.which("chromium") or "chromium"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=120)  # fmt: skip
    return pdf


# ------------------------------------------------------------------ scans


def scan_pdf(source: Path, target: Path, dpi: int = 200, stamp: bool = False, seed: int = 7) -> None:
    """The PDF printed and scanned: make_samples' scan model (skew, blur, noise, uneven
    paper, JPEG), a red seal over the rules with ``stamp``."""
    import io

    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    from scripts.make_samples import _scan_page, _write_image_pdf

    rng = np.random.default_rng(seed)
    params = {"paper_level": 0.86, "lid_level": 235.0, "black_level": 30.0, "ink_gain": 0.95,
              "blur_sigma_200dpi": 0.7, "noise_sigma": 2.0, "gradient": 0.03, "vignette": 0.04}  # fmt: skip
    doc = pdfium.PdfDocument(str(source))
    frames = []
    for i in range(len(doc)):
        page = doc[i]
        wpt, hpt = page.get_size()
        clean = np.asarray(page.render(scale=dpi / 72.0, grayscale=True).to_pil().convert("L")).copy()
        size = (round(wpt * dpi / 72.0), round(hpt * dpi / 72.0))
        img = _scan_page(clean, rng, dpi, 0, size, False, "某某区财政局" if stamp and i == 0 else None,
                         dict(params, skew=round(float(rng.uniform(-1.5, 1.5)), 2)), stamp)  # fmt: skip
        buffer = io.BytesIO()
        Image.fromarray(img, "RGB" if stamp else "L").save(buffer, "JPEG", quality=80, dpi=(dpi, dpi))
        frames.append((buffer.getvalue(), size[0], size[1], wpt, hpt))
    doc.close()
    _write_image_pdf(target, frames, stamp)


def main() -> int:
    from scripts.make_samples import normalize_pdf

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tables_") as tmp:
        work = Path(tmp)
        first, second = long_table()
        made: dict[str, tuple[Path, list[Spec], str]] = {
            # tall rows: the table reaches down to where the scan's seal is pressed
            "xlsx_budget": (xlsx_pdf("xlsx_budget", [budget_table()], work, row_height=72), [budget_table()],
                            "spreadsheet"),
            "xlsx_timetable": (xlsx_pdf("xlsx_timetable", [timetable()], work, diagonal=(0, 0)), [timetable()], "spreadsheet"),
            "xlsx_coloured": (xlsx_pdf("xlsx_coloured", [coloured_header()], work, header_fill="1F4E79"),
                              [coloured_header()], "spreadsheet"),
            "xlsx_assets": (xlsx_pdf("xlsx_assets", [first, second], work, repeat_header=True), [first, second], "spreadsheet"),
            "html_bank": (html_pdf("html_bank", spec_html(misaligned_header()), work), [misaligned_header()], "html"),
            "html_notable": (html_pdf("html_notable", '<h1>关于做好2024年预算绩效管理工作的通知</h1>'
                                      '<div class="box">各单位：请于3月31日前报送绩效自评表，并附佐证材料。</div>'
                                      '<p>联系人：张三，电话：12345678。</p><table class="booktabs"><tr><th>年度</th><th>项目数</th>'
                                      '<th>金额（万元）</th></tr><tr><td>2022</td><td>38</td><td>5,210</td></tr>'
                                      '<tr><td>2023</td><td>42</td><td>6,044</td></tr></table>', work), [], "html"),
        }  # fmt: skip
        for name, (pdf, specs, kind) in made.items():
            shutil.copy(pdf, OUT / f"{name}.pdf")
            normalize_pdf(OUT / f"{name}.pdf")  # byte-reproducible: fixed dates and /ID
            truth = {"kind": kind, "tables": [s.truth() for s in specs]}
            (OUT / f"{name}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        for name, stamp in (("xlsx_budget", True), ("html_bank", False), ("xlsx_timetable", False)):
            scanned = f"scan_{name}{'_seal' if stamp else ''}"
            scan_pdf(OUT / f"{name}.pdf", OUT / f"{scanned}.pdf", stamp=stamp)
            truth = json.loads((OUT / f"{name}.truth.json").read_text(encoding="utf-8"))
            truth["kind"] = "scan"
            (OUT / f"{scanned}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                                       encoding="utf-8")  # fmt: skip
    print(f"wrote {len(list(OUT.glob('*.pdf')))} PDFs with truth into {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
