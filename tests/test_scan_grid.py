"""The scan path on real images: a ruled form exported to PDF, rendered, degraded like a
scan (tilt, blur, noise, JPEG, grey uneven paper, broken lines), must give the same grid
as the PDF's vector lines; deskew and orientation must undo what was done."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pytest

from extract.errors import InputFileError
from extract.grid.build import segments_to_tables
from extract.inputs.images import image_file_pages, pdf_page_image
from extract.model import Table
from extract.scan import cleanup, deskew
from extract.scan.analysis import analyse_page
from extract.scan.lines import LineSettings, find_lines, lines_to_tables
from extract.textlayer.chars import ruling_segments

pytestmark = pytest.mark.ocr

FORM_ROWS = [
    ["一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "指标解释", "自评分", "评分依据"],
    ["管理效能", 45, "资金管理", 16, "预算完成率", 2.0, "反映部门预算完成程度", 2.0, "已完成"],
    ["", "", "", "", "预算编制情况", 3.0, "反映预算编制质量", 2.5, "部分完成"],
    ["", "", "", "", "结转结余率", 3.0, "反映结转结余情况", 3.0, ""],
    ["", "", "采购管理", 2, "政府采购执行率", 2.0, "反映采购执行", 1.8, "按计划执行"],
    ["", "", "资产管理", 4, "资产管理规范性", 4.0, "反映资产管理", 4.0, ""],
    ["履职效能", 50, "重点工作", 30, "门户网站发布", 10.0, "发布条数≥50个", 9.5, "完成"],
    ["", "", "", "", "政务服务能力", 20.0, "不低于2000M", 18.7, "良好"],
    ["", "", "公共服务", 20, "群众满意度", 20.0, "满意度≥90%", 19.0, ""],
    ["加减分项", 5, "工作表现", 5, "受表彰或批评", 5.0, "", 5.0, ""],
    ["总分", 100, "", "", "", "", "", 88.7, ""],
]
MERGES = ["A5:A9", "B5:B9", "C5:C7", "D5:D7", "A10:A12", "B10:B12", "C10:C11", "D10:D11", "C14:G14"]


def _build_form_pdf(out: Path) -> Path:
    """A landscape bordered form with merged cells: openpyxl → LibreOffice PDF."""
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.styles import Alignment, Border, Font, Side

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is needed to export the test form")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    thin = Side(style="thin")
    ws["A1"] = "部门整体支出绩效自评表"
    ws.merge_cells("A1:I1")
    ws["A1"].font = Font(size=16, bold=True)
    ws["A2"] = "(2021年度)"
    ws.merge_cells("A2:I2")
    for i, row in enumerate(FORM_ROWS, start=4):
        for j, value in enumerate(row, start=1):
            cell = ws.cell(row=i, column=j, value=None if value == "" else value)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            cell.font = Font(size=10, bold=i == 4)
        ws.row_dimensions[i].height = 28
    for rng in MERGES:
        ws.merge_cells(rng)
    for col, width in zip("ABCDEFGHI", [10, 6, 12, 6, 18, 6, 26, 8, 22]):
        ws.column_dimensions[col].width = width
    xlsx = out / "ruled_form.xlsx"
    wb.save(xlsx)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{out}/lo-profile",
         "--convert-to", "pdf", "--outdir", str(out), str(xlsx)],
        check=True, capture_output=True, timeout=180,
    )
    return out / "ruled_form.pdf"


COMMITTED_FORM = Path(__file__).resolve().parent.parent / "samples" / "grid" / "ruled_form.pdf"


@pytest.fixture(scope="module")
def form_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed export of _build_form_pdf (so the tests need no LibreOffice);
    rebuilt when it is missing and LibreOffice is there."""
    if COMMITTED_FORM.exists():
        return COMMITTED_FORM
    return _build_form_pdf(tmp_path_factory.mktemp("scan_form"))


