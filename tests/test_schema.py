"""The JSON Schema of the form documents: it is a valid schema, `selfeval schema` prints
it, and every sample's documents (both families, text and OCR) validate against it."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from extract.cli import main
from extract.output.export import SCHEMA_FILE, form_to_json

SAMPLES = [
    "exported/seed_haizhu_2021.pdf", "exported/dept_market_2022.pdf", "variants/var_bonus_2022.pdf",
    "variants/var_word_2022.pdf", "project/proj_multi_2023.pdf", "project/proj_execrow_2021.pdf",
    "project/proj_local_2024.pdf", "project/proj_inline_2022.pdf", "project/proj_bad_2020.pdf",
    "project/proj_word_2022.pdf", "project/proj_mof_2023.pdf",
]  # fmt: skip


def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_selfeval_schema_prints_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_a_broken_document_is_refused() -> None:
    with pytest.raises(Exception, match="schema_version"):
        validator().validate({"schema_version": 2})


@pytest.mark.samples
@pytest.mark.parametrize("sample", SAMPLES)
def test_every_sample_document_validates(read_sample, sample: str) -> None:  # type: ignore[no-untyped-def]
    check = validator()
    for form in read_sample(sample).forms:
        check.validate(json.loads(json.dumps(form_to_json(form), ensure_ascii=False)))


@pytest.mark.ocr
def test_scanned_documents_validate(read_sample) -> None:  # type: ignore[no-untyped-def]
    check = validator()
    for sample in ("scanned/proj_mof_2023-200dpi.pdf", "scanned/dept_justice_2019-200dpi.pdf"):
        for form in read_sample(sample).forms:
            check.validate(json.loads(json.dumps(form_to_json(form), ensure_ascii=False)))
