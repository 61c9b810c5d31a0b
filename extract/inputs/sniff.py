"""What kind of file an input is, from its first bytes (never from its name)."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputFileError

PDF_MAGIC = b"%PDF"
IMAGE_MAGICS = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
# Bytes read to look for the PDF header (some writers put junk before it).
SNIFF_BYTES = 1024


def sniff(path: Path) -> str:
    """'pdf' or 'image' from the file's first bytes; raises InputFileError otherwise."""
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise InputFileError(f"{path}: file not found") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read file: {exc.strerror or exc}") from exc
    if not head:
        raise InputFileError(f"{path}: empty file")
    if PDF_MAGIC in head:
        return "pdf"
    if head.startswith(IMAGE_MAGICS):
        return "image"
    raise InputFileError(f"{path}: not a PDF or image (unrecognised content)")
