"""The Python API other systems call: read forms, get DataFrames."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .model import Form
from .output.export import budget_frame, findings_frame, form_to_json, indicators_frame
from .pipeline import Options, read_document, read_form

__all__ = ["Options", "read_form", "read_document", "read_forms", "to_frames", "form_to_json"]


def to_frames(forms: Form | Iterable[Form]) -> dict[str, pd.DataFrame]:
    """The indicators, budget and findings tables of one or more forms, as in the CSVs."""
    items = [forms] if isinstance(forms, Form) else list(forms)
    return {
        "indicators": indicators_frame(items),
        "budget": budget_frame(items),
        "findings": findings_frame(items),
    }


def read_forms(paths: Iterable[str | Path], options: Options | None = None) -> list[Form]:
    """Every form of several files (a file may hold several); raises on the first bad file
    (use the CLI or process_file to go on)."""
    return [form for p in paths for form in read_document(p, options)]