def degrade(gray: np.ndarray, ppp: float, *, angle: float, seed: int) -> np.ndarray:
    """Make a clean rendering look like a poor scan."""
    rng = np.random.default_rng(seed)
    h, w = gray.shape
    img = gray.astype(np.float32)
    # broken, faint lines: erase short stretches (2–5 pt) of the ruling lines, grey the rest
    ink = np.where(gray < 128, 255, 0).astype(np.uint8)
    run = int(30 * ppp)
    lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1)))
    lines |= cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, run)))
    lines = cv2.dilate(lines, np.ones((3, 3), np.uint8))
    ys, xs = np.nonzero(lines)
    for j in rng.choice(len(ys), size=40, replace=False):
        half = int(rng.uniform(1.0, 2.5) * ppp)
        sl = (slice(ys[j] - half, ys[j] + half), slice(xs[j] - half, xs[j] + half))
        img[sl] = np.where(lines[sl] > 0, 255, img[sl])
    img = np.where(lines > 0, img * 0.5 + 0.3 * 255, img)
    # grey, unevenly lit paper
    yy, xx = np.mgrid[0:h, 0:w]
    img *= 0.78 + 0.15 * (xx / w) + 0.05 * np.sin(yy / h * 3)
    img = cv2.GaussianBlur(img, (0, 0), 0.3 * ppp)
    img = cleanup.rotate(np.clip(img, 0, 255).astype(np.uint8), angle, fill=200).astype(np.float32)
    img += rng.normal(0, 8, img.shape)
    ok, buf = cv2.imencode(".jpg", np.clip(img, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 60])
    assert ok
    return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)


def structure(table: Table) -> tuple[int, int, set[tuple[int, int, int, int]]]:
    return table.n_rows, table.n_cols, {(c.row, c.col, c.rowspan, c.colspan) for c in table.cells}


def vector_tables(pdf: Path, page: int = 1) -> list[Table]:
    with pdfplumber.open(pdf) as doc:
        return segments_to_tables(ruling_segments(doc.pages[page - 1]), page)


@pytest.mark.parametrize("dpi", [150, 200])
def test_degraded_scan_gives_vector_grid(form_pdf: Path, dpi: int) -> None:
    expected = [structure(t) for t in vector_tables(form_pdf)]
    assert expected and expected[0][2] != {(r, c, 1, 1) for r, c, _, _ in expected[0][2]}  # has merges
    gray, ppp = pdf_page_image(form_pdf, 1, dpi)
    scan = degrade(gray, ppp, angle=1.5, seed=dpi)
    page = analyse_page(scan, ppp, 1, use_osd=False)
    assert abs(page.skew - 1.5) < 0.2
    assert [structure(t) for t in page.tables] == expected


@pytest.mark.parametrize("dpi", [150, 200])
@pytest.mark.parametrize("angle", [1.5, -2.5, 4.0])
def test_deskew_recovers_angle(form_pdf: Path, dpi: int, angle: float) -> None:
    gray, ppp = pdf_page_image(form_pdf, 1, dpi)
    tilted = cleanup.normalize_background(degrade(gray, ppp, angle=angle, seed=7), ppp)
    straight, found = deskew.deskew(tilted, ppp)
    assert abs(found - angle) < 0.2
    assert abs(deskew.detect_skew(straight, ppp)) < 0.2


@pytest.mark.parametrize("dpi", [150, 200])
@pytest.mark.parametrize("turns", [1, 2])
def test_page_turned_upright(form_pdf: Path, dpi: int, turns: int) -> None:
    """The scan stage turns a page scanned sideways or upside down upright: the rotation
    undoes the turn and the grid is the vector one."""
    gray, ppp = pdf_page_image(form_pdf, 1, dpi)
    turned = np.ascontiguousarray(np.rot90(gray, turns))
    page = analyse_page(turned, ppp, 1)
    assert page.image.shape == gray.shape
    assert (page.rotation + 90 * turns) % 360 == 0
    assert [structure(t) for t in page.tables] == [structure(t) for t in vector_tables(form_pdf)]


def test_upright_page_is_left_alone(form_pdf: Path) -> None:
    gray, ppp = pdf_page_image(form_pdf, 1, 150)
    page = analyse_page(gray, ppp, 1)
    assert page.rotation == 0
    assert page.skew == 0.0


