#!/usr/bin/env python3
"""Generate realistic sample forms (部门整体支出绩效自评表) with ground truth.

Each form is built as an .xlsx with openpyxl, exported to PDF with LibreOffice
(the way real forms are made: Excel/WPS sheets exported to PDF), and written to
``samples/exported/NAME.pdf`` beside ``NAME.truth.json``.

    python scripts/make_samples.py                 # everything
    python scripts/make_samples.py --only seed_haizhu_2021 --out /tmp/x
    python scripts/make_samples.py --scans-only    # only samples/scanned/ from samples/exported/

After the exported PDFs, a second stage prints-and-scans a selection of them (seeded
raster degradation: skew, blur, grey uneven paper, noise, toner variation, broken ruling
lines, a stamp, JPEG) into ``samples/scanned/`` as image-only PDFs and a multi-page TIFF,
each with a copy of the truth plus a ``scan`` block (see the "scans" section below).

Deterministic: every random choice comes from a ``random.Random`` seeded per form.
Row heights are estimated from the text, then scaled by a padding factor that is
adjusted (deterministically) until the PDF has the wanted page count and, where
possible, a page break falls inside a merged 二级 range.

Choice recorded here: a budget rate whose 全年预算数 is 0 is printed as ``0.00%``
(truth value 0.0); a rate whose budget cell is blank is blank (truth null).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "samples" / "exported"

BUDGET_ROWS = ["全年预算数", "全年执行数", "完成率"]
BUDGET_COLS = ["财政拨款", "其他资金", "基本支出", "项目支出", "上级资金", "区级资金"]
# grid columns (1-based, inclusive) of each budget value column
BUDGET_COL_SPAN = {
    "财政拨款": (3, 4), "其他资金": (5, 6), "基本支出": (7, 7),
    "项目支出": (8, 8), "上级资金": (9, 9), "区级资金": (10, 11),
}
BUDGET_GROUPS = [("按资金来源", 3, 6), ("按资金结构", 7, 8), ("按预算级次", 9, 11)]
TOL = 0.001


# --------------------------------------------------------------------------- model
@dataclass
class Leaf:
    name: str
    max: float | None
    score: float | None
    explanation: str = ""
    target: str = ""
    actual: str = ""
    basis: str = ""
    note: str = ""
    score_fmt: str = "0.0"
    hint: str = ""  # short target used when writing the goal text (not printed in the row)
    actual_under: str = ""  # what 实际完成指标值 reads if this leaf is made to miss its target


@dataclass
class Group:
    name: str
    max: float
    leaves: list[Leaf]


@dataclass
class Level1:
    name: str
    max: int
    part: int  # 1 = management (指标解释 layout), 2 = duties (年度指标值 layout)
    groups: list[Group]


@dataclass
class Form:
    name: str
    unit_name: str
    year: int
    staff: int
    units: int
    goal: str
    goal_done: str
    reason: str
    budget: dict[str, dict[str, float | None]]
    level1s: list[Level1]
    declared_total: float
    font: str
    size: float
    widths: dict[str, float]
    injected: list[tuple[str, str]] = field(default_factory=list)
    total_label: bool = True
    pages_wanted: tuple[int, int] = (2, 4)
    pad0: float = 0.0


# --------------------------------------------------------------------------- checker
def check_truth(
    truth: dict[str, Any], negative_ok: tuple[str, ...] = (), rate_decimals: int = 2
) -> list[dict[str, str]]:
    """Independent validator over a truth dict (docs/forms.md §3 rules): leaves under a level1
    in ``negative_ok`` may be negative; a rate compares at its printed precision."""
    out: list[dict[str, str]] = []
    inds = truth["indicators"]
    for it in inds:
        path = f"{it['level1']}/{it['level2']}/{it['indicator']}"
        if it["max_score"] is None or it["score"] is None:
            out.append({"rule": "missing_value", "location": path})
            continue
        if it["score"] > it["max_score"] + TOL:
            out.append({"rule": "score_exceeds_max", "location": path})
        if it["score"] < -TOL and it["level1"] not in negative_ok:
            out.append({"rule": "negative_score", "location": path})
    l2: dict[tuple[str, str], list[Any]] = {}
    l1: dict[str, list[Any]] = {}
    for it in inds:
        g = l2.setdefault((it["level1"], it["level2"]), [it["level2_max"], 0.0])
        g[1] += it["max_score"] or 0.0
        p = l1.setdefault(it["level1"], [it["level1_max"], {}])
        p[1][it["level2"]] = it["level2_max"]
    for (a, b), (mx, s) in l2.items():
        if abs(mx - s) > TOL:
            out.append({"rule": "children_max_sum_mismatch", "location": f"{a}/{b}"})
    for a, (mx, kids) in l1.items():
        if abs(mx - sum(kids.values())) > TOL:
            out.append({"rule": "children_max_sum_mismatch", "location": a})
    if abs(sum(v[0] for v in l1.values()) - truth["total_max"]) > TOL:
        out.append({"rule": "total_max_mismatch", "location": "总分"})
    leaf_sum = sum(it["score"] for it in inds if it["score"] is not None)
    if truth["declared_total"] is None or abs(leaf_sum - truth["declared_total"]) > TOL:
        out.append({"rule": "total_score_mismatch", "location": "总分"})
    cell = {(b["row"], b["column"]): b["value"] for b in truth["budget"]}
    for col in BUDGET_COLS:
        bud, exe, rate = cell[("全年预算数", col)], cell[("全年执行数", col)], cell[("完成率", col)]
        if bud in (None, 0) or exe is None or rate is None:
            continue
        if abs(rate - round(exe / bud * 100, rate_decimals)) > 0.01 + 1e-9:
            out.append({"rule": "budget_rate_mismatch", "location": f"完成率/{col}"})
    return out


def finding_key(f: dict[str, str]) -> tuple[str, str]:
    return (f["rule"], f["location"])


# --------------------------------------------------------------------------- truth
def make_truth(
    form: Form, pages: int, negative_ok: tuple[str, ...] = (), rate_decimals: int = 2
) -> dict[str, Any]:
    """The truth JSON of a form; raises when the checker's findings differ from the
    injected ones (``negative_ok``/``rate_decimals`` as in check_truth)."""
    budget = []
    for row in BUDGET_ROWS:
        for col in BUDGET_COLS:
            v = form.budget[row][col]
            budget.append({"row": row, "column": col, "value": v})
    inds = []
    for l1 in form.level1s:
        for g in l1.groups:
            for lf in g.leaves:
                row = {
                    "level1": l1.name, "level1_max": l1.max,
                    "level2": g.name, "level2_max": g.max,
                    "indicator": lf.name, "max_score": lf.max, "score": lf.score,
                    "target": lf.target, "actual": lf.actual,
                    "explanation": lf.explanation, "criteria": "", "basis": lf.basis,
                }
                if l1.name == BONUS_LEVEL1:  # printed under 年度指标值 / 实际完成指标值
                    row.update(target="", actual="", explanation=lf.target, criteria=lf.actual)
                inds.append(row)
    truth: dict[str, Any] = {
        "file": f"{form.name}.pdf",
        "form_type": "dept_overall",
        "unit_name": form.unit_name,
        "year": form.year,
        "staff": form.staff,
        "units": form.units,
        "pages": pages,
        "budget": budget,
        "indicators": inds,
        "total_max": 100,
        "declared_total": form.declared_total,
        "findings": [{"rule": r, "location": loc} for r, loc in form.injected],
    }
    got = sorted(map(finding_key, check_truth(truth, negative_ok, rate_decimals)))
    want = sorted(map(finding_key, truth["findings"]))
    if got != want:
        raise AssertionError(f"{form.name}: checker found {got}, injected {want}")
    return truth


# --------------------------------------------------------------------------- layout
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
COLS = "ABCDEFGHIJK"
LINE_FACTOR = {"WenQuanYi Zen Hei": 1.30}  # line height / font size; Noto CJK ≈ 1.45


def char_w(ch: str, size: float) -> float:
    o = ord(ch)
    if o >= 0x2E80 or 0xFF00 <= o <= 0xFFEF or ch in "“”‘’—…":
        return size
    return size * 0.56


def col_pt(w: float) -> float:
    # Excel width units -> points, as LibreOffice 7.4 lays them out here (measured on the
    # exported PDFs: 7.03 pt per unit before fit-to-width scaling)
    return w * 7.03


def n_lines(text: str, width_pt: float, size: float) -> int:
    if not text:
        return 1
    avail = width_pt * 0.97 - 4
    lines, cur = 1, 0.0
    for ch in text:
        if ch == "\n":
            lines, cur = lines + 1, 0.0
            continue
        w = char_w(ch, size)
        if cur + w > avail:
            lines, cur = lines + 1, w
        else:
            cur += w
    return lines


def fit_row_heights(needs: list[tuple[int, int, float]], min_h: dict[int, float], base: float,
                    last_row: int, pad: float) -> dict[int, float]:
    """Row heights (points) of rows 1..last_row that give every cell the height its text
    needs: one-row cells first, then merged cells share what they still lack evenly;
    ``pad`` is extra room, 400 pt the cap."""
    h = {r: max(min_h.get(r, 0.0), base) for r in range(1, last_row + 1)}
    for r1, r2, need in needs:
        if r1 == r2:
            h[r1] = max(h[r1], need)
    for r1, r2, need in needs:
        if r1 != r2:
            have = sum(h[r] for r in range(r1, r2 + 1))
            if have < need:
                extra = (need - have) / (r2 - r1 + 1)
                for r in range(r1, r2 + 1):
                    h[r] += extra
    return {r: round(min(v * (1 + pad), 400), 1) for r, v in h.items()}

class GridSheet:
    """An openpyxl worksheet with a column grid in Excel width units that records how high
    each cell's text needs its rows (the forms' row heights are fitted from it)."""

    def __init__(self, ws: Any, widths: list[float], font: str, size: float):
        self.ws = ws
        self.widths = widths
        self.font, self.size = font, size
        self.lf = LINE_FACTOR.get(font, 1.45)
        self.needs: list[tuple[int, int, float]] = []  # (r1, r2, points needed)
        self.min_h: dict[int, float] = {}
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w

    def width_pt(self, c1: int, c2: int) -> float:
        return sum(col_pt(self.widths[i - 1]) for i in range(c1, c2 + 1))

    def put(self, r1: int, c1: int, value: Any, *, r2: int | None = None, c2: int | None = None,
            fmt: str | None = None, align: str = "center", bold: bool = False,
            size: float | None = None, border: bool = True) -> None:
        r2 = r2 or r1
        c2 = c2 or c1
        ws = self.ws
        if (r1, c1) != (r2, c2):
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        cell = ws.cell(r1, c1)
        if value is not None and value != "":
            cell.value = value
        sz = size or self.size
        cell.font = Font(name=self.font, size=sz, bold=bold)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if fmt:
            cell.number_format = fmt
        if border:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    ws.cell(r, c).border = BORDER
        if isinstance(value, str) and value:
            lines = n_lines(value, self.width_pt(c1, c2), sz)
            self.needs.append((r1, r2, lines * sz * self.lf + 4))

    def finish(self, last_row: int, pad: float) -> dict[int, float]:
        heights = fit_row_heights(self.needs, self.min_h, self.size * self.lf + 6, last_row, pad)
        for r, height in heights.items():
            self.ws.row_dimensions[r].height = height
        return heights


def new_workbook(title: str) -> Any:
    """A workbook as real exports have them (author ``Administrator``, not openpyxl)."""
    wb = Workbook()
    wb.active.title = title
    wb.properties.creator = "Administrator"
    return wb


def fit_to_width(ws: Any, orientation: str, side: float = 0.5, top: float = 0.5) -> None:
    """A4, one page wide and as many long as it takes, centred, margins in inches."""
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = 9
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = side
    ws.page_margins.top = ws.page_margins.bottom = top
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True


class Sheet(GridSheet):
    """The department form's sheet: columns A–K as ``form.widths`` gives them."""

    def __init__(self, form: Form):
        self.form = form
        self.wb = new_workbook("部门整体支出绩效自评表")
        super().__init__(self.wb.active, [form.widths[c] for c in COLS], form.font, form.size)


