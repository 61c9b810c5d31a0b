"""Print-title header rows repeated on later pages are recognised, even when misread."""

from __future__ import annotations

from extract.forms.sections import Column, is_repeat

ROLES_PART1 = [("level1", 0.0, 0.05), ("level1_max", 0.05, 0.086), ("level2", 0.086, 0.165),
               ("level2_max", 0.165, 0.208), ("indicator", 0.208, 0.34), ("max_score", 0.34, 0.375),
               ("explanation", 0.375, 0.671), ("score", 0.671, 0.721), ("basis", 0.721, 1.0)]
ROLES_PART2 = [("level1", 0.0, 0.05), ("level1_max", 0.05, 0.086), ("level2", 0.086, 0.165),
               ("level2_max", 0.165, 0.208), ("indicator", 0.208, 0.34), ("max_score", 0.34, 0.375),
               ("target", 0.375, 0.54), ("actual", 0.54, 0.671), ("score", 0.671, 0.721),
               ("basis", 0.721, 0.936), ("remark", 0.936, 1.0)]


def _columns(roles: list[tuple[str, float, float]]) -> list[Column]:
    return [Column(role, start, end) for role, start, end in roles]


def test_an_identical_header_is_a_repeat() -> None:
    assert is_repeat(_columns(ROLES_PART1), [_columns(ROLES_PART1)])


def test_a_repeat_with_one_misread_header_cell_is_still_a_repeat() -> None:
    # 指标解释 read as +指标解箱 at 150 dpi: no role for that cell
    misread = [c for c in ROLES_PART1 if c[0] != "explanation"]
    seen = [_columns(ROLES_PART1), _columns(ROLES_PART2)]
    assert is_repeat(_columns(misread), seen)


def test_another_part_or_other_positions_are_not_a_repeat() -> None:
    assert not is_repeat(_columns(ROLES_PART2), [_columns(ROLES_PART1)])
    shifted = [(role, start + 0.05, end + 0.05) for role, start, end in ROLES_PART1 if role != "explanation"]
    assert not is_repeat(_columns(shifted), [_columns(ROLES_PART1)])
    two_missing = [c for c in ROLES_PART1 if c[0] not in ("explanation", "basis")]
    assert not is_repeat(_columns(two_missing), [_columns(ROLES_PART1)])


def test_total_row_label_misread_as_a_number_is_not_the_total() -> None:
    """总分 read as 8分 (justice 150 dpi): the total 分值 is the 100 beside it."""
    from extract.forms.blocks import parse_total
    from extract.forms.sections import Section
    from extract.grid.rows import GridRow
    from extract.model import BBox, Cell

    def cell(col: int, x0: float, x1: float, text: str) -> Cell:
        return Cell(5, col, 1, 1, BBox(x0, 0, x1, 10), text, source="rapidocr")

    row = GridRow(2, 0, 5, (cell(0, 0, 50, "8分"), cell(1, 50, 86, "100"), cell(2, 86, 671, ""),
                            cell(3, 671, 721, "88.5")), 0, 1000)
    section = Section(_columns(ROLES_PART1), "part1")
    total_max, declared, _ = parse_total(section, row)
    assert (total_max, declared) == (100.0, 88.5)


def test_ocr_name_is_snapped_with_its_weight_kept() -> None:
    """var_inline scanned: `资产管理（4分）` was snapped whole to the lexicon's `资产管理`,
    so its 分值 4 was lost and the block had none."""
    from extract.forms.layouts import get_layout
    from extract.forms.readings import snap_name

    layout = get_layout("dept_overall")
    assert layout.split_weight(snap_name("资产管埋（4分）", "level2", layout)) == ("资产管理", 4.0)
    assert snap_name("资产管埋", "level2", layout) == "资产管理"


def test_a_repeat_whose_remark_rule_was_lost_is_still_a_repeat() -> None:
    """var_reportlab 150 dpi: page 2 lost the rule before 备注, so its 评分依据 runs to
    the table's edge; page 3's header has both. Read as two sections, the 履职效能 block
    split by the break was not joined again."""
    merged = [c for c in ROLES_PART2 if c[0] != "remark"]
    merged[-1] = ("basis", 0.721, 1.0)
    assert is_repeat(_columns(ROLES_PART2), [_columns(merged)])
    assert is_repeat(_columns(merged), [_columns(ROLES_PART2)])
    moved = [c if c[0] != "score" else ("score", 0.70, 0.721) for c in merged]
    assert not is_repeat(_columns(moved), [_columns(ROLES_PART2), _columns(ROLES_PART1)])
