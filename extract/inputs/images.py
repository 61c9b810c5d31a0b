"""Page images: a PDF page as one grayscale image, and the pages of an image file.

A scanned PDF page usually holds one image object covering the page; that image is
taken at its own resolution (rendering it again would resample it). Anything else is
rendered with pypdfium2 at the requested dpi.

Colour pages lose their red official seals on the way to grey (``seals.seal_free_gray``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputFileError
from ..model import DEFAULT_DPI, POINTS_PER_INCH
from .dewarp import write_mesh
from .photo import UnreadablePage, find_page, write_outline
from .seals import seal_free_gray

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
UNTAGGED_DPI = float(DEFAULT_DPI)  # when even the page-size estimate is implausible
# Largest image accepted (pixels): a 600 dpi A3 page is about 70 Mpx.
MAX_IMAGE_PIXELS = 120_000_000
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


def _page_pixels(pil_image: Any, debug: Path | None = None) -> tuple[np.ndarray, float | None]:
    """An image's page as grey pixels: for a phone photo the paper found, flattened and
    neutralised (``photo.find_page``) with its dpi; for anything else the image as it is
    and None. Raises photo.UnreadablePage for a photo that cannot be read. With
    ``debug``, a photo is written there with the found page's outline, and beside it
    (``-mesh.png``) the flattened page with the rules its curl was measured on."""
    if pil_image.mode in ("RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "P", "L"):
        rgb = np.asarray(pil_image.convert("RGB"), dtype=np.uint8)
        found = find_page(rgb)
        if found is not None:
            if debug is not None:
                write_outline(rgb, found.corners, debug)
                if found.mesh is not None:
                    write_mesh(found.image, found.mesh, debug.with_name(debug.name.replace("-photo.png", "-mesh.png")))
            return seal_free_gray(found.image), found.dpi
    return _to_gray(pil_image), None


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


def _single_scan(page: Any, debug: Path | None = None) -> tuple[np.ndarray, float] | None:
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
        gray, photo_dpi = _page_pixels(bitmap.to_pil(), debug)
    except (pdfium.PdfiumError, ValueError, OSError):
        return None  # an unusual colour space or filter: rendering still works
    gray = _upright(gray, m, page.get_rotation())
    if photo_dpi is not None:  # a phone photo: the page found in it, at a known resolution
        return gray, photo_dpi / POINTS_PER_INCH
    rotated = page.get_rotation() % 180 == 90
    box_w = (top - bottom) if rotated else (right - left)
    pixels_per_point = gray.shape[1] / box_w
    if pixels_per_point * POINTS_PER_INCH < MIN_SCAN_DPI:
        return None
    return gray, pixels_per_point


def pdf_page_image(path: Path, number: int, dpi: float, debug_dir: Path | None = None) -> tuple[np.ndarray, float]:
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
            try:
                found = _single_scan(page, _debug_target(debug_dir, path, number))
            except UnreadablePage as exc:
                raise UnreadablePage(f"{path}: page {number}: {exc.reason}", exc.reason) from None
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
    return estimate if lo <= estimate <= hi else UNTAGGED_DPI


def image_file_pages(path: Path) -> list[tuple[np.ndarray, float]]:
    """Every page (frame) of a PNG/JPEG/TIFF file as (grayscale image, dpi); raises
    UnreadablePage for a photographed page that cannot be read."""
    pages = []
    for number, (gray, dpi, reason) in enumerate(image_file_frames(path), start=1):
        if gray is None:
            raise UnreadablePage(f"{path}: page {number}: {reason}", reason)
        pages.append((gray, dpi))
    return pages


def _debug_target(debug_dir: Path | None, path: Path, number: int) -> Path | None:
    return None if debug_dir is None else Path(debug_dir) / f"{path.stem}-p{number}-photo.png"


def image_file_frames(path: Path, debug_dir: Path | None = None) -> list[tuple[np.ndarray | None, float, str]]:
    """Every page (frame) of a PNG/JPEG/TIFF file as (grayscale image, dpi, ""), or
    (None, 0, reason) for a photographed page that cannot be read."""
    from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    pages: list[tuple[np.ndarray | None, float, str]] = []
    try:
        with Image.open(path) as img:
            for number, frame in enumerate(ImageSequence.Iterator(img), start=1):
                frame.load()
                upright = ImageOps.exif_transpose(frame) or frame
                try:
                    gray, photo_dpi = _page_pixels(upright, _debug_target(debug_dir, path, number))
                except UnreadablePage as exc:
                    pages.append((None, 0.0, exc.reason))
                    continue
                pages.append((gray, photo_dpi or _file_dpi(frame.info, frame.size), ""))
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
