"""What page finding costs on phone photos: per photo page, the seconds of finding the
paper, flattening it and neutralising its tint (``inputs.photo.find_page``), against the
seconds of reading the whole page (``process_file`` divided by its pages), on one core.

    taskset -c 0 python scripts/bench_page_finding.py            # samples/photos
    taskset -c 0 python scripts/bench_page_finding.py --folder DIR --repeat 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SELFEVAL_OCR_THREADS", "1")


def photo_pages(path: Path) -> list[np.ndarray]:
    from PIL import Image

    if path.suffix.lower() != ".pdf":
        return [np.asarray(Image.open(path).convert("RGB"))]
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    return [np.asarray(next(iter(page.get_objects())).get_bitmap(render=False).to_pil().convert("RGB"))
            for page in document]  # fmt: skip


def main() -> int:
    import cv2

    from extract.inputs.photo import find_page
    from extract.pipeline import process_file

    cv2.setNumThreads(1)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path, default=ROOT / "samples" / "photos")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = sorted(p for p in args.folder.iterdir() if p.suffix.lower() in (".pdf", ".jpg", ".jpeg", ".png"))
    finding: list[float] = []
    whole: list[float] = []
    print(f"{'file':<40} {'pages':>5} {'finding s/page':>15} {'whole s/page':>13} {'share':>6}")
    for path in files:
        pages = photo_pages(path)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            for image in pages:
                find_page(image)
            times.append((time.perf_counter() - start) / len(pages))
        start = time.perf_counter()
        process_file(path)
        per_page = (time.perf_counter() - start) / len(pages)
        median = statistics.median(times)
        finding.append(median)
        whole.append(per_page)
        print(f"{path.name:<40} {len(pages):>5} {median:>15.2f} {per_page:>13.2f} {median / per_page:>6.1%}")
    print(f"{'median':<40} {'':>5} {statistics.median(finding):>15.2f} {statistics.median(whole):>13.2f}"
          f" {statistics.median(finding) / statistics.median(whole):>6.1%}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
