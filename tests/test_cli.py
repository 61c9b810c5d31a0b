"""The command line on the bundled samples: the output contract, file names, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from extract.cli import main
from extract.evaluation import load_truth
from extract.output.export import (
    BUDGET_COLUMNS,
    FINDING_COLUMNS,
    INDICATOR_COLUMNS,
    SUMMARY_COLUMNS,
)

pytestmark = pytest.mark.samples

ROOT = Path(__file__).resolve().parent.parent
EXPORTED = ROOT / "samples" / "exported"


def test_folder_batch_writes_the_contract(tmp_path: Path) -> None:
    assert main(["extract", str(EXPORTED), "-o", str(tmp_path), "-q"]) == 0
    indicators = pd.read_csv(tmp_path / "indicators.csv")
    budget = pd.read_csv(tmp_path / "budget.csv")
    findings = pd.read_csv(tmp_path / "findings.csv")
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert list(indicators.columns) == INDICATOR_COLUMNS
    assert list(budget.columns) == BUDGET_COLUMNS
    assert list(findings.columns) == FINDING_COLUMNS
    assert list(summary.columns) == SUMMARY_COLUMNS
    truths = {p.name.replace(".truth.json", ".pdf"): load_truth(p) for p in EXPORTED.glob("*.truth.json")}
    # batch mode names files relative to the input folder
    assert set(summary["file"]) == set(truths)
    for name, truth in truths.items():
        assert (indicators["file"] == name).sum() == len(truth["indicators"])
        expected = sorted((f["rule"], f["location"]) for f in truth["findings"])
        got = sorted(findings.loc[findings["file"] == name, ["rule", "location"]].itertuples(index=False, name=None))
        assert got == expected
        row = summary.set_index("file").loc[name]
        assert row["status"] == ("flagged" if expected else "ok")
        assert row["method"] == "text"
        assert row["pages"] == truth["pages"]
        doc = json.loads((tmp_path / "json" / name.replace(".pdf", ".json")).read_text("utf-8"))
        assert len(doc["indicators"]) == len(truth["indicators"])
        assert doc["indicators"][0]["provenance"]["indicator"]["page"] >= 1


def test_strict_exit_code_and_module_entry_point(tmp_path: Path) -> None:
    seed = EXPORTED / "seed_haizhu_2021.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "extract", "extract", str(seed), "-o", str(tmp_path), "--strict"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert "1 flagged" in done.stdout
    assert (tmp_path / "summary.csv").exists()


def test_no_inputs_is_a_usage_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["extract", str(empty), "-o", str(tmp_path / "out")]) == 2


def test_debug_overlay_for_text_pages(tmp_path: Path) -> None:
    sample = EXPORTED / "dept_justice_2019.pdf"
    code = main(["extract", str(sample), "-o", str(tmp_path / "out"), "--debug", str(tmp_path / "dbg"), "-q"])
    assert code == 0
    pngs = sorted(p.name for p in (tmp_path / "dbg").glob("*.png"))
    assert pngs == ["dept_justice_2019-p1.png", "dept_justice_2019-p2.png"]


def test_pages_option(tmp_path: Path) -> None:
    seed = EXPORTED / "seed_haizhu_2021.pdf"
    assert main(["extract", str(seed), "-o", str(tmp_path), "--pages", "1", "-q"]) in (0, 3)
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert summary.loc[0, "pages"] == 1
