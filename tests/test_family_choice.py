"""Family choice, refusal and the splitting of a file into forms, on the rows of real
sample PDFs (text layer); the funds block read from a grid whose score cells are merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.errors import UnknownFormError
from extract.forms.budget import block_share, parse_budget
from extract.forms.choice import check_layout, choose_layout
from extract.forms.layouts import FactSpec, get_layout, load_layouts
from extract.forms.splitting import split_forms
from extract.grid.rows import GridRow, document_rows
from extract.model import BBox, Cell, Options, Table
from extract.pipeline import read_pages

pytestmark = pytest.mark.samples

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ROOT / "samples" / "project"


def rows_of(path: Path, pages: tuple[int, ...] | None = None) -> tuple[list[GridRow], list[str]]:
    results = read_pages(path, Options(pages=pages))
    rows = document_rows([t for p in results for t in p.page.tables])
    return rows, [line for p in results for line in p.outside_text]


def test_each_family_is_chosen_with_a_full_score() -> None:
    for path, family in ((PROJECT / "proj_mof_2023.pdf", "project"),
                         (ROOT / "samples" / "exported" / "dept_civil_2021.pdf", "dept_overall")):
        choice = choose_layout(load_layouts(), *rows_of(path), file=path.name)
        assert (choice.layout.name, choice.score) == (family, 1.0)


def test_a_page_of_the_indicator_table_alone_is_still_its_family() -> None:
    """Page 3 of the seed holds as many project labels as department ones: the header
    that fits the department layout (指标解释, 得分/自评分) settles it."""
    choice = choose_layout(load_layouts(), *rows_of(ROOT / "samples" / "exported" / "seed_haizhu_2021.pdf", (3,)),
                           file="seed")
    assert choice.layout.name == "dept_overall"
    choice = choose_layout(load_layouts(), *rows_of(PROJECT / "proj_word_2022.pdf", (2,)), file="word")
    assert choice.layout.name == "project"


def test_the_best_layout_without_its_header_refuses_instead_of_a_worse_one() -> None:
    project = get_layout("project")
    blind = project.model_copy(update={"columns": {**project.columns, "weight": ("无此表头",)}})
    rows, outside = rows_of(PROJECT / "proj_mof_2023.pdf")
    with pytest.raises(UnknownFormError) as err:
        choose_layout([get_layout("dept_overall"), blind], rows, outside, file="x.pdf")
    message = str(err.value)
    assert message.startswith("x.pdf: not a known self-evaluation form: closest project (1.00)")
    assert message.endswith("no indicator header with indicator, score, max_score")


def test_a_forced_layout_still_needs_its_header() -> None:
    rows, outside = rows_of(PROJECT / "notform_target_2023.pdf")
    with pytest.raises(UnknownFormError, match=r"x\.pdf: not a project form: no indicator header"):
        check_layout(get_layout("project"), rows, outside, file="x.pdf")


def test_forms_split_at_their_name_or_after_a_total() -> None:
    rows, _ = rows_of(PROJECT / "proj_multi_2023.pdf")
    project = get_layout("project")
    assert len(split_forms(rows, project)) == 3
    # 项目名称 printed outside the table or misread: the next header after a 总分 splits
    missed = FactSpec(labels=("没有这个标签",))
    blind = project.model_copy(update={"facts": {**project.facts, "project_name": missed}})
    assert [len(p) for p in split_forms(rows, blind)] == [len(p) for p in split_forms(rows, project)]


def _cell(row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    x0, top = col * 60.0, row * 20.0
    return Cell(row, col, rowspan, colspan, BBox(x0, top, x0 + 60.0 * colspan, top + 20.0 * rowspan), text)


def test_a_score_merged_down_the_funds_block_counts_once() -> None:
    header = ["", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    cells = [_cell(0, c, t) for c, t in enumerate(header)]
    names = ["年度资金总额", "其中：当年财政拨款", "上年结转资金"]
    for r, name in enumerate(names, start=1):
        cells += [_cell(r, 0, name), _cell(r, 1, "100.00"), _cell(r, 2, "90.00")]
    cells += [_cell(1, 3, "10", rowspan=3), _cell(1, 4, "90.00%", rowspan=3), _cell(1, 5, "9.00", rowspan=3)]
    table = Table(1, BBox(0, 0, 360, 80), 4, 6, tuple(cells))
    values = parse_budget(document_rows([table]), get_layout("project"))
    assert block_share(values, "max") == 10.0 and block_share(values, "score") == 9.0
    assert [v.value for v in values if v.role == "score"] == [9.0, None, None]
