"""Page images: a PDF page as one grayscale image, and the pages of an image file.

A scanned PDF page usually holds one image object covering the page; that image is
taken at its own resolution (rendering it again would resample it). Anything else is
rendered with pypdfium2 at the requested dpi.

Colour pages lose their red official seals on the way to grey (`seal_free_gray`): a
seal stamped over a score is light in the red channel while the printed digits under it
are dark in every channel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputFileError

POINTS_PER_INCH = 72.0
# An image object covering at least this share of the page box is "the scan of the page"
# (scanners and PDF makers leave a thin margin or round the placement a little).
SCAN_PAGE_COVERAGE = 0.85
# Embedded scans below this resolution are rendered instead: upsampling by pdfium at the
# requested dpi gives the line finder more pixels than a tiny thumbnail would.
MIN_SCAN_DPI = 100.0
# An image file's dpi metadata is trusted when it lies in this range and the page it
# implies is paper-sized; otherwise (72 dpi defaults of editors, 1 dpi placeholders) the
# resolution is estimated from the page size.
PLAUSIBLE_DPI = (100.0, 1200.0)
PLAUSIBLE_LONG_SIDE_INCHES = (5.0, 17.5)  # A5 .. A3 / tabloid
# Forms are printed on A4; its long side in inches gives the dpi of an untagged scan.
A4_LONG_SIDE_INCHES = 297 / 25.4
DEFAULT_DPI = 200.0  # when even the page-size estimate is implausible
# Largest image accepted (pixels): a 600 dpi A3 page is about 70 Mpx.
MAX_IMAGE_PIXELS = 120_000_000
# Redness (red minus the larger of green and blue, 0–255) from which a pixel is seal ink,
# fully from SEAL_REDNESS_FULL. Paper and grey print stay at 0–4 on the colour sample
# (yellowed paper is red and green alike); a seal's ink is 30–100 and its faint or
# JPEG-smeared edges 12–30 (measured: with 30 and 80 the rims stayed as grey residue that
# hid the declared total under a seal).
SEAL_REDNESS_START = 12.0
SEAL_REDNESS_FULL = 40.0
# The seal mask is widened by this many pixels (square kernel side): JPEG keeps colour at
# half resolution, so a seal stroke's rim is less red than its core and would stay as grey
# specks that the recogniser reads as junk lines. Black text under the rim stays dark,
# since the red channel replaces it (measured on the colour sample: 3 reads every score).
SEAL_GROW_PX = 3
# Fewer seal pixels than this: no seal, the page is converted as usual.
SEAL_MIN_PIXELS = 200
# Red ink is a little darker than the paper even in the red channel (measured: 0.83 of the
# paper on the colour sample, 0.85–0.95 for vermilion pads); the red channel of seal pixels
# is brightened by paper ÷ seal, within these bounds.
SEAL_GAIN_RANGE = (1.0, 1.4)


# Rows converted at a time: a 600 dpi A3 colour page (70 Mpx) as float32 channels would
# take about 1.5 GB at once; 512-row strips keep the extra memory near 100 MB.
SEAL_STRIP_ROWS = 512
# Pixel grid step of the sample that decides whether a page has a seal and its gain.
SEAL_SAMPLE_STEP = 4


def _redness(img: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Red channel, luminance and redness of a float32 RGB array."""
    red, green, blue = img[..., 0], img[..., 1], img[..., 2]
    return red, 0.299 * red + 0.587 * green + 0.114 * blue, red - np.maximum(green, blue)


def seal_free_gray(rgb: np.ndarray) -> np.ndarray:
    """An RGB image (h × w × 3 uint8) as grey with red seal ink faded to the paper.

    Red ink is nearly as light as the paper in the red channel, so where a pixel is red
    its red value (brightened to the paper's level) is used; elsewhere the luminance.
    Black text printed under a seal is dark in all three channels (the inks multiply)
    and stays dark."""
    import cv2

    step = SEAL_SAMPLE_STEP
    red, _, redness = _redness(rgb[::step, ::step].astype(np.float32))
    seal = redness >= SEAL_REDNESS_FULL
    if int(seal.sum()) * step * step < SEAL_MIN_PIXELS:
        return np.ascontiguousarray(cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY))
    paper = float(np.percentile(red, 90))
    lo, hi = SEAL_GAIN_RANGE
    gain = float(np.clip(paper / max(float(np.percentile(red[seal], 25)), 1.0), lo, hi))
    grow = cv2.getStructuringElement(cv2.MORPH_RECT, (SEAL_GROW_PX, SEAL_GROW_PX))
    margin = SEAL_GROW_PX  # rows shared with the neighbouring strips, for the dilation
    h = rgb.shape[0]
    out = np.empty(rgb.shape[:2], dtype=np.uint8)
    for y0 in range(0, h, SEAL_STRIP_ROWS):
        y1 = min(h, y0 + SEAL_STRIP_ROWS)
        a, b = max(0, y0 - margin), min(h, y1 + margin)
        red, luminance, redness = _redness(rgb[a:b].astype(np.float32))
        span = SEAL_REDNESS_FULL - SEAL_REDNESS_START
        weight = cv2.dilate(np.clip((redness - SEAL_REDNESS_START) / span, 0.0, 1.0), grow)
        gray = luminance + weight * (np.minimum(red * gain, paper) - luminance)
        out[y0:y1] = np.clip(gray[y0 - a : y0 - a + (y1 - y0)] + 0.5, 0, 255).astype(np.uint8)
    return out


