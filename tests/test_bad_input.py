"""Bad input: one clear line naming the file and the reason; a batch goes on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from extract.cli import main
from extract.pipeline import process_file

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "samples" / "bad"
GOOD = sorted((ROOT / "samples" / "exported").glob("*.pdf"))

EXPECTED_REASONS = {
    "empty.pdf": "empty file",
    "not-a-pdf.pdf": "not a PDF or image",
    "truncated.pdf": "corrupt or truncated PDF",
    "corrupt.pdf": "corrupt or truncated PDF",
    "encrypted.pdf": "encrypted PDF",
    "no-table.pdf": "no ruled table found",
}


@pytest.mark.parametrize("name", sorted(EXPECTED_REASONS))
def test_bad_file_fails_with_one_clear_line(name: str) -> None:
    result = process_file(BAD / name)
    assert result.status == "failed"
    assert result.form is None
    assert "\n" not in result.error
    assert str(BAD / name) in result.error
    assert EXPECTED_REASONS[name] in result.error


def test_missing_file() -> None:
    result = process_file(BAD / "does-not-exist.pdf")
    assert result.status == "failed"
    assert "file not found" in result.error


def test_batch_goes_on_past_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(BAD, inbox / "bad")
    shutil.copy(GOOD[0], inbox / GOOD[0].name)
    out = tmp_path / "out"
    code = main(["extract", str(inbox), "-o", str(out), "-j", "2"])
    assert code == 1  # some failed, the rest converted
    summary = pd.read_csv(out / "summary.csv")
    assert len(summary) == len(EXPECTED_REASONS) + 1
    statuses = dict(zip(summary["file"], summary["status"]))
    assert statuses[GOOD[0].name] in ("ok", "flagged")
    for name in EXPECTED_REASONS:
        assert statuses[f"bad/{name}"] == "failed"
    indicators = pd.read_csv(out / "indicators.csv")
    assert set(indicators["file"]) == {GOOD[0].name}
    assert len(indicators) > 10
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == len(EXPECTED_REASONS)
    assert all(line.startswith("error: ") for line in err)


def test_only_bad_files_exit_2(tmp_path: Path) -> None:
    assert main(["extract", str(BAD / "empty.pdf"), "-o", str(tmp_path)]) == 2
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert list(summary["status"]) == ["failed"]
