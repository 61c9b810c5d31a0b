"""Data classes shared by every stage: geometry, cells, tables, and the parsed form."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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
    source: str = "text"  # "text" for a PDF text layer, else the OCR engine's name
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


@dataclass(frozen=True)
class Provenance:
    """Where a value came from."""

    page: int
    bbox: list[float]
    confidence: float = 1.0
    source: str = "text"
    raw_text: str = ""


@dataclass
class BudgetValue:
    """One value of the budget block, e.g. row 全年预算数, column 财政拨款."""

    row: str
    column: str
    value: float | None
    text: str
    provenance: Provenance | None = None


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
    basis: str = ""
    page: int = 0
    section: str = ""
    provenance: dict[str, Provenance] = field(default_factory=dict)

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
    form_type: str
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

    @property
    def computed_total(self) -> float | None:
        scores = [i.score for i in self.indicators if i.score is not None]
        return round(sum(scores), 3) if scores else None

    @property
    def status(self) -> str:
        return "flagged" if self.findings else "ok"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["computed_total"] = self.computed_total
        data["status"] = self.status
        return data
