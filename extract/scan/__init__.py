"""Scanned pages: image clean-up, deskew, orientation, ruling lines, lost rules, OCR of the
cells, numbers under stamps, labels cut by page breaks."""

from .page import mend_cut_pages, read_cells_left, read_scanned_page, unread_cells

__all__ = ["mend_cut_pages", "read_cells_left", "read_scanned_page", "unread_cells"]