def fit_budget_widths(form: Form) -> None:
    """Widen a budget column whose amount would not fit (LibreOffice would print ###)."""
    for col in BUDGET_COLS:
        c1, c2 = BUDGET_COL_SPAN[col]
        for row in ("全年预算数", "全年执行数"):
            v = form.budget[row][col]
            if v is None:
                continue
            need = sum(char_w(ch, form.size) for ch in f"{v:,.2f}") + 8
            have = sum(col_pt(form.widths[COLS[i - 1]]) for i in range(c1, c2 + 1))
            if have < need:
                form.widths[COLS[c2 - 1]] = round(form.widths[COLS[c2 - 1]] + (need - have) / 7.03 + 0.5, 1)


def build_xlsx(form: Form, path: Path, pad: float) -> None:
    fit_budget_widths(form)
    sh = Sheet(form)
    ws = sh.ws
    put = sh.put
    fit_to_width(ws, "landscape")

    r = 1
    put(r, 1, "部门整体支出绩效自评表", c2=11, bold=True, size=14, border=False)
    sh.min_h[r] = 28
    r += 1
    put(r, 1, f"({form.year}年度)", c2=11, border=False, size=form.size + 1)
    sh.min_h[r] = 20
    r += 1
    put(r, 1, "单位基本情况", c2=11, bold=True)
    r += 1
    put(r, 1, "单位名称")
    put(r, 2, form.unit_name, c2=6)
    put(r, 7, f"财供人数(编制总数) 合计：{form.staff}人", c2=9)
    put(r, 10, f"单位数：{form.units}", c2=11)
    r += 1
    put(r, 1, "整体绩效目标")
    put(r, 2, form.goal, c2=5, align="left")
    put(r, 6, "整体绩效目标完成情况")
    put(r, 7, form.goal_done, c2=9, align="left")
    put(r, 10, "未能完成原因")
    put(r, 11, form.reason, align="left")
    r += 1
    # budget block: 2 header rows + 3 value rows
    b0 = r
    put(b0, 1, "年度部门整体支出规模（万元）", r2=b0 + 4)
    put(b0, 2, "", r2=b0 + 1)
    for label, c1, c2 in BUDGET_GROUPS:
        put(b0, c1, label, c2=c2)
    for col in BUDGET_COLS:
        c1, c2 = BUDGET_COL_SPAN[col]
        put(b0 + 1, c1, col, c2=c2)
    for i, row in enumerate(BUDGET_ROWS):
        rr = b0 + 2 + i
        put(rr, 2, row)
        for col in BUDGET_COLS:
            c1, c2 = BUDGET_COL_SPAN[col]
            v = form.budget[row][col]
            if row == "完成率":
                put(rr, c1, None if v is None else round(v / 100, 4), c2=c2, fmt="0.00%")
            else:
                put(rr, c1, v, c2=c2, fmt="#,##0.00")
    r = b0 + 5

    part1_header_done = part2_header_done = False
    for l1 in form.level1s:
        if l1.part == 1 and not part1_header_done:
            for c, t in [(1, "一级指标"), (2, "分值"), (3, "二级指标"), (4, "分值"), (5, "三级指标"),
                         (6, "分值"), (9, "得分/自评分")]:
                put(r, c, t, bold=True)
            put(r, 7, "指标解释", c2=8, bold=True)
            put(r, 10, "评分依据、未达标原因、改进措施", c2=11, bold=True)
            ws.print_title_rows = f"{r}:{r}"
            part1_header_done = True
            r += 1
        if l1.part == 2 and not part2_header_done:
            for c, t in enumerate(["一级指标", "分值", "二级指标", "分值", "三级指标", "分值",
                                   "年度指标值", "实际完成指标值", "得分/自评分",
                                   "评分依据、未达标原因、改进措施", "备注"], start=1):
                put(r, c, t, bold=True)
            part2_header_done = True
            r += 1
        n1 = sum(len(g.leaves) for g in l1.groups)
        put(r, 1, l1.name, r2=r + n1 - 1)
        put(r, 2, l1.max, r2=r + n1 - 1, fmt="0")
        for g in l1.groups:
            n2 = len(g.leaves)
            put(r, 3, g.name, r2=r + n2 - 1)
            put(r, 4, g.max, r2=r + n2 - 1, fmt="0" if l1.part == 1 else "0.00")
            for lf in g.leaves:
                put(r, 5, lf.name)
                put(r, 6, lf.max, fmt="0.0")
                put(r, 9, lf.score, fmt=lf.score_fmt)
                if l1.part == 1:
                    put(r, 7, lf.explanation, c2=8, align="left")
                    put(r, 10, lf.basis, c2=11, align="left")
                else:
                    put(r, 7, lf.target, align="left" if len(lf.target) > 12 else "center")
                    put(r, 8, lf.actual, align="left" if len(lf.actual) > 12 else "center")
                    put(r, 10, lf.basis, align="left")
                    put(r, 11, lf.note)
                r += 1
    put(r, 1, "总分")
    put(r, 2, 100, fmt="0")
    if form.total_label:
        put(r, 3, "", c2=7)
        put(r, 8, "得分")
    else:
        put(r, 3, "", c2=8)
    put(r, 9, form.declared_total, fmt="0.0")
    put(r, 10, "", c2=11)
    sh.min_h[r] = form.size * 2.4
    sh.finish(r, pad)
    ws.print_area = f"A1:K{r}"
    sh.wb.save(path)


