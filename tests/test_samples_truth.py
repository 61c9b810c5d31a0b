"""The exported sample forms and their ground truth agree with each other.

Regenerate the samples with ``python scripts/make_samples.py``. These tests re-check the
truth files independently of the generator: page counts against the PDFs, the scoring
arithmetic against the recorded findings.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "exported"
TRUTHS = sorted(SAMPLES.glob("*.truth.json"))
TOL = 0.001
ROWS = ["全年预算数", "全年执行数", "完成率"]
COLUMNS = ["财政拨款", "其他资金", "基本支出", "项目支出", "上级资金", "区级资金"]
KEYS = {"file", "form_type", "unit_name", "year", "staff", "units", "pages", "budget",
        "indicators", "total_max", "declared_total", "findings"}
LEAF_KEYS = {"level1", "level1_max", "level2", "level2_max", "indicator", "max_score", "score",
             "target", "actual", "explanation", "criteria", "basis"}
# the seed form is inconsistent in the original: its leaf scores add up to 90.2, not 88.7
KNOWN_INCONSISTENT = {"seed_haizhu_2021.pdf", "dept_market_2022.pdf", "dept_water_2023.pdf"}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def recheck(t: dict) -> set[tuple[str, str]]:
    """Findings recomputed from the truth data (docs/forms.md §3)."""
    found: set[tuple[str, str]] = set()
    l2: OrderedDict[tuple[str, str], list[float]] = OrderedDict()
    l1: OrderedDict[str, dict] = OrderedDict()
    score_sum = 0.0
    for it in t["indicators"]:
        path = "/".join((it["level1"], it["level2"], it["indicator"]))
        mx, sc = it["max_score"], it["score"]
        if mx is None or sc is None:
            found.add(("missing_value", path))
        else:
            if sc - mx > TOL:
                found.add(("score_exceeds_max", path))
            if sc < -TOL:
                found.add(("negative_score", path))
        if sc is not None:
            score_sum += sc
        entry = l2.setdefault((it["level1"], it["level2"]), [it["level2_max"], 0.0])
        entry[1] += mx or 0.0
        l1.setdefault(it["level1"], {"max": it["level1_max"], "kids": {}})["kids"][it["level2"]] = (
            it["level2_max"])
    for (a, b), (mx, total) in l2.items():
        if abs(mx - total) > TOL:
            found.add(("children_max_sum_mismatch", f"{a}/{b}"))
    for a, v in l1.items():
        if abs(v["max"] - sum(v["kids"].values())) > TOL:
            found.add(("children_max_sum_mismatch", a))
    if abs(sum(v["max"] for v in l1.values()) - t["total_max"]) > TOL:
        found.add(("total_max_mismatch", "总分"))
    if abs(score_sum - t["declared_total"]) > TOL:
        found.add(("total_score_mismatch", "总分"))
    cells = {(x["row"], x["column"]): x["value"] for x in t["budget"]}
    for col in COLUMNS:
        bud, exe, rate = cells[("全年预算数", col)], cells[("全年执行数", col)], cells[("完成率", col)]
        if bud and exe is not None and rate is not None and abs(rate - exe / bud * 100) > 0.01 + 1e-9:
            found.add(("budget_rate_mismatch", f"完成率/{col}"))
    return found


def test_samples_exist() -> None:
    assert len(TRUTHS) >= 9, "run python scripts/make_samples.py"
    # the size of samples/ as a whole: test_scanned_samples_truth.test_samples_folder_under_12mb


@pytest.mark.parametrize("path", TRUTHS, ids=lambda p: p.name.split(".")[0])
def test_truth_schema(path: Path) -> None:
    t = load(path)
    assert set(t) == KEYS
    assert t["file"] == path.name.replace(".truth.json", ".pdf")
    assert t["form_type"] == "dept_overall"
    assert [(x["row"], x["column"]) for x in t["budget"]] == [(r, c) for r in ROWS for c in COLUMNS]
    assert t["indicators"], "no indicators"
    for it in t["indicators"]:
        assert set(it) == LEAF_KEYS
        assert it["indicator"] and it["level1"] and it["level2"]
        for k in ("max_score", "score"):
            v = it[k]
            assert v is None or round(v, 1) == v, (k, v)  # printed with one decimal
        if it["level1"] == "管理效能":
            assert it["explanation"] and not it["target"] and not it["actual"]
        elif it["level1"] == "加减分项":  # its 指标解释 and 评分标准, under the duties header
            assert it["explanation"] and it["criteria"] and not it["target"] and not it["actual"]
        else:
            assert not it["explanation"] and it["target"]
    for f in t["findings"]:
        assert set(f) == {"rule", "location"}


@pytest.mark.parametrize("path", TRUTHS, ids=lambda p: p.name.split(".")[0])
def test_pdf_matches_truth(path: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    t = load(path)
    pdf = path.with_name(t["file"])
    assert pdf.exists()
    doc = pdfium.PdfDocument(str(pdf))
    try:
        assert len(doc) == t["pages"]
        assert 2 <= t["pages"] <= 4
        text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    flat = "".join(text.split())
    assert t["unit_name"] in flat
    for it in t["indicators"]:
        assert it["indicator"][:6] in flat, it["indicator"]


@pytest.mark.parametrize("path", TRUTHS, ids=lambda p: p.name.split(".")[0])
def test_findings_match_recheck(path: Path) -> None:
    t = load(path)
    recorded = {(f["rule"], f["location"]) for f in t["findings"]}
    assert len(recorded) == len(t["findings"])
    assert recheck(t) == recorded
    if t["file"] not in KNOWN_INCONSISTENT:
        assert recorded == set()
    if t["file"] == "seed_haizhu_2021.pdf":
        assert recorded == {("total_score_mismatch", "总分")}


def test_a_quarter_of_generated_forms_are_inconsistent() -> None:
    gen = [load(p) for p in TRUTHS if p.name.startswith("dept_")]
    assert len(gen) == 8
    assert sum(bool(t["findings"]) for t in gen) == 2
