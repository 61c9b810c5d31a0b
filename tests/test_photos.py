"""Phone photos (samples/photos, scripts/make_photo_samples.py): the paper found in the
frame and flattened, a flatbed scan left as it is, a blurred or tiny page refused with its
reason, the photographed forms read with their family and scores."""

from __future__ import annotations

import io
import json
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest

from extract.cli import main
from extract.inputs.photo import PAGE_DPI, UnreadablePage, find_page, paper_corners

ROOT = Path(__file__).resolve().parents[1]
PHOTOS = ROOT / "samples" / "photos"
SCANNED = ROOT / "samples" / "scanned"


def page_pixels(pdf: Path, number: int = 1) -> np.ndarray:
    document = pdfium.PdfDocument(str(pdf))
    image = next(iter(document[number - 1].get_objects())).get_bitmap(render=False).to_pil().convert("RGB")
    return np.asarray(image)


@pytest.mark.samples
@pytest.mark.parametrize("name", ["dept_justice_2019-200dpi.pdf", "proj_word_2022-200dpi.pdf",
                                  "dept_health_2020-colour-200dpi.pdf", "dept_justice_2019-rot90-200dpi.pdf"])
def test_a_flatbed_scan_passes_through_unchanged(name: str) -> None:
    """Its paper fills the frame, or its margin is paper too (the blank last page)."""
    pages = len(pdfium.PdfDocument(str(SCANNED / name)))
    for number in range(1, pages + 1):
        assert find_page(page_pixels(SCANNED / name, number)) is None


@pytest.mark.samples
def test_the_paper_is_found_and_flattened_to_a4() -> None:
    photo = page_pixels(PHOTOS / "dept_justice_2019-photo.pdf")
    corners = paper_corners(photo)
    assert corners is not None
    tl, tr, br, bl = corners
    assert tl[0] < tr[0] and bl[0] < br[0] and tl[1] < bl[1] and tr[1] < br[1]  # a quadrilateral in order
    found = find_page(photo)
    assert found is not None and found.dpi == PAGE_DPI
    assert found.image.shape[:2] == (1654, 2339)  # a landscape A4 at 200 dpi
    # the table's longest rule runs level across the flattened page
    gray = cv2.cvtColor(found.image, cv2.COLOR_RGB2GRAY)
    ink = np.where(gray < 128, 255, 0).astype(np.uint8)
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (301, 1)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(rules, np.ones((5, 1), np.uint8)))
    longest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_WIDTH]))
    ys, xs = np.nonzero(labels == longest)
    slope = np.polyfit(xs, ys, 1)[0]
    assert stats[longest, cv2.CC_STAT_WIDTH] > 1500 and abs(slope) * 2339 < 12


@pytest.mark.samples
def test_a_blurred_photo_is_refused_with_its_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blurred = cv2.GaussianBlur(page_pixels(PHOTOS / "proj_mof_2023-photo.pdf"), (0, 0), 4)
    with pytest.raises(UnreadablePage, match="too blurred"):
        find_page(blurred)
    path = tmp_path / "blurred.jpg"
    cv2.imwrite(str(path), cv2.cvtColor(blurred, cv2.COLOR_RGB2BGR))
    assert main(["extract", str(path), "-o", str(tmp_path / "out"), "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "blurred.jpg" in err[0] and "too blurred" in err[0]


@pytest.mark.samples
def test_a_page_too_small_in_the_photo_is_refused() -> None:
    photo = page_pixels(PHOTOS / "proj_mof_2023-photo.pdf")
    small = cv2.resize(photo, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    with pytest.raises(UnreadablePage, match="too small"):
        find_page(small)


@pytest.mark.ocr
def test_a_photographed_project_form_reads_with_every_score(read_sample) -> None:  # type: ignore[no-untyped-def]
    result = read_sample("photos/proj_execrow_2021-photo.jpg")
    truth = json.loads((PHOTOS / "proj_execrow_2021-photo.truth.json").read_text(encoding="utf-8"))
    form = result.form
    assert form is not None and form.form_type == "project"
    want = [(leaf["max_score"], leaf["score"]) for leaf in truth["indicators"]]
    assert [(leaf.max_score, leaf.score) for leaf in form.indicators] == want


@pytest.mark.ocr
def test_a_landscape_page_shot_with_the_phone_upright_is_turned(read_sample) -> None:  # type: ignore[no-untyped-def]
    result = read_sample("photos/seed_haizhu_2021-photo-quarter.pdf")
    assert result.form is not None and result.form.form_type == "dept_overall"
    assert result.form.declared_total == 88.7


@pytest.mark.samples
def test_an_exif_orientation_is_respected(tmp_path: Path) -> None:
    """A JPG stored sideways with an EXIF tag that turns it back gives the same page."""
    from PIL import Image

    photo = Image.open(PHOTOS / "proj_execrow_2021-photo.jpg")
    sideways = photo.transpose(Image.Transpose.ROTATE_270)  # stored turned; tag 6 turns it back
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    sideways.save(buffer, "JPEG", exif=exif.tobytes(), quality=90)
    (tmp_path / "tagged.jpg").write_bytes(buffer.getvalue())
    from extract.inputs import image_file_pages

    (gray, dpi), = image_file_pages(tmp_path / "tagged.jpg")
    assert dpi == PAGE_DPI and gray.shape[0] > gray.shape[1]  # the portrait project page, upright


@pytest.mark.ocr
def test_a_blurred_page_is_a_finding_and_the_other_pages_are_read(tmp_path: Path) -> None:
    from PIL import Image

    from extract.pipeline import process_file
    from scripts.make_samples import _write_image_pdf

    frames = []
    for number in (1, 2):
        photo = page_pixels(PHOTOS / "proj_mof_2023-photo.pdf", number)
        if number == 2:
            photo = cv2.GaussianBlur(photo, (0, 0), 4)
        buffer = io.BytesIO()
        Image.fromarray(photo).save(buffer, "JPEG", quality=85)
        h, w = photo.shape[:2]
        frames.append((buffer.getvalue(), w, h, w * 0.75, h * 0.75))
    _write_image_pdf(tmp_path / "half.pdf", frames, colour=True)
    result = process_file(tmp_path / "half.pdf")
    assert result.status == "flagged" and result.form is not None and result.form.indicators
    unread = [f for f in result.form.findings if f.rule == "unreadable_page"]
    assert [(f.page, "too blurred" in f.message) for f in unread] == [(2, True)]


@pytest.mark.samples
def test_the_debug_view_outlines_the_page_found(tmp_path: Path) -> None:
    from extract.inputs import image_file_frames

    photo = PHOTOS / "proj_execrow_2021-photo.jpg"
    ((gray, dpi, reason),) = image_file_frames(photo, tmp_path)
    assert gray is not None and dpi == PAGE_DPI and reason == ""
    outline = cv2.imread(str(tmp_path / "proj_execrow_2021-photo-p1-photo.png"))
    corners = paper_corners(cv2.cvtColor(cv2.imread(str(photo)), cv2.COLOR_BGR2RGB))
    scale = outline.shape[1] / cv2.imread(str(photo)).shape[1]
    x, y = ((corners[0] + corners[1]) / 2 * scale).astype(int)  # the middle of the top edge
    patch = outline[y - 3:y + 4, x - 3:x + 4].reshape(-1, 3)
    assert any(b < 80 and g < 80 and r > 180 for b, g, r in patch)  # drawn in red
