"""Exported (text-layer) samples end to end against the truth kept beside each PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.evaluation import compare, header_errors, load_truth
from extract.pipeline import read_form

pytestmark = pytest.mark.samples

ROOT = Path(__file__).resolve().parent.parent
TRUTHS = sorted((ROOT / "samples" / "exported").glob("*.truth.json"))


def pdf_of(truth: Path) -> Path:
    return truth.with_name(truth.name.replace(".truth.json", ".pdf"))


def test_samples_exist() -> None:
    assert len(TRUTHS) >= 9, "samples/exported is missing its samples: run scripts/make_samples.py"


@pytest.fixture(scope="module", params=TRUTHS, ids=lambda p: p.name.split(".")[0])
def case(request: pytest.FixtureRequest, read_sample):  # type: ignore[no-untyped-def]
    truth = load_truth(request.param)
    result = read_sample(f"exported/{pdf_of(request.param).name}")
    assert result.form is not None, result.error
    return result.form, truth


def test_every_leaf_row_exact(case) -> None:  # type: ignore[no-untyped-def]
    form, truth = case
    result = compare(form, truth)
    assert result.field_errors == []
    assert result.extracted_rows == result.truth_rows == result.exact_rows


def test_findings_are_exactly_the_injected_ones(case) -> None:  # type: ignore[no-untyped-def]
    form, truth = case
    result = compare(form, truth)
    assert result.missed_findings == []
    assert result.extra_findings == []


def test_header_budget_and_totals(case) -> None:  # type: ignore[no-untyped-def]
    form, truth = case
    assert header_errors(form, truth) == []
    assert form.pages == truth["pages"]
    assert form.method == "text"
    assert form.page_methods == ["text"] * truth["pages"]


def test_seed_total_mismatch_names_both_totals() -> None:
    form = read_form(ROOT / "samples" / "exported" / "seed_haizhu_2021.pdf")
    [finding] = form.findings
    assert finding.rule == "total_score_mismatch"
    assert finding.found == "88.7"
    assert finding.expected == "90.2"
    assert finding.page == 3


def test_provenance_points_into_the_page(case) -> None:  # type: ignore[no-untyped-def]
    form, _ = case
    for leaf in form.indicators:
        prov = leaf.provenance["score"] if "score" in leaf.provenance else leaf.provenance["indicator"]
        assert 1 <= prov.page <= form.pages
        x0, top, x1, bottom = prov.bbox
        assert 0 <= x0 < x1 <= 842 and 0 <= top < bottom <= 842
        assert prov.source == "text"
