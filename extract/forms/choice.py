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
from .sections import header_columns

# A cell this much longer than a label is prose, not that label misread.
LABEL_LENGTH_SLACK = 2


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


def has_required_header(layout: Layout, rows: Sequence[GridRow]) -> bool:
    """Whether some row is an indicator header with every role the layout requires."""
    required = set(layout.match.required_roles)
    for row in rows:
        columns = header_columns(row, layout)
        if columns is not None and required <= {c.role for c in columns}:
            return True
    return False


def _texts(rows: Sequence[GridRow], outside_text: Sequence[str]) -> list[str]:
    return [*outside_text, *(c.text for row in rows for c in row.cells if row.starts_here(c))]


def choose_layout(layouts: Sequence[Layout], rows: Sequence[GridRow], outside_text: Sequence[str],
                  *, file: str) -> Choice:
    """The layout whose labels the document holds best among those whose indicator
    header it has; UnknownFormError naming the closest layout when none reaches its
    ``min_score``."""
    texts = _texts(rows, outside_text)
    ranked = sorted((Choice(layout, label_score(layout, texts)) for layout in layouts),
                    key=lambda c: -c.score)
    for choice in ranked:
        if choice.score >= choice.layout.match.min_score and has_required_header(choice.layout, rows):
            return choice
    closest = ranked[0]
    raise UnknownFormError(
        f"{file}: not a known self-evaluation form: closest {closest.layout.name} ({closest.score:.2f})"
    )


def check_layout(layout: Layout, rows: Sequence[GridRow], outside_text: Sequence[str], *, file: str) -> Choice:
    """A layout the user named: its required indicator header must still be there."""
    if not has_required_header(layout, rows):
        roles = ", ".join(layout.match.required_roles)
        raise UnknownFormError(f"{file}: not a {layout.name} form: no indicator header with {roles}")
    return Choice(layout, label_score(layout, _texts(rows, outside_text)))
