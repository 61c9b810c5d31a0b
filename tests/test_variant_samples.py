"""Variant forms the parser has never seen (samples/variants, made by
scripts/make_variant_samples.py), end to end against their truth.

Each variant is a dept_overall form laid out differently from samples/exported (another
PDF writer, other columns, inline weights, header synonyms, labels repeated per page,
Excel number noise, small type, a negative 加减分项).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from extract.evaluation import compare, header_errors, load_truth
from extract.model import Form
from extract.pipeline import read_form

pytestmark = pytest.mark.samples

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "samples" / "variants"
NAMES = sorted(p.name[: -len(".truth.json")] for p in FOLDER.glob("*.truth.json"))


@cache
def case(name: str) -> tuple[Form, dict[str, Any]]:
    truth = load_truth(FOLDER / f"{name}.truth.json")
    return read_form(FOLDER / f"{name}.pdf"), truth


def test_variants_exist() -> None:
    assert 6 <= len(NAMES) <= 10, "samples/variants is incomplete: run scripts/make_variant_samples.py"
    for name in NAMES:
        assert (FOLDER / f"{name}.pdf").exists()
    size = sum(p.stat().st_size for p in FOLDER.iterdir())
    assert size < 2_000_000


@pytest.mark.parametrize("name", NAMES)
def test_every_leaf_row_exact(name: str) -> None:
    form, truth = case(name)
    result = compare(form, truth)
    assert result.field_errors == []
    assert result.extracted_rows == result.truth_rows == result.exact_rows


@pytest.mark.parametrize("name", NAMES)
def test_findings_exactly_the_truths(name: str) -> None:
    form, truth = case(name)
    result = compare(form, truth)
    assert result.missed_findings == []
    assert result.extra_findings == []


@pytest.mark.parametrize("name", NAMES)
def test_header_budget_and_totals(name: str) -> None:
    form, truth = case(name)
    assert header_errors(form, truth) == []
    assert form.pages == truth["pages"]
    assert form.method == "text"