def test_text_runs_are_not_lines(form_pdf: Path) -> None:
    """At 300 dpi the aligned strokes of a CJK text line must not become a row border."""
    expected = [structure(t) for t in vector_tables(form_pdf)]
    gray, ppp = pdf_page_image(form_pdf, 1, 300)
    binary = cleanup.binarize_for_grid(cleanup.normalize_background(gray, ppp))
    segments = find_lines(binary, settings=LineSettings(pixels_per_point=ppp))
    assert [structure(t) for t in lines_to_tables(segments, 1, ppp)] == expected


def test_embedded_scan_is_taken_at_its_own_resolution(tmp_path: Path) -> None:
    from PIL import Image

    scan = np.full((1654, 2339), 255, np.uint8)  # A4 landscape at 200 dpi
    cv2.rectangle(scan, (200, 300), (2100, 1400), 0, 3)
    pdf = tmp_path / "scan.pdf"
    Image.fromarray(scan).save(pdf, resolution=200.0)
    gray, ppp = pdf_page_image(pdf, 1, dpi=150)
    assert gray.shape == scan.shape
    assert ppp == pytest.approx(200 / 72, rel=0.01)
    # PIL stores the page as JPEG: equal up to compression noise, not resampled
    assert np.abs(gray.astype(int) - scan.astype(int)).mean() < 1.0


def test_multipage_tiff_and_dpi(tmp_path: Path) -> None:
    from PIL import Image

    frames = [Image.fromarray(np.full((1241, 1754), v, np.uint8)) for v in (250, 240)]
    tif = tmp_path / "pages.tif"
    frames[0].save(tif, save_all=True, append_images=frames[1:], dpi=(150, 150))
    pages = image_file_pages(tif)
    assert [p[1] for p in pages] == [150.0, 150.0]
    assert [int(p[0][0, 0]) for p in pages] == [250, 240]
    png = tmp_path / "nodpi.png"
    frames[0].save(png)  # no dpi metadata: estimated from an A4 long side
    assert image_file_pages(png)[0][1] == pytest.approx(1754 / (297 / 25.4), rel=0.01)


def test_corrupt_image_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    with pytest.raises(InputFileError, match="broken.png"):
        image_file_pages(bad)


def test_debug_image_is_written(form_pdf: Path, tmp_path: Path) -> None:
    from extract.grid.overlay import write_debug_image

    gray, ppp = pdf_page_image(form_pdf, 1, 150)
    page = analyse_page(gray, ppp, 1, use_osd=False)
    out = write_debug_image(page.image, page.tables, tmp_path / "form-p1.png",
                            segments=page.segments, pixels_per_point=ppp)
    assert out.is_file() and cv2.imread(str(out)).shape[:2] == page.image.shape


# --- committed scanned samples (samples/scanned, made by scripts/make_samples.py) ---------
SCANNED = Path(__file__).resolve().parent.parent / "samples" / "scanned"
EXPORTED = SCANNED.parent / "exported"


def _scanned_page(name: str, page: int) -> tuple[np.ndarray, float, dict]:
    import json

    truth = json.loads((SCANNED / f"{name}.truth.json").read_text(encoding="utf-8"))["scan"]
    gray, ppp = pdf_page_image(SCANNED / f"{name}.pdf", page, float(truth["dpi"]))
    return gray, ppp, truth


@pytest.mark.parametrize("name", ["dept_justice_2019-rot90-200dpi", "dept_culture_2024-rot180-200dpi"])
def test_rotated_scans_are_turned_upright(name: str) -> None:
    """The truth's rotation is counter-clockwise; undoing it is the rest of a full turn.
    Decided without tesseract or an OCR engine (the wrapped text of the cells)."""
    gray, ppp, truth = _scanned_page(name, 1)
    page = analyse_page(gray, ppp, 1, use_osd=False)
    assert page.rotation == (360 - truth["rotation"]) % 360
    assert abs(page.skew - truth["skew_degrees"][0]) < 0.2
    if 1 not in truth["broken_line_pages"]:
        expected = [structure(t) for t in vector_tables(EXPORTED / truth["source"])]
        assert [structure(t) for t in page.tables] == expected


