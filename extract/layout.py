"""Form-family definitions (``layouts/*.toml``) loaded into typed settings, and matching."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache, cache
from pathlib import Path

from .errors import LayoutError
from .textnorm import match_key

LAYOUT_DIRS_ENV = "SELFEVAL_LAYOUTS"
# A name is snapped only when its best lexicon entry beats the second best by this much
# (预算完成率 and 预算执行率 are 0.8 alike: an unclear reading must not pick either).
SNAP_MARGIN = 0.1
DEFAULT_LAYOUT_DIR = Path(__file__).resolve().parent.parent / "layouts"


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


@lru_cache(maxsize=65536)
def _key(text: str) -> str:
    return match_key(text)


@lru_cache(maxsize=65536)
def similarity(a: str, b: str) -> float:
    """Similarity of two normalised strings in [0, 1]."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b).ratio()


def matches(text: str, synonyms: tuple[str, ...], threshold: float, *, contains: bool = False) -> float:
    """Best similarity of ``text`` to any synonym (1.0 when a synonym is contained and
    ``contains`` is set); 0.0 below ``threshold``."""
    key = _key(text)
    if not key:
        return 0.0
    best = 0.0
    for synonym in synonyms:
        syn = _key(synonym)
        if contains and syn and syn in key:
            return 1.0
        if len(key) > 2 * len(syn) + 2:  # a long text is no label: skip the costly ratio
            continue
        best = max(best, similarity(key, syn))
    return best if best >= threshold else 0.0


def best_match(text: str, names: tuple[str, ...], threshold: float) -> str | None:
    """The name most similar to ``text`` (at least ``threshold``), or None."""
    key = match_key(text)
    scored = [(similarity(key, match_key(name)), name) for name in names]
    score, name = max(scored, default=(0.0, ""))
    return name if score >= threshold and name else None


def snap(text: str, lexicon: tuple[str, ...], threshold: float) -> str:
    """The lexicon entry closest to an OCR'd ``text`` when at least ``threshold`` similar,
    else ``text`` unchanged."""
    if not text or not lexicon:
        return text
    key = _key(text)
    if any(_key(entry) == key for entry in lexicon):
        return next(entry for entry in lexicon if _key(entry) == key)
    scored = sorted(((similarity(key, _key(entry)), entry) for entry in lexicon), reverse=True)
    best_score, best = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best_score >= threshold and best_score - runner_up >= SNAP_MARGIN:
        return best
    # one misread character in a four-character name is 0.75 alike: snap it only when
    # nothing else in the lexicon comes near (资金管用 → 资金管理, not 资产管理 at 0.5)
    if best_score >= threshold - SNAP_MARGIN / 2 and best_score - runner_up >= 2 * SNAP_MARGIN:
        return best
    return text


def split_into(text: str, lexicon: tuple[str, ...], parts: int) -> list[str] | None:
    """``text`` as ``parts`` lexicon entries run together, in order (exact after
    normalisation), or None. ``资金管理采购管理`` → [资金管理, 采购管理]."""
    key = _key(text)
    entries = sorted({(_key(e), e) for e in lexicon}, key=lambda kv: -len(kv[0]))

    def walk(rest: str, n: int) -> list[str] | None:
        if n == 0:
            return [] if not rest else None
        for k, entry in entries:
            if k and rest.startswith(k):
                tail = walk(rest[len(k):], n - 1)
                if tail is not None:
                    return [entry, *tail]
        return None

    return walk(key, parts) if parts > 1 and key else None


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
