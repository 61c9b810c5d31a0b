"""Types shared by every stage: geometry, cells, tables, pages, the parsed form, the
outcome of a file, the run's options, and the units page images are measured in."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

POINTS_PER_INCH = 72.0
# Resolution at which a page without one embedded scan is rendered for OCR, and the
# scale that image-stage defaults assume.
DEFAULT_DPI = 200
DEFAULT_PIXELS_PER_POINT = DEFAULT_DPI / POINTS_PER_INCH
# The paper's grey level in an image is this percentile of its pixels: ink covers well
# under a tenth of a form's area, even of a single cell or text line.
PAPER_PERCENTILE = 90
# ``Cell.source`` of text taken from a PDF's text layer; OCR'd cells carry the engine's name.
TEXT_LAYER = "text"
# The source of a cell that was not recognised (``--read scores``: prose columns).
NOT_READ = "not read"
READ_MODES = ("all", "scores")  # --read: every cell, or names and numbers only


@dataclass(frozen=True)
class BBox:
    """An axis-aligned box in page coordinates (points for PDF pages, pixels for images)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def contains_point(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.top <= y <= self.bottom

    def rounded(self, ndigits: int = 1) -> list[float]:
        return [round(v, ndigits) for v in (self.x0, self.top, self.x1, self.bottom)]


@dataclass(frozen=True)
class Word:
    """A piece of text with its box and recognition confidence (1.0 for a text layer)."""

    text: str
    bbox: BBox
    confidence: float = 1.0


@dataclass(frozen=True)
class Segment:
    """A ruling line: horizontal when top == bottom, vertical when x0 == x1."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return abs(self.bottom - self.top) <= abs(self.x1 - self.x0)


@dataclass(frozen=True)
class Cell:
    """One cell of a grid, stored once at its top-left position with its spans."""

    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: BBox
    text: str = ""
    confidence: float = 1.0
    source: str = TEXT_LAYER  # the OCR engine's name for an OCR'd cell
    raw_text: str = ""  # text before any lexicon snapping (OCR only)


@dataclass(frozen=True)
class Table:
    """A ruled grid found on one page. ``cells`` holds each merged cell once."""

    page: int  # 1-based
    bbox: BBox
    n_rows: int
    n_cols: int
    cells: tuple[Cell, ...]
    col_edges: tuple[float, ...] = ()  # x positions of the n_cols + 1 column boundaries
    row_edges: tuple[float, ...] = ()  # y positions of the n_rows + 1 row boundaries

    def cell_at(self, row: int, col: int) -> Cell | None:
        """The cell whose top-left is (row, col); None for covered or missing positions."""
        for cell in self.cells:
            if cell.row == row and cell.col == col:
                return cell
        return None

    def row_cells(self, row: int) -> list[Cell]:
        """Cells that start on ``row``, left to right."""
        return sorted((c for c in self.cells if c.row == row), key=lambda c: c.col)


@dataclass(frozen=True)
class Page:
    """One page as the pipeline saw it."""

    number: int  # 1-based
    width: float
    height: float
    method: str  # "text" or "ocr"
    tables: tuple[Table, ...] = ()


@dataclass
class PageResult:
    """One page after layout detection and cell text."""

    page: Page
    outside_text: list[str]  # text lines outside the tables (title, year, signatures)
    unreadable: str = ""  # why the page could not be read at all (a blurred photo), if so


@dataclass(frozen=True)
class Provenance:
    """Where a value came from."""

    page: int
    bbox: list[float]
    confidence: float = 1.0
    source: str = TEXT_LAYER
    raw_text: str = ""


@dataclass
class BudgetValue:
    """One value of the budget or funds block, e.g. row 全年预算数, column 财政拨款."""

    row: str
    column: str
    value: float | None
    text: str
    provenance: Provenance | None = None
    unit: str = ""  # 元 or 万元 for amounts (the block's caption), "" for rates and scores
    role: str = ""  # what the value is (budget, executed, rate, max, score …), "" if nothing
    line: str = ""  # the row or column the roles run along (财政拨款; 年度资金总额)


@dataclass
class Indicator:
    """One leaf (三级) indicator row with its parents filled in."""

    level1: str
    level1_max: float | None
    level2: str
    level2_max: float | None
    indicator: str
    max_score: float | None
    score: float | None
    target: str = ""
    actual: str = ""
    explanation: str = ""
    criteria: str = ""  # the row's own 评分标准 where the form prints one
    basis: str = ""
    page: int = 0
    section: str = ""
    provenance: dict[str, Provenance] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)  # cells of columns without a role, by header

    @property
    def path(self) -> str:
        return "/".join(p for p in (self.level1, self.level2, self.indicator) if p)


@dataclass
class Finding:
    """A validation finding. Findings are data; validation never raises."""

    rule: str
    severity: str  # "error" or "warning"
    location: str
    expected: str
    found: str
    message: str
    page: int = 0
    bbox: list[float] | None = None


@dataclass
class Form:
    """A parsed form: header facts, budget block, indicator rows, totals and findings."""

    file: str
    form_type: str  # the family
    pages: int
    method: str
    unit_name: str = ""
    year: int | None = None
    staff: int | None = None
    units: int | None = None
    budget: list[BudgetValue] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    total_max: float | None = None
    declared_total: float | None = None
    total_provenance: Provenance | None = None
    header_provenance: dict[str, Provenance] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    page_methods: list[str] = field(default_factory=list)
    form: int = 1  # the form's number in a file that holds several, 1-based
    layout: str = ""  # the layout (local template) it was read with
    layout_score: float | None = None  # how well the document matched that layout
    project_name: str = ""
    department: str = ""  # 主管部门
    grade: str = ""  # the printed 自评等级
    grade_provenance: Provenance | None = None
    goals: dict[str, str] = field(default_factory=dict)  # 年度总体目标: expected, actual
    facts: dict[str, object] = field(default_factory=dict)  # every header fact the layout reads
    # The budget block's own 分值 and 得分 where the layout counts them toward the total
    # (budget_counts; either may then be None when its cell could not be read).
    budget_counts: bool = False
    budget_max: float | None = None
    budget_score: float | None = None

    @property
    def computed_total(self) -> float | None:
        scores = [i.score for i in self.indicators if i.score is not None]
        if self.budget_score is not None:
            scores.append(self.budget_score)
        return round(sum(scores), 3) if scores else None

    @property
    def status(self) -> str:
        return "flagged" if self.findings else "ok"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["computed_total"] = self.computed_total
        data["status"] = self.status
        return data


@dataclass(frozen=True)
class PageView:
    """A small image of one page as the pipeline read it (the straightened image for an OCR
    page, a rendering for a text page) and the grid found on it, for a reviewer to see.
    A box in page units (``Page``'s) is at ``scale`` times its coordinates in the image."""

    number: int  # 1-based
    method: str  # "text" or "ocr"
    width: float  # page units: points for a text page, pixels of the straightened scan
    height: float
    scale: float  # image pixels per page unit
    image: bytes  # WebP
    tables: tuple[Table, ...] = ()


@dataclass
class FileResult:
    """The outcome of one input file: its forms (one, or several when one PDF holds
    several), or none and an error when it could not be read."""

    file: str
    forms: list[Form]
    seconds: float
    error: str = ""
    pages: list[PageView] = field(default_factory=list)  # kept for the review report

    @property
    def form(self) -> Form | None:
        """The first form (the only one of most files), None for a failed file."""
        return self.forms[0] if self.forms else None

    @property
    def status(self) -> str:
        if not self.forms:
            return "failed"
        return "flagged" if any(f.status == "flagged" for f in self.forms) else "ok"


@dataclass(frozen=True)
class GridSettings:
    """Tolerances, in page units (points for PDFs, pixels for images)."""

    snap_tolerance: float = 3.0  # lines this close are one line (double borders, 0.75pt pens)
    join_tolerance: float = 3.0  # gaps this short inside a line are closed (broken scans)
    intersection_tolerance: float = 3.0  # a line ending this close to another touches it
    min_cell_size: float = 4.0  # boundaries closer than this are one boundary
    border_coverage: float = 0.5  # share of a cell side that must be drawn to count as a border
    min_table_lines: int = 2  # each direction needs at least this many lines
    min_segment_length: float = 6.0  # shorter strokes are text, not ruling lines

    def scaled(self, factor: float) -> GridSettings:
        """The same settings for another unit (e.g. pixels at ``dpi / 72`` per point)."""
        return GridSettings(
            snap_tolerance=self.snap_tolerance * factor,
            join_tolerance=self.join_tolerance * factor,
            intersection_tolerance=self.intersection_tolerance * factor,
            min_cell_size=self.min_cell_size * factor,
            border_coverage=self.border_coverage,
            min_table_lines=self.min_table_lines,
            min_segment_length=self.min_segment_length * factor,
        )


@dataclass(frozen=True)
class Options:
    """What a caller may choose for one run."""

    layout: str | None = None  # force a layout instead of choosing one
    layout_dirs: tuple[Path, ...] = ()  # the user's own layout folders (they win on a name)
    ocr_engine: str | None = None  # OCR engine name (None: the default engine)
    force_ocr: bool = False  # OCR every page even when it has a text layer
    dpi: int = DEFAULT_DPI  # rendering resolution for pages that are not one embedded scan
    debug_dir: Path | None = None  # write per-page debug overlays here
    pages: tuple[int, ...] | None = None  # 1-based page numbers to read (None: all)
    grid: GridSettings = field(default_factory=GridSettings)
    read: str = "all"  # READ_MODES: "scores" leaves prose cells of scanned pages unread

    def __post_init__(self) -> None:
        if self.read not in READ_MODES:
            raise ValueError(f"read must be one of {', '.join(READ_MODES)}, not {self.read!r}")
