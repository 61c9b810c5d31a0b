"""Outputs other systems read: the workbook (frozen header, filters, numbers as numbers,
every flagged value filled and commented), Parquet with typed columns, CSV with a BOM
for Excel, and the checks on --format."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from extract import cli
from extract.cli import main, missing_library, parse_formats

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("formats")
    inputs = [ROOT / "samples" / "project", ROOT / "samples" / "exported" / "seed_haizhu_2021.pdf"]
    main(["extract", *map(str, inputs), "-o", str(folder), "--format", "csv,xlsx,parquet,json",
          "--excel-csv", "-q", "-j", "2"])
    return folder


@pytest.mark.samples
def test_every_finding_marks_its_cell_in_the_workbook(out: Path) -> None:
    workbook = load_workbook(out / "selfeval.xlsx")
    assert workbook.sheetnames == ["indicators", "budget", "findings", "summary"]
    notes = []
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.comment is not None:
                    assert cell.fill.start_color.rgb.endswith("F2B8B8")
                    notes += cell.comment.text.split("\n")
    findings = pd.read_csv(out / "findings.csv", encoding="utf-8-sig")
    assert sorted(notes) == sorted(f"{r.rule}: {r.message}" for r in findings.itertuples())
    indicators = workbook["indicators"]
    header = [c.value for c in indicators[1]]
    scores = [row[header.index("score")].value for row in indicators.iter_rows(min_row=2)]
    assert all(isinstance(v, float | int) or v is None for v in scores) and any(scores)


@pytest.mark.samples
def test_parquet_has_the_csv_rows_with_types(out: Path) -> None:
    for table in ("indicators", "budget", "findings", "summary"):
        parquet = pd.read_parquet(out / "parquet" / f"{table}.parquet")
        csv = pd.read_csv(out / f"{table}.csv", encoding="utf-8-sig", keep_default_na=False)
        assert list(parquet.columns) == list(csv.columns) and len(parquet) == len(csv)
    indicators = pd.read_parquet(out / "parquet" / "indicators.parquet")
    assert indicators["score"].dtype.kind == "f" and str(indicators["form"].dtype) == "Int64"


@pytest.mark.samples
def test_excel_csv_starts_with_a_bom(out: Path) -> None:
    assert (out / "indicators.csv").read_bytes().startswith(b"\xef\xbb\xbffile,form,")


@pytest.mark.samples
def test_a_review_keeps_the_folders_formats_and_bom(out: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    shutil.copytree(out, folder)
    assert main(["validate", str(folder)]) in (0, 1)
    assert (folder / "summary.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (folder / "selfeval.xlsx").exists() and len(list((folder / "parquet").glob("*.parquet"))) == 4


@pytest.mark.samples
def test_outputs_of_formats_no_longer_asked_are_removed(out: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    shutil.copytree(out, folder)
    inputs = [ROOT / "samples" / "project", ROOT / "samples" / "exported" / "seed_haizhu_2021.pdf"]
    main(["extract", *map(str, inputs), "-o", str(folder), "--format", "csv", "-q"])
    assert not (folder / "selfeval.xlsx").exists()
    assert not list((folder / "parquet").glob("*")) and not list((folder / "json").glob("*"))
    csv = pd.read_csv(folder / "indicators.csv")
    assert csv.equals(pd.read_csv(out / "indicators.csv", encoding="utf-8-sig"))
    assert len(list((folder / "results").glob("*.json"))) == len(list((out / "results").glob("*.json")))


def test_format_names_are_checked() -> None:
    assert parse_formats("csv, xlsx,csv") == ("csv", "xlsx")
    with pytest.raises(Exception, match="unknown format pdf"):
        parse_formats("csv,pdf")


def test_a_missing_library_is_named_before_any_file_is_read(monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(cli.FORMAT_NEEDS, "parquet", ("no_such_module_xyz", "parquet"))
    assert missing_library(("csv", "parquet")).startswith("--format parquet needs no_such_module_xyz")
    assert main(["extract", str(tmp_path), "-o", str(tmp_path / "o"), "--format", "parquet"]) == 2
    assert "pip install 'selfeval[parquet]'" in capsys.readouterr().err


@pytest.mark.samples
def test_a_folder_into_dataframes_in_three_lines() -> None:
    from extract import read_folder, to_frames

    results = read_folder(ROOT / "samples" / "project", jobs=2)
    frames = to_frames(results)
    assert len(frames["indicators"]) == 127 and set(frames["summary"]["status"]) == {"ok", "flagged", "failed"}
    assert list(frames["summary"]["form"].dropna()) == [1, 1, 1, 1, 1, 1, 2, 3, 1]
