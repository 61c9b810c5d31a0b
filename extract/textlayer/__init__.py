"""PDF text layers: visible characters (clipped copies dropped), ruling lines, cell text."""

from .page import read_text_page

__all__ = ["read_text_page"]