# --------------------------------------------------------------------------- export + analysis
def export_pdf(xlsx: Path, outdir: Path, profile: Path) -> Path:
    cmd = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
           "--convert-to", "pdf", "--outdir", str(outdir), str(xlsx)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=180)
    pdf = outdir / (xlsx.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice did not write {pdf}")
    return pdf


def normalize_pdf(pdf: Path) -> None:
    """Make the export byte-reproducible: fixed CreationDate; /ID and /DocChecksum from the content.

    Both fields are rewritten with values of the same length, so xref offsets stay valid.
    """
    data = pdf.read_bytes()
    data = re.sub(rb"/CreationDate\(D:\d{14}", b"/CreationDate(D:20240101000000", data)
    ids = re.findall(rb"/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>", data)
    ids += re.findall(rb"/DocChecksum\s*/([0-9A-Fa-f]{32})", data)
    varying = {v for found in ids for v in (found if isinstance(found, tuple) else (found,))}
    blank = data
    for v in varying:
        blank = blank.replace(v, b"0" * 32)
    digest = hashlib.md5(blank).hexdigest().upper().encode()
    for v in varying:
        data = data.replace(v, digest)
    pdf.write_bytes(data)


def page_count(pdf: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()


def column_bounds(page: Any, widths: dict[str, float]) -> list[float]:
    """x positions of the 12 column edges, from the table's outer vertical rules."""
    xs = [e["x0"] for e in page.edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 3]
    left, right = min(xs), max(xs)
    w = [col_pt(widths[c]) for c in COLS]
    tot = sum(w)
    edges, acc = [left], left
    for v in w:
        acc += v / tot * (right - left)
        near = min(xs, key=lambda x: abs(x - acc))  # snap to a drawn rule when one is close
        edges.append(near if abs(near - acc) < 3 else acc)
    return edges


def leaf_pages(pdf: Path, form: Form) -> list[int]:
    """Page (1-based) of every leaf row, found by reading column E of each page in order."""
    import pdfplumber

    names = [lf.name for l1 in form.level1s for g in l1.groups for lf in g.leaves]
    out: list[int] = []
    with pdfplumber.open(str(pdf)) as doc:
        texts = []
        for page in doc.pages:
            e = column_bounds(page, form.widths)
            chars = [ch for ch in page.chars
                     if e[4] <= (ch["x0"] + ch["x1"]) / 2 <= e[5]
                     and ch["top"] >= 0 and ch["bottom"] <= page.height]
            chars.sort(key=lambda ch: (round(ch["top"], 0), ch["x0"]))
            texts.append("".join(ch["text"] for ch in chars).replace(" ", ""))
    p, pos = 0, texts[0].find("三级指标")
    if pos < 0:
        raise RuntimeError(f"{pdf.name}: header 三级指标 not found in column E")
    for nm in names:
        key = nm.replace(" ", "")
        while True:
            i = texts[p].find(key, pos)
            if i >= 0:
                out.append(p + 1)
                pos = i + len(key)
                break
            p, pos = p + 1, 0
            if p >= len(texts):
                raise RuntimeError(f"{pdf.name}: leaf {nm!r} not found in column E")
    return out


def split_ranges(form: Form, pages: list[int]) -> list[tuple[str, str, list[int]]]:
    """Merged 一级/二级 ranges whose rows fall on more than one page."""
    res = []
    i = 0
    for l1 in form.level1s:
        start1 = i
        for g in l1.groups:
            ps = pages[i:i + len(g.leaves)]
            if len(set(ps)) > 1:
                res.append(("二级", f"{l1.name}/{g.name}", sorted(set(ps))))
            i += len(g.leaves)
        ps = pages[start1:i]
        if len(set(ps)) > 1:
            res.append(("一级", l1.name, sorted(set(ps))))
    return res


# --------------------------------------------------------------------------- seed
def seed_form() -> Form:
    x = "部门（单位）"
    mg: list[tuple[str, int, list[tuple[str, float, float, str, str]]]] = [
        ("资金管理", 16, [
            ("预算完成率", 2.0, 0.0,
             f"{x}本年度部门预算的预算完成数与预算数的比率，用以反映和考核{x}预算完成程度。",
             "预算完成率87.93%"),
            ("部门预算编制情况", 3.0, 3.0,
             f"反映{x}预算编制的准确性、及时性，对申请新增预算的入库项目开展事前立项预算评估工作的落实情况。",
             ("预算编制基础信息（包括单位人员信息、资产信息等）准确完整；部门预算编制在规定时间报送市财政局审核；"
              "部门对申请新增预算的入库项目按《广州市本级重大政策和项目财政立项预算评估管理办法（试行）》的程序和内容开展立项预算评估。")),
            ("专项资金管理情况", 2.0, 2.0, "反映部门专项资金管理总体情况。", "本部门无区级专项资金。"),
            ("财政拨款收入预决算差异率", 2.0, 1.0, f"反映{x}收入预算编制的准确性。",
             "财政拨款收入预决算差异率为12.07%"),
            ("一般公共预算支出年度平均执行率", 2.0, 1.8, "反映部门预算资金支出进度。",
             "一般公共预算支出年度平均执行率为87.93%"),
            ("结转结余率", 2.0, 2.0,
             f"{x}当年度结转结余额与当年度预算总额的比率，用以反映和考核{x}对结转结余资金的实际控制程度。",
             "年末财政拨款结转和结余决算数为0。"),
            ("部门预算及财务管理制度健全性", 3.0, 2.5,
             "部门为加强预算管理、规范财务行为而制定的管理制度是否健全完整，用以反映和考核部门预算管理制度对完成主要职责或促进事业发展的保障情况。",
             "预算资金管理办法不够详细，下一步将制定合法、合规、完整的预算资金管理办法。"),
        ]),
        ("采购管理", 2, [
            ("政府采购执行率", 2.0, 1.9,
             f"{x}本年度实际政府采购金额与年度政府采购预算的比率，用以反映和考核{x}政府采购预算执行情况。",
             "政府采购计划基本与政府采购金额一致，但由于疫情原因有部分项目无法实行，所以没有实施采购。采购执行率92.39%"),
        ]),
        ("信息公开管理", 4, [
            ("预决算信息公开合规性", 2.0, 2.0,
             f"主要考核{x}在被评价年度是否按照政府信息公开有关规定公开相关预决算信息，用以反映{x}预决算管理的公开透明情况。",
             "按时、按规进行预算公开。"),
            ("绩效信息公开情况", 2.0, 2.0, f"反映{x}绩效信息公开执行到位情况。", "绩效信息按时、按规进行公开。"),
        ]),
        ("资产管理", 4, [
            ("资产管理制度健全性", 1.0, 1.0,
             f"{x}为加强资产管理、规范资产管理行为而制定的管理制度是否健全完整，用以反映和考核{x}资产管理制度对完成主要职责或促进社会发展的保障情况。",
             "已制定并落实执行《资产管理制度》。"),
            ("资产账务核对情况", 1.0, 1.0, f"反映{x}资产账与财务账的核对情况。",
             "每年做好资产盘点工作，确保资产账与财务账相符。"),
            ("固定资产利用率", 2.0, 2.0,
             f"{x}实际在用固定资产总额与所有固定资产总额的比率，用以反映和考核{x}固定资产使用效率程度。",
             "固定资产利用率达98%。"),
        ]),
        ("成本管理", 4, [
            ("公用经费控制率", 2.0, 2.0,
             f"{x}本年度实际支出的公用经费总额与预算安排的公用经费总额的比率，用以反映和考核{x}对机构运转成本的实际控制程度。",
             "公用经费控制率为87.3%"),
            ("“三公经费”控制率", 2.0, 2.0,
             "部门本年度“三公经费”实际支出数与预算安排数的比率，用以反映和考核部门对“三公经费”的实际控制程度。",
             "“三公经费”控制率为89.9%"),
        ]),
        ("绩效管理", 15, [
            ("绩效管理制度建设", 2.0, 2.0,
             "反映部门对机关和下属单位、专项资金等绩效目标管理、绩效运行监控、绩效评价管理和评价结果应用等预算绩效管理制度的建设和执行情况。",
             "已制定预算绩效管理办法，对绩效目标管理、绩效运行监控、绩效评价管理和评价结果应用等作出规定并严格执行。"),
            ("绩效目标合理性", 2.0, 2.0,
             f"{x}所设立的整体绩效目标是否依据充分，是否符合客观实际，用以反映和评价{x}设立的绩效目标与部门履职和年度工作任务的相符性。",
             "绩效目标能体现部门中长期规划和年度工作计划，整体绩效目标能分解成具体工作任务，整体绩效目标与本年度部门预算资金相匹配。"),
            ("绩效指标明确性", 2.0, 2.0,
             f"{x}依据整体绩效目标所设定的绩效指标是否清晰、细化、可量化，用以反映和考核{x}整体绩效目标的明细化情况。",
             ("绩效指标中包含能够明确体现部门履职效果的社会经济效益指标；绩效指标具有清晰、可衡量的指标值；绩效指标包含可量化的指标；"
              "绩效目标的目标值测算能提供相关依据或符合客观实际情况；上述标准都完全符合。")),
            ("绩效目标完成率", 4.0, 4.0,
             f"{x}整体绩效目标中各项目标的完成情况，反映部门整体支出绩效目标的实现程度。",
             "绩效目标完成率100%，部门整体支出绩效目标申报表中已实现目标数和申报目标数一致。"),
            ("绩效监控和绩效评价开展情况", 3.0, 3.0, "反映部门整体支出绩效监控和绩效自评开展情况。",
             ("绩效监控开展情况：部门按要求开展部门整体支出绩效监控，及时报送相关部门整体支出绩效监控材料；"
              "绩效自评开展情况：部门按要求开展部门整体支出绩效自评，及时报送相关部门整体支出绩效自评材料。")),
            ("绩效结果应用", 2.0, 1.0, "反映部门对监控结果处理、绩效重点评价意见等的整改应用情况。",
             "未建立绩效评价结果与本单位预算编制管理相挂钩工作机制，下一步将制定绩效管理制度，建立上述工作机制。"),
        ]),
    ]
    l1a = Level1("管理效能", 45, 1, [
        Group(g, gm, [Leaf(n, m, s, explanation=e, basis=b) for n, m, s, e, b in leaves])
        for g, gm, leaves in mg])
    rpt = "《海珠区12345政府服务热线2020年度大数据分析报告》已交付并已经过区政府常务会议研究通过。"
    paz = "琶洲分中心为琶洲片区企业提供普惠政务服务，"
    pj: list[tuple[str, float, list[tuple[str, float, str, str, str]]]] = [
        ("发挥政府门户网站权威发布", 1.00, [
            ("保障网站连通率", 0.4, "全站不能正常访问链接数量低于5%", "1%", "全站不能正常访问率低于1%"),
            ("网站工作满意度", 0.4, "上级网站考评得分良好级别以上", "优秀", "市网站考评成绩优秀"),
            ("及时更正技术扫描发现的死链及错别字", 0.2, "监测发现错误3天内完成修改", "无超过3天未修改错误",
             "监测发现的错字错链均在3天内完成修改"),
        ]),
        ("加强一体化政务服务能力信息技术支撑能力", 13.00, [
            ("市区审批服务事项同步率", 5.0, "市区审批服务事项同步率不低于95%", "100%",
             "根据市区事项库服务事项比对结果，市区事项库服务事项完全一致。"),
            ("广州市红黑名单系统、商事主体平台、双公示平台等企业信息与政务服务平台对接数据共享", 3.0,
             "完成市区电子证照同步应用工作，市电子证照库中可下发的企业电子证照同步和事项应用率不低于60%", "100%",
             "将市区电子证照和事项库中电子证照应用的数据和区审批系统电子证照应用情况进行比对，两者保持一致。"),
            ("市区街道政务服务数据互联互通率", 5.0, "市区街道政务服务数据互联互通率不低于95%", "100%",
             "2021年重点城市一体化政务服务能力第三方评估考核中数据同步指标达100%"),
        ]),
        ("优化升级“令行禁止、有呼必应”综合指挥调度平台", 10.00, [
            ("依托“粤政易”，建设政务协同入口，实现有令必行、有呼必应移动端综合指挥", 3.0,
             "实现平台移动端用户数（各街道和职能部门）达200人",
             "依托“粤政易”，建设政务协同入口，实现移动端用户数超2000人。", "平台注册用户数2136人。"),
            ("优化完善“令行禁止、有呼必应”综合指挥调度平台功能，确保平台运行流畅", 3.0,
             "对“令行禁止、有呼必应”综合指挥调度平台进行运行维护，保障平台正常运行。平台使用覆盖18条街道和27个政府部门以及部分党群机构",
             "平台账号已覆盖18条街道和27个政府部门和部分党群机构，各部门账户共86个。", "平台注册用户关联部门数量86个。"),
            ("完成特色融合主题图景建设", 2.0, "完成5个特色融合主题图景，分析不同场景下海珠区发展动态，提供决策支持",
             "完成已打造“第一议题”“重点任务”“经济数据”“党员教育”“法纪红线”等10多个特色融合主题图景。",
             "“令行禁止、有呼必应”平台打造综合视窗，集成多个主题图景。"),
            ("根据上级安排，对接“穗智管”城市运行管理中枢", 2.0, "实现市区联动，提升基层治理智能化水平",
             "对接“穗智管”城市运行管理中枢，已初步实现市区两级互联互通。", "已完成在“穗智管”海珠标准屏对接事件信息。"),
        ]),
        ("保障并提升海珠区政务基础设施及服务能力", 15.00, [
            ("区级单位联网率", 5.0, "区级单位联网率达90%以上", "100%", "区内各单位均可以使用政务网络"),
            ("互联网出口带宽", 5.0, "不低于2000M", "2000M", "提升至2200M"),
            ("区级单位互联带宽", 5.0, "不低于1000M", "10000M", "骨干网已升级到万兆"),
        ]),
        ("琶洲分中心场地新增场地改造装修项目尾款、场地租金、形象标识牌租金、物业管理费、通信服务费、水电费、政务服务推广费用",
         7.00, [
            ("政务服务满意率", 1.0, ">98%", "100%", "按评价系统统计数据"),
            ("年内开展审批辅导次数", 1.0, ">=10", "25", "按实施开展审批辅导次数统计"),
            ("重点片区重点项目建设进度跟进率", 1.0, "100%", "100%", paz + "对重点项目建设进度跟进率100%"),
            ("琶洲分中心服务通勤率", 1.0, "100%", "100%", "正常对外服务天数/全年工作日*100%"),
            ("开设综合服务窗口数量", 1.0, "11", "11",
             "忙时最大开设综合服务窗口（咨询、综合受理、综合出件、临时窗口、业务专窗）数量"),
            ("重点片区重点项目审批情况跟进率", 1.0, "100%", "100%", paz + "对重点项目审批情况跟进率100%"),
            ("琶洲分中心年度服务人次", 1.0, "20000人以上", "30062", "按审批系统统计数据（办件量）+现场咨询统计数据"),
        ]),
        ("优化政务服务", 2.00, [
            ("年度服务人数", 0.5, "6万以上", "13.02万",
             "区政务服务中心服务人数依据2021年1-12月关于政务服务工作相关数据情况的通报统计"),
            ("区政务服务中心窗口制服覆盖率", 0.5, "（除新进人员、孕妇等特殊情况）98%以上", "100%",
             "区政务服务中心区政务数据局综合窗口人员制服覆盖率达100%（新进人员除外）"),
            ("区政务服务中心服务事项", 0.5, "700项以上", "931项",
             "区政务服务中心进驻事项数依据海珠区综合审批系统中区政务服务中心进驻事项数统计"),
            ("办件量", 0.5, "3万以上", "5.26万",
             "区政务服务中心办件量依据2021年1-12月关于政务服务工作相关数据情况的通报统计"),
        ]),
        ("海珠区12345政府服务热线大数据分析报告（2020年度）", 1.00, [
            ("数据分析：在数据筛选基础上，对热线工单进行分类统计，分析投诉热点、难点问题和重点工单办理情况", 0.3,
             "在上述流程基础上，对工单数据整体进行归类统计和数据分析，按照不同的统计模块、工单类型、工作重点进行全面数据展示，形成整体工作情况",
             "已完成工单数据分析", rpt),
            ("数据筛选：梳理筛查2020年海珠区热线工单，提供热线工单、难点工单、重点工单、市区多次流转工单、超期工单、有责退回工单等工单数据",
             0.3, "从热线信息系统中抓取2020年所有工单数据，按照关键字、工作流程进行汇总，形成整体数据表格",
             "已完成相关数据筛选", rpt),
            ("完成报告：通过各类图标、柱状图、个性化数据展现等形式展现数据，拟定合理化工作专报", 0.4,
             "从不同维度、类别、内容方面进行整体数据展示和文字说明，并对2021年数据进行趋势性分析和提出工作建议，形成数据详实可信、分析科学合理、可供决策参考的分析报告",
             "已完成各类统计图表和相应分析报告", rpt),
        ]),
        ("做好政务公开工作", 1.00, [
            ("群众满意度", 0.4, "区政府政务公开工作投诉率低于5%", "区政府政务公开工作投诉率0%",
             "本年度未收到群众对政务公开工作的投诉。"),
            ("区府名义进行的政务公开类行政诉讼败诉率", 0.4, "区府办名义进行的政务公开类行政诉讼败诉率不高于20%",
             "区府办名义进行的政务公开类行政诉讼败诉率0%", "本年度无区政府名义进行的政务公开类行政诉讼。"),
            ("区府名义进行的政务公开类行政复议纠错率", 0.2, "区府名义进行的政务公开类行政复议纠错率不高于20%",
             "区府名义进行的政务公开类行政复议纠错率0%", "本年度无区政府名义进行的行政复议。"),
        ]),
    ]
    l1b = Level1("履职效能", 50, 2, [
        Group(g, gm, [Leaf(n, m, m, target=t, actual=a, basis=b) for n, m, t, a, b in leaves])
        for g, gm, leaves in pj])
    l1c = bonus_level1(0.0, score_fmt="0")
    goal = ("持续优化政务服务，全面提升我区政务服务水平，在政务中心设置“跨省通办”等专窗，试点推进“一件事”主题服务改革，"
            "提升服务质量，优化营商环境；推进琶洲分中心建设，把琶洲分中心打造成兼容港澳服务的政务服务综合体。"
            "全面推进海珠区“数字政府”建设，加强一体化政务服务能力和信息技术支撑能力，推进区网上政务服务能力建设，"
            "优化升级“令行禁止、有呼必应”综合指挥调度平台，做好政府信息主动公开、政府网站建设和12345政府服务热线数据分析工作。")
    done = ("持续优化政务服务，制定《海珠区深化政务服务“一件事”改革实施方案》，推出118项“一件事”主题导办服务，"
            "出台《海珠区已落实优化的事项材料清单》，可关联电子证照材料3084项、可免提交纸质材料7456项、可共享复用材料2586项、"
            "可从办事指南取消材料7项；设立政策兑现和暖企服务专窗，打造“政策兑现”一网通办服务，20个政策兑现服务事项实现线上全流程网上办理；"
            "成功引导337家企业完成“信易贷”融资平台注册，扩大中小企业便捷融资受惠面。全面推进海珠区“数字政府”建设，"
            "全市率先打造海珠区经济大数据平台，汇聚经济数据3500万条；打造广州塔智能化管理平台，构建数十类智能算法，"
            "推进基层社会治理智能化、精细化水平。全市率先实现高频人社、医保类政务事项全流程“指尖办”，推出海珠人大代表连线、"
            "普惠金融产品超市、“一码通办”极简办事模式、海珠人才等特色服务，累计上线超600项政务服务事项。"
            "全面推进政府信息主动公开，共审核发布信息稿超8000篇，报送市府网站信息401条，发布率100%；"
            "全省率先打造区级政府网站“千人千页”智能服务，实现政府网站“一号登录”、证件资料“一次读取”、办理事项“一键查询”、"
            "个性服务“一网定制”。海珠区12345政府服务热线接办工单超17.3万件，同比增长30%，工单办结率100%。")
    budget = {
        "全年预算数": dict(zip(BUDGET_COLS, [65240247.04, 0.00, 24942247.28, 40297999.76, None, 65240247.04])),
        "全年执行数": dict(zip(BUDGET_COLS, [57368166.31, 0.00, 24028491.84, 33339674.47, None, 57368166.31])),
        "完成率": dict(zip(BUDGET_COLS, [87.93, 0.0, 96.34, 82.73, None, 87.93])),
    }
    return Form(
        name="seed_haizhu_2021", unit_name="广州市海珠区政务服务数据管理局", year=2021, staff=67, units=2,
        goal=goal, goal_done=done, reason="绩效指标全部达标。", budget=budget,
        level1s=[l1a, l1b, l1c], declared_total=88.7, font="Noto Serif CJK SC", size=7.5,
        widths=dict(zip(COLS, [7, 5, 11, 6, 20.4, 5, 25.2, 20.4, 7, 32.4, 9])),
        injected=[("total_score_mismatch", "总分")], pages_wanted=(3, 3), pad0=0.0,
    )


BONUS_RULE = ("1.加分项：部门完成预算编制及执行等工作较好，受到财政部门表扬的；部门决算完成工作较好，受到财政部门表扬的，"
              "每项加2.5分，加分最多不超过5分。2.减分项：审计部门或财政部门在对各部门进行监督检查、绩效评价时，"
              "如发现在预算编制或预算执行上存在违规行为、绩效评价结果为差的；部门未在规定时限内完成绩效自评的、"
              "绩效审计发现问题造成入审计整改问题的，每发现一起扣2.5分，扣分合计不超过5分。")


# The 加减分项 row is printed under the duties header, but its 年度指标值 cell holds its
# 指标解释 and its 实际完成指标值 cell its 评分标准 (the truth says so).
BONUS_LEVEL1 = "加减分项"


def bonus_level1(score: float, score_fmt: str = "0.0") -> Level1:
    basis = ("按时、按质、按量完成预算编制及执行，且部门决算完成及时，没有受批评相关情况。" if score == 0 else
             "部门预算编制及执行工作较好，受到财政部门通报表扬，按规定加分。")
    leaf = Leaf("工作受表彰或批评", 5.0, score, target="反映部门预算管理工作受表彰或批评的相关情况。",
                actual=BONUS_RULE, basis=basis, score_fmt=score_fmt)
    return Level1("加减分项", 5, 2, [Group("工作表现加减分", 5, [leaf])])


# --------------------------------------------------------------------------- generated forms
X = "部门（单位）"
MGMT: dict[str, list[tuple[str, str, str, str]]] = {
    # name, explanation, basis when full marks, basis when below max
    "资金管理": [
        ("预算完成率", f"{X}本年度部门预算的预算完成数与预算数的比率，用以反映和考核{X}预算完成程度。",
         "预算完成率{r}%，达到考核要求。", "预算完成率{r}%，部分项目因招标延期未能按计划支付。"),
        ("预算调整率", f"{X}本年度预算调整数与预算数的比率，用以反映和考核{X}预算的调整程度。",
         "本年度预算调整率为2.35%，调整程序规范。", "本年度预算调整率为18.6%，年中追加预算较多，下一步将提高预算编制的准确性。"),
        ("支付进度率", f"{X}实际支付进度与既定支付进度的比率，用以反映和考核{X}预算执行的及时性和均衡性程度。",
         "各季度支付进度均达到序时进度要求。", "第三季度支付进度未达到序时进度要求，下一步将加快项目实施和资金支付。"),
        ("部门预算编制情况", f"反映{X}预算编制的准确性、及时性，对申请新增预算的入库项目开展事前立项预算评估工作的落实情况。",
         "预算编制基础信息准确完整，部门预算编制在规定时间报送区财政局审核。", "个别项目预算编制依据不够充分，下一步将加强项目前期论证。"),
        ("专项资金管理情况", "反映部门专项资金管理总体情况。", "专项资金按规定用途使用，无截留、挪用情况。",
         "个别专项资金拨付不够及时，已督促整改。"),
        ("财政拨款收入预决算差异率", f"反映{X}收入预算编制的准确性。", "财政拨款收入预决算差异率为3.12%。",
         "财政拨款收入预决算差异率为14.27%，主要是年中追加疫情防控经费。"),
        ("一般公共预算支出年度平均执行率", "反映部门预算资金支出进度。", "一般公共预算支出年度平均执行率为{r}%。",
         "一般公共预算支出年度平均执行率为{r}%，未达到95%的要求。"),
        ("结转结余率", f"{X}当年度结转结余额与当年度预算总额的比率，用以反映和考核{X}对结转结余资金的实际控制程度。",
         "年末财政拨款结转和结余决算数为0。", "年末结转结余资金较多，下一步将加强结转结余资金管理。"),
        ("部门预算及财务管理制度健全性",
         "部门为加强预算管理、规范财务行为而制定的管理制度是否健全完整，用以反映和考核部门预算管理制度对完成主要职责或促进事业发展的保障情况。",
         "已制定《财务管理制度》《内部控制手册》等制度并严格执行。", "预算资金管理办法不够详细，下一步将制定合法、合规、完整的预算资金管理办法。"),
        ("资金使用合规性", f"{X}使用预算资金是否符合相关的财务管理制度的规定，用以反映和考核{X}预算资金的规范运行情况。",
         "资金使用符合国家财经法规和财务管理制度，审批程序完整。", "审计发现个别报销凭证附件不完整，已完成整改。"),
    ],
    "采购管理": [
        ("政府采购执行率", f"{X}本年度实际政府采购金额与年度政府采购预算的比率，用以反映和考核{X}政府采购预算执行情况。",
         "政府采购执行率为97.85%。", "政府采购执行率为86.41%，部分采购项目因需求调整未实施。"),
        ("政府采购政策效能", "反映部门落实政府采购支持中小企业等政策的情况。", "面向中小企业预留采购份额比例达到规定要求。",
         "面向中小企业预留份额略低于规定比例，下一步将加强采购需求管理。"),
    ],
    "信息公开管理": [
        ("预决算信息公开合规性",
         f"主要考核{X}在被评价年度是否按照政府信息公开有关规定公开相关预决算信息，用以反映{X}预决算管理的公开透明情况。",
         "按时、按规进行预决算公开。", "部门决算公开时间晚于规定时限2天，已整改。"),
        ("绩效信息公开情况", f"反映{X}绩效信息公开执行到位情况。", "绩效信息按时、按规进行公开。",
         "绩效自评报告公开内容不够完整，下一步将规范公开内容。"),
        ("基础信息完善性", f"{X}基础数据信息和会计信息资料是否真实、完整、准确，用以反映和考核基础信息对预算管理工作的支撑情况。",
         "基础数据信息和会计信息资料真实、完整、准确。", "部分资产卡片信息未及时更新，已督促整改。"),
    ],
    "资产管理": [
        ("资产管理制度健全性",
         f"{X}为加强资产管理、规范资产管理行为而制定的管理制度是否健全完整，用以反映和考核{X}资产管理制度对完成主要职责或促进社会发展的保障情况。",
         "已制定并落实执行《资产管理制度》。", "资产管理制度未及时根据新规定修订，下一步将完善相关制度。"),
        ("资产账务核对情况", f"反映{X}资产账与财务账的核对情况。", "每年做好资产盘点工作，确保资产账与财务账相符。",
         "资产账与财务账存在少量差异，已组织清查核对。"),
        ("固定资产利用率", f"{X}实际在用固定资产总额与所有固定资产总额的比率，用以反映和考核{X}固定资产使用效率程度。",
         "固定资产利用率达98%。", "固定资产利用率为89%，部分老旧设备待报废处置。"),
        ("国有资产保值增值率", f"{X}年末国有资产总额与年初国有资产总额的比率，用以反映和考核{X}国有资产保值增值情况。",
         "国有资产保值增值率为101.2%。", "国有资产保值增值率为96.8%，主要是报废处置资产较多。"),
        ("资产处置规范性", f"{X}资产处置是否履行报批手续、处置收入是否按规定及时上缴，用以反映{X}资产处置的规范程度。",
         "资产处置均按规定履行报批手续，处置收入及时上缴国库。", "个别资产处置未及时办理报批手续，已补办。"),
        ("资产配置合理性", f"{X}资产配置是否符合配置标准，用以反映和考核{X}资产配置的合理程度。",
         "新增资产配置均符合资产配置标准。", "个别办公设备配置超出标准，已调剂使用。"),
    ],
    "成本管理": [
        ("公用经费控制率", f"{X}本年度实际支出的公用经费总额与预算安排的公用经费总额的比率，用以反映和考核{X}对机构运转成本的实际控制程度。",
         "公用经费控制率为91.6%。", "公用经费控制率为103.2%，超出预算安排，下一步将严控运转成本。"),
        ("“三公经费”控制率", "部门本年度“三公经费”实际支出数与预算安排数的比率，用以反映和考核部门对“三公经费”的实际控制程度。",
         "“三公经费”控制率为78.4%。", "“三公经费”控制率为102.5%，公务用车运行维护费超支。"),
        ("人员经费控制率", f"{X}本年度实际支出的人员经费与预算安排的人员经费的比率，用以反映和考核{X}人员经费的控制情况。",
         "人员经费控制率为99.1%。", "人员经费超出预算安排，主要是年中调整津补贴标准。"),
        ("日常公用经费节支率", f"{X}本年度日常公用经费节约额与预算安排数的比率，用以反映{X}厉行节约的情况。",
         "日常公用经费节支率为6.3%。", "日常公用经费未实现节支，下一步将进一步压减一般性支出。"),
    ],
    "人员管理": [
        ("在职人员控制率", f"{X}本年度实际在职人数与编制数的比率，用以反映和考核{X}对人员成本的控制程度。",
         "在职人员控制率为95.5%，未超编。", "在职人员控制率为101.5%，存在超编情况，正在逐步消化。"),
        ("人员培训开展情况", f"反映{X}组织干部职工业务培训的情况。", "全年组织业务培训12期，培训覆盖率100%。",
         "全年组织业务培训4期，未达到年度计划。"),
    ],
    "绩效管理": [
        ("绩效管理制度建设",
         "反映部门对机关和下属单位、专项资金等绩效目标管理、绩效运行监控、绩效评价管理和评价结果应用等预算绩效管理制度的建设和执行情况。",
         "已制定预算绩效管理实施办法并严格执行。", "绩效管理制度不够完善，下一步将制定绩效管理实施细则。"),
        ("绩效目标合理性",
         f"{X}所设立的整体绩效目标是否依据充分，是否符合客观实际，用以反映和评价{X}设立的绩效目标与部门履职和年度工作任务的相符性。",
         "绩效目标能体现部门中长期规划和年度工作计划，整体绩效目标与本年度部门预算资金相匹配。",
         "个别绩效目标与年度工作任务衔接不够紧密，下一步将改进。"),
        ("绩效指标明确性",
         f"{X}依据整体绩效目标所设定的绩效指标是否清晰、细化、可量化，用以反映和考核{X}整体绩效目标的明细化情况。",
         "绩效指标清晰、细化、可量化，上述标准都完全符合。", "部分绩效指标未细化量化，下一步将完善指标体系。"),
        ("绩效目标完成率", f"{X}整体绩效目标中各项目标的完成情况，反映部门整体支出绩效目标的实现程度。",
         "绩效目标完成率100%。", "个别绩效目标未完成，绩效目标完成率为92%。"),
        ("绩效监控和绩效评价开展情况", "反映部门整体支出绩效监控和绩效自评开展情况。",
         "部门按要求开展绩效监控和绩效自评，及时报送相关材料。", "绩效监控材料报送滞后，下一步将加强跟踪管理。"),
        ("绩效结果应用", "反映部门对监控结果处理、绩效重点评价意见等的整改应用情况。",
         "已建立绩效评价结果与预算安排挂钩机制，评价发现的问题已整改。",
         "未建立绩效评价结果与本单位预算编制管理相挂钩工作机制，下一步将建立上述工作机制。"),
        ("绩效评价质量", "反映部门绩效自评报告及评价结论的质量情况。", "绩效自评报告内容完整、数据准确、结论客观。",
         "绩效自评报告部分数据与决算数据不一致，已更正。"),
    ],
}

# (name template, target, actual ok, actual under); {x} = project noun, {n}/{m} numbers
TARGETS: list[tuple[str, str, str, str]] = [
    ("{x}任务完成率", "≥95%", "100%", "91.3%"),
    ("{x}按时完成率", "100%", "100%", "96%"),
    ("{x}服务对象满意度", "≥90%", "{p}%", "86.2%"),
    ("{x}覆盖人数", "{n}人以上", "{n2}人", "{n3}人"),
    ("{x}问题处置时限", "≤3天", "2天", "4天"),
    ("{x}经费控制率", "≤100%", "{p}%", "104.3%"),
    ("开展{x}次数", "≥{k}次", "{k2}次", "{k3}次"),
    ("{x}验收合格率", "100%", "100%", "95%"),
    ("{x}相关系统正常运行率", "不低于99%", "99.9%", "97.5%"),
    ("{x}年度工作任务", "完成", "完成", "基本完成"),
    ("{x}宣传报道数量", "≥{k}篇", "{k2}篇", "{k3}篇"),
    ("{x}投诉处理及时率", "≥98%", "100%", "95.1%"),
    ("{x}资金支付率", "≥90%", "{p}%", "83.6%"),
    ("{x}政策知晓率", "≥85%", "{p}%", "80.4%"),
    ("{x}档案资料完整率", "100%", "100%", "97%"),
    ("{x}培训人次", "≥{n}人次", "{n2}人次", "{n3}人次"),
    ("{x}建设进度", "按计划完成", "已按计划完成", "完成年度计划的85%"),
    ("{x}安全事故发生数", "0起", "0起", "1起"),
    ("{x}整改完成率", "100%", "100%", "90%"),
    ("{x}专用网络带宽", "不低于2000M", "2000M", "1000M"),
    ("{x}服务时效", "接到需求后3个工作日内响应", "均在3个工作日内响应", "平均响应时间4.5个工作日"),
]
LONG_TARGET_PREFIX = ["按照年度工作计划和项目实施方案，", "根据区委区政府年度重点工作部署，",
                      "对照上级部门下达的年度考核要求，"]
SOURCES = ["年度工作总结", "业务系统统计数据", "第三方满意度调查报告", "项目验收报告", "财务支出明细账",
           "月度工作台账", "上级部门考核通报"]
REASONS = ["受疫情影响部分线下活动暂停", "项目招标程序耗时较长导致实施滞后", "服务对象需求变化导致计划调整",
           "部分工作人员岗位调整，业务衔接不够顺畅", "上级资金下达较晚，项目启动时间推迟"]
MEASURES = ["加强项目前期谋划，合理安排实施进度", "建立月度调度机制，及时跟踪项目进展",
            "加强与相关部门沟通协调，确保按期完成", "完善绩效目标设置，提高指标的科学性和可实现性"]

UNITS: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    # key: (unit suffix, duty, [(project name, project noun)])
    "edu": ("教育局", "教育事业发展和教育公共服务", [
        ("公办中小学校舍维修改造及校园安全设施提升项目", "校舍维修"),
        ("中小学课后服务经费补助", "课后服务"),
        ("学前教育生均公用经费补助及普惠性幼儿园扶持资金", "普惠性幼儿园扶持"),
        ("教师队伍培训及名师工作室建设经费", "教师培训"),
        ("智慧校园建设及教育信息化运维项目", "智慧校园"),
        ("学生资助及家庭经济困难学生生活补助", "学生资助"),
        ("义务教育阶段学位建设（新建、改扩建学校）项目前期经费", "学位建设"),
        ("中小学体育艺术科技教育活动经费", "体艺科技活动"),
        ("校园安保服务及校车管理经费", "校园安保")]),
    "health": ("卫生健康局", "卫生健康事业发展和公共卫生服务", [
        ("基本公共卫生服务项目", "基本公共卫生服务"),
        ("家庭医生签约服务经费", "家庭医生签约"),
        ("新冠肺炎疫情防控物资储备及核酸检测经费", "疫情防控"),
        ("社区卫生服务中心标准化建设项目", "社区卫生服务中心建设"),
        ("重大传染病防控及免疫规划专项经费", "免疫规划"),
        ("卫生监督执法及职业卫生监管经费", "卫生监督"),
        ("妇幼健康服务及出生缺陷综合防治项目", "妇幼健康服务"),
        ("区属医院医疗设备购置项目", "医疗设备购置")]),
    "cgzf": ("城市管理和综合执法局", "城市管理和综合行政执法", [
        ("环卫保洁及生活垃圾分类处理服务经费", "垃圾分类"),
        ("市政道路及桥梁设施日常养护维修项目", "道路桥梁养护"),
        ("城市照明设施维护及电费", "路灯维护"),
        ("违法建设治理及拆除经费", "违法建设治理"),
        ("户外广告招牌及城市容貌品质提升项目", "市容品质提升"),
        ("公厕建设及管养经费", "公厕管养"),
        ("综合执法队伍建设及执法装备购置", "执法装备")]),
    "justice": ("司法局", "法治建设和公共法律服务", [
        ("人民调解及矛盾纠纷排查化解工作经费", "人民调解"),
        ("社区矫正工作经费", "社区矫正"),
        ("公共法律服务体系建设（法律顾问进村居）经费", "村居法律顾问"),
        ("普法宣传教育及法治文化阵地建设", "普法宣传"),
        ("法律援助案件补贴经费", "法律援助"),
        ("行政复议及行政执法监督工作经费", "行政复议")]),
    "culture": ("文化广电旅游体育局", "文化、广电、旅游和体育公共服务", [
        ("公共文化服务体系建设及基层文化活动经费", "基层文化活动"),
        ("全民健身赛事及体育场馆免费低收费开放补助", "全民健身"),
        ("图书馆文化馆总分馆制建设项目", "总分馆建设"),
        ("文物保护修缮及非物质文化遗产传承项目", "文物保护"),
        ("旅游宣传推广及文旅消费活动经费", "文旅推广"),
        ("广播电视公共服务及应急广播运维", "应急广播"),
        ("文化市场综合执法经费", "文化市场执法")]),
    "civil": ("民政局", "基本民生保障、基层社会治理和基本社会服务", [
        ("城乡居民最低生活保障及特困人员救助供养资金", "低保救助"),
        ("长者饭堂及居家养老服务补贴", "长者饭堂"),
        ("社会工作服务站（“双百工程”）运营经费", "社工服务"),
        ("残疾人两项补贴及康复服务资金", "残疾人补贴"),
        ("殡葬改革及惠民殡葬补贴", "惠民殡葬"),
        ("婚姻登记服务及社会组织培育经费", "社会组织培育"),
        ("困境儿童及孤儿基本生活保障", "困境儿童保障")]),
    "market": ("市场监督管理局", "市场监管和食品药品安全监管", [
        ("食品安全抽检及快检经费", "食品安全抽检"),
        ("特种设备安全监察经费", "特种设备监察"),
        ("市场主体登记注册及“一网通办”服务经费", "登记注册"),
        ("消费者权益保护及12315投诉举报处置经费", "投诉举报处置"),
        ("知识产权创造保护运用专项资金", "知识产权"),
        ("计量器具强制检定及标准化建设经费", "计量检定"),
        ("药品医疗器械化妆品安全监管经费", "药械监管")]),
    "water": ("水务局", "水务管理和防汛防旱", [
        ("河长制工作及河涌保洁经费", "河涌保洁"),
        ("排水设施管养及污水管网维护项目", "排水管网维护"),
        ("三防应急抢险物资储备及值守经费", "三防应急"),
        ("水利工程（水闸、泵站）运行维护经费", "水闸泵站运维"),
        ("黑臭水体治理及水质监测项目", "水质监测"),
        ("节约用水宣传及计划用水管理经费", "节水宣传"),
        ("排水户接驳及雨污分流改造项目", "雨污分流")]),
}

# name, unit key, district, year, font, size, seed, injection
GENERATED = [
    ("dept_edu_2022", "edu", "天河区", 2022, "Noto Sans CJK SC", 9, 101, None),
    ("dept_health_2020", "health", "越秀区", 2020, "WenQuanYi Zen Hei", 8, 102, None),
    ("dept_cgzf_2023", "cgzf", "荔湾区", 2023, "Noto Serif CJK SC", 10, 103, None),
    ("dept_justice_2019", "justice", "白云区", 2019, "Noto Sans CJK SC", 7, 104, None),
    ("dept_culture_2024", "culture", "黄埔区", 2024, "WenQuanYi Zen Hei", 10, 105, None),
    ("dept_civil_2021", "civil", "番禺区", 2021, "Noto Serif CJK SC", 8, 106, None),
    ("dept_market_2022", "market", "花都区", 2022, "Noto Sans CJK SC", 8, 107, "A"),
    ("dept_water_2023", "water", "南沙区", 2023, "WenQuanYi Zen Hei", 9, 108, "B"),
]


def partition(total: int, n: int, rng: random.Random, lo: int = 1) -> list[int]:
    """Split integer ``total`` into ``n`` integers >= lo, randomly but not wildly."""
    w = [rng.uniform(0.6, 1.6) for _ in range(n)]
    s = sum(w)
    parts = [max(lo, int(total * x / s)) for x in w]
    while sum(parts) < total:
        parts[rng.randrange(n)] += 1
    while sum(parts) > total:
        i = rng.randrange(n)
        if parts[i] > lo:
            parts[i] -= 1
    return parts


def fill(t: str, rng: random.Random, x: str, nums: dict[str, str]) -> str:
    return t.replace("{x}", x).format(**nums)


def make_budget(rng: random.Random, wan: bool) -> dict[str, dict[str, float | None]]:
    # amounts in cents: 万元 forms print 800.00 .. 60,000.00, 元 forms 12,000,000.00 .. 480,000,000.00
    if wan:
        total = rng.randint(800, 60000) * 100 + rng.randint(0, 99)
    else:
        total = rng.randint(12_000_000, 480_000_000) * 100 + rng.randint(0, 99)
    other = 0 if rng.random() < 0.6 else int(total * rng.uniform(0.01, 0.08))
    fin = total - other
    basic = int(total * rng.uniform(0.25, 0.7))
    proj = total - basic
    upper = None if rng.random() < 0.4 else int(total * rng.uniform(0.02, 0.2))
    dist = total - (upper or 0)
    e_basic = int(basic * rng.uniform(0.93, 0.995))
    e_proj = int(proj * rng.uniform(0.72, 0.98))
    e_total = e_basic + e_proj
    e_other = int(other * rng.uniform(0.6, 1.0))
    e_fin = e_total - e_other
    e_upper = None if upper is None else int(upper * rng.uniform(0.7, 0.97))
    e_dist = e_total - (e_upper or 0)
    b = [fin, other, basic, proj, upper, dist]
    e = [e_fin, e_other, e_basic, e_proj, e_upper, e_dist]
    rate = [None if bb is None or ee is None else (0.0 if bb == 0 else round(ee / bb * 100, 2))
            for bb, ee in zip(b, e)]

    def cv(v: int | None) -> float | None:
        return None if v is None else round(v / 100, 2)

    return {"全年预算数": dict(zip(BUDGET_COLS, map(cv, b))),
            "全年执行数": dict(zip(BUDGET_COLS, map(cv, e))),
            "完成率": dict(zip(BUDGET_COLS, rate))}


def generated_form(spec: tuple[Any, ...]) -> Form:
    name, key, district, year, font, size, seed, inj = spec
    rng = random.Random(seed)
    suffix, duty, projects = UNITS[key]
    unit_name = f"广州市{district}{suffix}"
    short = f"区{suffix}"
    has_bonus = rng.random() < 0.75 or inj is not None
    t1 = rng.choice([35, 40, 45, 45, 50])
    t2 = 100 - t1 - (5 if has_bonus else 0)

    # ---- part 1: management
    extra = rng.sample(["采购管理", "信息公开管理", "资产管理", "成本管理", "人员管理"], rng.randint(2, 4))
    order = ["资金管理", "采购管理", "信息公开管理", "资产管理", "成本管理", "人员管理", "绩效管理"]
    gnames = [gn for gn in order if gn in extra or gn in ("资金管理", "绩效管理")]
    counts = {gn: (rng.randint(4, 7) if gn == "资金管理" else rng.randint(3, 6) if gn == "绩效管理"
                   else rng.randint(1, len(MGMT[gn]))) for gn in gnames}
    n = sum(counts.values())
    while n * 4 < t1:  # keep leaf maxima in 1..4
        gn = rng.choice(gnames)
        if counts[gn] < len(MGMT[gn]):
            counts[gn] += 1
            n += 1
    maxima = [rng.choice([1, 2, 2, 2, 3]) for _ in range(n)]
    while sum(maxima) != t1:
        i = rng.randrange(n)
        if sum(maxima) < t1 and maxima[i] < 4:
            maxima[i] += 1
        elif sum(maxima) > t1 and maxima[i] > 1:
            maxima[i] -= 1
    groups1: list[Group] = []
    k = 0
    for gn in gnames:
        picked = rng.sample(MGMT[gn], counts[gn])
        picked.sort(key=MGMT[gn].index)
        leaves = []
        for nm, expl, ok, _under in picked:
            leaves.append(Leaf(nm, float(maxima[k]), float(maxima[k]), explanation=expl, basis=ok))
            k += 1
        groups1.append(Group(gn, sum(int(lf.max or 0) for lf in leaves), leaves))

    # ---- part 2: projects
    n_proj = rng.randint(4, min(9, len(projects)))
    chosen = rng.sample(projects, n_proj)
    nleaf = [rng.randint(2, 7) for _ in chosen]
    while sum(nleaf) > 30:  # keep the form within 2-4 pages
        i = rng.randrange(n_proj)
        nleaf[i] = max(2, nleaf[i] - 1)
    # project maxima in halves, each big enough for its leaves at 0.1 granularity
    pm_half = partition(t2 * 2, n_proj, rng, lo=2)
    groups2: list[Group] = []
    for (pname, noun), nl, ph in zip(chosen, nleaf, pm_half):
        tenths = ph * 5
        nl = min(nl, tenths)
        if tenths % nl == 0 and rng.random() < 0.5:
            lm = [tenths // nl] * nl
        elif ph >= nl:
            lm = [h * 5 for h in partition(ph, nl, rng)]
        else:
            lm = partition(tenths, nl, rng)
        temps = rng.sample(TARGETS, nl)
        leaves = []
        for (tn, tt, ta, tu), m in zip(temps, lm):
            nb = rng.choice([500, 1000, 2000, 5000, 20000])
            nums = {"n": str(nb), "n2": str(int(nb * rng.uniform(1.02, 1.4))),
                    "n3": str(int(nb * rng.uniform(0.7, 0.95))),
                    "k": str(rng.choice([4, 6, 10, 12, 20, 50])), "p": f"{rng.uniform(95, 99.9):.1f}"}
            nums["k2"] = str(int(nums["k"]) + rng.randint(0, 8))
            nums["k3"] = str(max(1, int(nums["k"]) - rng.randint(1, 3)))
            target = hint = fill(tt, rng, noun, nums)
            if rng.random() < 0.25:
                target = rng.choice(LONG_TARGET_PREFIX) + fill(tn, rng, noun, nums) + ("达到" if target[0] not in "≥≤不" else "") + target
            actual = fill(ta, rng, noun, nums)
            iname = fill(tn, rng, noun, nums)
            src = rng.choice(SOURCES)
            basis = f"根据{src}，{iname}{'为' if actual[0].isdigit() else '：'}{actual}，达到年度指标值。"
            if rng.random() < 0.3:
                basis += f"项目实施过程中{rng.choice(MEASURES)}，取得较好成效。"
            leaves.append(Leaf(iname, m / 10, m / 10, target=target, actual=actual, basis=basis, hint=hint,
                               actual_under=fill(tu, rng, noun, nums)))
        groups2.append(Group(pname, ph / 2, leaves))

    # ---- one or two leaf scores below max
    all_leaves1 = [(g, lf) for g in groups1 for lf in g.leaves]
    g, lf = rng.choice(all_leaves1)
    m1 = next(it for it in MGMT[g.name] if it[0] == lf.name)
    lf.score = round((lf.max or 0) - rng.choice([0.5, 1.0, 0.2]), 1)
    under_rate = f"{rng.uniform(80, 94):.2f}"
    lf.basis = m1[3].replace("{r}", under_rate)
    reason = "绩效指标全部达标。"
    if rng.random() < 0.7:
        g2 = rng.choice(groups2)
        lf2 = rng.choice(g2.leaves)
        lf2.score = round((lf2.max or 0) - max(0.1, round((lf2.max or 0) * 0.3, 1)), 1)
        lf2.actual = lf2.actual_under
        why = rng.choice(REASONS)
        lf2.basis = (f"{lf2.name}未达到年度指标值，主要原因是{why}；下一步将{rng.choice(MEASURES)}，"
                     f"确保下一年度完成目标。")
        reason = f"个别指标未达标，主要是{why}。"
    for lf in [lf for g in groups1 for lf in g.leaves]:
        lf.basis = lf.basis.replace("{r}", f"{rng.uniform(95, 99.9):.2f}")

    level1s = [Level1("管理效能", t1, 1, groups1), Level1("履职效能", t2, 2, groups2)]
    if has_bonus:
        level1s.append(bonus_level1(rng.choice([0.0, 0.0, 2.5, 5.0])))
    wan = rng.random() < 0.5
    budget = make_budget(rng, wan)
    injected: list[tuple[str, str]] = []

    # ---- injections
    if inj == "A":
        g, lf = rng.choice([(g, lf) for g in groups2 for lf in g.leaves if (lf.max or 0) >= 1.0])
        lf.score = round((lf.max or 0) + 0.5, 1)
        injected.append(("score_exceeds_max", f"履职效能/{g.name}/{lf.name}"))
        old = budget["完成率"]["基本支出"]
        budget["完成率"]["基本支出"] = round((old or 0) - 1.37, 2)
        injected.append(("budget_rate_mismatch", "完成率/基本支出"))
    if inj == "B":
        g, lf = rng.choice([(g, lf) for g in groups2 for lf in g.leaves])
        lf.max = round((lf.max or 0) + 1.0, 1)
        injected.append(("children_max_sum_mismatch", f"履职效能/{g.name}"))
        g1, lfb = rng.choice([(g, lf) for g in groups1 for lf in g.leaves if lf.score == lf.max])
        lfb.score = None
        injected.append(("missing_value", f"管理效能/{g1.name}/{lfb.name}"))
        injected.append(("total_score_mismatch", "总分"))

    leaf_sum10 = sum(round(lf.score * 10) for l1 in level1s for g in l1.groups for lf in g.leaves
                     if lf.score is not None)
    declared = leaf_sum10 / 10
    if inj == "B":
        declared = round(declared + 2.0, 1)

    # ---- texts
    goal_items = []
    for g in groups2:
        lf = g.leaves[0]
        goal_items.append(f"做好{g.name}工作，确保{lf.name}{lf.hint if lf.hint[0] in '≥≤不' else '达到' + lf.hint}")
    goal = (f"{year}年，{short}紧紧围绕区委、区政府中心工作，认真履行{duty}职责，" + "；".join(goal_items)
            + "。加强预算绩效管理，全年预算执行率达到90%以上。")
    done_items = [f"{g.name}：{g.leaves[-1].name}{g.leaves[-1].actual}" for g in groups2]
    exec_rate = budget["完成率"]["财政拨款"] or 0.0
    goal_done = (f"{year}年，{short}全年预算执行率{exec_rate:.2f}%。" + "；".join(done_items)
                 + "。" + ("整体绩效目标全部完成。" if reason.startswith("绩效") else "整体绩效目标基本完成。"))
    if rng.random() < 0.5:
        goal_done += ("通过加强预算编制、执行监控和绩效评价等全过程管理，部门整体支出绩效管理水平进一步提高，"
                      "为全区经济社会高质量发展提供了有力保障。")
    scale_w = rng.uniform(0.92, 1.18)
    base = [7, 5, 11, 6, 16, 5, 20, 16, 7, 26, 9]
    widths = dict(zip(COLS, [round(w * (scale_w if i in (4, 6, 7, 9) else 1.0), 1) for i, w in enumerate(base)]))
    return Form(
        name=name, unit_name=unit_name, year=year, staff=rng.randint(18, 420), units=rng.randint(1, 12),
        goal=goal, goal_done=goal_done, reason=reason, budget=budget, level1s=level1s,
        declared_total=declared, font=font, size=size, widths=widths, injected=injected,
        total_label=rng.random() < 0.5, pad0=rng.choice([0.0, 0.1, 0.2]),
    )


def all_forms() -> list[Form]:
    return [seed_form()] + [generated_form(s) for s in GENERATED]


# --------------------------------------------------------------------------- scans
# Printed-and-scanned versions of the exported samples (docs/forms.md §5), same truth.
#
# Conventions recorded in each truth's "scan" block: ``rotation`` and ``skew_degrees`` are
# the angles by which the page content was turned counter-clockwise (as PIL's
# ``Image.rotate``); turn the image clockwise by them to get it upright. Every output page
# has exactly the original page size (in points for PDFs, in pixels = points * dpi / 72),
# like a flatbed scanner with a fixed window: the skewed sheet is shifted by a small random
# offset and the uncovered corners show the grey scanner lid.
DEFAULT_SCAN_OUT = ROOT / "samples" / "scanned"


@dataclass
class ScanSpec:
    form: str
    dpi: int
    rotation: int = 0  # 0, 90 or 180 (counter-clockwise)
    fmt: str = "pdf"  # "pdf" or "tif"
    broken_lines: bool = False
    stamp: bool = False
    colour: bool = False  # an RGB scan (the seal in red) instead of a grey one
    source_dir: str = ""  # folder of the source PDF beside the exported one ("": exported)

    @property
    def stem(self) -> str:
        rot = f"-rot{self.rotation}" if self.rotation else ""
        colour = "-colour" if self.colour else ""
        return f"{self.form}{rot}{colour}-{self.dpi}dpi"

    @property
    def filename(self) -> str:
        return f"{self.stem}.{self.fmt}"


# No sample form has a single page, so there is no PNG/JPG sample: a whole-form truth
# cannot describe one page. The 2-page justice form is written as a multi-page TIFF instead.
SCANS = [
    ScanSpec("seed_haizhu_2021", 200),
    ScanSpec("dept_edu_2022", 200, stamp=True),
    ScanSpec("dept_market_2022", 200, broken_lines=True),
    ScanSpec("dept_water_2023", 200, broken_lines=True),
    ScanSpec("dept_justice_2019", 200),
    ScanSpec("seed_haizhu_2021", 150, broken_lines=True),
    ScanSpec("dept_civil_2021", 150, broken_lines=True),
    ScanSpec("dept_justice_2019", 300, broken_lines=True),
    ScanSpec("dept_justice_2019", 150, fmt="tif"),
    ScanSpec("dept_justice_2019", 200, rotation=90),
    ScanSpec("dept_culture_2024", 200, rotation=180, broken_lines=True),
    ScanSpec("dept_health_2020", 200, stamp=True, colour=True),
    # a form family never scanned before: its header rules are lost on two pages
    ScanSpec("var_bonus_2022", 200, broken_lines=True, source_dir="variants"),
]
# Scans kept out of samples/ (no room under its size limit) to check that the tool holds
# on scans it was not tuned on: `make_samples.py --unseen DIR`, then
# `bench_accuracy.py --folder DIR`. Every variant form at 150, 200 and 300 dpi (broken
# lines on every other one), four of them with a seal and turned, and the exported forms
# at the resolutions samples/scanned does not have. Seeded: the same files every time.
_VARIANTS = ["var_bonus_2022", "var_excel_2024", "var_inline_2023", "var_nocols_2021",
             "var_repeat_2020", "var_reportlab_2022", "var_small_2019", "var_synonyms_2023"]
UNSEEN_SCANS = [
    *(ScanSpec(f, 150, broken_lines=bool(i % 2), source_dir="variants") for i, f in enumerate(_VARIANTS)),
    *(ScanSpec(f, 200, broken_lines=True, source_dir="variants") for f in _VARIANTS[1:]),
    *(ScanSpec(f, 300, broken_lines=not i % 2, source_dir="variants") for i, f in enumerate(_VARIANTS)),
    ScanSpec("var_bonus_2022", 200, stamp=True, source_dir="variants"),
    ScanSpec("var_excel_2024", 200, stamp=True, colour=True, rotation=90, source_dir="variants"),
    ScanSpec("var_inline_2023", 200, stamp=True, rotation=180, source_dir="variants"),
    ScanSpec("var_nocols_2021", 200, stamp=True, colour=True, source_dir="variants"),
    *(ScanSpec(f, 150, broken_lines=bool(i % 2), stamp=i == 2) for i, f in enumerate(
        ["dept_culture_2024", "dept_edu_2022", "dept_health_2020", "dept_market_2022", "dept_water_2023"])),
    ScanSpec("dept_cgzf_2023", 150),
    ScanSpec("dept_cgzf_2023", 300, broken_lines=True),
    ScanSpec("dept_civil_2021", 300, broken_lines=True),
    ScanSpec("seed_haizhu_2021", 300, rotation=90),
    ScanSpec("dept_edu_2022", 300),
]
# JPEG quality range per dpi: kept inside 55..75, lower at high dpi to keep samples/ < 12 MB
SCAN_QUALITY = {150: (60, 72), 200: (55, 68), 300: (55, 60)}
STAMP_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
# Paper of a colour scan, per RGB channel: office paper under a scanner lamp is a little
# yellow.
PAPER_TINT = (1.0, 0.985, 0.94)


def _scan_seed(name: str) -> int:
    return int.from_bytes(hashlib.sha256(f"scan:{name}".encode()).digest()[:8], "big")


def _low_freq(rng: Any, h: int, w: int, cells: int = 6) -> Any:
    """A smooth random field in [-1, 1] of size h x w."""
    import cv2
    import numpy as np

    small = rng.uniform(-1.0, 1.0, size=(cells, max(2, round(cells * w / h)))).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC).clip(-1.0, 1.0)


def _break_lines(clean: Any, rng: Any, dpi: float) -> int:
    """Erase or fade short stretches of ruling lines in place; return how many."""
    import cv2
    import numpy as np

    dark = (clean < 140).astype(np.uint8)
    long_run = max(40, int(dpi * 0.6))
    horiz = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long_run, 1)))
    vert = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, long_run)))
    grow = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
    count = 0
    for mask, along in ((horiz, 1), (vert, 0)):
        mask = cv2.dilate(mask, grow)
        n, _lab, stats, _c = cv2.connectedComponentsWithStats(mask, connectivity=8)
        comps = [i for i in range(1, n) if stats[i, cv2.CC_STAT_WIDTH if along else cv2.CC_STAT_HEIGHT] >= long_run]
        if not comps:
            continue
        for i in rng.choice(comps, size=min(len(comps), int(rng.integers(3, 8))), replace=False):
            x, y, w, h = (int(v) for v in stats[i, :4])
            length = int(dpi * rng.uniform(0.05, 0.35))
            fade = 1.0 if rng.random() < 0.5 else rng.uniform(0.55, 0.85)  # broken or faint
            if along:
                s = x + int(rng.integers(0, max(1, w - length)))
                sl = (slice(y, y + h), slice(s, s + length))
            else:
                s = y + int(rng.integers(0, max(1, h - length)))
                sl = (slice(s, s + length), slice(x, x + w))
            region = clean[sl]
            m = mask[sl].astype(bool)
            region[m] = region[m] + (255.0 - region[m]) * fade
            count += 1
    return count


