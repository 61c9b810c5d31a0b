"""``--read scores``: a scanned form's prose cells are left unread, everything the checks
use is read as in the default mode (分值/得分, hierarchy, totals, budget, findings)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.cli import main
from extract.model import NOT_READ
from extract.pipeline import NOT_READ_BACK_ROLES

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("scanned/dept_justice_2019-200dpi.pdf", "scanned/proj_mof_2023-200dpi.pdf",
           "scanned/var_bonus_2022-200dpi.pdf")  # fmt: skip


def _checked(form) -> tuple:  # type: ignore[no-untyped-def]
    leaves = [(i.level1, i.level1_max, i.level2, i.level2_max, i.max_score, i.score) for i in form.indicators]
    budget = [(b.role, b.line, b.value) for b in form.budget]
    findings = sorted((f.rule, f.location, f.expected, f.found) for f in form.findings if f.rule != "unreadable_cell")
    return leaves, budget, form.total_max, form.declared_total, findings


@pytest.mark.ocr
@pytest.mark.parametrize("sample", SAMPLES)
def test_scores_mode_checks_the_same_numbers_and_finds_the_same(read_sample, sample: str) -> None:  # type: ignore[no-untyped-def]
    every, scores = read_sample(sample), read_sample(sample, read="scores")
    assert [f.form_type for f in scores.forms] == [f.form_type for f in every.forms]
    assert [_checked(f) for f in scores.forms] == [_checked(f) for f in every.forms]
    names = [i.indicator for f in every.forms for i in f.indicators]
    same = sum(a == b for a, b in zip(names, (i.indicator for f in scores.forms for i in f.indicators)))
    assert same >= len(names) - 1  # names: their witnesses in the prose columns still vote


@pytest.mark.ocr
def test_prose_cells_are_left_unread_and_not_judged(read_sample) -> None:  # type: ignore[no-untyped-def]
    form = read_sample("scanned/dept_justice_2019-200dpi.pdf", read="scores").form
    every = read_sample("scanned/dept_justice_2019-200dpi.pdf").form
    unread = [(leaf, role) for leaf in form.indicators for role, p in leaf.provenance.items() if p.source == NOT_READ]
    assert len(unread) >= len(form.indicators)  # at least the explanations and bases
    assert all(role in NOT_READ_BACK_ROLES and getattr(leaf, role) == "" for leaf, role in unread)
    # a cell read badly is still reported (as in the default mode); a cell not read is not
    unreadable = {f.message for f in form.findings if f.rule == "unreadable_cell"}
    assert unreadable <= {f.message for f in every.findings if f.rule == "unreadable_cell"}
    assert not any(f"{role} unreadable at {leaf.path} " in message for leaf, role in unread for message in unreadable)
    # every name and number the checks use was read
    for leaf in form.indicators:
        for role in ("indicator", "max_score", "score", "level1", "level2"):
            assert role not in leaf.provenance or leaf.provenance[role].source != NOT_READ


@pytest.mark.ocr
def test_the_cli_writes_unread_cells_empty_with_their_provenance(tmp_path: Path) -> None:
    sample = ROOT / "samples" / "scanned" / "proj_mof_2023-200dpi.pdf"
    assert main(["extract", str(sample), "-o", str(tmp_path), "-q", "--read", "scores", "-j", "1"]) == 0
    (record,) = (tmp_path / "json").glob("*.json")
    form = json.loads(record.read_text(encoding="utf-8"))
    if isinstance(form, list):
        form = form[0]
    unread = [(leaf, role) for leaf in form["indicators"] for role, p in leaf["provenance"].items()
              if p["source"] == NOT_READ]  # fmt: skip
    assert unread and all(role in NOT_READ_BACK_ROLES and not leaf[role] for leaf, role in unread)


@pytest.mark.samples
def test_a_text_layer_is_read_whole_in_either_mode(read_sample) -> None:  # type: ignore[no-untyped-def]
    every = read_sample("exported/dept_justice_2019.pdf")
    scores = read_sample("exported/dept_justice_2019.pdf", read="scores")
    assert scores.form.to_dict() == every.form.to_dict()


@pytest.mark.ocr
def test_a_label_cut_by_a_page_break_is_not_mended_into_an_unread_cell(read_sample) -> None:  # type: ignore[no-untyped-def]
    """The 150 dpi seed scan has prose cells cut by a page break: they stay empty."""
    form = read_sample("scanned/seed_haizhu_2021-150dpi.pdf", read="scores").form
    unread = [(leaf, role) for leaf in form.indicators for role, p in leaf.provenance.items() if p.source == NOT_READ]
    assert unread and all(getattr(leaf, role) == "" for leaf, role in unread)
