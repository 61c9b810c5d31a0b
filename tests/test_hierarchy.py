"""一级/二级 blocks across page breaks (pure: hand-made rows, no PDF)."""

from __future__ import annotations

from extract.forms.hierarchy import LevelCells, resolve_level


def rows(spec: list[tuple[int, str, str, str]]) -> list[LevelCells]:
    """(page, cell id, name, max) per data row; rows sharing a cell id share the cell."""
    return [
        LevelCells(page, 0, cell_id, name, None, cell_id, max_text, None)
        for page, cell_id, name, max_text in spec
    ]


def names(blocks: list) -> list[str]:  # type: ignore[type-arg]
    return [b.name for b in blocks]


def leaf_sum(maxima: list[float]):  # type: ignore[no-untyped-def]
    return lambda idx: sum(maxima[i] for i in idx)


def test_label_printed_after_the_break_fills_the_earlier_piece() -> None:
    cells = rows([(1, "a", "资金管理", "4"), (1, "b", "", ""), (2, "c", "资产管理", "4"), (2, "c", "资产管理", "4")])
    blocks = resolve_level(cells, leaf_sum([4, 2, 2, 2]))
    assert names(blocks) == ["资金管理", "资产管理", "资产管理", "资产管理"]
    assert blocks[1] is blocks[2]


def test_blank_piece_after_the_break_continues_an_incomplete_block() -> None:
    cells = rows([(1, "a", "资金管理", "6"), (2, "b", "", "")])
    assert names(resolve_level(cells, leaf_sum([4, 2]))) == ["资金管理", "资金管理"]


def test_piece_whose_score_is_a_cut_fragment_continues_the_block() -> None:
    # civil 300 dpi: the lower half of the 一级 分值 `45`, cut by the break, read `4J`
    # alone; as a label it kept the page-2 rows out of 管理效能. A dash stays a label.
    cells = rows([(1, "a", "管理效能", "45"), (2, "b", "", "4J")])
    assert names(resolve_level(cells, leaf_sum([27, 18]))) == ["管理效能", "管理效能"]
    cells = rows([(1, "a", "管理效能", "45"), (2, "b", "", "-")])
    assert names(resolve_level(cells, leaf_sum([27, 18]))) == ["管理效能", ""]


def test_blank_piece_after_a_complete_block_is_a_new_block() -> None:
    # 资金管理 (4) is complete on page 1; page 2 starts a tall block whose label is on page 3
    cells = rows([(1, "a", "资金管理", "4"), (2, "b", "", ""), (3, "c", "绩效管理", "6")])
    blocks = resolve_level(cells, leaf_sum([4, 3, 3]))
    assert names(blocks) == ["资金管理", "绩效管理", "绩效管理"]


def test_wrapped_label_split_by_the_break_is_joined() -> None:
    cells = rows([(2, "a", "文化市场综合执法", "5.00"), (3, "b", "经费", "")])
    blocks = resolve_level(cells, leaf_sum([3, 2]))
    assert names(blocks) == ["文化市场综合执法经费"] * 2
    assert blocks[0].max_text == "5.00"


def test_labels_repeated_on_every_page_are_one_block() -> None:
    cells = rows([(1, "a", "履职效能", "50"), (2, "b", "履职效能", "50")])
    blocks = resolve_level(cells, leaf_sum([20, 30]))
    assert blocks[0] is blocks[1]


def test_different_labels_on_either_side_of_a_break_stay_apart() -> None:
    cells = rows([(1, "a", "采购管理", "2"), (2, "b", "成本管理", "4")])
    blocks = resolve_level(cells, leaf_sum([2, 4]))
    assert names(blocks) == ["采购管理", "成本管理"]


def test_no_join_within_a_page_or_across_sections() -> None:
    same_page = rows([(1, "a", "A", "2"), (1, "b", "", "")])
    assert names(resolve_level(same_page, leaf_sum([1, 1]))) == ["A", ""]
    other_section = [
        LevelCells(1, 0, "a", "A", None, "a", "2", None),
        LevelCells(2, 1, "b", "", None, "b", "", None),
    ]
    assert names(resolve_level(other_section, leaf_sum([1, 1]))) == ["A", ""]


def test_header_level_labels_blurred_by_ocr_take_their_position() -> None:
    from extract.forms.layouts import get_layout
    from extract.forms.matching import matches
    from extract.forms.sections import _resolve_names

    layout = get_layout("dept_overall")

    def scores(text: str) -> dict[str, float]:
        return {r: matches(text, s, layout.match_threshold, contains=True) for r, s in layout.columns.items()}

    # 一级指标 read as 锻指标, 二级/三级指标 with their digits lost
    blurred = [(0, scores("锻指标")), (2, scores("级指标")), (4, scores("级指标"))]
    assert _resolve_names(blurred) == {0: "level1", 2: "level2", 4: "indicator"}
    partly = [(0, scores("级指标")), (2, scores("二级指标")), (4, scores("级指标"))]
    assert _resolve_names(partly) == {0: "level1", 2: "level2", 4: "indicator"}


def test_two_lexicon_names_are_never_one_split_label() -> None:
    cells = rows([(1, "a", "资金管理", "17"), (2, "b", "采购管理", "")])  # 采购管理's 分值 unread
    lexicon = {"资金管理", "采购管理"}
    blocks = resolve_level(cells, leaf_sum([5, 2]), known=lambda n: n in lexicon)
    assert names(blocks) == ["资金管理", "采购管理"]


def test_name_cell_merged_over_two_blocks_by_a_lost_line_is_split() -> None:
    # the line between 资金管理 and 采购管理 was erased in the 二级 column only
    cells = [
        LevelCells(1, 0, "n", "资金管理采购管理", None, "m1", "17", None),
        LevelCells(1, 0, "n", "资金管理采购管理", None, "m1", "17", None),
        LevelCells(1, 0, "n", "资金管理采购管理", None, "m2", "2", None),
    ]
    from extract.forms.matching import split_into

    lexicon = ("资金管理", "采购管理", "资产管理")
    blocks = resolve_level(cells, leaf_sum([10, 7, 2]), split_name=lambda n, k: split_into(n, lexicon, k))
    assert names(blocks) == ["资金管理", "资金管理", "采购管理"]
    assert [b.max_text for b in blocks] == ["17", "17", "2"]
    # an unknown name is left alone (one block)
    blocks = resolve_level(cells, leaf_sum([10, 7, 2]), split_name=lambda n, k: None)
    assert blocks[0] is blocks[2]


def test_lexicon_snapping_needs_a_clear_winner() -> None:
    from extract.forms.layouts import get_layout
    from extract.forms.matching import snap

    layout = get_layout("dept_overall")
    names = layout.lexicon_for("level2") + layout.lexicon_for("indicator")
    assert snap("资金管用", names, layout.snap_threshold) == "资金管理"
    assert snap("政府来购执行率", names, layout.snap_threshold) == "政府采购执行率"
    assert snap("预算执行率", names, layout.snap_threshold) == "预算执行率"  # exact entry
    assert snap("成本签用", names, layout.snap_threshold) == "成本签用"  # too far: kept as read
    assert snap("社区矫正任务完成率", names, layout.snap_threshold) == "社区矫正任务完成率"


def test_score_cell_run_into_its_neighbour_keeps_its_number() -> None:
    from extract.forms.readings import leading_number

    assert leading_number("1.0公用经费控制率为91.6%。") == "1.0"
    assert leading_number("2.0") == "2.0"
    assert leading_number("完成") == "完成"
