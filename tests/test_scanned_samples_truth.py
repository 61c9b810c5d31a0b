"""The printed-and-scanned samples (samples/scanned) agree with their truth files.

Regenerate them with ``python scripts/make_samples.py --scans-only`` (from the PDFs in
samples/exported). These tests check the files themselves, not the extractor: every
sample has a truth, page counts match, the PDFs are image-only with one JPEG per page at
the stated resolution, the truth is the exported truth plus a ``scan`` block, and the
whole samples/ folder stays under 12 MB.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SCANNED = SAMPLES / "scanned"
EXPORTED = SAMPLES / "exported"
VARIANTS = SAMPLES / "variants"  # scanned too: a form family the scans were not made from
PROJECT = SAMPLES / "project"  # scanned too: the project family (scripts/make_project_samples.py)
TRUTHS = sorted(SCANNED.glob("*.truth.json"))
IMAGE_SUFFIXES = {".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg"}
SCAN_KEYS = {"dpi", "skew_degrees", "rotation", "broken_lines", "stamp", "jpeg_quality"}
# 23 MB since the 12 Mpx photos of the two densest forms (3.8 MB); 19.5 MB since the
# phone photos (samples/photos, 2.6 MB: a photo is a colour JPEG of the whole frame) and
# the ruled tables (samples/tables, 1 MB) came in; 16 MB since the project family, 12 MB
# before, 10 MB until the colour scan
LIMIT = int(23 * 1024 * 1024)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def sample_of(truth: Path) -> Path:
    return truth.with_name(load(truth)["file"])


def source_of(name: str) -> Path:
    """The PDF a scan was made from: an exported sample, a variant or a project form."""
    return next((f / name for f in (EXPORTED, VARIANTS, PROJECT) if (f / name).exists()),
                EXPORTED / name)


def source_sizes(truth: dict) -> list[tuple[float, float]]:
    """Page sizes in points of the exported PDF the scan was made from, turned as scanned."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(source_of(truth["scan"]["source"])))
    try:
        sizes = [doc[i].get_size() for i in range(len(doc))]
    finally:
        doc.close()
    if truth["scan"]["rotation"] in (90, 270):
        sizes = [(h, w) for w, h in sizes]
    return sizes


def near(a: float, b: float, rel: float = 0.02) -> bool:
    return abs(a - b) <= rel * b


def test_scanned_samples_exist() -> None:
    assert len(TRUTHS) >= 11, "samples/scanned is missing: run scripts/make_samples.py --scans-only"


def test_every_sample_has_truth() -> None:
    samples = [p for p in SCANNED.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES]
    named = {load(t)["file"] for t in TRUTHS}
    assert samples
    for p in samples:
        assert p.name in named, f"{p.name} has no truth file"
        assert (SCANNED / f"{p.stem}.truth.json").exists()


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.name.split(".")[0])
def test_truth_is_exported_truth_plus_scan(truth_path: Path) -> None:
    t = load(truth_path)
    assert sample_of(truth_path).exists()
    assert truth_path.name == f"{Path(t['file']).stem}.truth.json"
    scan = t["scan"]
    assert set(scan) >= SCAN_KEYS
    assert scan["rotation"] in (0, 90, 180)
    assert 55 <= scan["jpeg_quality"] <= 75
    assert len(scan["skew_degrees"]) == t["pages"]
    assert all(abs(s) <= 2.0 for s in scan["skew_degrees"])
    src = load(source_of(scan["source"]).with_suffix(".truth.json"))
    rest = {k: v for k, v in t.items() if k not in ("file", "scan")}
    assert rest == {k: v for k, v in src.items() if k != "file"}


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.name.split(".")[0])
def test_page_count_and_resolution(truth_path: Path) -> None:
    t = load(truth_path)
    path = sample_of(truth_path)
    dpi = t["scan"]["dpi"]
    sizes = source_sizes(t)
    assert len(sizes) == t["pages"]
    if path.suffix == ".pdf":
        import pypdfium2 as pdfium
        from pypdf import PdfReader

        doc = pdfium.PdfDocument(str(path))
        try:
            assert len(doc) == t["pages"]
        finally:
            doc.close()
        reader = PdfReader(str(path))
        for page, (wpt, hpt) in zip(reader.pages, sizes):
            box = page.mediabox
            assert near(float(box.width), wpt, 0.001) and near(float(box.height), hpt, 0.001)
            xobjects = page["/Resources"]["/XObject"]
            images = [xobjects[k].get_object() for k in xobjects]
            images = [o for o in images if o.get("/Subtype") == "/Image"]
            assert len(images) == 1, "one embedded image per page"
            img = images[0]
            assert img["/Filter"] == "/DCTDecode"
            assert near(img["/Width"], wpt * dpi / 72) and near(img["/Height"], hpt * dpi / 72)
    else:
        from PIL import Image

        with Image.open(path) as im:
            assert im.n_frames == t["pages"]
            for i, (wpt, hpt) in enumerate(sizes):
                im.seek(i)
                assert near(im.width, wpt * dpi / 72) and near(im.height, hpt * dpi / 72)
                if im.format == "TIFF":
                    assert im.info.get("compression") in ("jpeg", "group4", "tiff_lzw", "tiff_adobe_deflate")


@pytest.mark.parametrize("truth_path", [t for t in TRUTHS if load(t)["file"].endswith(".pdf")],
                         ids=lambda p: p.name.split(".")[0])
def test_pdf_is_image_only(truth_path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(sample_of(truth_path)) as pdf:
        for page in pdf.pages:
            assert not page.chars


def du_bytes(path: Path) -> int:
    if shutil.which("du"):
        out = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True)
        return int(out.stdout.split()[0]) * 1024
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def test_samples_folder_stays_small() -> None:  # the limit is LIMIT
    assert du_bytes(SAMPLES) < LIMIT