@pytest.mark.parametrize(("name", "page_number"), [
    ("dept_civil_2021-150dpi", 1),
    ("dept_civil_2021-150dpi", 2),
    ("dept_market_2022-200dpi", 3),
    ("seed_haizhu_2021-150dpi", 3),
])
def test_broken_line_scans_give_vector_grid(name: str, page_number: int) -> None:
    """Pages with erased or faded stretches of ruling lines: no column lost, no cells
    merged across an erased border, merged cells kept."""
    gray, ppp, truth = _scanned_page(name, page_number)
    assert page_number in truth["broken_line_pages"]
    page = analyse_page(gray, ppp, page_number, use_osd=False)
    expected = [structure(t) for t in vector_tables(EXPORTED / truth["source"], page_number)]
    assert [structure(t) for t in page.tables] == expected


def _paper_with_seal(size: int = 120) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A colour scan patch: yellowish paper, a red seal disk, a black bar printed under
    the seal and a grey bar beside it; with the masks of the seal and the black bar."""
    rgb = np.empty((size, size, 3), dtype=np.float32)
    rgb[:] = (214.0, 211.0, 201.0)
    yy, xx = np.mgrid[0:size, 0:size]
    seal = (yy - size / 2) ** 2 + (xx - size / 2) ** 2 < (size / 3) ** 2
    bar = (abs(yy - size / 2) < 3) & (abs(xx - size / 2) < size / 4)
    rgb[size // 8 : size // 8 + 4, 4 : size - 4] *= 0.55  # grey print, away from the seal
    rgb[bar] *= 0.12  # black toner
    ink = np.array([205.0, 45.0, 55.0]) / 255.0
    rgb[seal] *= 1.0 - 0.85 * (1.0 - ink)  # the seal multiplies over paper and toner
    return rgb.clip(0, 255).astype(np.uint8), seal & ~bar, bar


def test_red_seal_fades_to_paper_and_print_under_it_stays_dark() -> None:
    from PIL import Image

    from extract.inputs.seals import seal_free_gray

    rgb, seal_only, bar = _paper_with_seal()
    gray = seal_free_gray(rgb).astype(int)
    plain = np.asarray(Image.fromarray(rgb).convert("L"), dtype=int)
    paper = int(np.median(plain[~seal_only & ~bar]))
    assert plain[seal_only].mean() < paper - 60  # a grey conversion keeps the seal
    assert abs(gray[seal_only].mean() - paper) < 8
    assert gray[bar].mean() < 60  # black under the seal: still ink
    grey_print = slice(120 // 8, 120 // 8 + 4)  # away from the seal: untouched
    assert np.abs(gray[grey_print] - plain[grey_print]).max() <= 1


def test_colour_page_without_seal_is_its_luminance() -> None:
    from PIL import Image

    from extract.inputs.seals import seal_free_gray

    rgb, _, _ = _paper_with_seal()
    rgb[..., 0] = rgb[..., 1]  # no red anywhere
    plain = np.asarray(Image.fromarray(rgb).convert("L"), dtype=int)
    assert np.abs(seal_free_gray(rgb).astype(int) - plain).max() <= 1


def test_the_short_piece_of_a_line_broken_near_a_border_is_kept() -> None:
    """cgzf 300 dpi: an erased stretch 18 pt long cut the rule between two 二级 blocks
    near the table's left border. The left piece touched only the border and was dropped
    as an unsupported stroke, so the rule no longer reached it: the blocks' cells merged."""
    ppp = 300 / 72
    image = np.zeros((900, 1600), dtype=np.uint8)
    for x in (50, 300, 600, 1550):  # table border and column rules
        image[50:850, x - 2 : x + 2] = 255
    for y in (50, 300, 550, 850):
        image[y - 2 : y + 2, 50:1550] = 255
    image[548:553, 140:215] = 0  # the erased stretch: the piece left of it is 90 px
    segments = find_lines(image, settings=LineSettings(pixels_per_point=ppp))
    rule = [s for s in segments if s.horizontal and abs(s.top - 550) < 4]
    assert rule and min(s.x0 for s in rule) <= 55 and max(s.x1 for s in rule) >= 1545
    assert len(rule) == 1  # one line again across the erased stretch
