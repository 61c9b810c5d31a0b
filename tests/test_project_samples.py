"""Project-family samples (项目支出绩效自评表: the Ministry of Finance template and local
variants, one PDF holding three forms, one typed into Word tables) end to end against the
truth kept beside each PDF; a project *target declaration* form is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.evaluation import compare, header_errors, load_truth, truth_forms

pytestmark = pytest.mark.samples

ROOT = Path(__file__).resolve().parent.parent
TRUTHS = sorted((ROOT / "samples" / "project").glob("*.truth.json"))
FORM_TRUTHS = [t for t in TRUTHS if "refused" not in load_truth(t)]
NEW_RULES = {"execution_score_mismatch", "grade_mismatch", "budget_rate_mismatch",
             "total_max_mismatch", "total_score_mismatch"}  # fmt: skip


def pdf_of(truth: Path) -> Path:
    return truth.with_name(truth.name.replace(".truth.json", ".pdf"))


def test_samples_cover_the_variants_and_every_project_rule() -> None:
    assert len(FORM_TRUTHS) >= 5
    rules = {f["rule"] for t in FORM_TRUTHS for form in truth_forms(load_truth(t)) for f in form["findings"]}
    assert rules >= NEW_RULES
    assert any("forms" in load_truth(t) for t in FORM_TRUTHS)


@pytest.fixture(scope="module", params=FORM_TRUTHS, ids=lambda p: p.name.split(".")[0])
def case(request: pytest.FixtureRequest, read_sample):  # type: ignore[no-untyped-def]
    truth = load_truth(request.param)
    result = read_sample(f"project/{pdf_of(request.param).name}")
    assert result.forms, result.error
    return result, truth


def test_one_document_per_form(case) -> None:  # type: ignore[no-untyped-def]
    result, truth = case
    assert [f.form for f in result.forms] == list(range(1, len(truth_forms(truth)) + 1))
    layouts = {want.get("layout", truth.get("layout")) for want in truth_forms(truth)}
    assert {(f.form_type, f.layout) for f in result.forms} == {("project", layout) for layout in layouts}
    assert all(f.layout_score is not None and f.layout_score >= 0.9 for f in result.forms)


def test_every_leaf_row_exact_and_findings_exact(case) -> None:  # type: ignore[no-untyped-def]
    result, truth = case
    for form, want in zip(result.forms, truth_forms(truth)):
        c = compare(form, want)
        assert c.field_errors == []
        assert c.extracted_rows == c.truth_rows == c.exact_rows
        assert (c.missed_findings, c.extra_findings) == ([], [])


def test_facts_funds_goals_and_grade(case) -> None:  # type: ignore[no-untyped-def]
    result, truth = case
    for form, want in zip(result.forms, truth_forms(truth)):
        assert header_errors(form, want) == []
        assert {b.unit for b in form.budget if b.role in ("budget", "executed")} == {
            b["unit"] for b in want["budget"] if b["column"] in ("全年预算数", "全年执行数")
        }


def test_target_declaration_form_is_refused(read_sample) -> None:  # type: ignore[no-untyped-def]
    [refused] = [t for t in TRUTHS if "refused" in load_truth(t)]
    result = read_sample(f"project/{pdf_of(refused).name}")
    assert result.status == "failed"
    assert "not a known self-evaluation form: closest " in result.error
    assert result.error.startswith(str(ROOT / "samples" / "project" / pdf_of(refused).name))


def test_non_form_pdf_is_refused_with_its_reason(read_sample) -> None:  # type: ignore[no-untyped-def]
    result = read_sample("bad/no-table.pdf")
    assert result.status == "failed" and result.error.endswith("no ruled table found")
