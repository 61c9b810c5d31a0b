"""Tests for extract.output.export: frame columns, CSV/JSON files, failed files, Chinese text."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from extract.model import BudgetValue, Finding, Form, Indicator, Provenance
from extract.output.export import (
    BUDGET_COLUMNS,
    FINDING_COLUMNS,
    INDICATOR_COLUMNS,
    SUMMARY_COLUMNS,
    FileResult,
    budget_frame,
    findings_frame,
    form_to_json,
    indicators_frame,
    json_name,
    summary_frame,
    write_outputs,
)

UNIT = "广州市海珠区政务服务数据管理局"


def sample_form(file: str = "2021/海珠区.pdf") -> Form:
    score_prov = Provenance(
        page=1,
        bbox=[100.0, 200.0, 120.0, 210.0],
        confidence=0.93,
        source="rapidocr",
        raw_text="2. 0",
    )
    return Form(
        file=file,
        form_type="dept_overall",
        pages=3,
        method="ocr",
        unit_name=UNIT,
        year=2021,
        staff=67,
        units=2,
        budget=[
            BudgetValue(
                "全年预算数",
                "财政拨款",
                65240247.04,
                "65,240,247.04",
                Provenance(page=1, bbox=[1.0, 2.0, 3.0, 4.0]),
            ),
            BudgetValue("全年执行数", "财政拨款", 57368166.31, "57,368,166.31"),
            BudgetValue("完成率", "财政拨款", 87.93, "87.93%"),
            BudgetValue("完成率", "其他资金", None, "-"),
        ],
        indicators=[
            Indicator(
                "管理效能",
                45.0,
                "资金管理",
                16.0,
                "预算完成率",
                2.0,
                2.0,
                explanation="反映部门预算完成情况",
                basis="完成率87.93%",
                page=1,
                provenance={"score": score_prov, "max_score": score_prov},
            ),
            Indicator(
                "管理效能",
                45.0,
                "资金管理",
                16.0,
                "部门预算编制情况",
                0.0900000762939453,
                None,
                page=1,
            ),
            Indicator(
                "履职效能",
                50.0,
                "发挥政府门户网站权威发布",
                1.0,
                "发布信息",
                1.0,
                1.0,
                target="≥50个",
                actual="62个",
                page=2,
            ),
        ],
        total_max=100.0,
        declared_total=88.7,
        total_provenance=Provenance(page=3, bbox=[5.0, 6.0, 7.0, 8.0]),
        findings=[
            Finding(
                "missing_value",
                "error",
                "管理效能/资金管理/部门预算编制情况",
                "number",
                "",
                "score missing at 管理效能/资金管理/部门预算编制情况",
                1,
            ),
            Finding(
                "total_score_mismatch",
                "error",
                "总分",
                "3.0",
                "88.7",
                "declared total 88.7 differs from leaf score sum 3.0 at 总分",
                3,
                [5.0, 6.0, 7.0, 8.0],
            ),
        ],
        page_methods=["ocr", "ocr", "text"],
    )


def results() -> list[FileResult]:
    return [
        FileResult("2021/海珠区.pdf", [sample_form()], 1.23456),
        FileResult("broken.pdf", [], 0.5, error="PDF 无法打开: EOF marker not found"),
        FileResult("clean.pdf", [Form("clean.pdf", "project", 1, "text")], 0.1),
    ]


def test_frames_have_contract_columns_even_when_empty() -> None:
    assert list(indicators_frame([]).columns) == INDICATOR_COLUMNS
    assert list(budget_frame([]).columns) == BUDGET_COLUMNS
    assert list(findings_frame([]).columns) == FINDING_COLUMNS
    assert list(summary_frame([]).columns) == SUMMARY_COLUMNS
    assert len(indicators_frame([Form("a.pdf", "dept_overall", 1, "text")])) == 0


def test_frames_keep_numbers_numeric() -> None:
    form = sample_form()
    indicators = indicators_frame([form])
    assert len(indicators) == 3
    assert indicators["score"].dtype.kind == "f"
    assert math.isnan(indicators.loc[1, "score"])
    assert indicators.loc[0, "unit_name"] == UNIT
    assert indicators.loc[0, "year"] == 2021
    budget = budget_frame([form])
    assert len(budget) == 4 and budget["value"].dtype.kind == "f"
    findings = findings_frame([form])
    assert list(findings["rule"]) == ["missing_value", "total_score_mismatch"]


def test_summary_frame_includes_failed_files() -> None:
    summary = summary_frame(results())
    assert list(summary["status"]) == ["flagged", "failed", "ok"]
    failed = summary.iloc[1]
    assert failed["form_type"] == "" and failed["method"] == ""
    assert pd.isna(failed["pages"])
    assert failed["error"].startswith("PDF 无法打开")
    first = summary.iloc[0]
    assert first["findings"] == 2
    assert first["seconds"] == 1.235
    assert first["computed_total"] == 3.0
    assert first["declared_total"] == 88.7


def test_file_result_status() -> None:
    assert FileResult("a.pdf", [], 0.0, "boom").status == "failed"
    assert FileResult("a.pdf", [Form("a.pdf", "project", 1, "text")], 0.0).status == "ok"
    assert FileResult("a.pdf", [sample_form()], 0.0).status == "flagged"


def test_form_to_json_is_complete_and_json_safe() -> None:
    form = sample_form()
    form.budget[0].value = math.nan
    document = form_to_json(form)
    text = json.dumps(document, allow_nan=False, ensure_ascii=False)  # raises on NaN
    assert document["schema_version"] == 1
    assert document["unit_name"] == UNIT
    assert document["status"] == "flagged"
    assert document["computed_total"] == 3.0 and document["declared_total"] == 88.7
    assert document["page_methods"] == ["ocr", "ocr", "text"]
    assert document["budget"][0]["value"] is None
    assert document["budget"][0]["provenance"]["bbox"] == [1.0, 2.0, 3.0, 4.0]
    provenance = document["indicators"][0]["provenance"]["score"]
    assert provenance == {
        "page": 1,
        "bbox": [100.0, 200.0, 120.0, 210.0],
        "confidence": 0.93,
        "source": "rapidocr",
        "raw_text": "2. 0",
    }
    assert document["total_provenance"]["page"] == 3
    assert document["findings"][1]["location"] == "总分"
    assert "管理效能" in text


def test_json_name() -> None:
    assert json_name("a.pdf") == "a.json"
    assert json_name("2021/海珠区.pdf") == "2021__海珠区.json"
    assert json_name("noext") == "noext.json"


def test_write_outputs_round_trip(tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    paths = write_outputs(results(), outdir)
    for key in ("indicators", "budget", "findings", "summary"):
        assert paths[key] == outdir / f"{key}.csv"
        assert paths[key].exists()
    assert sorted(p.name for p in outdir.iterdir()) == [
        "budget.csv",
        "findings.csv",
        "indicators.csv",
        "json",
        "summary.csv",
    ]  # no temporary files left behind

    indicators = pd.read_csv(paths["indicators"], encoding="utf-8", keep_default_na=False)
    assert list(indicators.columns) == INDICATOR_COLUMNS
    assert len(indicators) == 3
    assert indicators.loc[0, "unit_name"] == UNIT
    assert indicators.loc[2, "target"] == "≥50个"
    budget = pd.read_csv(paths["budget"], encoding="utf-8")
    assert list(budget.columns) == BUDGET_COLUMNS and len(budget) == 4
    assert budget.loc[0, "value"] == 65240247.04
    findings = pd.read_csv(paths["findings"], encoding="utf-8")
    assert list(findings.columns) == FINDING_COLUMNS and len(findings) == 2
    assert findings.loc[0, "location"] == "管理效能/资金管理/部门预算编制情况"
    summary = pd.read_csv(paths["summary"], encoding="utf-8", keep_default_na=False)
    assert list(summary.columns) == SUMMARY_COLUMNS and len(summary) == 3
    failed = summary[summary["file"] == "broken.pdf"].iloc[0]
    assert failed["status"] == "failed"
    assert failed["error"] == "PDF 无法打开: EOF marker not found"
    assert failed["pages"] == "" and failed["form_type"] == ""


def test_csv_text_has_no_float_noise_and_blank_missing_values(tmp_path: Path) -> None:
    paths = write_outputs(results(), tmp_path)
    with paths["indicators"].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[1]["max_score"] == "0.09"
    assert rows[1]["score"] == ""
    assert rows[0]["year"] == "2021"  # not 2021.0
    assert rows[0]["page"] == "1"
    with paths["summary"].open(encoding="utf-8", newline="") as handle:
        summary = list(csv.DictReader(handle))
    assert summary[0]["seconds"] == "1.235"
    assert summary[0]["findings"] == "2"
    assert summary[1]["declared_total"] == ""


def test_json_files_only_for_parsed_forms(tmp_path: Path) -> None:
    paths = write_outputs(results(), tmp_path)
    written = sorted(p.name for p in (tmp_path / "json").iterdir())
    assert written == ["2021__海珠区.json", "clean.json"]
    path = paths["json/2021__海珠区.json"]
    text = path.read_text(encoding="utf-8")
    assert UNIT in text  # ensure_ascii=False keeps Chinese readable
    document = json.loads(text)
    assert document["file"] == "2021/海珠区.pdf"
    assert document["indicators"][0]["indicator"] == "预算完成率"
    assert document["indicators"][1]["score"] is None


def test_write_outputs_with_no_results(tmp_path: Path) -> None:
    paths = write_outputs([], tmp_path / "empty")
    summary = pd.read_csv(paths["summary"], encoding="utf-8")
    assert list(summary.columns) == SUMMARY_COLUMNS and summary.empty
    assert not (tmp_path / "empty" / "json").exists()


def test_write_outputs_overwrites_previous_run(tmp_path: Path) -> None:
    write_outputs(results(), tmp_path)
    paths = write_outputs(results()[1:2], tmp_path)
    assert len(pd.read_csv(paths["indicators"], encoding="utf-8")) == 0
    assert len(pd.read_csv(paths["summary"], encoding="utf-8")) == 1


def test_same_stem_inputs_keep_both_json_documents(tmp_path) -> None:
    from extract.model import Form
    from extract.output.export import FileResult, write_outputs

    results = [
        FileResult("a.pdf", [Form(file="a.pdf", form_type="dept_overall", pages=1, method="text")], 0.1),
        FileResult("a.tif", [Form(file="a.tif", form_type="dept_overall", pages=1, method="ocr")], 0.1),
    ]
    write_outputs(results, tmp_path)
    assert sorted(p.name for p in (tmp_path / "json").glob("*.json")) == ["a.pdf.json", "a.tif.json"]


def test_a_file_of_several_forms_gives_one_document_per_form(tmp_path: Path) -> None:
    first, second = sample_form("all.pdf"), sample_form("all.pdf")
    second.form, second.project_name, second.grade = 2, "校园安全提升项目", "良"
    paths = write_outputs([FileResult("all.pdf", [first, second], 2.0)], tmp_path)
    assert {"json/all.1.json", "json/all.2.json"} <= set(paths)
    summary = pd.read_csv(tmp_path / "summary.csv", keep_default_na=False)
    assert list(summary["form"]) == [1, 2] and list(summary["file"]) == ["all.pdf"] * 2
    assert list(summary["project_name"]) == ["", "校园安全提升项目"]
    for name in ("indicators", "budget", "findings", "summary"):
        header = (tmp_path / f"{name}.csv").read_text(encoding="utf-8").split("\n")[0].split(",")
        assert header[:2] == ["file", "form"]
    indicators = pd.read_csv(tmp_path / "indicators.csv")
    assert sorted(set(indicators["form"])) == [1, 2]
    document = json.loads((tmp_path / "json" / "all.2.json").read_text(encoding="utf-8"))
    assert (document["form"], document["grade"]) == (2, "良")


def test_json_names_never_collide(tmp_path: Path) -> None:
    first, second, other = sample_form("a.pdf"), sample_form("a.pdf"), sample_form("a.1.pdf")
    second.form = 2
    results = [FileResult("a.pdf", [first, second], 1.0), FileResult("a.1.pdf", [other], 1.0)]
    paths = write_outputs(results, tmp_path)
    names = sorted(p.removeprefix("json/") for p in paths if p.startswith("json/"))
    assert names == ["a.1.pdf.json", "a.pdf.1.json", "a.pdf.2.json"]


def test_text_that_would_run_as_a_formula_is_neutralised_in_csv_only(tmp_path: Path) -> None:
    form = sample_form("f.pdf")
    risky = ['=HYPERLINK("http://x")', "+86 20 1234", "-1+2", "@SUM(A1:A3)", "\tcmd", "\rcmd"]
    for leaf, text in zip(form.indicators, risky):
        leaf.target = text
    form.indicators[0].actual, form.indicators[1].actual = "-2.5", "-"  # a number, a placeholder
    write_outputs([FileResult("f.pdf", [form], 1.0)], tmp_path, ("csv", "json", "xlsx"))
    with open(tmp_path / "indicators.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    targets = [row["target"] for row in rows]
    assert targets == ["'" + text for text in risky[: len(targets)]]
    sheet = load_workbook(tmp_path / "selfeval.xlsx")["indicators"]
    header = [cell.value for cell in sheet[1]]
    cells = [row[header.index("target")].value for row in sheet.iter_rows(min_row=2)]
    assert cells == targets
    scores = [row[header.index("score")].value for row in sheet.iter_rows(min_row=2)]
    assert all(v is None or isinstance(v, int | float) for v in scores) and any(v is not None for v in scores)
    assert [row["actual"] for row in rows][:2] == ["-2.5", "-"]
    document = json.loads((tmp_path / "json" / "f.json").read_text(encoding="utf-8"))
    assert [leaf["target"] for leaf in document["indicators"]] == risky[: len(targets)]
