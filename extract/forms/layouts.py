"""Form families as data: ``layouts/*.toml`` checked against a schema at load time and
turned into typed, frozen settings.

A layout says how a family is recognised (its labels, the indicator header roles it
must have), where its facts are (项目名称, 单位名称 …), how its budget or funds block is
laid out, the roles and header synonyms of its indicator columns, which rows are no
indicators, where the total and the grade are, and which rules apply with what
parameters. The parser and the validator read only this; they name no family.

The layouts shipped with selfeval live in the ``extract.layouts`` package (the
repository's ``layouts/`` folder); ``--layouts DIR`` (or ``SELFEVAL_LAYOUTS``) adds a
user's own, which win over shipped ones of the same name.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from ..errors import LayoutError
from ..text.numbers import parse_number

LAYOUT_DIRS_ENV = "SELFEVAL_LAYOUTS"

ColumnRole = Literal[
    "level1", "level2", "indicator", "weight", "explanation", "target", "actual", "score",
    "basis", "criteria", "remark",
]  # fmt: skip
# Roles of a recognised header row: a 分值 (weight) column becomes the maximum of the
# name column to its left.
HeaderRole = Literal[
    "level1", "level1_max", "level2", "level2_max", "indicator", "max_score", "explanation",
    "target", "actual", "score", "basis", "criteria", "remark",
]  # fmt: skip
# The maximum each name column's 分值 column gives.
MAX_ROLE_OF = {"level1": "level1_max", "level2": "level2_max", "indicator": "max_score"}
# A fact's name. unit_name, staff, units, project_name and department have fields of the
# Form (and columns of the CSVs); a layout may name any other (项目负责人 …): every fact
# goes to the JSON's ``facts``.
FactName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
# What a budget/funds block value is: the roles the rules compare.
BudgetRole = Literal["initial", "budget", "executed", "rate", "max", "score"]
# Budget roles whose values carry no money unit.
UNITLESS_ROLES = frozenset({"rate", "max", "score"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _pattern(text: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error as exc:
        raise ValueError(f"bad regular expression {text!r}: {exc}") from exc


class MatchSpec(_Strict):
    """How a document is recognised as this family."""

    labels: tuple[str, ...] = Field(min_length=1)  # title, block labels, headers
    # Roles an indicator header row must have for the document to be read with this layout.
    required_roles: tuple[HeaderRole, ...] = ("indicator", "score")
    min_score: float = Field(default=0.5, ge=0, le=1)  # share of labels found, below: not this family
    similarity: float = Field(default=0.75, gt=0, le=1)  # label vs cell text, OCR tolerance


class FactSpec(_Strict):
    """A fact of the form's header block: a label cell and its value."""

    labels: tuple[str, ...] = Field(min_length=1)
    kind: Literal["text", "count"] = "text"
    # The label may be part of a longer cell (``财供人数(编制总数) 合计：67人``).
    contains: bool = False
    # A count written in the label cell follows this marker (``合计``); "" after the label.
    after: str = ""


class BudgetLabel(_Strict):
    """A row or column of the budget block: its role and the texts printed for it (the
    canonical name, which goes to budget.csv, always counts)."""

    role: BudgetRole | None = None
    synonyms: tuple[str, ...] = ()


class BudgetSpec(_Strict):
    """The budget (department) or funds (project) block: a header row naming its columns,
    rows named in their first cells."""

    caption: tuple[str, ...] = ()  # the block's label, which names its unit (万元/元)
    unit: str = ""  # the unit when the caption names none
    rows: dict[str, BudgetLabel] = Field(min_length=1)
    columns: dict[str, BudgetLabel] = Field(min_length=2)


class GoalsSpec(_Strict):
    """A goals block: a header row with these two labels, the texts in the row below."""

    expected: tuple[str, ...] = Field(min_length=1)
    actual: tuple[str, ...] = Field(min_length=1)


class RemapSpec(_Strict):
    """Rows under these 一级 names print other content in some columns (the department
    加减分项 row: its 指标解释 under 年度指标值, its 评分标准 under 实际完成指标值)."""

    level1: tuple[str, ...] = Field(min_length=1)
    columns: dict[HeaderRole, HeaderRole] = Field(min_length=1)


class TotalSpec(_Strict):
    labels: tuple[str, ...] = Field(min_length=1)  # the total row's label; the first names findings
    max: float = 100.0  # the 总分 分值 when the form prints none


class GradeBand(_Strict):
    name: str
    min: float


class GradeSpec(_Strict):
    """The printed 自评等级: its label and the bands, highest first."""

    labels: tuple[str, ...] = Field(min_length=1)
    bands: tuple[GradeBand, ...] = Field(min_length=1)

    @field_validator("bands")
    @classmethod
    def _highest_first(cls, bands: tuple[GradeBand, ...]) -> tuple[GradeBand, ...]:
        if list(bands) != sorted(bands, key=lambda b: -b.min):
            raise ValueError("bands must be listed highest first")
        if bands[-1].min > 0:
            raise ValueError("the lowest band must start at 0 or below (every total gets a grade)")
        return bands


class RulesSpec(_Strict):
    """Parameters of the validation rules."""

    allow_negative_sections: tuple[str, ...] = ()  # 一级 names whose leaves may be negative
    # The budget block's 分值 and 得分 count toward the total (project forms).
    budget_score_counts: bool = False
    # 得分 = min(执行率, 100%) × 分值 is checked on the budget block.
    execution_score: bool = False
    # Indicator rows that are the budget score printed inside the table (预算执行率).
    execution_rows: tuple[str, ...] = ()


class LexiconSpec(_Strict):
    snap_threshold: float = Field(default=0.8, gt=0, le=1)
    level1: tuple[str, ...] = ()
    level2: tuple[str, ...] = ()
    indicator: tuple[str, ...] = ()


