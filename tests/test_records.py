"""Per-file records: a form survives its JSON document exactly, records are found again
by file, and their key changes with the options and the layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.forms.layouts import shipped_layout_dir
from extract.model import Options
from extract.output.export import form_to_json
from extract.output.records import (
    file_digest,
    form_from_json,
    options_key,
    read_records,
    record_path,
    write_record,
)

SAMPLES = ["exported/seed_haizhu_2021.pdf", "project/proj_multi_2023.pdf", "project/proj_execrow_2021.pdf",
           "variants/var_bonus_2022.pdf"]  # fmt: skip


@pytest.mark.samples
@pytest.mark.parametrize("sample", SAMPLES)
def test_a_form_round_trips_through_its_json(read_sample, sample: str) -> None:  # type: ignore[no-untyped-def]
    for form in read_sample(sample).forms:
        document = form_to_json(form)
        again = form_from_json(document)
        assert form_to_json(again) == document
        assert again.findings == form.findings and again.budget_counts == form.budget_counts


@pytest.mark.samples
def test_records_are_kept_and_read_back(tmp_path: Path, read_sample) -> None:  # type: ignore[no-untyped-def]
    result = read_sample("project/proj_multi_2023.pdf")
    result.file = "sub/proj_multi_2023.pdf"
    write_record(tmp_path, result, "abc", "key")
    assert record_path(tmp_path, result.file).name == "sub__proj_multi_2023.pdf.json"
    record = read_records(tmp_path)["sub/proj_multi_2023.pdf"]
    assert (record.digest, record.key, len(record.forms)) == ("abc", "key", 3)
    assert [form_to_json(f) for f in record.result().forms] == [form_to_json(f) for f in result.forms]


def test_the_key_follows_options_layouts_and_version(tmp_path: Path) -> None:
    layouts = sorted(shipped_layout_dir().glob("*.toml"))
    base = options_key(Options(), layouts, "1")
    assert options_key(Options(debug_dir=tmp_path), layouts, "1") == base  # where debug images go
    assert options_key(Options(dpi=300), layouts, "1") != base
    assert options_key(Options(), layouts, "2") != base
    mine = tmp_path / "mine.toml"
    mine.write_text(layouts[0].read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert options_key(Options(), [*layouts[1:], mine], "1") != base


def test_digest_of_content_not_name(tmp_path: Path) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    a.write_bytes(b"%PDF-1.4 same")
    b.write_bytes(b"%PDF-1.4 same")
    assert file_digest(a) == file_digest(b) != file_digest(tmp_path / "missing.pdf") == ""
