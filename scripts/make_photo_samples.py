"""Phone photos of the sample forms, simulated reproducibly: the printed page lies on a
desk and is shot at an angle (perspective), with the desk around it, uneven light and a
soft shadow, a colour cast, a curl near one edge, blur, sensor noise and JPEG; some shot
with the phone turned a quarter. Writes ``samples/photos/`` (or ``--out DIR``): each form
as an image-only PDF of one photo per page (what phone scanning apps save), one-page
forms also as a JPG, with the source's truth beside it.

    python scripts/make_photo_samples.py
    python scripts/make_photo_samples.py --unseen DIR     # other forms, other seeds
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "samples" / "photos"
PHOTO_DPI = 170  # the page's resolution in the photo before perspective (a 4–5 Mpx frame)
MEGAPIXELS_AT_PHOTO_DPI = 4.5  # a frame's size at PHOTO_DPI (landscape 4.3, portrait 4.7)


@dataclass(frozen=True)
class PhotoSpec:
    source: str  # samples/<folder>/<name>.pdf
    quarter: bool = False  # the phone held upright over a landscape page
    curl: bool = True
    shadow: bool = True
    fmt: str = "pdf"  # "pdf" (one photo a page) or "jpg" (one-page forms)
    upside_down: bool = False  # the page turned half round in the frame
    curl_scale: float = 1.0  # the curl's lift, times the usual 0.6–1.4 % of the page height
    white_desk: bool = False  # a desk as light as the paper: only the table tells the page
    megapixels: float | None = None  # the camera's frame; None: PHOTO_DPI (a 4–5 Mpx frame)

    @property
    def stem(self) -> str:
        name = Path(self.source).stem
        turn = "-quarter" if self.quarter else "-upsidedown" if self.upside_down else ""
        camera = f"-{self.megapixels:g}mp" if self.megapixels else ""
        bent = f"-curl{self.curl_scale:g}" if self.curl_scale != 1.0 else ""
        white = "-whitedesk" if self.white_desk else ""
        return f"{name}-photo{turn}{camera}{bent}{white}"

    @property
    def dpi(self) -> float:
        """The page's resolution in the photo before perspective."""
        if self.megapixels is None:
            return PHOTO_DPI
        return PHOTO_DPI * (self.megapixels / MEGAPIXELS_AT_PHOTO_DPI) ** 0.5


SPECS = [
    PhotoSpec("exported/dept_justice_2019.pdf"),
    PhotoSpec("exported/seed_haizhu_2021.pdf", quarter=True),
    PhotoSpec("project/proj_mof_2023.pdf"),
    PhotoSpec("project/proj_execrow_2021.pdf", fmt="jpg", curl=False),
    PhotoSpec("project/proj_execrow_2021.pdf", fmt="jpg", curl_scale=6.0),
    PhotoSpec("project/proj_execrow_2021.pdf", fmt="jpg", white_desk=True),
    # the two densest forms (7–9 pt type) again, as a 12 Mpx phone takes them
    PhotoSpec("exported/dept_justice_2019.pdf", megapixels=12),
    PhotoSpec("exported/seed_haizhu_2021.pdf", quarter=True, megapixels=12),
]
UNSEEN = [
    PhotoSpec("exported/dept_edu_2022.pdf"),
    PhotoSpec("exported/dept_water_2023.pdf", quarter=True),
    PhotoSpec("project/proj_local_2024.pdf"),
    PhotoSpec("exported/dept_market_2022.pdf", megapixels=12),
    PhotoSpec("exported/dept_civil_2021.pdf", upside_down=True, megapixels=12),
    PhotoSpec("project/proj_word_2022.pdf", megapixels=12),
    PhotoSpec("exported/dept_health_2020.pdf", curl=False, megapixels=8),
    PhotoSpec("exported/dept_cgzf_2023.pdf", curl_scale=3.0, megapixels=12),
    PhotoSpec("project/proj_multi_2023.pdf", curl_scale=3.0),
    PhotoSpec("exported/dept_culture_2024.pdf", white_desk=True, megapixels=12),
    PhotoSpec("project/proj_inline_2022.pdf", white_desk=True),
]