class Layout(_Strict):
    """One form family (or a local template of one) as read from its layout file."""

    name: str = Field(pattern=r"^[A-Za-z0-9_]+$")
    family: str = Field(pattern=r"^[A-Za-z0-9_]+$")
    description: str = ""
    match: MatchSpec
    facts: dict[FactName, FactSpec] = {}
    # A fact whose label, met again after an indicator table, starts the next form of a
    # file that holds several (``project_name``); None: one form per file.
    form_starts_at: FactName | None = None
    budget: BudgetSpec | None = None
    goals: GoalsSpec | None = None
    columns: dict[ColumnRole, tuple[str, ...]]
    # A weight written inside a name (``产出指标(70分)``): group 1 is the number.
    weight_in_name: re.Pattern[str] = re.compile(r"$^")
    # Template placeholder rows that are not indicators (``指标1：``, ``……``).
    placeholders: tuple[re.Pattern[str], ...] = ()
    remap: tuple[RemapSpec, ...] = ()
    total: TotalSpec
    grade: GradeSpec | None = None
    rules: RulesSpec = Field(default_factory=RulesSpec)
    lexicon: LexiconSpec = Field(default_factory=LexiconSpec)

    @field_validator("weight_in_name", mode="before")
    @classmethod
    def _weight_pattern(cls, value: object) -> object:
        pattern = _pattern(value) if isinstance(value, str) else value
        if isinstance(pattern, re.Pattern) and pattern.groups < 1:
            raise ValueError("needs a group around the number: '[（(](\\d+)分[)）]$'")
        return pattern

    @field_validator("placeholders", mode="before")
    @classmethod
    def _placeholder_patterns(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            return tuple(_pattern(v) if isinstance(v, str) else v for v in value)
        return value

    @field_validator("columns")
    @classmethod
    def _has_names(cls, columns: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        missing = {"indicator", "score"} - set(columns)
        if missing:
            raise ValueError(f"column roles {sorted(missing)} are required")
        if not {"level1", "level2"} & set(columns):
            raise ValueError("a level1 or level2 column role is required (a header is told by it)")
        return columns

    @model_validator(mode="after")
    def _consistent(self) -> Layout:
        if self.form_starts_at is not None and self.form_starts_at not in self.facts:
            raise ValueError(f"form_starts_at names {self.form_starts_at!r}, which [facts] lacks")
        roles: set[str] = set(self.columns)
        if "weight" in roles:  # a 分值 column is the maximum of the name column to its left
            roles |= {MAX_ROLE_OF[r] for r in ("level1", "level2", "indicator") if r in roles}
        unknown = set(self.match.required_roles) - roles
        if unknown:
            raise ValueError(f"match.required_roles {sorted(unknown)} cannot come from [columns]")
        return self

    @property
    def match_threshold(self) -> float:
        return self.match.similarity

    @property
    def total_max(self) -> float:
        return self.total.max

    @property
    def snap_threshold(self) -> float:
        return self.lexicon.snap_threshold

    def lexicon_for(self, level: str) -> tuple[str, ...]:
        """The standard names of a level (``level1``, ``level2``, ``indicator``)."""
        return tuple(getattr(self.lexicon, level, ()))

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


def _where(error: ErrorDetails) -> str:
    return ".".join(str(part) for part in error["loc"])


def load_layout_file(path: Path) -> Layout:
    """One layout file, checked; a LayoutError naming the file and the key otherwise."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LayoutError(f"{path}: cannot read layout: {exc}") from exc
    try:
        return Layout.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        message = str(first["msg"]).removeprefix("Value error, ")
        raise LayoutError(f"{path}: invalid layout at {_where(first)}: {message}{more}") from exc


def shipped_layout_dir() -> Path:
    """The folder of the layouts shipped inside the package."""
    return Path(str(resources.files("extract.layouts")))


def _env_dirs() -> list[Path]:
    return [Path(p) for p in os.environ.get(LAYOUT_DIRS_ENV, "").split(os.pathsep) if p]


@cache
def _load_from(folders: tuple[Path, ...]) -> tuple[Layout, ...]:
    found: dict[str, Layout] = {}
    for folder in folders:
        if not folder.is_dir():
            raise LayoutError(f"{folder}: layout folder not found")
        here: dict[str, Path] = {}
        for path in sorted(folder.glob("*.toml")):
            layout = load_layout_file(path)
            if layout.name in here:
                raise LayoutError(f"{path}: layout name {layout.name!r} is taken by {here[layout.name].name}")
            here[layout.name] = path
            found.setdefault(layout.name, layout)
    if not found:
        raise LayoutError(f"no layout definitions found in {', '.join(map(str, folders))}")
    return tuple(found.values())


def layout_folders(extra_dirs: Iterable[Path] = ()) -> tuple[Path, ...]:
    """The folders layouts are read from, in the order they win on a name: the user's
    (``--layouts``, then $SELFEVAL_LAYOUTS), then the shipped one."""
    return tuple(f.resolve() for f in (*map(Path, extra_dirs), *_env_dirs(), shipped_layout_dir()))


def load_layouts(extra_dirs: Iterable[Path] = ()) -> tuple[Layout, ...]:
    """Every layout: the user's folders first (they win on a name), then the shipped ones."""
    return _load_from(layout_folders(extra_dirs))


def get_layout(name: str, extra_dirs: Iterable[Path] = ()) -> Layout:
    layouts = load_layouts(extra_dirs)
    for layout in layouts:
        if layout.name == name:
            return layout
    raise LayoutError(f"unknown layout {name!r}; known: {', '.join(item.name for item in layouts)}")
