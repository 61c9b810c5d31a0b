"""Write the bad-input samples the tests and docs use into ``samples/bad/``.

    python scripts/make_bad_samples.py

Each file is broken in one way a real archive shows: empty, not a PDF, truncated,
corrupt, encrypted, a PDF without any table. The good source is generated here too
(a one-page PDF of plain text written with pypdf), so nothing depends on other samples.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

OUT = Path(__file__).resolve().parent.parent / "samples" / "bad"


def text_only_pdf(text: str = "This document has no table at all.") -> bytes:
    """A valid one-page PDF whose content is a line of text and no ruling lines."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    })  # fmt: skip
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 72 770 Td ({text}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypted(source: bytes, password: str = "secret") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(source)))
    writer.encrypt(user_password=password, owner_password=password, algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    good = text_only_pdf()
    files = {
        "empty.pdf": b"",
        "not-a-pdf.pdf": "单位名称,得分\n某局,88.7\n".encode(),
        "truncated.pdf": good[: len(good) // 3],
        "corrupt.pdf": good[:200] + bytes(range(256)) * 8 + good[-120:],
        "encrypted.pdf": encrypted(good),
        "no-table.pdf": good,
    }
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        print(f"wrote {OUT / name} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
