"""The pipeline, composed in one place: file → pages (text layer or OCR) → tables → cell
text → grid rows → form → findings."""

from __future__ import annotations

import time
from pathlib import Path

from .errors import InputFileError, NoTableError, SelfEvalError, UnknownFormError
from .forms.layouts import detect_layout, get_layout
from .forms.parser import parse_form
from .grid.rows import document_rows
from .inputs import image_file_pages, open_pdf, pdf_page_image, sniff
from .model import POINTS_PER_INCH, FileResult, Form, Options, PageResult
from .rules.validate import ValidationRules, validate
from .scan import mend_cut_pages, read_scanned_page
from .textlayer import read_text_page


def read_pages(path: Path, options: Options) -> list[PageResult]:
    """Every page of a PDF or image, each read the best way it can be: from its text
    layer when it has a usable one, else by OCR of its image."""
    results: list[PageResult]
    if sniff(path) == "image":
        results = [
            read_scanned_page(gray, dpi / POINTS_PER_INCH, number, options, path)
            for number, (gray, dpi) in enumerate(image_file_pages(path), start=1)
            if options.pages is None or number in options.pages
        ]
        return mend_cut_pages(results, options)
    pdf = open_pdf(path)
    results = []
    try:
        for number, pdf_page in enumerate(pdf.pages, start=1):
            if options.pages is not None and number not in options.pages:
                continue
            result = None if options.force_ocr else read_text_page(pdf_page, number, options, path)
            if result is None:
                gray, pixels_per_point = pdf_page_image(path, number, options.dpi)
                result = read_scanned_page(gray, pixels_per_point, number, options, path)
            results.append(result)
            pdf_page.close()
    except SelfEvalError:
        raise
    except Exception as exc:
        raise InputFileError(f"{path}: cannot read page content ({type(exc).__name__}: {exc})") from exc
    finally:
        pdf.close()
    return mend_cut_pages(results, options)


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
