"""What the review report shows, built from an output folder alone: each file's forms (with
a reviewer's corrections), its page views and the findings, tied together by cell.

A cell of a page's grid gets an id (``c<page>-<table>-<index>``); a finding, a row of
the indicator tree and a budget value point to the cell their box lies in, so that the
page and the tree can highlight each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..model import NOT_READ, TEXT_LAYER, FileResult, Form, Provenance
from ..output import corrections
from ..output.pages import read_page_views
from ..output.records import record_path
from ..scan.readings import MIN_CELL_CONFIDENCE


@dataclass
class CellBox:
    """One grid cell drawn over its page image (box in percent of the image)."""

    id: str
    bbox: list[float]  # page units, as in the JSON's provenance
    left: float
    top: float
    width: float
    height: float
    text: str
    raw_text: str
    confidence: float
    source: str
    doubtful: bool = False  # an OCR reading below the confidence the pipeline keeps
    flagged: list[str] = field(default_factory=list)  # ids of the findings on it

    @property
    def title(self) -> str:
        if self.source == TEXT_LAYER:
            return self.text
        if self.source == NOT_READ:  # --read scores: a prose cell (read, at most, to vote on a name)
            return "not read"
        return f"OCR {self.raw_text or '(nothing read)'} · confidence {self.confidence:.2f}"


@dataclass
class PageImage:
    number: int
    method: str
    image: str  # path relative to the file's HTML page
    cells: list[CellBox]
    aspect: float  # height / width of the image


@dataclass
class FindingView:
    id: str
    rule: str
    severity: str
    location: str
    message: str
    page: int
    cell: str | None  # the id of the cell its box lies in


@dataclass
class TreeRow:
    """A row of the indicator tree: a 一级 or 二级 group, or a 三级 leaf."""

    level: int
    name: str
    max_score: float | None
    score: float | None
    cells: list[str]
    findings: list[FindingView] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)  # "score: read 2.5, set 2"


@dataclass
class BudgetRow:
    row: str
    column: str
    text: str
    cells: list[str]
    findings: list[FindingView] = field(default_factory=list)


@dataclass
class FormView:
    number: int
    family: str
    title: str
    declared_total: float | None
    computed_total: float | None
    total_cells: list[str]
    rows: list[TreeRow]
    budget: list[BudgetRow]
    findings: list[FindingView]  # every finding of the form
    loose: list[FindingView]  # findings on no row of the tree or the budget


@dataclass
class FileView:
    name: str
    slug: str  # the HTML page's name without .html
    status: str
    error: str
    pages: list[PageImage]
    forms: list[FormView]
    method: str
    families: list[str]
    n_pages: int
    seconds: float

    @property
    def findings(self) -> list[FindingView]:
        return [f for form in self.forms for f in form.findings]

    @property
    def rules(self) -> list[str]:
        return sorted({f.rule for f in self.findings})

    @property
    def declared_total(self) -> float | None:
        return self.forms[0].declared_total if self.forms else None

    @property
    def computed_total(self) -> float | None:
        return self.forms[0].computed_total if self.forms else None


def slug_of(file: str) -> str:
    """The file's page name: its record's name (``sub__a.pdf``)."""
    return record_path(Path("."), file).stem


# ------------------------------------------------------------------ cells


def page_images(pages: list[dict[str, Any]], image_dir: str) -> list[PageImage]:
    """Each kept page view with its cells placed in percent of the image."""
    out = []
    for page in pages:
        width, height, number = float(page["width"]), float(page["height"]), int(page["number"])
        cells = []
        for t, table in enumerate(page["tables"]):
            for i, cell in enumerate(table["cells"]):
                x0, top, x1, bottom = cell["bbox"]
                doubtful = (cell["source"] not in (TEXT_LAYER, NOT_READ) and bool(cell["raw_text"])
                            and cell["confidence"] < MIN_CELL_CONFIDENCE)  # fmt: skip
                cells.append(CellBox(f"c{number}-{t}-{i}", cell["bbox"], 100 * x0 / width, 100 * top / height,
                                     100 * (x1 - x0) / width, 100 * (bottom - top) / height, cell["text"],
                                     cell["raw_text"], cell["confidence"], cell["source"], doubtful))  # fmt: skip
        out.append(PageImage(number, page["method"], f"{image_dir}/{page['image']}", cells, height / width))
    return out


def cell_of(pages: list[PageImage], page: int, bbox: list[float] | None) -> str | None:
    """The id of the cell on ``page`` whose box holds the centre of ``bbox``; of several
    (a box on a shared edge), the one closest in size."""
    if not bbox:
        return None
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    best: tuple[float, str] | None = None
    for image in pages:
        if image.number != page:
            continue
        for cell in image.cells:
            x0, top, x1, bottom = cell.bbox
            if x0 <= cx <= x1 and top <= cy <= bottom:
                misfit = sum(abs(a - b) for a, b in zip(cell.bbox, bbox))
                if best is None or misfit < best[0]:
                    best = (misfit, cell.id)
    return best[1] if best else None


def _cells(pages: list[PageImage], *provenances: Provenance | None) -> list[str]:
    ids = [cell_of(pages, p.page, p.bbox) for p in provenances if p is not None]
    return list(dict.fromkeys(i for i in ids if i))


# ------------------------------------------------------------------ forms


def _finding_views(form: Form, pages: list[PageImage], prefix: str) -> list[FindingView]:
    return [FindingView(f"{prefix}-{i}", f.rule, f.severity, f.location, f.message, f.page,
                        cell_of(pages, f.page, f.bbox)) for i, f in enumerate(form.findings)]  # fmt: skip


def _tree(form: Form, pages: list[PageImage]) -> list[TreeRow]:
    """一级, 二级 and 三级 rows in the order of the form, each group once."""
    rows: list[TreeRow] = []
    last1 = last2 = None
    for leaf in form.indicators:
        prov = leaf.provenance or {}
        if leaf.level1 and leaf.level1 != last1:
            rows.append(TreeRow(1, leaf.level1, leaf.level1_max, None,
                                _cells(pages, prov.get("level1"), prov.get("level1_max"))))  # fmt: skip
            last1, last2 = leaf.level1, None
        if leaf.level2 and (leaf.level1, leaf.level2) != last2:
            rows.append(TreeRow(2, leaf.level2, leaf.level2_max, None,
                                _cells(pages, prov.get("level2"), prov.get("level2_max"))))  # fmt: skip
            last2 = (leaf.level1, leaf.level2)
        rows.append(TreeRow(3, leaf.indicator or leaf.path, leaf.max_score, leaf.score,
                            _cells(pages, prov.get("indicator"), prov.get("max_score"), prov.get("score"))))
    return rows


def _paths(form: Form) -> list[tuple[str, int]]:
    """The path each tree row answers to (a finding's location), in the rows' order."""
    out: list[tuple[str, int]] = []
    last1 = last2 = None
    for leaf in form.indicators:
        if leaf.level1 and leaf.level1 != last1:
            out.append((leaf.level1, 1))
            last1, last2 = leaf.level1, None
        if leaf.level2 and (leaf.level1, leaf.level2) != last2:
            out.append((f"{leaf.level1}/{leaf.level2}", 2))
            last2 = (leaf.level1, leaf.level2)
        out.append((leaf.path, 3))
    return out


def _attach(findings: list[FindingView], rows: list[TreeRow], paths: list[tuple[str, int]],
            budget: list[BudgetRow]) -> list[FindingView]:
    """Findings onto their tree rows (by location, else by cell) and budget values (by
    cell); returns those left on neither."""
    by_path = {path: row for (path, _), row in zip(paths, rows)}
    loose = []
    for finding in findings:
        row = by_path.get(finding.location)
        if row is None and finding.cell:
            row = next((r for r in rows if finding.cell in r.cells), None)
        if row is not None:
            row.findings.append(finding)
            continue
        value = next((b for b in budget if finding.cell and finding.cell in b.cells), None)
        if value is not None:
            value.findings.append(finding)
        else:
            loose.append(finding)
    return loose


def form_view(form: Form, pages: list[PageImage], prefix: str, fixes: list[corrections.Correction]) -> FormView:
    rows = _tree(form, pages)
    paths = _paths(form)
    leaf_rows = [row for row in rows if row.level == 3]
    for fix in fixes:
        if fix.leaf is not None and fix.leaf < len(leaf_rows):
            leaf_rows[fix.leaf].corrected.append(f"{fix.field}: read {fix.read}, set {fix.set}")
    budget = [BudgetRow(b.row, b.column, b.text, _cells(pages, b.provenance)) for b in form.budget]
    findings = _finding_views(form, pages, prefix)
    loose = _attach(findings, rows, paths, budget)
    title = form.project_name or form.unit_name or form.file
    return FormView(form.form, form.form_type, title, form.declared_total, form.computed_total,
                    _cells(pages, form.total_provenance), rows, budget, findings, loose)  # fmt: skip


def file_view(result: FileResult, pages: list[dict[str, Any]], image_dir: str,
              fixes: list[corrections.Correction]) -> FileView:
    slug = slug_of(result.file)
    images = page_images(pages, image_dir)
    forms = [form_view(form, images, f"finding-{form.form}",
                       [c for c in fixes if c.file == result.file and c.form == form.form])
             for form in result.forms]  # fmt: skip
    methods = {m for form in result.forms for m in form.page_methods} or {p.method for p in images}
    method = "ocr" if methods == {"ocr"} else "text" if methods == {"text"} else "text+ocr" if methods else ""
    return FileView(result.file, slug, result.status, result.error, images, forms, method,
                    sorted({form.form_type for form in result.forms}),
                    sum(form.pages for form in result.forms), result.seconds)  # fmt: skip


def kept_results(outdir: Path, layout_dirs: tuple[Path, ...] = ()) -> tuple[list[FileResult], list[corrections.Correction]]:
    """Every kept file's result with the reviewer's corrections applied, in the order the
    CSVs list them (else by name), and the corrections."""
    fixes = corrections.load(outdir)
    return corrections.apply(corrections.kept_in_order(outdir), fixes, layout_dirs), fixes


def file_views(outdir: Path, layout_dirs: tuple[Path, ...] = (), image_root: str = "pages") -> list[FileView]:
    """A view of every file kept in ``outdir``; page images are referred to under
    ``image_root/<slug>/``."""
    results, fixes = kept_results(outdir, layout_dirs)
    return [file_view(r, read_page_views(outdir, r.file), f"{image_root}/{quote(slug_of(r.file))}", fixes)
            for r in results]  # fmt: skip

