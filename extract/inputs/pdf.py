"""Opening a PDF with pdfplumber, broken and encrypted files turned into one-line errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber

from ..errors import EncryptedPdfError, InputFileError


def open_pdf(path: Path) -> Any:
    """The opened pdfplumber document; raises InputFileError (or EncryptedPdfError)."""
    try:
        pdf = pdfplumber.open(path)
        _ = pdf.pages  # parses the page tree: truncated files fail here
    except Exception as exc:  # pdfminer raises many unrelated types for broken files
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        name = type(inner).__name__
        if "Password" in name or "Encrypt" in name:
            raise EncryptedPdfError(f"{path}: encrypted PDF (password required)") from exc
        detail = str(inner).strip() or name
        raise InputFileError(f"{path}: corrupt or truncated PDF ({detail})") from exc
    if not pdf.pages:
        pdf.close()
        raise InputFileError(f"{path}: PDF has no pages")
    return pdf
