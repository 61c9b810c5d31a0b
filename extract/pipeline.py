"""The pipeline, composed in one place: pages → tables → cell text → form → findings."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import textlayer
from .celltext import fill_cells, words_to_text
from .errors import EncryptedPdfError, InputFileError, NoTableError, SelfEvalError, UnknownFormError
from .export import FileResult
from .grid import GridSettings, segments_to_tables
from .layout import detect_layout, get_layout
from .model import Form, Page, Table, Word
from .parse_dept import parse_form
from .rows import document_rows
from .validate import ValidationRules, validate

if TYPE_CHECKING:
    from .cut_labels import CutStrip

PDF_MAGIC = b"%PDF"
IMAGE_MAGICS = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


@dataclass(frozen=True)
class Options:
    """What a caller may choose for one run."""

    layout: str | None = None  # force a form family instead of detecting it
    ocr_engine: str | None = None  # OCR engine name (None: the default engine)
    force_ocr: bool = False  # OCR every page even when it has a text layer
    dpi: int = 200  # rendering resolution for pages that are not one embedded scan
    debug_dir: Path | None = None  # write per-page debug overlays here
    pages: tuple[int, ...] | None = None  # 1-based page numbers to read (None: all)
    grid: GridSettings = field(default_factory=GridSettings)


@dataclass
class PageResult:
    """One page after layout detection and cell text."""

    page: Page
    outside_text: list[str]
    # scanned pages: cells that may hold half of a label cut by a page break
    cut_strips: tuple[CutStrip, ...] = ()


def sniff(path: Path) -> str:
    """'pdf' or 'image' from the file's first bytes; raises InputFileError otherwise."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
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


def _open_pdf(path: Path) -> Any:
    import pdfplumber

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


def text_page(pdf_page: Any, number: int, options: Options, path: Path) -> PageResult | None:
    """Tables of a page read from its vector lines and text layer; None if it has none."""
    words = textlayer.visible_chars(pdf_page)
    if not textlayer.is_usable(words):
        return None
    segments = textlayer.ruling_segments(pdf_page)
    tables = segments_to_tables(segments, number, options.grid)
    filled: list[Table] = []
    for table in tables:
        table, words = fill_cells(table, words)
        filled.append(table)
    if options.debug_dir is not None:
        from .debug_view import write_text_page_debug

        target = Path(options.debug_dir) / f"{path.stem}-p{number}.png"
        write_text_page_debug(path, number, filled, segments, target)
    page = Page(number, float(pdf_page.width), float(pdf_page.height), "text", tuple(filled))
    return PageResult(page, _outside_lines(words))


def _outside_lines(words: list[Word]) -> list[str]:
    """Text outside any table (title, year, signatures) as lines."""
    if not words:
        return []
    return [line for line in words_to_text(words).split("\n") if line] or []


def read_pages(path: Path, options: Options) -> list[PageResult]:
    """Every page of a PDF or image, each read the best way it can be."""
    kind = sniff(path)
    if kind == "image":
        from .scan import image_pages

        return mended(image_pages(path, options), options)
    pdf = _open_pdf(path)
    results: list[PageResult] = []
    try:
        for number, pdf_page in enumerate(pdf.pages, start=1):
            if options.pages is not None and number not in options.pages:
                continue
            result = None if options.force_ocr else text_page(pdf_page, number, options, path)
            if result is None:
                from .scan import pdf_page_by_ocr

                result = pdf_page_by_ocr(path, number, options)
            results.append(result)
            pdf_page.close()
    except SelfEvalError:
        raise
    except Exception as exc:
        raise InputFileError(f"{path}: cannot read page content ({type(exc).__name__}: {exc})") from exc
    finally:
        pdf.close()
    return mended(results, options)


def mended(results: list[PageResult], options: Options) -> list[PageResult]:
    """Pages with the labels cut by a page break read again from their joined halves."""
    if not any(r.cut_strips for r in results):
        return results
    from .cut_labels import mend_cut_labels
    from .ocr.registry import get_engine

    return mend_cut_labels(results, get_engine(options.ocr_engine))


def read_form(path: str | Path, options: Options | None = None, *, name: str | None = None) -> Form:
    """Read one file into a validated Form. Raises a SelfEvalError subclass on bad input."""
    options = options or Options()
    path = Path(path)
    pages = read_pages(path, options)
    tables = [t for p in pages for t in p.page.tables]
    if not tables:
        raise NoTableError(f"{path}: no ruled table found")
    outside = [line for p in pages for line in p.outside_text]
    all_text = "\n".join(outside + [c.text for t in tables for c in t.cells])
    layout = get_layout(options.layout) if options.layout else detect_layout(all_text)
    if layout is None:
        raise UnknownFormError(f"{path}: not a known self-evaluation form (no layout matches)")
    methods = [p.page.method for p in pages]
    form = parse_form(
        document_rows(tables),
        layout,
        file=name or str(path),
        pages=len(pages),
        method="ocr" if "ocr" in methods else "text",
        outside_text=outside,
    )
    form.page_methods = methods
    if not form.indicators:
        raise NoTableError(f"{path}: no indicator table found (no 一级指标/三级指标/得分 header)")
    rules = ValidationRules(
        total_max=layout.total_max, allow_negative_sections=layout.allow_negative_sections
    )
    form.findings = validate(form, rules)
    return form


def process_file(path: str | Path, options: Options | None = None, name: str | None = None) -> FileResult:
    """read_form that never raises for one file's problems: the batch unit of work."""
    start = time.perf_counter()
    label = name or str(path)
    try:
        form = read_form(path, options, name=label)
        return FileResult(file=label, form=form, seconds=time.perf_counter() - start)
    except SelfEvalError as exc:
        return FileResult(file=label, form=None, seconds=time.perf_counter() - start, error=str(exc))
    except Exception as exc:  # a bug must not stop a batch; the summary names it
        message = f"{path}: internal error ({type(exc).__name__}: {exc})"
        return FileResult(file=label, form=None, seconds=time.perf_counter() - start, error=message)
