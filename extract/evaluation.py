"""Compare a parsed Form with a ground-truth JSON (as kept beside each sample)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from .model import Form, Indicator
from .text.normalize import match_key

LEAF_FIELDS = ("level1", "level1_max", "level2", "level2_max", "indicator", "max_score", "score",
               "target", "actual", "explanation", "criteria", "basis")  # fmt: skip
# Header facts compared when the truth states them.
HEADER_FIELDS = ("unit_name", "year", "staff", "units", "declared_total", "total_max",
                 "project_name", "department", "grade", "goals")  # fmt: skip
NUMBER_FIELDS = {"level1_max", "level2_max", "max_score", "score"}
UNSCORED_RULES = frozenset({"unreadable_cell"})
# Numbers equal after rounding to this many decimals count as equal.
NUMBER_DECIMALS = 3


# A sample is a document beside its truth: NAME.truth.json and NAME.pdf (or an image).
TRUTH_SUFFIX = ".truth.json"
DOCUMENT_SUFFIXES = (".pdf", ".png", ".jpg", ".tif", ".tiff")


def load_truth(path: str | Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def truth_samples(folder: Path) -> list[tuple[Path, Path]]:
    """(document, truth file) of every sample under ``folder``, in name order."""
    pairs = []
    for truth in sorted(folder.rglob("*" + TRUTH_SUFFIX)):
        stem = truth.name[: -len(TRUTH_SUFFIX)]
        for suffix in DOCUMENT_SUFFIXES:
            doc = truth.with_name(stem + suffix)
            if doc.exists():
                pairs.append((doc, truth))
                break
    return pairs


def _same(field_name: str, got: Any, want: Any) -> bool:
    if field_name in NUMBER_FIELDS:
        if got is None or want is None:
            return got is None and want is None
        return round(float(got), NUMBER_DECIMALS) == round(float(want), NUMBER_DECIMALS)
    return (got or "") == (want or "")


@dataclass
class Comparison:
    """How one form compares with its truth."""

    truth_rows: int = 0
    extracted_rows: int = 0
    exact_rows: int = 0  # every leaf field equal
    scores_exact: int = 0  # 分值 and 得分 equal (rows aligned by order and name)
    names_exact: int = 0  # 三级 name equal
    findings_expected: int = 0
    findings_found: int = 0
    findings_matched: int = 0
    unreadable: int = 0
    field_errors: list[str] = field(default_factory=list)
    missed_findings: list[tuple[str, str]] = field(default_factory=list)
    extra_findings: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other: Comparison) -> None:
        """Counts of ``other`` added to these (lists appended)."""
        for name in ("truth_rows", "extracted_rows", "exact_rows", "scores_exact", "names_exact",
                     "findings_expected", "findings_found", "findings_matched", "unreadable"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.field_errors += other.field_errors
        self.missed_findings += other.missed_findings
        self.extra_findings += other.extra_findings

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    @property
    def row_precision(self) -> float:
        return self._ratio(self.exact_rows, self.extracted_rows)

    @property
    def row_recall(self) -> float:
        return self._ratio(self.exact_rows, self.truth_rows)

    @property
    def findings_precision(self) -> float:
        return self._ratio(self.findings_matched, self.findings_found)

    @property
    def findings_recall(self) -> float:
        return self._ratio(self.findings_matched, self.findings_expected)


def _align(got: list[Indicator], want: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Pairs (extracted index, truth index) aligned in order by their full names."""
    a = [match_key(f"{i.level1}{i.level2}{i.indicator}") for i in got]
    b = [match_key(f"{t['level1']}{t['level2']}{t['indicator']}") for t in want]
    pairs: list[tuple[int, int]] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "replace"):
            pairs += list(zip(range(i1, i2), range(j1, j2)))
    return pairs


