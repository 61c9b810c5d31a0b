"""Form-family definitions (``layouts/*.toml``) loaded into typed settings; the family of a
document detected from its keywords."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..errors import LayoutError
from ..text.normalize import match_key
from ..text.numbers import parse_number

LAYOUT_DIRS_ENV = "SELFEVAL_LAYOUTS"
DEFAULT_LAYOUT_DIR = Path(__file__).resolve().parents[2] / "layouts"


@dataclass(frozen=True)
class Layout:
    """One form family: the words that identify it and the roles of its cells."""

    name: str
    description: str
    keywords: tuple[str, ...]
    match_threshold: float
    total_max: float
    allow_negative_sections: tuple[str, ...]
    weight_in_name: re.Pattern[str]
    placeholders: tuple[re.Pattern[str], ...]
    header: dict[str, tuple[str, ...]]
    budget_rows: dict[str, tuple[str, ...]]
    budget_columns: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]
    total_labels: tuple[str, ...]
    lexicon: dict[str, tuple[str, ...]] = field(default_factory=dict)
    snap_threshold: float = 0.8

    def budget_row_name(self, role: str) -> str:
        """Canonical name of a budget row role (budget, executed, rate)."""
        return self.budget_rows[role][0]

    def split_weight(self, name: str) -> tuple[str, float | None]:
        """A weight written inside a name taken out of it: ``产出指标(70分)`` →
        (``产出指标``, 70.0); (name, None) when there is none."""
        match = self.weight_in_name.search(name)
        if not match:
            return name, None
        return name[: match.start()].strip(), parse_number(match.group(1))

    def is_placeholder(self, name: str) -> bool:
        """A template's placeholder row (``指标1：``, ``……``), not an indicator."""
        return any(p.search(name) for p in self.placeholders)


def _load(path: Path) -> Layout:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LayoutError(f"{path}: cannot read layout: {exc}") from exc
    try:
        return Layout(
            name=data["name"],
            description=data.get("description", ""),
            keywords=tuple(data.get("keywords", ())),
            match_threshold=float(data.get("match_threshold", 0.75)),
            total_max=float(data.get("total_max", 100.0)),
            allow_negative_sections=tuple(data.get("allow_negative_sections", ())),
            weight_in_name=re.compile(data.get("weight_in_name", r"$^")),
            placeholders=tuple(re.compile(p) for p in data.get("placeholder_patterns", ())),
            header={k: tuple(v) for k, v in data.get("header", {}).items()},
            budget_rows={k: tuple(v) for k, v in data["budget"]["rows"].items()},
            budget_columns=tuple(data["budget"].get("columns", ())),
            columns={k: tuple(v) for k, v in data["columns"].items()},
            total_labels=tuple(data.get("total", {}).get("labels", ("总分",))),
            lexicon={
                k: tuple(v) for k, v in data.get("lexicon", {}).items() if isinstance(v, list)
            },
            snap_threshold=float(data.get("lexicon", {}).get("snap_threshold", 0.8)),
        )
    except (KeyError, TypeError, re.error) as exc:
        raise LayoutError(f"{path}: invalid layout: {exc!r}") from exc


def layout_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(LAYOUT_DIRS_ENV, "").split(os.pathsep) if p]
    return [*extra, DEFAULT_LAYOUT_DIR]


@cache
def load_layouts() -> tuple[Layout, ...]:
    """All layouts found in the layout folders, by name (earlier folders win)."""
    found: dict[str, Layout] = {}
    for folder in layout_dirs():
        for path in sorted(folder.glob("*.toml")):
            layout = _load(path)
            found.setdefault(layout.name, layout)
    if not found:
        raise LayoutError(f"no layout definitions found in {', '.join(map(str, layout_dirs()))}")
    return tuple(found.values())


def get_layout(name: str) -> Layout:
    for layout in load_layouts():
        if layout.name == name:
            return layout
    raise LayoutError(f"unknown layout {name!r}; known: {', '.join(item.name for item in load_layouts())}")


def detect_layout(text: str) -> Layout | None:
    """The layout whose keywords occur most often in ``text``; None when none occurs."""
    key = match_key(text)
    best, best_hits = None, 0
    for layout in load_layouts():
        hits = sum(1 for k in layout.keywords if match_key(k) in key)
        if hits > best_hits:
            best, best_hits = layout, hits
    return best