def _to_gray(pil_image: Any) -> np.ndarray:
    """A PIL image of any mode as a 2-D uint8 array (transparency composited on white,
    red seals faded out of colour images)."""
    from PIL import Image

    if pil_image.mode in ("RGBA", "LA", "PA") or (
        pil_image.mode == "P" and "transparency" in pil_image.info
    ):
        rgba = pil_image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        pil_image = Image.alpha_composite(background, rgba)
    if pil_image.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(pil_image, dtype=np.float64)
        top = max(float(arr.max()), 1.0)
        return np.ascontiguousarray(np.clip(arr * (255.0 / top), 0, 255).astype(np.uint8))
    if pil_image.mode in ("RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "P"):
        return seal_free_gray(np.asarray(pil_image.convert("RGB"), dtype=np.uint8))
    return np.ascontiguousarray(np.asarray(pil_image.convert("L"), dtype=np.uint8))


def _upright(image: np.ndarray, matrix: tuple[float, ...], page_rotation: int) -> np.ndarray:
    """Turn an image object's pixels the way it appears on the displayed page.

    ``matrix`` (a, b, c, d, e, f) maps the unit square of image space to page space; the
    image's first row is at v = 1. Only axis-aligned placements reach this function."""
    a, b, c, d = matrix[:4]
    if abs(a) >= abs(b):  # columns run along the page's x axis
        if a < 0:
            image = image[:, ::-1]
        if d < 0:  # image rows would run upwards on the page
            image = image[::-1, :]
    else:  # placed rotated by 90°: columns run along y
        image = image.T
        if c > 0:
            image = image[:, ::-1]
        if b > 0:
            image = image[::-1, :]
    if page_rotation % 360:
        image = np.rot90(image, k=-(page_rotation % 360) // 90)  # /Rotate is clockwise
    return np.ascontiguousarray(image)


def _single_scan(page: Any) -> tuple[np.ndarray, float] | None:
    """The page's one covering image at its own resolution, or None."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    images = list(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)))
    if len(images) != 1:
        return None
    obj = images[0]
    left, bottom, right, top = obj.get_bounds()
    page_w, page_h = page.get_width(), page.get_height()  # unrotated page box
    if (right - left) * (top - bottom) < SCAN_PAGE_COVERAGE * page_w * page_h:
        return None
    m = obj.get_matrix().get()
    if not (abs(m[1]) < 1e-6 and abs(m[2]) < 1e-6) and not (abs(m[0]) < 1e-6 and abs(m[3]) < 1e-6):
        return None  # placed at an angle: let pdfium render it
    try:
        bitmap = obj.get_bitmap(render=False)
        gray = _to_gray(bitmap.to_pil())
    except (pdfium.PdfiumError, ValueError, OSError):
        return None  # an unusual colour space or filter: rendering still works
    gray = _upright(gray, m, page.get_rotation())
    rotated = page.get_rotation() % 180 == 90
    box_w = (top - bottom) if rotated else (right - left)
    pixels_per_point = gray.shape[1] / box_w
    if pixels_per_point * POINTS_PER_INCH < MIN_SCAN_DPI:
        return None
    return gray, pixels_per_point


def pdf_page_image(path: Path, number: int, dpi: float) -> tuple[np.ndarray, float]:
    """Page ``number`` (1-based) of a PDF as a grayscale image and its pixels per point."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise InputFileError(f"{path}: cannot open PDF for rendering ({exc})") from exc
    try:
        if not 1 <= number <= len(pdf):
            raise InputFileError(f"{path}: no page {number} (the PDF has {len(pdf)})")
        page = pdf[number - 1]
        try:
            found = _single_scan(page)
            if found is not None:
                return found
            scale = dpi / POINTS_PER_INCH
            pil = page.render(scale=scale).to_pil()  # in colour: seals are removed by hue
            return _to_gray(pil), scale
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        raise InputFileError(f"{path}: cannot render page {number} ({exc})") from exc
    finally:
        pdf.close()


def _file_dpi(info: dict[Any, Any], size: tuple[int, int]) -> float:
    """The resolution of one image-file page: its metadata when plausible, else from A4."""
    long_side = float(max(size))
    dpi = info.get("dpi")
    if isinstance(dpi, tuple) and dpi and dpi[0]:
        value = float(dpi[0])
        lo, hi = PLAUSIBLE_DPI
        inches = long_side / value
        if lo <= value <= hi and PLAUSIBLE_LONG_SIDE_INCHES[0] <= inches <= PLAUSIBLE_LONG_SIDE_INCHES[1]:
            return value
    estimate = long_side / A4_LONG_SIDE_INCHES
    lo, hi = PLAUSIBLE_DPI
    return estimate if lo <= estimate <= hi else DEFAULT_DPI


def image_file_pages(path: Path) -> list[tuple[np.ndarray, float]]:
    """Every page (frame) of a PNG/JPEG/TIFF file as (grayscale image, dpi)."""
    from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    pages: list[tuple[np.ndarray, float]] = []
    try:
        with Image.open(path) as img:
            for frame in ImageSequence.Iterator(img):
                frame.load()
                upright = ImageOps.exif_transpose(frame) or frame
                pages.append((_to_gray(upright), _file_dpi(frame.info, frame.size)))
    except FileNotFoundError:
        raise InputFileError(f"{path}: file not found") from None
    except UnidentifiedImageError:
        raise InputFileError(f"{path}: corrupt or unsupported image (cannot identify format)") from None
    except Image.DecompressionBombError as exc:
        raise InputFileError(f"{path}: image too large ({exc})") from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputFileError(f"{path}: corrupt or truncated image ({reason})") from exc
    if not pages:
        raise InputFileError(f"{path}: image has no pages")
    return pages
