"""``selfeval tables``: any ruled table of any document, checked against the truth kept
beside the samples in samples/tables/ (spreadsheets exported by LibreOffice, HTML printed
by Chromium, scans of some): the finest grid with every span, the hard cases (a header on
other column rules, paragraphs in cells, a diagonal-split corner, a coloured header with
white rules, a seal over the rules), no table on a page of text, tables joined across a
page break, and the outputs (JSON, CSV, XLSX with merged cells, HTML)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from extract import find_tables, tables_to_frames
from extract.cli import main

ROOT = Path(__file__).resolve().parents[1]
TABLES = ROOT / "samples" / "tables"


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def truth(name: str) -> list[dict]:  # type: ignore[type-arg]
    return json.loads((TABLES / f"{name}.truth.json").read_text(encoding="utf-8"))["tables"]


def assert_grids(name: str, min_text_share: float = 1.0) -> None:
    found = find_tables(TABLES / f"{name}.pdf")
    want = truth(name)
    assert len(found) == len(want)
    texts = hits = 0
    for item, table in zip(found, want):
        got = item.table
        assert (got.n_rows, got.n_cols) == (table["n_rows"], table["n_cols"])
        by_place = {(c.row, c.col, c.rowspan, c.colspan): c.text for c in got.cells}
        assert set(by_place) == {(c["row"], c["col"], c["rowspan"], c["colspan"]) for c in table["cells"]}
        for cell in table["cells"]:
            texts += 1
            hits += norm(by_place[(cell["row"], cell["col"], cell["rowspan"], cell["colspan"])]) == norm(cell["text"])
    assert hits >= min_text_share * texts, f"{hits}/{texts} cell texts exact"


@pytest.mark.samples
@pytest.mark.parametrize("name", ["xlsx_budget", "xlsx_timetable", "xlsx_coloured", "xlsx_assets", "html_bank"])
def test_text_layer_tables_come_out_exactly(name: str) -> None:
    """Merged two-level header; diagonal corner; dark header with white rules and paragraph
    cells; a table over two pages; a header on other column rules than the body's."""
    assert_grids(name)


@pytest.mark.ocr
@pytest.mark.parametrize("name", ["scan_xlsx_budget_seal", "scan_html_bank", "scan_xlsx_timetable"])
def test_scanned_tables_have_their_grid_and_nearly_all_text(name: str) -> None:
    """A red seal over the budget table's rules; the bank form's two column systems."""
    assert_grids(name, min_text_share=0.9)


@pytest.mark.samples
def test_a_page_of_text_has_no_table() -> None:
    """A framed text box is not a table, nor (for now) a table without vertical rules."""
    assert find_tables(TABLES / "html_notable.pdf") == []


@pytest.mark.samples
def test_a_table_continued_on_the_next_page_is_joined() -> None:
    (joined,) = find_tables(TABLES / "xlsx_assets.pdf", join_pages=True)
    first, second = truth("xlsx_assets")
    assert joined.pages == (1, 2) and joined.table.n_rows == first["n_rows"] + second["n_rows"] - 1
    frame = tables_to_frames([joined])[0]
    assert list(frame.iloc[0]) == [c["text"] for c in first["cells"][:6]]
    assert (frame[0] == "资产编号").sum() == 1  # the repeated header row dropped
    assert frame.iloc[-1, 0] == second["cells"][-6]["text"]


@pytest.mark.samples
def test_outputs_keep_spans_and_names_do_not_collide(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / "in" / folder).mkdir(parents=True)
        shutil.copy(TABLES / "xlsx_budget.pdf", tmp_path / "in" / folder / "x.pdf")
    shutil.copy(TABLES / "html_notable.pdf", tmp_path / "in" / "text.pdf")
    out = tmp_path / "out"
    assert main(["tables", str(tmp_path / "in"), "-o", str(out), "-q"]) == 0
    assert (out / "a__x.json").exists() and (out / "b__x.json").exists()
    document = json.loads((out / "a__x.json").read_text(encoding="utf-8"))
    (table,) = document["tables"]
    assert {"page", "bbox", "n_rows", "n_cols", "cells"} <= set(table)
    covered = sum(c["rowspan"] * c["colspan"] for c in table["cells"])
    assert covered == table["n_rows"] * table["n_cols"]  # the cells tile the grid
    rows = list(csv.reader((out / "a__x.t1.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[0][:4] == ["项目", "本年预算", "", ""] and rows[1][0] == ""
    assert json.loads((out / "text.json").read_text(encoding="utf-8"))["tables"] == []
    html = (out / "a__x.html").read_text(encoding="utf-8")
    assert '<td rowspan=2>项目</td><td colspan=3>本年预算</td>' in html
    from openpyxl import load_workbook

    sheet = load_workbook(out / "a__x.xlsx").worksheets[0]
    assert {str(r) for r in sheet.merged_cells.ranges} >= {"A1:A2", "B1:D1", "E1:E2"}
    assert main(["tables", str(tmp_path / "in" / "a"), "-o", str(tmp_path / "filled"), "-q", "--fill-spans"]) == 0
    filled = list(csv.reader((tmp_path / "filled" / "x.t1.csv").read_text(encoding="utf-8").splitlines()))
    assert filled[0][:4] == ["项目", "本年预算", "本年预算", "本年预算"] and filled[1][0] == "项目"


@pytest.mark.samples
def test_a_bad_file_is_one_line_and_the_others_go_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    shutil.copy(TABLES / "xlsx_coloured.pdf", tmp_path / "in" / "good.pdf")
    assert main(["tables", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "broken.pdf" in err[0]
    assert len(json.loads((tmp_path / "out" / "good.json").read_text(encoding="utf-8"))["tables"]) == 1


@pytest.mark.ocr
def test_an_image_file_gives_the_same_grid(tmp_path: Path) -> None:
    """A PNG (the timetable at 200 dpi): found by the scan stages, the same finest grid."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(TABLES / "xlsx_timetable.pdf"))
    document[0].render(scale=200 / 72, grayscale=True).to_pil().save(tmp_path / "timetable.png", dpi=(200, 200))
    (found,) = find_tables(tmp_path / "timetable.png")
    (want,) = truth("xlsx_timetable")
    assert (found.table.n_rows, found.table.n_cols) == (want["n_rows"], want["n_cols"])
    assert {(c.row, c.col, c.rowspan, c.colspan) for c in found.table.cells} == {
        (c["row"], c["col"], c["rowspan"], c["colspan"]) for c in want["cells"]}
    assert found.table.cells[0].source != "text"


@pytest.mark.samples
def test_inputs_of_one_name_keep_their_suffix_and_a_rerun_replaces_old_csvs(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(TABLES / "xlsx_assets.pdf", inbox / "y.pdf")  # two tables
    shutil.copy(TABLES / "xlsx_budget.pdf", inbox / "y.PDF")  # one table
    out = tmp_path / "out"
    assert main(["tables", str(inbox), "-o", str(out), "-q"]) == 0
    assert len(json.loads((out / "y.pdf.json").read_text(encoding="utf-8"))["tables"]) == 2
    assert len(json.loads((out / "y.PDF.json").read_text(encoding="utf-8"))["tables"]) == 1
    (inbox / "y.PDF").unlink()
    shutil.copy(TABLES / "xlsx_budget.pdf", inbox / "y.pdf")  # the same name, one table now
    assert main(["tables", str(inbox), "-o", str(out), "-q"]) == 0
    assert sorted(p.name for p in out.glob("y.t*.csv")) == ["y.t1.csv"]