def _seed(text: str) -> int:
    return zlib.crc32(text.encode())


def desk(rng: np.random.Generator, h: int, w: int, white: bool = False) -> np.ndarray:
    """A wooden or grey desk (or a white one): a base colour, grain along x, low-frequency
    blotches."""
    colours = [[222, 224, 226], [210, 214, 216]] if white else [[92, 120, 156], [70, 80, 95], [120, 135, 150], [60, 95, 140]]
    base = rng.choice(colours).astype(np.float32)
    grain = cv2.resize(rng.normal(0, 1, (max(2, h // 40), 8)).astype(np.float32), (w, h))
    blotch = cv2.resize(rng.normal(0, 1, (6, 6)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    shade = 1.0 + 0.08 * grain[..., None] + 0.06 * blotch[..., None]
    return np.clip(base[None, None, :] * shade, 0, 255)


def curl(page: np.ndarray, rng: np.random.Generator, scale: float = 1.0) -> np.ndarray:
    """The page lifted near one long edge: rows there bend (a smooth vertical shift that
    grows towards the edge), as a curl near the binding looks from above."""
    h, w = page.shape[:2]
    xs = np.arange(w, dtype=np.float32)
    edge = rng.uniform(0.10, 0.22) * w
    amount = rng.uniform(0.006, 0.014) * h * scale
    lift = np.where(xs > w - edge, ((xs - (w - edge)) / edge) ** 2 * amount, 0.0)
    ys = np.arange(h, dtype=np.float32)
    map_x = np.tile(xs, (h, 1))
    bend = (ys[:, None] - h / 2) / (h / 2)  # more at top and bottom
    map_y = ys[:, None] + lift[None, :] * bend
    return cv2.remap(page, map_x, map_y.astype(np.float32), cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def photograph(clean: np.ndarray, rng: np.random.Generator, spec: PhotoSpec) -> np.ndarray:
    """A grey page raster (white paper) → an RGB phone photo of it on a desk."""
    page = cv2.cvtColor(clean, cv2.COLOR_GRAY2BGR).astype(np.float32)
    page *= rng.uniform(0.90, 0.97)  # paper is not white in a photo
    if spec.curl:
        page = curl(page, rng, spec.curl_scale)
    h, w = page.shape[:2]
    frame_w = int(max(w, h) * rng.uniform(1.15, 1.30)) if w > h else int(w * rng.uniform(1.25, 1.4))
    frame_h = int(frame_w * (3 / 4 if w > h else 4 / 3))
    scale = min(frame_w / w, frame_h / h) * rng.uniform(0.80, 0.88)
    cx, cy = frame_w / 2 + rng.uniform(-0.04, 0.04) * frame_w, frame_h / 2 + rng.uniform(-0.04, 0.04) * frame_h
    pw, ph = w * scale, h * scale
    corners = np.float32([[cx - pw / 2, cy - ph / 2], [cx + pw / 2, cy - ph / 2],
                          [cx + pw / 2, cy + ph / 2], [cx - pw / 2, cy + ph / 2]])  # fmt: skip
    # perspective: the far edge shorter, each corner moved a little
    tilt = rng.uniform(0.03, 0.08) * pw
    corners[0, 0] += tilt
    corners[1, 0] -= tilt
    corners += rng.uniform(-0.025, 0.025, corners.shape).astype(np.float32) * np.float32([pw, ph])
    source = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    matrix = cv2.getPerspectiveTransform(source, corners)
    background = desk(rng, frame_h, frame_w, spec.white_desk)
    warped = cv2.warpPerspective(page, matrix, (frame_w, frame_h), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), matrix, (frame_w, frame_h), flags=cv2.INTER_LINEAR)
    image = warped * mask[..., None] + background * (1 - mask[..., None])
    # light: a gradient across the frame and a soft shadow of the phone over a corner
    yy, xx = np.mgrid[0:frame_h, 0:frame_w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    gradient = 1.0 - rng.uniform(0.10, 0.25) * ((np.cos(angle) * xx / frame_w + np.sin(angle) * yy / frame_h) + 1) / 2
    light = gradient
    if spec.shadow:
        sx, sy = rng.uniform(0.2, 0.8) * frame_w, rng.uniform(0.2, 0.8) * frame_h
        radius = rng.uniform(0.25, 0.4) * max(frame_w, frame_h)
        dist = np.sqrt((xx - sx) ** 2 + (yy - sy) ** 2) / radius
        light = light * (1.0 - rng.uniform(0.18, 0.30) * np.clip(1.2 - dist, 0, 1))
    image *= light[..., None]
    cast = np.float32([rng.uniform(0.85, 0.95), rng.uniform(0.95, 1.0), 1.0])  # BGR: warm light
    image *= cast[None, None, :]
    image = cv2.GaussianBlur(image, (0, 0), rng.uniform(0.6, 1.1))
    image += rng.normal(0, rng.uniform(2.0, 4.0), image.shape).astype(np.float32)
    image = np.clip(image, 0, 255).astype(np.uint8)
    if spec.quarter:
        image = cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE)
    elif spec.upside_down:
        image = cv2.rotate(image, cv2.ROTATE_180)
    return image


def make_photo(spec: PhotoSpec, out: Path) -> dict[str, Any]:
    import pypdfium2 as pdfium
    from PIL import Image

    from scripts.make_samples import _write_image_pdf

    rng = np.random.default_rng(_seed(spec.stem))
    source = ROOT / "samples" / spec.source
    doc = pdfium.PdfDocument(str(source))
    photos = []
    for i in range(len(doc)):
        clean = np.asarray(doc[i].render(scale=spec.dpi / 72.0, grayscale=True).to_pil().convert("L"))
        photos.append(photograph(clean, rng, spec))
    doc.close()
    out.mkdir(parents=True, exist_ok=True)
    quality = int(rng.integers(68, 80))
    if spec.fmt == "jpg":
        assert len(photos) == 1, "a JPG holds one page"
        target = out / f"{spec.stem}.jpg"
        Image.fromarray(cv2.cvtColor(photos[0], cv2.COLOR_BGR2RGB)).save(target, "JPEG", quality=quality)
    else:
        target = out / f"{spec.stem}.pdf"
        frames = []
        for photo in photos:
            buffer = io.BytesIO()
            Image.fromarray(cv2.cvtColor(photo, cv2.COLOR_BGR2RGB)).save(buffer, "JPEG", quality=quality)
            h, w = photo.shape[:2]
            frames.append((buffer.getvalue(), w, h, w * 72 / 96, h * 72 / 96))  # a phone app's 96 dpi page
        _write_image_pdf(target, frames, colour=True)
    truth_path = source.with_suffix(".truth.json")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    truth["file"] = target.name
    truth["photo"] = {"source": spec.source, "quarter_turn": spec.quarter, "upside_down": spec.upside_down,
                      "curl": spec.curl, "shadow": spec.shadow, "jpeg_quality": quality,
                      "frame_pixels": [int(photos[0].shape[1]), int(photos[0].shape[0])]}  # fmt: skip
    (out / f"{spec.stem}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                                 encoding="utf-8")  # fmt: skip
    return {"file": target.name, "pages": len(photos), "bytes": target.stat().st_size}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--unseen", type=Path, metavar="DIR", help="write the held-out photos here instead")
    args = parser.parse_args()
    specs, out = (UNSEEN, args.unseen) if args.unseen else (SPECS, OUT)
    for spec in specs:
        print(make_photo(spec, out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
