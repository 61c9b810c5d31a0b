"""Layout files: the shipped ones load, a user's folder adds to them, and a file with a
mistake is refused at load time with a message naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.cli import main
from extract.errors import LayoutError
from extract.forms.layouts import get_layout, load_layout_file, load_layouts, shipped_layout_dir

SHIPPED = shipped_layout_dir()


def _copy_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (SHIPPED / "project.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_shipped_layouts_load() -> None:
    names = {layout.name: layout.family for layout in load_layouts()}
    assert names == {"dept_overall": "dept_overall", "project": "project"}
    project = get_layout("project")
    assert project.split_weight("产出指标（50分）") == ("产出指标", 50.0)
    assert project.is_placeholder("指标1：") and project.is_placeholder("……")
    assert [b.name for b in project.grade.bands] == ["优", "良", "中", "差"]  # type: ignore[union-attr]


def test_unknown_column_role_is_refused(tmp_path: Path) -> None:
    path = _copy_with(tmp_path, "bad.toml", "target = [", "goal = [")
    with pytest.raises(LayoutError) as err:
        load_layout_file(path)
    assert str(path) in str(err.value) and "columns.goal" in str(err.value)


def test_bad_regular_expression_is_refused(tmp_path: Path) -> None:
    path = _copy_with(tmp_path, "bad.toml", "weight_in_name = '", "weight_in_name = '(")
    with pytest.raises(LayoutError) as err:
        load_layout_file(path)
    assert str(path) in str(err.value) and "weight_in_name" in str(err.value)
    assert "regular expression" in str(err.value)


def test_misspelt_key_and_bad_band_order_are_refused(tmp_path: Path) -> None:
    typo = _copy_with(tmp_path, "typo.toml", "[goals]", "[gaols]")
    with pytest.raises(LayoutError, match=r"typo\.toml: invalid layout at gaols"):
        load_layout_file(typo)
    bands = _copy_with(tmp_path, "bands.toml", '{ name = "优", min = 90.0 }', '{ name = "优", min = 50.0 }')
    with pytest.raises(LayoutError, match=r"grade\.bands: .*highest first"):
        load_layout_file(bands)


def test_user_layouts_add_to_the_shipped_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _copy_with(tmp_path, "mine.toml", 'name = "project"', 'name = "project_mine"')
    assert main(["layouts", "--layouts", str(tmp_path)]) == 0
    listed = capsys.readouterr().out
    assert "project_mine" in listed and "dept_overall" in listed and "\nproject " in listed


def test_a_broken_user_layout_stops_extract_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _copy_with(tmp_path, "bad.toml", "target = [", "goal = [")
    pdf = Path(__file__).resolve().parents[1] / "samples" / "exported" / "dept_justice_2019.pdf"
    code = main(["extract", str(pdf), "-o", str(tmp_path / "out"), "--layouts", str(tmp_path)])
    err = capsys.readouterr().err.strip()
    assert code == 4 and err.count("\n") == 0
    assert "bad.toml" in err and "columns.goal" in err


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("weight_in_name = '", "weight_in_name = '分$' #", "weight_in_name: needs a group"),
        ('form_starts_at = "project_name"', 'form_starts_at = "staff"', "form_starts_at names 'staff'"),
        ('{ name = "差", min = 0.0 }', '{ name = "差", min = 50.0 }', "lowest band must start at 0"),
        ('required_roles = ["indicator", "score", "max_score"]', 'required_roles = ["indicator", "explanation"]',
         "required_roles ['explanation'] cannot come from [columns]"),
    ],
)
def test_mistakes_that_would_fail_at_run_time_are_refused_at_load(tmp_path: Path, old: str, new: str,
                                                                   says: str) -> None:
    path = _copy_with(tmp_path, "bad.toml", old, new)
    with pytest.raises(LayoutError) as err:
        load_layout_file(path)
    assert str(path) in str(err.value) and says in str(err.value)


def test_two_files_of_one_name_in_a_folder_are_refused(tmp_path: Path) -> None:
    _copy_with(tmp_path, "a.toml", 'name = "project"', 'name = "mine"')
    _copy_with(tmp_path, "b.toml", 'name = "project"', 'name = "mine"')
    with pytest.raises(LayoutError, match=r"b\.toml: layout name 'mine' is taken by a\.toml"):
        load_layouts([tmp_path])


def test_an_unknown_forced_layout_stops_extract_before_reading(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["extract", str(tmp_path), "-o", str(tmp_path / "out"), "--layout", "nope"])
    assert code == 4 and "unknown layout 'nope'" in capsys.readouterr().err
