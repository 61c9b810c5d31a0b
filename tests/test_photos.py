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


@pytest.mark.samples
def test_a_curled_page_comes_out_with_straight_rules(tmp_path: Path) -> None:
    """The curl lifts the right edge (rules there bend by tens of pixels); the mesh traced
    on the rules undoes it, and the debug view draws that mesh."""
    from extract.inputs import image_file_frames
    from extract.inputs.dewarp import MIN_WARP_PX, dewarp

    photo = PHOTOS / "proj_execrow_2021-photo-curl6.jpg"
    found = find_page(cv2.cvtColor(cv2.imread(str(photo)), cv2.COLOR_BGR2RGB))
    assert found is not None and found.mesh is not None and found.mesh.applied
    assert found.mesh.warp_px > 3 * MIN_WARP_PX
    assert dewarp(found.image).warp_px < MIN_WARP_PX / 4 * 3  # straight enough to be left alone
    image_file_frames(photo, tmp_path)
    mesh = cv2.imread(str(tmp_path / "proj_execrow_2021-photo-curl6-p1-mesh.png"))
    assert mesh is not None and (np.abs(mesh[..., 2].astype(int) - mesh[..., 1]) > 120).sum() > 2000  # red rules


@pytest.mark.ocr
def test_a_curled_project_form_reads_exactly(read_sample) -> None:  # type: ignore[no-untyped-def]
    result = read_sample("photos/proj_execrow_2021-photo-curl6.jpg")
    truth = json.loads((PHOTOS / "proj_execrow_2021-photo-curl6.truth.json").read_text(encoding="utf-8"))
    form = result.form
    assert form is not None
    fields = ("level1", "level2", "indicator", "max_score", "score")
    want = [tuple(leaf[k] for k in fields) for leaf in truth["indicators"]]
    assert [tuple(getattr(leaf, k) for k in fields) for leaf in form.indicators] == want


@pytest.mark.ocr
def test_a_deep_shadow_across_the_table_leaves_the_scores(tmp_path: Path) -> None:
    """A soft shadow that darkens part of the table to half the light is flattened out by
    the background estimate, not taken for ink."""
    from extract.pipeline import process_file

    photo = cv2.imread(str(PHOTOS / "proj_execrow_2021-photo.jpg")).astype(np.float32)
    h, w = photo.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    distance = np.hypot(xx - 0.3 * w, yy - 0.6 * h) / (0.35 * max(h, w))
    photo *= (1.0 - 0.5 * np.clip(1.3 - distance, 0, 1))[..., None]
    cv2.imwrite(str(tmp_path / "shadow.jpg"), np.clip(photo, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 85])
    truth = json.loads((PHOTOS / "proj_execrow_2021-photo.truth.json").read_text(encoding="utf-8"))
    form = process_file(tmp_path / "shadow.jpg").form
    assert form is not None
    assert [(leaf.max_score, leaf.score) for leaf in form.indicators] == [
        (leaf["max_score"], leaf["score"]) for leaf in truth["indicators"]]


@pytest.mark.ocr
def test_a_table_cut_off_by_the_frame_is_refused_with_its_reason(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A photo whose right part of the table is outside the frame is refused for that
    page (never read into rows without their last columns); the file's other page is read.
    A photo that cuts only the blank margin is read."""
    from PIL import Image

    from extract.pipeline import process_file
    from scripts.make_samples import _write_image_pdf

    first = page_pixels(PHOTOS / "proj_mof_2023-photo.pdf", 1)
    cut = first[:, : int(first.shape[1] * 0.7)]
    with pytest.raises(UnreadablePage, match="cut off at the right edge"):
        find_page(cut)
    frames = []
    for photo in (cut, page_pixels(PHOTOS / "proj_mof_2023-photo.pdf", 2)):
        buffer = io.BytesIO()
        Image.fromarray(np.ascontiguousarray(photo)).save(buffer, "JPEG", quality=85)
        h, w = photo.shape[:2]
        frames.append((buffer.getvalue(), w, h, w * 0.75, h * 0.75))
    _write_image_pdf(tmp_path / "cut.pdf", frames, colour=True)
    result = process_file(tmp_path / "cut.pdf")
    assert result.status == "flagged"
    unread = [(f.page, f.message) for form in result.forms for f in form.findings if f.rule == "unreadable_page"]
    assert len(unread) == 1 and unread[0][0] == 1 and "cut off at the right edge" in unread[0][1]
    cv2.imwrite(str(tmp_path / "cut.jpg"), cv2.cvtColor(cut, cv2.COLOR_RGB2BGR))
    assert main(["extract", str(tmp_path / "cut.jpg"), "-o", str(tmp_path / "out"), "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cut.jpg" in err[0] and "cut off at the right edge" in err[0]
    margin_only = first[:, int(first.shape[1] * 0.08):]  # the paper's left margin outside the frame
    assert find_page(margin_only) is not None


@pytest.mark.ocr
def test_a_page_on_a_white_desk_is_found_by_its_table(read_sample) -> None:  # type: ignore[no-untyped-def]
    """No desk to tell the paper by: the table's outer frame is flattened instead, and the
    form reads exactly."""
    from extract.inputs.photo import table_frame_corners

    photo = PHOTOS / "proj_execrow_2021-photo-whitedesk.jpg"
    rgb = cv2.cvtColor(cv2.imread(str(photo)), cv2.COLOR_BGR2RGB)
    assert paper_corners(rgb) is None and table_frame_corners(rgb) is not None
    found = find_page(rgb)
    assert found is not None and found.image.shape[:2] == (2339, 1654)  # an upright A4 at 200 dpi
    with pytest.raises(UnreadablePage, match="cut off at the right edge"):  # its frame runs out of the photo
        find_page(rgb[:, : int(rgb.shape[1] * 0.8)])
    truth = json.loads((PHOTOS / "proj_execrow_2021-photo-whitedesk.truth.json").read_text(encoding="utf-8"))
    form = read_sample("photos/proj_execrow_2021-photo-whitedesk.jpg").form
    assert form is not None
    fields = ("level1", "level2", "indicator", "max_score", "score")
    assert [tuple(getattr(leaf, k) for k in fields) for leaf in form.indicators] == [
        tuple(leaf[k] for k in fields) for leaf in truth["indicators"]]
