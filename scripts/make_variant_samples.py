#!/usr/bin/env python3
"""Variant sample forms (部门整体支出绩效自评表) the parser has never seen, with ground truth.

Same family and truth schema as ``scripts/make_samples.py`` (whose content generator,
export and normalisation this script reuses), but each form differs from those
samples the way real archives differ:

- ``var_reportlab_2022``: drawn by reportlab (platypus tables, grid lines, WenQuanYi
  Zen Hei TTF), paginated by hand; a merged 一级/二级 cell split by a page break keeps
  its label on one page only.
- ``var_nocols_2021``: no 指标解释 and no 备注 columns; part 1 and part 2 put 得分 in
  different grid columns; other column widths.
- ``var_inline_2023``: weights inside the names (``管理效能（40分）``, ``资金管理(12分)``),
  no 一级 分值 column; some 二级 分值 cells blank when the name carries the weight.
- ``var_synonyms_2023``: 权重 / 自评得分 / 目标值 / 实际值 / 扣分原因及改进措施 /
  指标说明 headers, 部门名称 / 编制人数 / 下属单位数, budget rows 年度预算数 / 实际支出数 /
  预算执行率, the year inside the title (``2023年度部门整体支出绩效自评表``).
- ``var_repeat_2020``: manual page breaks; 一级/二级 labels (and their 分值) repeated on
  every page instead of one merged cell across the break; a page break exactly between
  the end of part 1 and the part-2 header.
- ``var_excel_2024``: Excel float noise in 分值 (float32 values, formats ``0.00`` and a
  few ``General``), amounts in 万元, rates with one decimal (``87.9%``), full-width digits
  typed as text (``１．５``), placeholders ``-`` / ``—`` / ``/`` in blank budget cells,
  template placeholder rows (``指标3：``, ``……``) that are not indicators.
- ``var_small_2019``: 6.5 pt type on portrait A4, two pages.
- ``var_bonus_2022``: a negative 加减分项 score (−2.5, allowed) and 一级 maxima adding
  to 95 (``total_max_mismatch``).

Truth findings come from an independent checker over the truth (as in make_samples.py),
extended with two rules docs/forms.md states: 加减分项 may be negative, and a rate compares
after rounding to its printed precision.

    python scripts/make_variant_samples.py
    python scripts/make_variant_samples.py --only var_repeat_2020 --out /tmp/x --keep-xlsx
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.styles import Border, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_samples as ms

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "samples" / "variants"
BUDGET_COLS = ms.BUDGET_COLS
BUDGET_ROWS = ms.BUDGET_ROWS
TOL = 0.001
NEGATIVE_OK = ("加减分项",)

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


# --------------------------------------------------------------------------- checker
def leaf_sum(form: ms.Form) -> float:
    return sum(round(lf.score * 10) for l1 in form.level1s for g in l1.groups for lf in g.leaves
               if lf.score is not None) / 10


# --------------------------------------------------------------------------- variant spec
@dataclass
class Spec:
    """How one xlsx variant lays out the same content."""

    widths: list[float]  # Excel width units of the grid columns
    part1: list[tuple[str, str, int, int]]  # (role, header text, first col, last col), 1-based
    part2: list[tuple[str, str, int, int]]
    title: str = "部门整体支出绩效自评表"
    year_line: str | None = "({year}年度)"
    unit_label: str = "单位名称"
    staff_label: str = "财供人数(编制总数) 合计：{staff}人"
    units_label: str = "单位数：{units}"
    budget_caption: str = "年度部门整体支出规模（万元）"
    budget_row_labels: tuple[str, str, str] = ("全年预算数", "全年执行数", "完成率")
    amount_fmt: str = "#,##0.00"
    rate_fmt: str = "0.00%"
    rate_decimals: int = 2
    empty_amount: str | None = None  # text printed in a blank budget amount cell
    empty_rate: str | None = None
    empty_cells: dict[tuple[str, str], str] = field(default_factory=dict)  # (row, col) -> text
    fmt: dict[str, str] = field(default_factory=lambda: {
        "l1max": "0", "l2max1": "0", "l2max2": "0.00", "max": "0.0"})
    l1_text: Callable[[ms.Level1], str] = lambda l1: l1.name
    l2_text: Callable[[ms.Level1, ms.Group], str] = lambda l1, g: g.name
    l2max_blank: Callable[[ms.Level1, ms.Group], bool] = lambda l1, g: False
    # (role, l1, group, leaf) -> (value, number format) to override a cell, or None
    override: Callable[[str, ms.Level1, ms.Group, ms.Leaf], tuple[Any, str | None] | None] = (
        lambda role, l1, g, lf: None)
    # template placeholder rows after a group's leaves: (l1 name, group name) -> names
    placeholders: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    print_title: bool = True  # part-1 header repeats at the top of each page
    repeat_labels: bool = False  # manual page breaks, labels repeated on each page
    landscape: bool = True
    font: str = "Noto Sans CJK SC"
    size: float = 8.0
    total_label: bool = True
    pages_wanted: tuple[int, int] = (2, 4)


class VSheet(ms.GridSheet):
    """A variant form's sheet: any number of columns, as ``spec.widths`` gives them."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.n = len(spec.widths)
        self.wb = ms.new_workbook("部门整体支出绩效自评表")
        super().__init__(self.wb.active, list(spec.widths), spec.font, spec.size)
        self.heights: dict[int, float] = {}