def _stamp(page: Any, rng: Any, dpi: float, unit: str) -> None:
    """Multiply a red official-seal circle onto ``page``: an h × w grey page as a grey
    scanner sees it, or an h × w × 3 RGB page in its red."""
    import math

    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    r = int(dpi * rng.uniform(0.75, 0.85))
    size = 2 * r + 8
    ink = Image.new("L", (size, size), 0)  # ink coverage
    d = ImageDraw.Draw(ink)
    c = size / 2
    ring = max(3, int(dpi * 0.035))
    d.ellipse((c - r, c - r, c + r, c + r), outline=255, width=ring)
    # five-pointed star
    rs = r * 0.28
    pts = []
    for k in range(10):
        rad = rs if k % 2 == 0 else rs * 0.4
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((c + rad * math.cos(a), c + rad * math.sin(a)))
    d.polygon(pts, fill=255)
    font = ImageFont.truetype(STAMP_FONT, int(r * 0.22), index=2)  # Noto Sans CJK SC
    text = unit[:16]
    span = math.radians(min(250, 20 * len(text)))
    for k, ch in enumerate(text):
        a = -math.pi / 2 - span / 2 + span * (k + 0.5) / len(text)
        glyph = Image.new("L", (int(r * 0.3), int(r * 0.3)), 0)
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, fill=255, font=font, anchor="mm")
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC, expand=True)
        rad = r - ring - r * 0.16
        px, py = c + rad * math.cos(a), c + rad * math.sin(a)
        ink.paste(255, (int(px - glyph.width / 2), int(py - glyph.height / 2)), glyph)
    font2 = ImageFont.truetype(STAMP_FONT, int(r * 0.17), index=2)
    d.text((c, c + r * 0.55), "财务专用章", fill=255, font=font2, anchor="mm")
    cov = np.asarray(ink, dtype=np.float32) / 255.0
    cov *= rng.uniform(0.55, 1.0, size=cov.shape).astype(np.float32) ** 0.5  # uneven ink
    cov *= rng.uniform(0.7, 0.9)
    red = np.array([205.0, 45.0, 55.0]) * rng.uniform(0.95, 1.05)
    colour = page.ndim == 3
    lum = float(0.299 * red[0] + 0.587 * red[1] + 0.114 * red[2]) / 255.0  # scanner's gray
    # coverage times darkening (grey), or coverage alone (colour: darkening per channel)
    darkening = cov if colour else 1.0 - (1.0 - cov * (1.0 - lum))  # as first written: same bytes
    # a random tilt of the seal, then place it over the lower right part of the table
    tilted = Image.fromarray((darkening * 255).astype(np.uint8)).rotate(
        float(rng.uniform(-25, 25)), resample=Image.BICUBIC)
    darkening = np.asarray(tilted, dtype=np.float32) / 255.0
    h, w = page.shape[:2]
    cx = int(w * rng.uniform(0.62, 0.78))
    cy = int(h * rng.uniform(0.45, 0.70))
    y0, x0 = cy - size // 2, cx - size // 2
    if colour:
        for c in range(3):
            page[y0:y0 + size, x0:x0 + size, c] *= 1.0 - darkening * (1.0 - red[c] / 255.0)
    else:
        page[y0:y0 + size, x0:x0 + size] *= 1.0 - darkening


