"""Input files: what kind each is, PDFs opened, pages as grey images (scans, image files)."""

from .images import image_file_frames, image_file_pages, pdf_page_image
from .pdf import open_pdf
from .photo import UnreadablePage
from .sniff import sniff

__all__ = ["UnreadablePage", "image_file_frames", "image_file_pages", "open_pdf", "pdf_page_image", "sniff"]