def spread(n: int, parts: int) -> list[tuple[int, int]]:
    """Split grid columns 3..n over ``parts`` budget values: (c1, c2) each."""
    avail = list(range(3, n + 1))
    base, extra = divmod(len(avail), parts)
    out, i = [], 0
    for k in range(parts):
        w = base + (1 if k >= parts - extra else 0)
        out.append((avail[i], avail[i + w - 1]))
        i += w
    return out


def budget_spans(n: int) -> list[tuple[int, int]]:
    if n == 11:
        return [ms.BUDGET_COL_SPAN[c] for c in BUDGET_COLS]
    return spread(n, 6)


def fit_budget(form: ms.Form, spec: Spec) -> None:
    """Widen a budget column whose amount would not fit (LibreOffice would print ###)."""
    for col, (c1, c2) in zip(BUDGET_COLS, budget_spans(len(spec.widths))):
        for row in ("全年预算数", "全年执行数"):
            v = form.budget[row][col]
            if v is None:
                continue
            need = sum(ms.char_w(ch, spec.size) for ch in f"{v:,.2f}") + 8
            have = sum(ms.col_pt(spec.widths[i - 1]) for i in range(c1, c2 + 1))
            if have < need:
                spec.widths[c2 - 1] = round(spec.widths[c2 - 1] + (need - have) / 7.03 + 0.5, 1)


@dataclass
class Built:
    heights: dict[int, float]
    header1: int  # row of the part-1 header
    header2: int  # row of the part-2 header
    data_rows: list[int]  # rows of indicator data (leaves and placeholder rows)
    last: int


