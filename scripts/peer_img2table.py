"""img2table as a peer of bench_tables.py, run in its own environment (it needs
opencv-contrib-python, which would replace the project's OpenCV): prints the cell boxes
and texts of every table it finds in a PDF as JSON.

    .venvs/img2table/bin/python scripts/peer_img2table.py FILE.pdf
"""

from __future__ import annotations

import json
import sys

from img2table.document import PDF
from img2table.ocr import TesseractOCR


def main(path: str) -> int:
    ocr = TesseractOCR(lang="chi_sim")
    tables = []
    for page_tables in PDF(path).extract_tables(ocr=ocr, implicit_rows=False, borderless_tables=False).values():
        for table in page_tables:
            boxes, seen = [], set()
            for row in table.content.values():
                for cell in row:
                    key = (cell.bbox.x1, cell.bbox.y1, cell.bbox.x2, cell.bbox.y2)
                    if key not in seen:
                        seen.add(key)
                        boxes.append([*map(float, key), cell.value or ""])
            tables.append(boxes)
    print(json.dumps(tables, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