def compare(form: Form, truth: dict[str, Any]) -> Comparison:
    """Leaf rows and findings of ``form`` against ``truth``."""
    want = truth["indicators"]
    got = form.indicators
    result = Comparison(truth_rows=len(want), extracted_rows=len(got))
    for gi, ti in _align(got, want):
        leaf, expected = got[gi], want[ti]
        wrong = [f for f in LEAF_FIELDS if not _same(f, getattr(leaf, f), expected.get(f))]
        if "extra" in expected and (leaf.extra or {}) != expected["extra"]:
            wrong.append("extra")
        if not wrong:
            result.exact_rows += 1
        else:
            for f in wrong:
                result.field_errors.append(
                    f"{expected['indicator']}.{f}: got {getattr(leaf, f)!r}, want {expected.get(f)!r}"
                )
        if "max_score" not in wrong and "score" not in wrong:
            result.scores_exact += 1
        if "indicator" not in wrong:
            result.names_exact += 1
    expected_findings = [(f["rule"], f["location"]) for f in truth.get("findings", [])]
    # unreadable_cell is honest uncertainty about OCR, not a claim about the form's data:
    # it is counted apart and not scored against the truth's findings
    found = [(f.rule, f.location) for f in form.findings if f.rule not in UNSCORED_RULES]
    result.unreadable = sum(1 for f in form.findings if f.rule in UNSCORED_RULES)
    result.findings_expected, result.findings_found = len(expected_findings), len(found)
    remaining = list(expected_findings)
    for item in found:
        if item in remaining:
            remaining.remove(item)
            result.findings_matched += 1
        else:
            result.extra_findings.append(item)
    result.missed_findings = remaining
    return result


def header_errors(form: Form, truth: dict[str, Any]) -> list[str]:
    """Differences in header facts, totals and the budget block."""
    errors = []
    for name in HEADER_FIELDS:
        got, want = getattr(form, name), truth.get(name)
        if name in truth and got != want:
            if isinstance(want, float) and got is not None and round(got, 3) == round(want, 3):
                continue
            errors.append(f"{name}: got {got!r}, want {want!r}")
    if "layout" in truth and form.layout != truth["layout"]:
        errors.append(f"layout: got {form.layout!r}, want {truth['layout']!r}")
    units = {(b.row, b.column): b.unit for b in form.budget}
    for item in truth.get("budget", []):
        key = (item["row"], item["column"])
        if "unit" in item and key in units and units[key] != item["unit"]:
            errors.append(f"budget unit {key}: got {units[key]!r}, want {item['unit']!r}")
    got_budget = {(b.row, b.column): b.value for b in form.budget}
    for item in truth.get("budget", []):
        key = (item["row"], item["column"])
        value = got_budget.get(key, "absent")
        want = item["value"]
        same = value == want or (
            isinstance(value, float) and want is not None and abs(value - want) < 0.005
        )
        if not same:
            errors.append(f"budget {key}: got {value!r}, want {want!r}")
    return errors


def truth_forms(truth: dict[str, Any]) -> list[dict[str, Any]]:
    """The forms a truth file describes: one, several (``forms``) or none (``refused``)."""
    if "refused" in truth:
        return []
    return list(truth["forms"]) if "forms" in truth else [truth]


def compare_document(forms: list[Form], truth: dict[str, Any]) -> Comparison:
    """Every form of a file against its truth, forms paired in order; a missing or extra
    form counts all its rows and findings as missed or invented."""
    total = Comparison()
    wanted = truth_forms(truth)
    for index in range(max(len(forms), len(wanted))):
        if index < len(forms) and index < len(wanted):
            part = compare(forms[index], wanted[index])
        elif index < len(wanted):
            part = Comparison(truth_rows=len(wanted[index]["indicators"]),
                              findings_expected=len(wanted[index].get("findings", [])))
        else:
            part = Comparison(extracted_rows=len(forms[index].indicators),
                              findings_found=len(forms[index].findings))
        total.add(part)
    return total