def build_variant_xlsx(form: ms.Form, spec: Spec, path: Path, pad: float,
                       breaks: list[int] | None = None) -> Built:
    """Write the form as an xlsx laid out by ``spec``. ``breaks``: rows after which a
    manual page break falls (with spec.repeat_labels, merged labels are cut there)."""
    fit_budget(form, spec)
    sh = VSheet(spec)
    ws, put, n = sh.ws, sh.put, sh.n
    ms.fit_to_width(ws, "landscape" if spec.landscape else "portrait")
    breaks = sorted(breaks or [])

    r = 1
    put(r, 1, spec.title.format(year=form.year), c2=n, bold=True, size=14, border=False)
    sh.min_h[r] = 28
    r += 1
    if spec.year_line:
        put(r, 1, spec.year_line.format(year=form.year), c2=n, border=False, size=spec.size + 1)
        sh.min_h[r] = 20
        r += 1
    put(r, 1, "单位基本情况", c2=n, bold=True)
    r += 1
    if n == 11:  # the positions of make_samples.py
        a, b, g1, g2 = 6, 9, 5, 9
    else:
        a, b, g1, g2 = max(3, n // 2), max(4, n - 2), max(3, n // 2 - 1), n - 2
    put(r, 1, spec.unit_label)
    put(r, 2, form.unit_name, c2=a)
    put(r, a + 1, spec.staff_label.format(staff=form.staff), c2=b)
    put(r, b + 1, spec.units_label.format(units=form.units), c2=n)
    r += 1
    put(r, 1, "整体绩效目标")
    put(r, 2, form.goal, c2=g1, align="left")
    put(r, g1 + 1, "整体绩效目标完成情况")
    put(r, g1 + 2, form.goal_done, c2=g2, align="left")
    put(r, g2 + 1, "未能完成原因", c2=n - 1)
    put(r, n, form.reason, align="left")
    r += 1
    b0 = r
    spans = budget_spans(n)
    put(b0, 1, spec.budget_caption, r2=b0 + 4)
    put(b0, 2, "", r2=b0 + 1)
    for label, k1, k2 in [("按资金来源", 0, 1), ("按资金结构", 2, 3), ("按预算级次", 4, 5)]:
        put(b0, spans[k1][0], label, c2=spans[k2][1])
    for col, (c1, c2) in zip(BUDGET_COLS, spans):
        put(b0 + 1, c1, col, c2=c2)
    for i, (row, label) in enumerate(zip(BUDGET_ROWS, spec.budget_row_labels)):
        rr = b0 + 2 + i
        put(rr, 2, label)
        for col, (c1, c2) in zip(BUDGET_COLS, spans):
            v = form.budget[row][col]
            if row == "完成率":
                if v is None:
                    put(rr, c1, spec.empty_cells.get((row, col), spec.empty_rate), c2=c2)
                else:
                    put(rr, c1, round(v / 100, spec.rate_decimals + 2), c2=c2, fmt=spec.rate_fmt)
            else:
                if v is None:
                    put(rr, c1, spec.empty_cells.get((row, col), spec.empty_amount), c2=c2)
                else:
                    put(rr, c1, v, c2=c2, fmt=spec.amount_fmt)
    r = b0 + 5

    def role_cols(part: list[tuple[str, str, int, int]]) -> dict[str, tuple[int, int]]:
        return {role: (c1, c2) for role, _, c1, c2 in part}

    def pieces(r1: int, r2: int) -> list[tuple[int, int]]:
        """The row range cut at the manual breaks when labels repeat per page."""
        if not spec.repeat_labels:
            return [(r1, r2)]
        out, start = [], r1
        for br in breaks:
            if start <= br < r2:
                out.append((start, br))
                start = br + 1
        out.append((start, r2))
        return out

    header1 = header2 = 0
    data_rows: list[int] = []
    part_done = {1: False, 2: False}
    for l1 in form.level1s:
        part = spec.part1 if l1.part == 1 else spec.part2
        rc = role_cols(part)
        if not part_done[l1.part]:
            for _role, text, c1, c2 in part:
                put(r, c1, text, c2=c2, bold=True)
            if l1.part == 1:
                header1 = r
                if spec.print_title:
                    ws.print_title_rows = f"{r}:{r}"
            else:
                header2 = r
            part_done[l1.part] = True
            r += 1
        n1 = sum(len(g.leaves) + len(spec.placeholders.get((l1.name, g.name), [])) for g in l1.groups)
        for p1, p2 in pieces(r, r + n1 - 1):
            if "l1" in rc:
                put(p1, rc["l1"][0], spec.l1_text(l1), r2=p2, c2=rc["l1"][1])
            if "l1max" in rc:
                put(p1, rc["l1max"][0], l1.max, r2=p2, c2=rc["l1max"][1], fmt=spec.fmt["l1max"])
        for g in l1.groups:
            extra = spec.placeholders.get((l1.name, g.name), [])
            n2 = len(g.leaves) + len(extra)
            for p1, p2 in pieces(r, r + n2 - 1):
                put(p1, rc["l2"][0], spec.l2_text(l1, g), r2=p2, c2=rc["l2"][1])
                if "l2max" in rc:
                    blank = spec.l2max_blank(l1, g)
                    ov = spec.override("l2max", l1, g, g.leaves[0])
                    val, fmt = ov if ov else (g.max, spec.fmt["l2max1" if l1.part == 1 else "l2max2"])
                    put(p1, rc["l2max"][0], None if blank else val, r2=p2, c2=rc["l2max"][1], fmt=fmt)
            for lf in g.leaves:
                values = {"ind": (lf.name, None), "max": (lf.max, spec.fmt["max"]),
                          "score": (lf.score, lf.score_fmt), "expl": (lf.explanation, None),
                          "target": (lf.target, None), "actual": (lf.actual, None),
                          "basis": (lf.basis, None), "note": (lf.note, None)}
                for role, (val, fmt) in values.items():
                    if role not in rc:
                        continue
                    ov = spec.override(role, l1, g, lf)
                    if ov is not None:
                        val, fmt = ov
                    c1, c2 = rc[role]
                    long_text = isinstance(val, str) and len(val) > 12 and role != "ind"
                    put(r, c1, val, c2=c2, fmt=fmt, align="left" if long_text else "center")
                data_rows.append(r)
                r += 1
            for name in extra:
                for role, (c1, c2) in rc.items():
                    if role in ("l1", "l1max", "l2", "l2max"):
                        continue
                    put(r, c1, name if role == "ind" else ("……" if role == "target" and name == "……" else None),
                        c2=c2)
                data_rows.append(r)
                r += 1
    # 总分 row
    rc = role_cols(spec.part2)
    sc = rc["score"][0]
    put(r, 1, "总分")
    put(r, 2, 100, fmt="0")
    if spec.total_label and sc - 1 > 3:
        put(r, 3, "", c2=sc - 2)
        put(r, sc - 1, "得分")
    else:
        put(r, 3, "", c2=sc - 1)
    put(r, sc, form.declared_total, fmt="0.0")
    if sc < n:
        put(r, sc + 1, "", c2=n)
    sh.min_h[r] = spec.size * 2.4
    for br in breaks:
        ws.row_breaks.append(Break(id=br))
    heights = sh.finish(r, pad)
    ws.print_area = f"A1:{get_column_letter(n)}{r}"
    sh.wb.save(path)
    return Built(heights, header1, header2, data_rows, r)


def plan_breaks(spec: Spec, built: Built) -> list[int]:
    """Manual page breaks: one right before the part-2 header, others where a page fills
    (estimated from the row heights and the fit-to-width scale, with a safety margin)."""
    sheet_w = sum(ms.col_pt(w) for w in spec.widths)
    page_w, page_h = (842.0, 595.0) if spec.landscape else (595.0, 842.0)
    scale = min(1.0, (page_w - 72) / sheet_w)
    avail = (page_h - 72 - 30) / scale * 0.93
    title_h = built.heights[built.header1] if spec.print_title else 0.0
    breaks: list[int] = []
    used = 0.0
    for r in range(1, built.last + 1):
        h = built.heights[r]
        forced = r == built.header2
        if r > 1 and (forced or used + h > avail):
            breaks.append(r - 1)
            used = title_h if spec.print_title else 0.0
        used += h
    return breaks


# --------------------------------------------------------------------------- export helpers
def export_xlsx(xlsx: Path, work: Path, profile: Path) -> tuple[Path, int]:
    pdf = ms.export_pdf(xlsx, work, profile)
    return pdf, ms.page_count(pdf)


def render_xlsx(form: ms.Form, spec: Spec, work: Path, profile: Path) -> tuple[Path, int]:
    xlsx = work / f"{form.name}.xlsx"
    lo, hi = spec.pages_wanted
    if spec.repeat_labels:
        built = build_variant_xlsx(form, spec, xlsx, 0.0)
        breaks = plan_breaks(spec, built)
        build_variant_xlsx(form, spec, xlsx, 0.0, breaks)
        pdf, pages = export_xlsx(xlsx, work, profile)
        if pages != len(breaks) + 1:
            raise RuntimeError(f"{form.name}: {pages} pages, planned {len(breaks) + 1} (breaks {breaks})")
        return pdf, pages
    pad = 0.0
    for _ in range(10):
        build_variant_xlsx(form, spec, xlsx, pad)
        pdf, pages = export_xlsx(xlsx, work, profile)
        if lo <= pages <= hi:
            return pdf, pages
        pad = pad + 0.15 if pages < lo else max(0.0, pad - 0.1) if pad > 0 else pad
        if pages > hi and pad == 0.0:
            spec.widths = [round(w * 1.1, 1) for w in spec.widths]
    raise RuntimeError(f"{form.name}: {pages} pages, wanted {lo}..{hi}")


# --------------------------------------------------------------------------- reportlab
def wqy_font() -> str:
    out = subprocess.run(["fc-match", "-f", "%{file}", "WenQuanYi Zen Hei"], capture_output=True,
                         text=True, check=True).stdout.strip()
    if not out or not Path(out).exists():
        raise RuntimeError("WenQuanYi Zen Hei not found (fc-match)")
    return out


def render_reportlab(form: ms.Form, out_pdf: Path, size: float = 8.0) -> int:
    """The form drawn by reportlab: one Table per page, the section header row on top of
    each page (repeatRows=1), merged cells split by hand at the page breaks."""
    from reportlab.lib.enums import TA_CENTER, TA_LEFT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    font_file = wqy_font()
    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", font_file, subfontIndex=0))
    page_w, page_h = landscape(A4)
    margin = 30.0
    avail_w, avail_h = page_w - 2 * margin - 12, page_h - 2 * margin - 12 - 2  # frame padding 6
    pad = 2.5
    lead = size * 1.3
    st_c = ParagraphStyle("c", fontName="WQY", fontSize=size, leading=lead, alignment=TA_CENTER,
                          wordWrap="CJK")
    st_l = ParagraphStyle("l", parent=st_c, alignment=TA_LEFT)
    st_title = ParagraphStyle("t", fontName="WQY", fontSize=15, leading=20, alignment=TA_CENTER)
    st_year = ParagraphStyle("y", fontName="WQY", fontSize=size + 1.5, leading=size * 2, alignment=TA_CENTER)
    base = [6.5, 5, 12, 5.5, 16, 5, 19, 15, 6.5, 24, 8]
    cw = [w / sum(base) * avail_w for w in base]

    def para(text: Any, left: bool = False) -> Paragraph:
        s = "" if text is None else str(text)
        s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(s, st_l if left else st_c)

    def need(text: Any, c1: int, c2: int, left: bool = False) -> float:
        w = sum(cw[c1:c2 + 1]) - 2 * pad
        return para(text, left).wrap(w, 10000)[1] + 2 * pad

    # ---- preamble (title, unit, goal, budget) as one table
    pre: list[list[Any]] = [[""] * 11 for _ in range(8)]
    spans: list[tuple[int, int, int, int]] = []  # (c1, r1, c2, r2)
    pre_cells: list[tuple[int, int, int, int, Any, bool]] = []

    def cellp(rows: list[list[Any]], r: int, c1: int, text: Any, c2: int | None = None,
              r2: int | None = None, left: bool = False) -> None:
        c2 = c1 if c2 is None else c2
        r2 = r if r2 is None else r2
        rows[r][c1] = para(text, left)
        pre_cells.append((r, c1, c2, r2, text, left))
        if (c1, r) != (c2, r2):
            spans.append((c1, r, c2, r2))

    cellp(pre, 0, 0, "单位基本情况", c2=10)
    cellp(pre, 1, 0, "单位名称")
    cellp(pre, 1, 1, form.unit_name, c2=5)
    cellp(pre, 1, 6, f"财供人数(编制总数) 合计：{form.staff}人", c2=8)
    cellp(pre, 1, 9, f"单位数：{form.units}", c2=10)
    cellp(pre, 2, 0, "整体绩效目标")
    cellp(pre, 2, 1, form.goal, c2=4, left=True)
    cellp(pre, 2, 5, "整体绩效目标完成情况")
    cellp(pre, 2, 6, form.goal_done, c2=8, left=True)
    cellp(pre, 2, 9, "未能完成原因")
    cellp(pre, 2, 10, form.reason, left=True)
    cellp(pre, 3, 0, "年度部门整体支出规模（万元）", r2=7)
    cellp(pre, 3, 1, "", r2=4)
    for label, c1, c2 in ms.BUDGET_GROUPS:
        cellp(pre, 3, c1 - 1, label, c2=c2 - 1)
    for col in BUDGET_COLS:
        c1, c2 = ms.BUDGET_COL_SPAN[col]
        cellp(pre, 4, c1 - 1, col, c2=c2 - 1)
    for i, row in enumerate(BUDGET_ROWS):
        cellp(pre, 5 + i, 1, row)
        for col in BUDGET_COLS:
            c1, c2 = ms.BUDGET_COL_SPAN[col]
            v = form.budget[row][col]
            text = "" if v is None else (f"{v:.2f}%" if row == "完成率" else f"{v:,.2f}")
            cellp(pre, 5 + i, c1 - 1, text, c2=c2 - 1)
    pre_h = [max(lead + 2 * pad + 2, 16.0)] * 8
    for r, c1, c2, r2, text, left in pre_cells:
        if r == r2:
            pre_h[r] = max(pre_h[r], need(text, c1, c2, left))
    pre_style = [("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                 ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                 ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad)]
    pre_style += [("SPAN", (c1, r1), (c2, r2)) for c1, r1, c2, r2 in spans]
    pre_table = Table(pre, colWidths=cw, rowHeights=pre_h, style=TableStyle(pre_style))

    # ---- indicator rows: (kind, cells dict col -> (text, left, c2), height)
    head1 = [(0, "一级指标", 0), (1, "分值", 1), (2, "二级指标", 2), (3, "分值", 3), (4, "三级指标", 4),
             (5, "分值", 5), (6, "指标解释", 7), (8, "得分/自评分", 8), (9, "评分依据、未达标原因、改进措施", 10)]
    head2 = [(i, t, i) for i, t in enumerate(["一级指标", "分值", "二级指标", "分值", "三级指标", "分值",
                                              "年度指标值", "实际完成指标值", "得分/自评分",
                                              "评分依据、未达标原因、改进措施", "备注"])]
    rows: list[dict[str, Any]] = []  # each: part, cells {c1: (text, left, c2)}, h
    # spans over data rows: (col, first row index, last row index, text, c2)
    label_spans: list[tuple[int, int, int, str]] = []

    def head_row(part: int) -> dict[str, Any]:
        cells = {c1: (t, False, c2) for c1, t, c2 in (head1 if part == 1 else head2)}
        h = max(need(t, c1, c2) for c1, (t, _l, c2) in cells.items())
        return {"part": part, "cells": cells, "h": max(h, 16.0), "head": True}

    seen_part: set[int] = set()
    for l1 in form.level1s:
        if l1.part not in seen_part:
            rows.append(head_row(l1.part))
            seen_part.add(l1.part)
        start1 = len(rows)
        for g in l1.groups:
            start2 = len(rows)
            for lf in g.leaves:
                cells: dict[int, tuple[Any, bool, int]] = {
                    4: (lf.name, False, 4), 5: (f"{lf.max:.1f}", False, 5),
                    8: ("" if lf.score is None else (f"{lf.score:.0f}" if lf.score_fmt == "0" else f"{lf.score:.1f}"),
                        False, 8)}
                if l1.part == 1:
                    cells[6] = (lf.explanation, True, 7)
                    cells[9] = (lf.basis, True, 10)
                else:
                    cells[6] = (lf.target, len(lf.target) > 12, 6)
                    cells[7] = (lf.actual, len(lf.actual) > 12, 7)
                    cells[9] = (lf.basis, True, 9)
                    cells[10] = (lf.note, False, 10)
                h = max(need(t, c1, c2, left) for c1, (t, left, c2) in cells.items())
                rows.append({"part": l1.part, "cells": cells, "h": max(h, lead + 2 * pad + 2), "head": False})
            label_spans.append((2, start2, len(rows) - 1, g.name))
            label_spans.append((3, start2, len(rows) - 1, f"{g.max:.0f}" if l1.part == 1 else f"{g.max:.2f}"))
        label_spans.append((0, start1, len(rows) - 1, l1.name))
        label_spans.append((1, start1, len(rows) - 1, f"{l1.max}"))
    total = {"part": 2, "cells": {0: ("总分", False, 0), 1: ("100", False, 1), 2: ("", False, 6),
                                  7: ("得分", False, 7), 8: (f"{form.declared_total:.1f}", False, 8),
                                  9: ("", False, 10)}, "h": 2.4 * size + 6, "head": False}
    # a label spanning rows needs their total height
    for col, a, b, text in label_spans:
        want = need(text, col, col)
        have = sum(rows[i]["h"] for i in range(a, b + 1))
        if have < want:
            for i in range(a, b + 1):
                rows[i]["h"] += (want - have) / (b - a + 1)
    rows.append(total)

    title_h = (Paragraph("部门整体支出绩效自评表", st_title).wrap(avail_w, 100)[1]
               + Paragraph("（2000年度）", st_year).wrap(avail_w, 100)[1] + 4)
    first_avail = avail_h - title_h - sum(pre_h) - 4
    for _attempt in range(6):
        # paginate: page k holds rows[start:end]; pages after the first start with the
        # header row of the section they continue (unless they start with a header)
        pages: list[tuple[int, int]] = []
        i, room = 0, first_avail
        while i < len(rows):
            start, used = i, 0.0
            if pages and not rows[i]["head"]:
                used += head_row(rows[i]["part"])["h"]
            while i < len(rows) and used + rows[i]["h"] <= room:
                used += rows[i]["h"]
                i += 1
            if rows[i - 1]["head"] and i < len(rows) and i - start > 1:  # no header alone at a page foot
                i -= 1
            if i == start:
                raise RuntimeError("a row taller than a page")
            pages.append((start, i))
            room = avail_h
        # place labels: on the page piece with most height; grow it if the label does not fit
        placed: list[tuple[int, int, int, int, str]] = []  # (page, col, a, b, text)
        grow = False
        for col, a, b, text in label_spans:
            parts = []
            for p, (s, e) in enumerate(pages):
                lo, hi = max(a, s), min(b, e - 1)
                if lo <= hi:
                    parts.append((sum(rows[k]["h"] for k in range(lo, hi + 1)), p, lo, hi))
            best = max(parts)
            for hsum, p, lo, hi in parts:
                placed.append((p, col, lo, hi, text if (hsum, p, lo, hi) == best else ""))
            want = need(text, col, col)
            if best[0] < want:
                for k in range(best[2], best[3] + 1):
                    rows[k]["h"] += (want - best[0]) / (best[3] - best[2] + 1)
                grow = True
        if not grow:
            break
    else:
        raise RuntimeError("reportlab pagination did not settle")

    story: list[Any] = [Paragraph("部门整体支出绩效自评表", st_title), Paragraph(f"（{form.year}年度）", st_year),
                        Spacer(1, 4), pre_table]
    for p, (s, e) in enumerate(pages):
        data: list[list[Any]] = []
        heights: list[float] = []
        style = [("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                 ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                 ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]
        offset = 0
        if p > 0 and not rows[s]["head"]:
            hr = head_row(rows[s]["part"])
            src = [hr] + rows[s:e]
            offset = 1
        else:
            src = rows[s:e]
        for k, row in enumerate(src):
            line: list[Any] = [""] * 11
            for c1, (t, left, c2) in row["cells"].items():
                line[c1] = para(t, left)
                if c2 != c1:
                    style.append(("SPAN", (c1, k), (c2, k)))
            data.append(line)
            heights.append(row["h"])
        for pp, col, lo, hi, text in placed:
            if pp != p:
                continue
            r1, r2 = lo - s + offset, hi - s + offset
            data[r1][col] = para(text)
            if r2 > r1:
                style.append(("SPAN", (col, r1), (col, r2)))
        story.append(Table(data, colWidths=cw, rowHeights=heights, repeatRows=1, style=TableStyle(style)))
        if p < len(pages) - 1:
            story.append(PageBreak())
    doc = SimpleDocTemplate(str(out_pdf), pagesize=(page_w, page_h), leftMargin=margin,
                            rightMargin=margin, topMargin=margin, bottomMargin=margin,
                            title="部门整体支出绩效自评表", author="Administrator", invariant=1)
    doc.build(story)
    return ms.page_count(out_pdf)


# --------------------------------------------------------------------------- the variants
def base_form(name: str, key: str, district: str, year: int, seed: int, inj: str | None = None) -> ms.Form:
    return ms.generated_form((name, key, district, year, "Noto Sans CJK SC", 8, seed, inj))


def f32(x: float) -> float:
    """The value an Excel sheet holds after a float32 round trip (0.09 → 0.0900000035762787)."""
    return struct.unpack("f", struct.pack("f", x))[0]


def fullwidth(text: str) -> str:
    return text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))


STD1 = [("l1", "一级指标", 1, 1), ("l1max", "分值", 2, 2), ("l2", "二级指标", 3, 3), ("l2max", "分值", 4, 4),
        ("ind", "三级指标", 5, 5), ("max", "分值", 6, 6), ("expl", "指标解释", 7, 8),
        ("score", "得分/自评分", 9, 9), ("basis", "评分依据、未达标原因、改进措施", 10, 11)]
STD2 = [(r, t, i, i) for i, (r, t) in enumerate(
    [("l1", "一级指标"), ("l1max", "分值"), ("l2", "二级指标"), ("l2max", "分值"), ("ind", "三级指标"),
     ("max", "分值"), ("target", "年度指标值"), ("actual", "实际完成指标值"), ("score", "得分/自评分"),
     ("basis", "评分依据、未达标原因、改进措施"), ("note", "备注")], start=1)]
STD_W = [7, 5, 11, 6, 16, 5, 20, 16, 7, 26, 9]


def var_reportlab() -> tuple[ms.Form, dict[str, Any]]:
    form = base_form("var_reportlab_2022", "edu", "从化区", 2022, 301)
    return form, {"engine": "reportlab"}


def var_nocols() -> tuple[ms.Form, Spec]:
    form = base_form("var_nocols_2021", "health", "增城区", 2021, 302)
    part1 = [("l1", "一级指标", 1, 1), ("l1max", "分值", 2, 2), ("l2", "二级指标", 3, 3), ("l2max", "分值", 4, 4),
             ("ind", "三级指标", 5, 5), ("max", "分值", 6, 6), ("score", "得分", 7, 7),
             ("basis", "评分依据、未达标原因、改进措施", 8, 10)]
    part2 = [(r, t, i, i) for i, (r, t) in enumerate(
        [("l1", "一级指标"), ("l1max", "分值"), ("l2", "二级指标"), ("l2max", "分值"), ("ind", "三级指标"),
         ("max", "分值"), ("target", "年度指标值"), ("actual", "实际完成指标值"), ("score", "得分"),
         ("basis", "评分依据、未达标原因、改进措施")], start=1)]
    for l1 in form.level1s:  # no 指标解释 column: that text is not on the form
        for g in l1.groups:
            for lf in g.leaves:
                lf.explanation = ""
    spec = Spec(widths=[8, 6, 14, 6, 22, 6, 14, 14, 7, 34], part1=part1, part2=part2,
                font="Noto Serif CJK SC", size=8.5)
    return form, spec


def var_inline() -> tuple[ms.Form, Spec]:
    form = base_form("var_inline_2023", "justice", "从化区", 2023, 303)
    part1 = [("l1", "一级指标", 1, 1), ("l2", "二级指标", 2, 2), ("l2max", "分值", 3, 3), ("ind", "三级指标", 4, 4),
             ("max", "分值", 5, 5), ("expl", "指标解释", 6, 7), ("score", "得分", 8, 8),
             ("basis", "评分依据", 9, 10)]
    part2 = [(r, t, i, i) for i, (r, t) in enumerate(
        [("l1", "一级指标"), ("l2", "二级指标"), ("l2max", "分值"), ("ind", "三级指标"), ("max", "分值"),
         ("target", "年度指标值"), ("actual", "实际完成指标值"), ("score", "得分"), ("basis", "评分依据"),
         ("note", "备注")], start=1)]
    names1 = [g.name for l1 in form.level1s if l1.part == 1 for g in l1.groups]
    spec = Spec(
        widths=[10, 12, 6, 16, 5, 20, 16, 7, 26, 8], part1=part1, part2=part2,
        l1_text=lambda l1: f"{l1.name}（{l1.max}分）",
        l2_text=lambda l1, g: f"{g.name}({g.max:g}分)" if l1.part == 1 else g.name,
        # the exporter left the 二级 分值 blank where the name carries it, for every other group
        l2max_blank=lambda l1, g: l1.part == 1 and names1.index(g.name) % 2 == 1,
        font="WenQuanYi Zen Hei", size=8)
    return form, spec


def var_synonyms() -> tuple[ms.Form, Spec]:
    form = base_form("var_synonyms_2023", "cgzf", "天河区", 2023, 304)
    part1 = [("l1", "一级指标", 1, 1), ("l1max", "权重", 2, 2), ("l2", "二级指标", 3, 3), ("l2max", "权重", 4, 4),
             ("ind", "三级指标", 5, 5), ("max", "权重", 6, 6), ("expl", "指标说明", 7, 8),
             ("score", "自评得分", 9, 9), ("basis", "扣分原因及改进措施", 10, 11)]
    part2 = [(r, t, i, i) for i, (r, t) in enumerate(
        [("l1", "一级指标"), ("l1max", "权重"), ("l2", "二级指标"), ("l2max", "权重"), ("ind", "三级指标"),
         ("max", "权重"), ("target", "目标值"), ("actual", "实际值"), ("score", "自评得分"),
         ("basis", "扣分原因及改进措施"), ("note", "备注")], start=1)]
    spec = Spec(widths=[7, 5, 12, 5, 17, 5, 19, 15, 7, 26, 8], part1=part1, part2=part2,
                title="{year}年度部门整体支出绩效自评表", year_line=None, unit_label="部门名称",
                staff_label="编制人数：{staff}人", units_label="下属单位数：{units}",
                budget_caption="部门整体支出规模（万元）",
                budget_row_labels=("年度预算数", "实际支出数", "预算执行率"),
                font="Noto Sans CJK SC", size=8.5, total_label=False)
    return form, spec


def var_repeat() -> tuple[ms.Form, Spec]:
    form = base_form("var_repeat_2020", "civil", "花都区", 2020, 305)
    spec = Spec(widths=list(STD_W), part1=STD1, part2=STD2, repeat_labels=True,
                font="Noto Serif CJK SC", size=9)
    return form, spec


def var_excel() -> tuple[ms.Form, Spec]:
    form = base_form("var_excel_2024", "culture", "增城区", 2024, 306)
    rng = random.Random(306)
    # amounts in 万元, 2 decimals; rates printed with one decimal; 上级资金 blank
    budget = ms.make_budget(rng, wan=True)
    budget["全年预算数"]["上级资金"] = budget["全年执行数"]["上级资金"] = budget["完成率"]["上级资金"] = None
    b, e = budget["全年预算数"], budget["全年执行数"]
    b["区级资金"] = round(b["财政拨款"] + b["其他资金"], 2)  # type: ignore[operator]
    e["区级资金"] = round(e["财政拨款"] + e["其他资金"], 2)  # type: ignore[operator]
    for col in BUDGET_COLS:
        bud, exe = b[col], e[col]
        budget["完成率"][col] = (None if bud is None or exe is None else
                               0.0 if bud == 0 else round(exe / bud * 100, 1))
    form.budget = budget
    leaves = [(l1, g, lf) for l1 in form.level1s for g in l1.groups for lf in g.leaves]
    part2_leaves = [t for t in leaves if t[0].name == "履职效能"]
    # 分值 cells left in format General: the ones whose float32 value is not exact
    general = {id(lf) for _, _, lf in part2_leaves if lf.max is not None and f32(lf.max) != lf.max}
    general = set(list(general)[:3])
    # two scores typed as text with full-width digits (an lf whose score is fractional if any)
    fw = {id(part2_leaves[2][2]), id(leaves[3][2])}
    # template placeholder rows left in two project groups
    g2 = [g for l1 in form.level1s if l1.name == "履职效能" for g in l1.groups]
    placeholders = {("履职效能", g2[0].name): ["指标3："], ("履职效能", g2[-1].name): ["……"]}

    def override(role: str, l1: ms.Level1, g: ms.Group, lf: ms.Leaf) -> tuple[Any, str | None] | None:
        if role == "max" and lf.max is not None:
            return f32(lf.max), ("General" if id(lf) in general else "0.00")
        if role == "l2max":
            return f32(g.max), "0.00"
        if role == "score" and id(lf) in fw and lf.score is not None:
            return fullwidth(f"{lf.score:.1f}"), None
        if role == "score" and lf.score is not None:
            return f32(lf.score), "0.00"
        return None

    spec = Spec(widths=list(STD_W), part1=STD1, part2=STD2, amount_fmt="#,##0.00", rate_fmt="0.0%",
                rate_decimals=1, empty_amount="-", empty_rate="/", override=override,
                empty_cells={("全年执行数", "上级资金"): "—"},
                placeholders=placeholders, font="WenQuanYi Zen Hei", size=9,
                budget_caption="年度部门整体支出规模（万元）")
    # the rate of a zero budget prints as "/" in this template (truth: blank)
    if form.budget["全年预算数"]["其他资金"] == 0:
        form.budget["完成率"]["其他资金"] = None
        spec.empty_cells[("完成率", "其他资金")] = "/"
    return form, spec


def var_small() -> tuple[ms.Form, Spec]:
    form = base_form("var_small_2019", "edu", "南沙区", 2019, 307)
    w = [5, 3.6, 8, 4, 11, 3.6, 12.5, 10, 4.6, 15, 4]
    spec = Spec(widths=w, part1=STD1, part2=STD2, landscape=False, font="Noto Sans CJK SC", size=6.5,
                pages_wanted=(2, 2))
    return form, spec


def var_bonus() -> tuple[ms.Form, Spec]:
    form = base_form("var_bonus_2022", "market", "增城区", 2022, 308)
    l1a = form.level1s[0]
    # 一级 maxima add up to 95: 管理效能 lost 5 points of its leaves (its children still add up)
    cut = 5
    for g in l1a.groups:
        for lf in g.leaves:
            while cut and (lf.max or 0) > 1:
                lf.max = (lf.max or 0) - 1
                cut -= 1
                break
        g.max = sum(lf.max or 0 for lf in g.leaves)
    assert cut == 0
    for g in l1a.groups:
        for lf in g.leaves:
            if lf.score is not None and lf.max is not None and lf.score > lf.max:
                lf.score = lf.max
    l1a.max -= 5
    bonus = [l1 for l1 in form.level1s if l1.name == "加减分项"]
    if bonus:
        form.level1s.remove(bonus[0])
    neg = ms.bonus_level1(-2.5)
    neg.groups[0].leaves[0].basis = "部门决算报送逾期，被财政部门通报批评，按规定扣2.5分。"
    form.level1s.append(neg)
    form.declared_total = leaf_sum(form)
    form.injected = [("total_max_mismatch", "总分")]
    spec = Spec(widths=list(STD_W), part1=STD1, part2=STD2, font="Noto Serif CJK SC", size=8)
    return form, spec


VARIANTS: dict[str, Callable[[], tuple[ms.Form, Any]]] = {
    "var_reportlab_2022": var_reportlab,
    "var_nocols_2021": var_nocols,
    "var_inline_2023": var_inline,
    "var_synonyms_2023": var_synonyms,
    "var_repeat_2020": var_repeat,
    "var_excel_2024": var_excel,
    "var_small_2019": var_small,
    "var_bonus_2022": var_bonus,
}


def render(name: str, out: Path, work: Path, profile: Path, keep_xlsx: bool) -> str:
    form, spec = VARIANTS[name]()
    rate_decimals = 2
    if isinstance(spec, Spec):
        pdf, pages = render_xlsx(form, spec, work, profile)
        rate_decimals = spec.rate_decimals
        ms.normalize_pdf(pdf)
        if keep_xlsx:
            shutil.copyfile(work / f"{form.name}.xlsx", out / f"{form.name}.xlsx")
    else:
        pdf = work / f"{form.name}.pdf"
        pages = render_reportlab(form, pdf)
    truth = ms.make_truth(form, pages, NEGATIVE_OK, rate_decimals)
    shutil.copyfile(pdf, out / f"{form.name}.pdf")
    (out / f"{form.name}.truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return (f"{name}: {pages} pages, {len(truth['indicators'])} leaves; "
            f"findings {[f['rule'] + '@' + f['location'] for f in truth['findings']] or '-'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", action="append", choices=sorted(VARIANTS), help="only this variant")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--keep-xlsx", action="store_true")
    args = ap.parse_args(argv)
    if not shutil.which("soffice"):
        print("soffice (LibreOffice) is required", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="make_variants_") as tmp:
        work = Path(tmp)
        for name in args.only or list(VARIANTS):
            print(render(name, args.out, work, work / "lo_profile", args.keep_xlsx), flush=True)
    print(f"done in {time.time() - t0:.1f}s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
