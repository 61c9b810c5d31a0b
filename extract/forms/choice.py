"""Which layout a document is: every layout scored on the document's labels and checked
for the indicator header it needs. Made from the cell texts as read (OCR'd ones before
the form-side repairs, which need the layout)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import UnknownFormError
from ..grid.rows import GridRow
from ..text.normalize import match_key
from .layouts import Layout
from .matching import similarity
from .sections import extra_columns, header_columns

# A cell this much longer than a label is prose, not that label misread.
LABEL_LENGTH_SLACK = 2
# Layouts scoring this close to the best are tried too, best first (partial reads).
TIE_MARGIN = 0.1


@dataclass(frozen=True)
class Choice:
    """A layout and how well the document matched it (share of its labels found)."""

    layout: Layout
    score: float


def _label_found(label: str, text_key: str, cell_keys: Sequence[str], threshold: float) -> bool:
    key = match_key(label)
    if not key:
        return False
    if key in text_key:
        return True
    return any(
        len(cell) <= len(key) + LABEL_LENGTH_SLACK and similarity(cell, key) >= threshold
        for cell in cell_keys
    )


def label_score(layout: Layout, texts: Sequence[str]) -> float:
    """The share of the layout's labels the texts hold (an OCR'd label close enough counts)."""
    text_key = match_key("\n".join(texts))
    cell_keys = sorted({match_key(t) for t in texts if t})
    labels = layout.match.labels
    found = sum(_label_found(label, text_key, cell_keys, layout.match_threshold) for label in labels)
    return round(found / len(labels), 3)


def header_fit(layout: Layout, rows: Sequence[GridRow]) -> float:
    """How well the document's indicator header fits the layout: the share of its header
    cells the layout gives a role, on the best row that has every required role; 0 when
    no row has them."""
    required = set(layout.match.required_roles)
    best = 0.0
    for row in rows:
        columns = header_columns(row, layout)
        if columns is None or not required <= {c.role for c in columns}:
            continue
        extras = extra_columns(row, columns)
        best = max(best, len(columns) / (len(columns) + len(extras)))
    return best


def has_required_header(layout: Layout, rows: Sequence[GridRow]) -> bool:
    """Whether some row is an indicator header with every role the layout requires."""
    return header_fit(layout, rows) > 0


def _texts(rows: Sequence[GridRow], outside_text: Sequence[str]) -> list[str]:
    return [*outside_text, *(c.text for row in rows for c in row.cells if row.starts_here(c))]


def choose_layout(layouts: Sequence[Layout], rows: Sequence[GridRow], outside_text: Sequence[str],
                  *, file: str) -> Choice:
    """The layout whose labels the document holds best. Layouts scoring within
    TIE_MARGIN of the best are candidates too (a read of a few pages holds few labels of
    its own family); among the candidates whose indicator header the document has, the
    one whose header fits best wins (every header cell given a role), then the higher
    score. UnknownFormError naming the closest layout otherwise: a document with the best
    layout's labels but not its header is refused with the roles it lacks, never read by
    a worse-matching layout."""
    texts = _texts(rows, outside_text)
    ranked = sorted((Choice(layout, label_score(layout, texts)) for layout in layouts),
                    key=lambda c: -c.score)
    best = ranked[0]
    near = [c for c in ranked
            if c.score >= c.layout.match.min_score and c.score >= best.score - TIE_MARGIN]
    fits = [(header_fit(c.layout, rows), c.score, -i, c) for i, c in enumerate(near)]
    fitting = [f for f in fits if f[0] > 0]
    if fitting:
        return max(fitting, key=lambda f: f[:3])[3]
    reason = f"closest {best.layout.name} ({best.score:.2f})"
    if best.score >= best.layout.match.min_score:
        reason += f", but no indicator header with {', '.join(best.layout.match.required_roles)}"
    raise UnknownFormError(f"{file}: not a known self-evaluation form: {reason}")


def check_layout(layout: Layout, rows: Sequence[GridRow], outside_text: Sequence[str], *, file: str) -> Choice:
    """A layout the user named: its required indicator header must still be there."""
    if not has_required_header(layout, rows):
        roles = ", ".join(layout.match.required_roles)
        raise UnknownFormError(f"{file}: not a {layout.name} form: no indicator header with {roles}")
    return Choice(layout, label_score(layout, _texts(rows, outside_text)))