def _scan_page(clean: Any, rng: Any, dpi: int, rotation: int, out_wh: tuple[int, int],
               broken: bool, stamp_unit: str | None, params: dict[str, Any],
               colour: bool = False) -> Any:
    """Simulate printing ``clean`` (gray uint8 raster at ``dpi``) and scanning it, in grey
    or (``colour``) in RGB on slightly yellowed paper."""
    import cv2
    import numpy as np

    img = clean.astype(np.float32)
    s = dpi / 200.0
    if broken:
        params["broken_segments"] = _break_lines(img, rng, dpi)
    # toner: ink coverage scaled, a little uneven over the sheet
    gain = params["ink_gain"]
    h, w = img.shape
    cover = (255.0 - img) / 255.0 * gain * (1.0 + 0.08 * _low_freq(rng, h, w, 4))
    cover = cover.clip(0.0, 1.0)
    # paper: grey level with faint blotches; ink goes down to a dark grey, not pure black
    paper = params["paper_level"] * 255.0 * (1.0 + 0.015 * _low_freq(rng, h, w, 10))
    black = params["black_level"]
    img = paper - cover * (paper - black)
    ink_threshold = float(paper.mean()) * 0.6
    if colour:
        img = np.ascontiguousarray(img[:, :, None] * np.array(PAPER_TINT, dtype=np.float32))
    if stamp_unit:
        _stamp(img, rng, dpi, stamp_unit)
    if rotation:
        img = np.ascontiguousarray(np.rot90(img, k=rotation // 90))  # counter-clockwise
        h, w = img.shape[:2]
    # skew and offset into the fixed scanner window
    W, H = out_wh
    angle = params["skew"]
    dx = float(rng.uniform(-0.012, 0.012) * W)
    dy = float(rng.uniform(-0.012, 0.012) * H)
    ys, xs = np.nonzero((img.mean(axis=2) if colour else img) < ink_threshold)
    M = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    M[0, 2] += W / 2.0 - w / 2.0
    M[1, 2] += H / 2.0 - h / 2.0
    if len(xs):  # keep the printed content inside the window
        corners = np.array([[xs.min(), ys.min(), 1], [xs.max(), ys.min(), 1],
                            [xs.min(), ys.max(), 1], [xs.max(), ys.max(), 1]], dtype=np.float64)
        tc = corners @ M.T
        m = 3.0
        dx = min(max(dx, m - tc[:, 0].min()), W - m - tc[:, 0].max())
        dy = min(max(dy, m - tc[:, 1].min()), H - m - tc[:, 1].max())
    M[0, 2] += dx
    M[1, 2] += dy
    params["offset_px"] = [round(dx), round(dy)]
    lid = params["lid_level"]
    img = cv2.warpAffine(img, M, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                         borderValue=(lid, lid, lid) if colour else lid)
    # illumination: a gentle gradient in a random direction and a vignette
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    xn, yn = xx / W - 0.5, yy / H - 0.5
    t = rng.uniform(0, 2 * np.pi)
    light = 1.0 + params["gradient"] * (xn * np.cos(t) + yn * np.sin(t)) * 2.0
    light -= params["vignette"] * (xn ** 2 + yn ** 2) * 2.0
    img *= light[:, :, None] if colour else light
    img = cv2.GaussianBlur(img, (0, 0), params["blur_sigma_200dpi"] * s)
    # sensor noise; a colour scanner's is mostly in the brightness, shared by the channels
    noise = rng.normal(0.0, params["noise_sigma"], size=img.shape[:2]).astype(np.float32)
    img += noise[:, :, None] if colour else noise
    # a few specks of dust
    for _ in range(int(rng.integers(5, 25))):
        centre = (int(rng.integers(0, W)), int(rng.integers(0, H)))
        radius = max(1, int(rng.uniform(0.5, 2.0) * s))
        level = float(rng.uniform(60, 160))
        cv2.circle(img, centre, radius, (level, level, level) if colour else level, -1)
    return img.clip(0, 255).astype(np.uint8)


def _write_image_pdf(path: Path, pages: list[tuple[bytes, int, int, float, float]],
                     colour: bool = False) -> None:
    """A PDF whose every page draws one DCT (JPEG) image over the whole page.

    ``pages``: (jpeg bytes, pixel width, pixel height, page width pt, page height pt).
    """
    space = "/DeviceRGB" if colour else "/DeviceGray"
    objs: list[bytes] = []
    n = len(pages)
    kids = " ".join(f"{3 + 3 * i} 0 R" for i in range(n))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    for i, (jpg, pw, ph, wpt, hpt) in enumerate(pages):
        img_id, cs_id = 4 + 3 * i, 5 + 3 * i
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {wpt:.2f} {hpt:.2f}] "
                    f"/Resources << /XObject << /Im0 {img_id} 0 R >> /ProcSet [/PDF /Image{'C' if colour else 'B'}] >> "
                    f"/Contents {cs_id} 0 R >>".encode())
        objs.append(f"<< /Type /XObject /Subtype /Image /Width {pw} /Height {ph} /ColorSpace {space} "
                    f"/BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpg)} >>\nstream\n".encode()
                    + jpg + b"\nendstream")
        content = f"q {wpt:.2f} 0 0 {hpt:.2f} 0 0 cm /Im0 Do Q".encode()
        objs.append(f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{k} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def make_scan(spec: ScanSpec, exported: Path, out: Path) -> dict[str, Any]:
    import io

    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    exported = exported.parent / spec.source_dir if spec.source_dir else exported
    src = exported / f"{spec.form}.pdf"
    truth = json.loads((exported / f"{spec.form}.truth.json").read_text(encoding="utf-8"))
    rng = np.random.default_rng(_scan_seed(spec.stem + "." + spec.fmt))
    qlo, qhi = SCAN_QUALITY[spec.dpi]
    quality = int(rng.integers(qlo, qhi + 1))
    doc = pdfium.PdfDocument(str(src))
    n = len(doc)
    broken_pages: list[int] = []
    if spec.broken_lines:
        broken_pages = sorted(int(p) for p in rng.choice(n, size=int(rng.integers(1, n + 1)), replace=False))
    stamp_page = n - 1 if spec.stamp else None
    common = {
        "paper_level": round(float(rng.uniform(0.80, 0.92)), 3),
        "lid_level": round(float(rng.uniform(215, 250)), 1),
        "black_level": round(float(rng.uniform(15, 45)), 1),
        "ink_gain": round(float(rng.uniform(0.82, 1.08)), 3),
        "blur_sigma_200dpi": round(float(rng.uniform(0.5, 1.0)), 2),
        "noise_sigma": round(float(rng.uniform(1.5, 3.0)), 2),
        "gradient": round(float(rng.uniform(0.02, 0.05)), 3),
        "vignette": round(float(rng.uniform(0.02, 0.06)), 3),
    }
    skews: list[float] = []
    offsets: list[list[int]] = []
    frames: list[tuple[bytes, int, int, float, float]] = []
    images: list[Any] = []
    for i in range(n):
        page = doc[i]
        wpt, hpt = page.get_size()
        clean = np.asarray(page.render(scale=spec.dpi / 72.0, grayscale=True).to_pil().convert("L"))
        clean = clean.copy()
        if spec.rotation in (90, 270):
            wpt, hpt = hpt, wpt
        W, H = round(wpt * spec.dpi / 72.0), round(hpt * spec.dpi / 72.0)
        params = dict(common, skew=round(float(rng.uniform(-2.0, 2.0)), 2))
        img = _scan_page(clean, rng, spec.dpi, spec.rotation, (W, H), i in broken_pages,
                         truth["unit_name"] if i == stamp_page else None, params, spec.colour)
        skews.append(params["skew"])
        offsets.append(params["offset_px"])
        pil = Image.fromarray(img, "RGB" if spec.colour else "L")
        if spec.fmt == "pdf":
            buf = io.BytesIO()
            pil.save(buf, "JPEG", quality=quality, optimize=True, dpi=(spec.dpi, spec.dpi))
            frames.append((buf.getvalue(), W, H, wpt, hpt))
        else:
            images.append(pil)
    doc.close()
    out.mkdir(parents=True, exist_ok=True)
    target = out / spec.filename
    if spec.fmt == "pdf":
        _write_image_pdf(target, frames, spec.colour)
    else:
        images[0].save(target, "TIFF", compression="jpeg", quality=quality, save_all=True,
                       append_images=images[1:], dpi=(spec.dpi, spec.dpi))
    truth["file"] = spec.filename
    truth["scan"] = {
        "dpi": spec.dpi,
        "skew_degrees": skews,
        "rotation": spec.rotation,
        "broken_lines": bool(broken_pages),
        "stamp": spec.stamp,
        "colour": spec.colour,
        "jpeg_quality": quality,
        "rotation_direction": "counterclockwise",
        "source": src.name,
        "format": spec.fmt,
        "broken_line_pages": [p + 1 for p in broken_pages],
        "stamp_page": None if stamp_page is None else stamp_page + 1,
        "offset_px": offsets,
        **common,
    }
    (out / f"{spec.stem}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                                 encoding="utf-8")
    return {"file": spec.filename, "pages": n, "bytes": target.stat().st_size, **truth["scan"]}


def make_scans(exported: Path, out: Path, only: list[str] | None = None) -> list[dict[str, Any]]:
    specs = [s for s in SCANS if not only or s.form in only]
    missing = sorted({s.form for s in specs
                      if not ((exported.parent / s.source_dir if s.source_dir else exported)
                              / f"{s.form}.pdf").exists()})
    if missing:
        raise FileNotFoundError(f"exported PDFs missing in {exported}: {missing}")
    infos = []
    for spec in specs:
        t0 = time.time()
        info = make_scan(spec, exported, out)
        infos.append(info)
        print(f"{info['file']}: {info['pages']} pages, {info['bytes'] / 1024:.0f} KiB, q{info['jpeg_quality']}, "
              f"skew {info['skew_degrees']}, rot {info['rotation']}, broken p{info['broken_line_pages'] or '-'}, "
              f"stamp p{info['stamp_page'] or '-'} ({time.time() - t0:.1f}s)")
    return infos


# --------------------------------------------------------------------------- driver
def render(form: Form, out: Path, work: Path, profile: Path) -> dict[str, Any]:
    pad = form.pad0
    lo, hi = form.pages_wanted
    best = None
    for _attempt in range(14):
        xlsx = work / f"{form.name}.xlsx"
        build_xlsx(form, xlsx, pad)
        pdf = export_pdf(xlsx, work, profile)
        pages = page_count(pdf)
        lp = leaf_pages(pdf, form) if pages > 1 else [1] * 999
        splits = split_ranges(form, lp) if pages > 1 else []
        split2 = [s for s in splits if s[0] == "二级"]
        best = (pdf, pages, splits, pad)
        if pages < lo:
            pad += 0.15
        elif pages > hi:
            if pad >= 0.1:
                pad -= 0.1
            else:  # wider text columns: fewer wrapped lines and a smaller fit-to-width scale
                pad = 0.0
                for c in "EGHJ":
                    form.widths[c] = round(form.widths[c] * 1.12, 1)
        elif not split2:
            pad += 0.04
        else:
            break
    assert best is not None
    pdf, pages, splits, pad = best
    if not lo <= pages <= hi:
        raise RuntimeError(f"{form.name}: {pages} pages, wanted {lo}..{hi}")
    truth = make_truth(form, pages)
    normalize_pdf(pdf)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pdf, out / f"{form.name}.pdf")
    (out / f"{form.name}.truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return {"name": form.name, "pages": pages, "pad": round(pad, 2), "splits": splits,
            "findings": [f"{r}@{loc}" for r, loc in form.injected]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", action="append", help="generate only this form (repeatable)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    ap.add_argument("--keep-xlsx", action="store_true", help="also copy the .xlsx into --out")
    ap.add_argument("--scan-out", type=Path, default=DEFAULT_SCAN_OUT,
                    help="output folder of the printed-and-scanned versions")
    ap.add_argument("--scans-only", action="store_true",
                    help="only (re)make the scanned versions from the PDFs already in --out")
    ap.add_argument("--no-scans", action="store_true", help="skip the scanned versions")
    ap.add_argument("--unseen", type=Path, metavar="DIR",
                    help="only write the held-out scans (UNSEEN_SCANS) into DIR")
    args = ap.parse_args(argv)
    if args.unseen:
        t0 = time.time()
        args.unseen.mkdir(parents=True, exist_ok=True)
        for spec in UNSEEN_SCANS:
            make_scan(spec, args.out, args.unseen)
        print(f"{len(UNSEEN_SCANS)} unseen scans in {time.time() - t0:.1f}s -> {args.unseen}")
        return 0
    if args.scans_only:
        t0 = time.time()
        make_scans(args.out, args.scan_out, args.only)
        print(f"scans done in {time.time() - t0:.1f}s -> {args.scan_out}")
        return 0
    if not shutil.which("soffice"):
        print("soffice (LibreOffice) is required", file=sys.stderr)
        return 2
    forms = all_forms()
    if args.only:
        names = {f.name for f in forms}
        bad = set(args.only) - names
        if bad:
            print(f"unknown form(s): {sorted(bad)}; known: {sorted(names)}", file=sys.stderr)
            return 2
        forms = [f for f in forms if f.name in args.only]
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="make_samples_") as tmp:
        work = Path(tmp)
        profile = work / "lo_profile"
        for form in forms:
            info = render(form, args.out, work, profile)
            if args.keep_xlsx:
                shutil.copyfile(work / f"{form.name}.xlsx", args.out / f"{form.name}.xlsx")
            sp = "; ".join(f"{lvl} {loc} p{'/'.join(map(str, ps))}" for lvl, loc, ps in info["splits"])
            print(f"{info['name']}: {info['pages']} pages (pad {info['pad']}); "
                  f"findings {info['findings'] or '-'}; splits: {sp or '-'}")
    print(f"done in {time.time() - t0:.1f}s -> {args.out}")
    if not args.no_scans:
        t1 = time.time()
        make_scans(args.out, args.scan_out, args.only)
        print(f"scans done in {time.time() - t1:.1f}s -> {args.scan_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
