"""The project-family samples (samples/project) agree with their truth files.

Regenerate them with ``python -m scripts.make_project_samples`` (needs LibreOffice). These
tests check the files, not the extractor: every truth's findings are what the generator's
independent checker finds in it, every PDF's text holds the names and totals its truth
claims, page counts match, and the not-a-form sample carries no indicators.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scripts.make_project_samples import ALL_NAMES, REFUSED, check_project_truth, finding_keys

pytestmark = pytest.mark.samples

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ROOT / "samples" / "project"
TRUTHS = sorted(PROJECT.glob("*.truth.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def forms_of(truth: dict) -> list[dict]:
    """The forms of a truth: one, or the ``forms`` of a PDF holding several."""
    return truth.get("forms", [truth])


FORM_TRUTHS = [t for t in TRUTHS if "refused" not in load(t)]


def pdf_text(path: Path) -> str:
    """All text of a PDF without whitespace: the page text, plus each table cell's text
    joined (a name wrapped in a narrow cell is interleaved with its neighbours' lines in
    the page text)."""
    import pdfplumber

    parts = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            parts.append(page.extract_text() or "")
            for table in page.extract_tables():
                parts.extend(cell or "" for row in table for cell in row)
    return re.sub(r"\s+", "", "\n".join(parts))


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def test_samples_exist() -> None:
    names = {load(t)["file"].removesuffix(".pdf") for t in TRUTHS}
    assert names == set(ALL_NAMES), "run python -m scripts.make_project_samples"
    for t in TRUTHS:
        assert (PROJECT / load(t)["file"]).exists()


@pytest.mark.parametrize("path", FORM_TRUTHS, ids=lambda p: p.name.split(".")[0])
def test_findings_are_the_checkers(path: Path) -> None:
    for form in forms_of(load(path)):
        assert form["form_type"] == "project" and form["layout"] == "project"
        assert finding_keys(check_project_truth(form)) == finding_keys(form["findings"])


@pytest.mark.parametrize("path", FORM_TRUTHS, ids=lambda p: p.name.split(".")[0])
def test_pdf_text_holds_the_truth(path: Path) -> None:
    truth = load(path)
    text = pdf_text(PROJECT / truth["file"])
    for form in forms_of(truth):
        assert re.sub(r"\s+", "", form["project_name"]) in text
        for it in form["indicators"]:
            assert re.sub(r"\s+", "", it["indicator"]) in text, it["indicator"]
        total = form["declared_total"]
        assert f"{total:.2f}" in text or f"{total:g}" in text, total


@pytest.mark.parametrize("path", FORM_TRUTHS, ids=lambda p: p.name.split(".")[0])
def test_page_counts(path: Path) -> None:
    truth = load(path)
    forms = forms_of(truth)
    assert page_count(PROJECT / truth["file"]) == sum(f["pages"] for f in forms)
    assert all(1 <= f["pages"] <= 3 for f in forms)
    if len(forms) > 1:  # each form starts on the page after the previous one's last
        firsts = [f["first_page"] for f in forms]
        assert firsts[0] == 1
        assert all(b == a + f["pages"] for a, b, f in zip(firsts, firsts[1:], forms))


def test_multi_sample_holds_three_forms() -> None:
    truth = load(PROJECT / "proj_multi_2023.truth.json")
    assert len(truth["forms"]) == 3
    assert len({f["project_name"] for f in truth["forms"]}) == 3
    assert len({f["unit_name"] for f in truth["forms"]}) == 1
    assert all("file" not in f for f in truth["forms"])


def test_refused_sample_has_no_indicators() -> None:
    refused = [load(t) for t in TRUTHS if "refused" in load(t)]
    assert [t["file"] for t in refused] == ["notform_target_2023.pdf"]
    for t in refused:
        assert t["refused"] == REFUSED
        assert "indicators" not in t
        assert (PROJECT / t["file"]).exists()
