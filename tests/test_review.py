"""Re-check after review: a value corrected in the CSV is recorded with what was read,
the rules run again, and later runs (even reading the file again) keep the correction;
an edited JSON document gets its findings recomputed."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from extract.cli import main

pytestmark = pytest.mark.samples

SEED = Path(__file__).resolve().parents[1] / "samples" / "exported" / "seed_haizhu_2021.pdf"


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    change(rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _findings(out: Path) -> list[str]:
    return (out / "findings.csv").read_text(encoding="utf-8").splitlines()[1:]


def test_a_corrected_score_is_kept_and_rechecked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    main(["extract", str(SEED), "-o", str(out), "-q"])
    assert [line.split(",")[2] for line in _findings(out)] == ["total_score_mismatch"]  # 90.2 vs 88.7

    def lower(rows: list[dict[str, str]]) -> None:  # the reviewer finds a 3.0 that is a 1.5
        rows[1]["score"] = "1.5"

    _edit(out / "indicators.csv", lower)
    assert main(["validate", str(out)]) == 0
    assert "findings 1 → 0" in capsys.readouterr().out
    [kept] = json.loads((out / "corrections.json").read_text(encoding="utf-8"))
    assert (kept["field"], kept["read"], kept["set"], kept["leaf"]) == ("score", 3.0, 1.5, 1)
    assert _findings(out) == []
    main(["extract", str(SEED), "-o", str(out), "-q", "--force"])  # read again: the review stays
    assert _findings(out) == []
    with open(out / "indicators.csv", encoding="utf-8", newline="") as handle:
        assert list(csv.DictReader(handle))[1]["score"] == "1.5"


def test_rows_added_or_removed_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    main(["extract", str(SEED), "-o", str(out), "-q"])
    _edit(out / "indicators.csv", lambda rows: rows.pop())
    assert main(["validate", str(out)]) == 2
    assert "do not add, remove or reorder rows" in capsys.readouterr().err


def test_an_edited_json_document_gets_its_findings_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    main(["extract", str(SEED), "-o", str(out), "-q"])
    [path] = (out / "json").glob("*.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["declared_total"] = document["computed_total"]
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    again = json.loads(path.read_text(encoding="utf-8"))
    assert (again["findings"], again["status"]) == ([], "ok")


def test_a_correction_in_a_folder_of_several_files(tmp_path: Path) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    # named so that the run's order (a/…, then a-seed.pdf) is not the records' (a-seed first)
    root = SEED.parents[1]
    (inbox / "a").mkdir(parents=True)
    shutil.copy(root / "project" / "proj_mof_2023.pdf", inbox / "a" / "proj_mof_2023.pdf")
    shutil.copy(root / "project" / "proj_multi_2023.pdf", inbox / "a" / "proj_multi_2023.pdf")
    shutil.copy(SEED, inbox / "a-seed.pdf")
    main(["extract", str(inbox), "-o", str(out), "-q"])
    before = (out / "indicators.csv").read_text(encoding="utf-8")

    def raise_last(rows: list[dict[str, str]]) -> None:  # a score of the seed's last leaf
        rows[-1]["score"] = str(float(rows[-1]["max_score"]) + 1)

    _edit(out / "indicators.csv", raise_last)
    assert main(["validate", str(out)]) == 0
    after = (out / "indicators.csv").read_text(encoding="utf-8")
    assert before.splitlines()[:-1] == after.splitlines()[:-1]  # every other row as it was
    assert any(",score_exceeds_max," in line for line in _findings(out))
