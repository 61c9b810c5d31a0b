"""OCR repairs: budget amounts repaired with the block's own rate, a flat stroke read as a
digit, ≥ read as V in a value cell. Each keeps the raw reading and leaves a text layer
alone."""

from __future__ import annotations

import numpy as np

from extract.forms.budget import repair_budget
from extract.model import BBox, BudgetValue, Provenance
from extract.ocr.crops import LineCrop, dash_reading


def line(executed: str, source: str = "rapidocr", rate: str = "88.78%") -> list[BudgetValue]:
    def value(column: str, text: str, role: str, number: float | None) -> BudgetValue:
        prov = Provenance(page=1, bbox=[0, 0, 1, 1], source=source, raw_text=text)
        return BudgetValue("年度资金总额", column, number, text, prov, role=role, line="年度资金总额")

    executed_value = float(executed.replace(",", ""))
    return [
        value("全年预算数", "2,301.08", "budget", 2301.08),
        value("全年执行数", executed, "executed", executed_value),
        value("执行率", rate, "rate", float(rate.rstrip("%"))),
    ]


def test_a_rule_read_as_a_leading_one_is_taken_off_when_the_rate_says_so() -> None:
    fixed = repair_budget(line("12,043.00"))
    assert (fixed[1].value, fixed[1].text) == (2043.0, "2,043.00")
    assert fixed[1].provenance is not None and fixed[1].provenance.raw_text == "12,043.00"


def test_no_repair_when_the_rate_does_not_confirm_it_or_the_text_layer_says_so() -> None:
    assert repair_budget(line("12,043.00", rate="50.00%"))[1].value == 12043.0
    assert repair_budget(line("12,043.00", source="text"))[1].value == 12043.0
    assert repair_budget(line("2,043.00"))[1].value == 2043.0


def test_a_flat_stroke_is_only_ever_a_dash() -> None:
    box = BBox(0, 0, 10, 2)
    stroke = LineCrop(0, box, np.zeros((2, 10), np.uint8), dash=True)
    text = LineCrop(0, box, np.zeros((2, 10), np.uint8), dash=False)
    assert not dash_reading(stroke, "1") and not dash_reading(stroke, "")
    assert dash_reading(stroke, "—") and dash_reading(stroke, "-")
    assert dash_reading(text, "1")


def test_geq_read_as_v_in_a_value_cell() -> None:
    from extract.forms.readings import text_of
    from extract.model import Cell

    def cell(text: str, source: str = "rapidocr") -> Cell:
        return Cell(0, 0, 1, 1, BBox(0, 0, 1, 1), text, source=source)

    assert text_of("target", cell("V2")) == "≥2"
    assert text_of("target", cell("V2", source="text")) == "V2"  # a text layer is as printed
    assert text_of("basis", cell("V2")) == "V2" and text_of("target", cell("Ⅴ类")) == "Ⅴ类"


def test_an_ocr_grade_keeps_its_letters_only() -> None:
    from extract.forms.readings import grade_text
    from extract.model import Cell

    ocr = Cell(0, 0, 1, 1, BBox(0, 0, 1, 1), ".优", source="rapidocr")
    text = Cell(0, 0, 1, 1, BBox(0, 0, 1, 1), ".优")
    assert grade_text(ocr, ".优") == "优" and grade_text(ocr, "良好") == "良好"
    assert grade_text(text, ".优") == ".优"
