"""The pipeline, composed in one place: file → pages (text layer or OCR) → tables → cell
text → grid rows → form → findings."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import cv2

from .errors import InputFileError, NoTableError, SelfEvalError, UnknownFormError
from .forms.budget import is_execution_row
from .forms.choice import check_layout, choose_layout
from .forms.layouts import get_layout, load_layouts
from .forms.parser import parse_form
from .forms.splitting import split_forms
from .grid.rows import document_rows
from .inputs import UnreadablePage, image_file_frames, open_pdf, pdf_page_image, sniff
from .inputs.thumbnails import image_thumbnail, pdf_page_thumbnail
from .model import (
    NOT_READ,
    POINTS_PER_INCH,
    FileResult,
    Finding,
    Form,
    Options,
    Page,
    PageResult,
    PageView,
    Provenance,
    Table,
)
from .ocr.rapid import threads_from_env
from .rules.validate import rules_for, validate
from .scan import mend_cut_pages, read_cells_left, read_scanned_page, unread_cells
from .textlayer import read_text_page

log = logging.getLogger(__name__)


def read_pages(path: Path, options: Options) -> list[PageResult]:
    """Every page of a PDF or image, each read the best way it can be: from its text
    layer when it has a usable one, else by OCR of its image."""
    results: list[PageResult]
    if sniff(path) == "image":
        results = [
            _unreadable(number, reason) if gray is None
            else read_scanned_page(gray, dpi / POINTS_PER_INCH, number, options, path)
            for number, (gray, dpi, reason) in enumerate(image_file_frames(path, options.debug_dir), start=1)
            if options.pages is None or number in options.pages
        ]  # fmt: skip
        return mend_cut_pages(results, options)
    pdf = open_pdf(path)
    results = []
    try:
        for number, pdf_page in enumerate(pdf.pages, start=1):
            if options.pages is not None and number not in options.pages:
                continue
            result = None if options.force_ocr else read_text_page(pdf_page, number, options, path)
            if result is None:
                try:
                    gray, pixels_per_point = pdf_page_image(path, number, options.dpi, options.debug_dir)
                    result = read_scanned_page(gray, pixels_per_point, number, options, path)
                except UnreadablePage as exc:
                    result = _unreadable(number, exc.reason)
            results.append(result)
            pdf_page.close()
    except SelfEvalError:
        raise
    except Exception as exc:
        raise InputFileError(f"{path}: cannot read page content ({type(exc).__name__}: {exc})") from exc
    finally:
        pdf.close()
    return mend_cut_pages(results, options)


def read_tables(path: str | Path, options: Options | None = None) -> list[Table]:
    """Every ruled table of a document, any document (no form family needed), in page
    order: from the text layer where a page has a usable one, else by OCR. A frame around
    a text box (one cell) is not a table."""
    options = options or Options()
    pages = read_pages(Path(path), options)
    return [t for p in pages for t in p.page.tables if len(t.cells) > 1]


def _unreadable(number: int, reason: str) -> PageResult:
    """A page that cannot be read at all (a blurred photo): no tables, and why."""
    return PageResult(Page(number, 0.0, 0.0, "ocr", ()), [], unreadable=reason)


def unreadable_finding(page: PageResult) -> Finding:
    """The ``unreadable_page`` finding of a page that could not be read."""
    number = page.page.number
    return Finding("unreadable_page", "error", f"page {number}", "a readable page", page.unreadable,
                   f"page {number} could not be read: {page.unreadable}", number)


def _outside_by_page(pages: list[PageResult]) -> dict[int, list[str]]:
    return {p.page.number: list(p.outside_text) for p in pages}


def page_views(pages: list[PageResult], path: Path) -> list[PageView]:
    """A small image of every page with its grid, for the review report: the straightened
    image of an OCR page, a rendering of a text page."""
    views = []
    for result in pages:
        page = result.page
        if result.unreadable:
            continue
        image = getattr(result, "image", None)
        try:
            data, scale = image_thumbnail(image) if image is not None else pdf_page_thumbnail(path, page.number)
        except (SelfEvalError, cv2.error, RuntimeError, ValueError) as exc:  # the report shows no image
            log.warning("%s p%d: no page image for the report (%s)", path, page.number, exc)
            continue
        views.append(PageView(page.number, page.method, page.width, page.height, scale, data, page.tables))
    return views


def read_document(path: str | Path, options: Options | None = None, *, name: str | None = None) -> list[Form]:
    """Read one file into its validated forms (one, or several when one PDF holds several
    forms one after another). Raises a SelfEvalError subclass on bad input."""
    return read_document_and_pages(path, options, name=name)[0]


def read_document_and_pages(path: str | Path, options: Options | None = None, *, name: str | None = None,
                            views: bool = False) -> tuple[list[Form], list[PageView]]:
    """read_document, and with ``views`` the page views of :func:`page_views` too."""
    options = options or Options()
    path = Path(path)
    pages = read_pages(path, options)
    if unread_cells(pages):  # --read scores: read the prose-looking cells the form needs
        witnesses: dict[int, set[tuple[float, ...]]] = {}
        try:
            first = _parsed(pages, options, path, name)[0]
            wanted, witnesses = _cells_needed(first, options), _name_witnesses(first, options)
        except (NoTableError, UnknownFormError):  # the form was not found without them: read them all
            wanted = unread_cells(pages)
        pages = read_cells_left(pages, wanted, options, witnesses)
    forms, starts = _parsed(pages, options, path, name)
    for page in (p for p in pages if p.unreadable):  # to the form it follows, else the first
        owner = max((i for i, start in enumerate(starts) if start <= page.page.number), default=0)
        forms[owner].findings.append(unreadable_finding(page))
    return forms, page_views(pages, path) if views else []


# Roles whose cells ``--read scores`` does not read back once the form is parsed (when they
# looked like prose, see scan.prose); of these, NAME_WITNESS_ROLES are read as witnesses
# (their readings vote on the name, their values stay empty) in the rows whose name is not
# in the lexicon. The 实际完成值 of a 预算执行率 row is read back: it is a rate the checks use.
NAME_WITNESS_ROLES = ("basis", "target")
NOT_READ_BACK_ROLES = frozenset({"explanation", "basis", "criteria", "target", "actual"})


def _cells_needed(forms: list[Form], options: Options) -> dict[int, set[tuple[float, ...]]]:
    """The (rounded) boxes, by page, of every cell the forms take a name or a number from:
    every provenance but that of NOT_READ_BACK_ROLES (and the rate of an execution row)."""
    provenances: list[Provenance | None] = [
        p for form in forms for leaf in form.indicators for role, p in leaf.provenance.items()
        if role not in NOT_READ_BACK_ROLES]  # fmt: skip
    for form in forms:
        provenances += [form.total_provenance, form.grade_provenance, *form.header_provenance.values(),
                        *(value.provenance for value in form.budget)]  # fmt: skip
        if form.layout:
            rules = rules_for(get_layout(form.layout, options.layout_dirs))
            provenances += [leaf.provenance.get("actual") for leaf in form.indicators
                            if is_execution_row(leaf, rules.execution_rows, rules.label_similarity)]  # fmt: skip
    return _boxes_by_page(provenances)


def _name_witnesses(forms: list[Form], options: Options) -> dict[int, set[tuple[float, ...]]]:
    """The (rounded) boxes, by page, of the cells that repeat a leaf's name (its target,
    its basis) in the rows whose name is not an entry of the layout's lexicon: read as
    witnesses, they vote on the name as in the default mode."""
    provenances: list[Provenance | None] = []
    for form in forms:
        lexicon = set(get_layout(form.layout, options.layout_dirs).lexicon_for("indicator")) if form.layout else set()
        provenances += [leaf.provenance.get(role) for leaf in form.indicators if leaf.indicator not in lexicon
                        for role in NAME_WITNESS_ROLES]  # fmt: skip
    return _boxes_by_page([p for p in provenances if p is not None and p.source == NOT_READ])


def _boxes_by_page(provenances: list[Provenance | None]) -> dict[int, set[tuple[float, ...]]]:
    """The (rounded) cell boxes of ``provenances``, by page."""
    boxes: dict[int, set[tuple[float, ...]]] = {}
    for p in provenances:
        if p is not None:
            boxes.setdefault(p.page, set()).add(tuple(p.bbox))
    return boxes


def _parsed(pages: list[PageResult], options: Options, path: Path, name: str | None) -> tuple[list[Form], list[int]]:
    """The validated forms of a document's pages, and each form's first page."""
    tables = [t for p in pages for t in p.page.tables]
    unread = [p for p in pages if p.unreadable]
    if not tables and unread:
        raise UnreadablePage(f"{path}: " + "; ".join(f"page {p.page.number}: {p.unreadable}" for p in unread))
    if not tables:
        raise NoTableError(f"{path}: no ruled table found")
    outside = _outside_by_page(pages)
    rows = document_rows(tables)
    all_outside = [line for lines in outside.values() for line in lines]
    layouts = load_layouts(options.layout_dirs)
    if options.layout:
        choice = check_layout(get_layout(options.layout, options.layout_dirs), rows, all_outside, file=str(path))
    else:
        choice = choose_layout(layouts, rows, all_outside, file=str(path))
    layout = choice.layout
    method_of = {p.page.number: p.page.method for p in pages}
    rules = rules_for(layout)
    parts = split_forms(rows, layout)
    forms: list[Form] = []
    starts: list[int] = []  # each form's first page
    for form_rows in parts:
        # a file of one form keeps every page (a signature page has no rows); each form
        # of a file of several has the pages its rows are on
        numbers = sorted(method_of) if len(parts) == 1 else sorted({row.page for row in form_rows})
        methods = [method_of[n] for n in numbers]
        form = parse_form(
            form_rows,
            layout,
            file=name or str(path),
            pages=len(numbers),
            method="ocr" if "ocr" in methods else "text",
            outside_text=[line for n in numbers for line in outside.get(n, [])],
        )
        if not form.indicators:
            continue
        form.form = len(forms) + 1
        form.layout_score = choice.score
        form.page_methods = methods
        form.findings = validate(form, rules)
        forms.append(form)
        starts.append(numbers[0] if numbers else 0)
    if not forms:
        raise NoTableError(f"{path}: no indicator table found (no header with {', '.join(layout.match.required_roles)})")
    return forms, starts


def read_form(path: str | Path, options: Options | None = None, *, name: str | None = None) -> Form:
    """The first (for most files, the only) form of a file; see :func:`read_document`."""
    return read_document(path, options, name=name)[0]


def process_file_in_worker(path: Path, options: Options, name: str, views: bool = True) -> FileResult:
    """process_file in a batch worker, with OpenCV held to the worker's thread budget (the
    OCR's, SELFEVAL_OCR_THREADS): left at its default of every core, each worker's image
    operations spread over the cores the other workers are using, and the batch slows."""
    cv2.setNumThreads(threads_from_env())
    return process_file(path, options, name, views=views)


def process_file(path: str | Path, options: Options | None = None, name: str | None = None,
                 views: bool = False) -> FileResult:
    """read_document that never raises for one file's problems: the batch unit of work
    (with ``views``, the page views the review report shows)."""
    start = time.perf_counter()
    label = name or str(path)
    try:
        forms, kept = read_document_and_pages(path, options, name=label, views=views)
        return FileResult(file=label, forms=forms, seconds=time.perf_counter() - start, pages=kept)
    except SelfEvalError as exc:
        return FileResult(file=label, forms=[], seconds=time.perf_counter() - start, error=str(exc))
    except Exception as exc:  # a bug must not stop a batch; the summary names it
        message = f"{path}: internal error ({type(exc).__name__}: {exc})"
        return FileResult(file=label, forms=[], seconds=time.perf_counter() - start, error=message)
