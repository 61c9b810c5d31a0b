"""The private APIs of pdfminer, pdfplumber and RapidOCR that selfeval relies on.

``textlayer/clip.py`` patches pdfminer's interpreter and pdfplumber's ``Page`` to track
clipping paths; ``ocr/rapid.py`` runs RapidOCR's recogniser on its own batches. A release
that renames any of these must fail here, by name, rather than silently change output."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
# A page whose merged-cell labels run over a page break: the exporter drew hidden copies.
CLIPPED_SAMPLE = ROOT / "samples" / "exported" / "seed_haizhu_2021.pdf"


def test_pdfminer_interpreter_hooks_exist() -> None:
    from pdfminer import pdfinterp

    for name in ("do_W", "do_W_a", "do_n"):
        assert callable(getattr(pdfinterp.PDFPageInterpreter, name, None)), name
    assert callable(getattr(pdfinterp.PDFGraphicState, "copy", None))
    source = inspect.getsource(pdfinterp.PDFPageInterpreter)
    for attribute in ("self.curpath", "self.ctm", "self.graphicstate"):
        assert attribute in source, attribute


def test_pdfplumber_page_hook_exists() -> None:
    import pdfplumber.page
    from pdfminer.layout import LTChar

    assert callable(getattr(pdfplumber.page.Page, "process_object", None))
    assert "graphicstate" in inspect.signature(LTChar.__init__).parameters


def test_clip_boxes_reach_the_characters() -> None:
    """The patched interpreter gives every character of an exported page its clip box."""
    import pdfplumber

    from extract.textlayer import clip

    clip.install()
    with pdfplumber.open(CLIPPED_SAMPLE) as pdf:
        chars = pdf.pages[0].chars
    assert chars and all("clip" in c for c in chars)
    assert any(c["clip"] is not None for c in chars)


def test_rapidocr_recogniser_internals_exist() -> None:
    import rapidocr_onnxruntime
    from rapidocr_onnxruntime import RapidOCR

    from extract.ocr.rapid import REC_MODEL

    assert (Path(rapidocr_onnxruntime.__file__).parent / REC_MODEL).is_file()
    engine = RapidOCR()
    rec = engine.text_rec
    assert callable(rec.session)
    assert len(rec.rec_image_shape) == 3
    assert callable(rec.postprocess_op)
    assert callable(engine.text_det)
