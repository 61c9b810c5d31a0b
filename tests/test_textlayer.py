"""The per-page choice between the text layer and OCR, and clipped (hidden) text."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from extract.model import BBox, Word
from extract.textlayer import chars

ROOT = Path(__file__).resolve().parent.parent


def words(text: str) -> list[Word]:
    return [Word(ch, BBox(i * 10, 0, i * 10 + 9, 10)) for i, ch in enumerate(text)]


def test_usable_text_layer() -> None:
    assert chars.is_usable(words("部门整体支出绩效自评表一级指标二级指标三级指标分值得分"))
    assert not chars.is_usable(words("第1页"))  # a caption on a scan is not a text layer
    garbage = "\ue000\ue013\ue0a1\ue044" * 10  # a font without a Unicode map
    assert not chars.is_usable(words(garbage))
    assert not chars.is_usable([Word("(cid:12)", BBox(0, 0, 9, 9))] * 30)


def test_scanned_pdf_has_no_usable_text_layer() -> None:
    with pdfplumber.open(ROOT / "samples" / "scanned" / "dept_justice_2019-200dpi.pdf") as pdf:
        assert not chars.is_usable(chars.visible_chars(pdf.pages[0]))


def test_clipped_label_copies_are_dropped() -> None:
    """LibreOffice draws a split merged cell's label on both pages and clips one copy;
    the copy on page 2 of the seed lies over the repeated header row."""
    with pdfplumber.open(ROOT / "samples" / "exported" / "seed_haizhu_2021.pdf") as pdf:
        page = pdf.pages[1]
        all_text = "".join(c["text"] for c in page.chars)
        visible = "".join(w.text for w in chars.visible_chars(page))
    assert all_text.count("管理效能") > visible.count("管理效能")
