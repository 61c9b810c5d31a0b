"""The review report in a real browser (Debian's chromium driven by Playwright, opened
from file://): the overview lists every file with its status and no console error; on a
flagged form every finding highlights the cell its box is in, every flagged value is
outlined, a scan shows its low-confidence cells; a reviewer's corrections show. The
screenshots land in test-artifacts/ for a person to look at."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from extract.cli import main
from extract.output.pages import read_page_views
from extract.output.records import read_records
from extract.report.views import slug_of

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
ARTIFACTS = ROOT / "test-artifacts"
FLAGGED = "exported/dept_market_2022.pdf"
SCAN = "scanned/seed_haizhu_2021-150dpi.pdf"
BATCH = [FLAGGED, SCAN, "project/proj_multi_2023.pdf", "variants/var_bonus_2022.pdf", "bad/corrupt.pdf",
         "project/notform_target_2023.pdf"]  # fmt: skip
RED = "rgb(192, 57, 43)"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A batch converted with --report, its inputs then removed: the report is built from
    the output folder alone."""
    inbox, folder = tmp_path_factory.mktemp("inbox"), tmp_path_factory.mktemp("out")
    for name in BATCH:
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLES / name, inbox / name)
    main(["extract", str(inbox), "-o", str(folder), "-q", "-j", "2"])
    shutil.rmtree(inbox)
    assert main(["report", str(folder)]) == 0
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed (scripts/install-system.sh installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def file_url(out: Path, name: str) -> str:
    return (out / "report" / "files" / f"{slug_of(name)}.html").as_uri()


def expected_statuses(out: Path) -> dict[str, str]:
    with open(out / "summary.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    statuses: dict[str, str] = {}
    for row in rows:
        before = statuses.get(row["file"], "ok")
        statuses[row["file"]] = "failed" if row["status"] == "failed" else (
            "flagged" if "flagged" in (row["status"], before) else "ok")
    return statuses


def test_the_overview_lists_every_file_with_its_status(out: Path, page) -> None:  # type: ignore[no-untyped-def]
    page.goto((out / "report" / "index.html").as_uri())
    rows = page.locator("#files tbody tr")
    listed = {rows.nth(i).locator("th a").inner_text(): rows.nth(i).locator(".status").inner_text()
              for i in range(rows.count())}  # fmt: skip
    assert listed == expected_statuses(out) and len(listed) == len(BATCH)
    assert page.locator(".charts svg").count() == 2
    page.select_option("#filter-status", "failed")
    assert page.locator("#files tbody tr:visible").count() == 2
    ARTIFACTS.mkdir(exist_ok=True)
    page.select_option("#filter-status", "")
    page.screenshot(path=str(ARTIFACTS / "report-index.png"), full_page=True)
    assert page.errors == []


def _findings_by_id(out: Path, name: str) -> dict[str, dict]:  # type: ignore[type-arg]
    record = read_records(out)[name]
    return {f"finding-{doc['form']}-{i}": finding
            for doc in record.forms for i, finding in enumerate(doc["findings"])}  # fmt: skip


def _screen_box(page, cell_bbox: list[float], page_number: int, size: tuple[float, float]) -> list[float]:  # type: ignore[no-untyped-def]
    """Where a box in page units should be on the screen, from its page image's place."""
    image = page.locator(f"#page-{page_number} img").bounding_box()
    sx, sy = image["width"] / size[0], image["height"] / size[1]
    x0, top, x1, bottom = cell_bbox
    return [image["x"] + x0 * sx, image["y"] + top * sy, image["x"] + x1 * sx, image["y"] + bottom * sy]


def test_each_finding_highlights_its_cell(out: Path, page) -> None:  # type: ignore[no-untyped-def]
    findings = _findings_by_id(out, FLAGGED)
    sizes = {p["number"]: (p["width"], p["height"]) for p in read_page_views(out, FLAGGED)}
    assert findings, "the flagged sample has findings"
    page.goto(file_url(out, FLAGGED))
    buttons = page.locator("button.finding")
    assert buttons.count() == len(findings)
    for i in range(buttons.count()):
        button = buttons.nth(i)
        finding = findings[button.get_attribute("id")]
        if not finding.get("bbox"):
            continue
        button.click()
        active = page.locator(".cell.active")
        assert active.count() == 1, finding["message"]
        cell_bbox = [float(v) for v in active.get_attribute("data-bbox").split(",")]
        x0, top, x1, bottom = finding["bbox"]
        assert cell_bbox[0] - 1 <= x0 and x1 <= cell_bbox[2] + 1 and cell_bbox[1] - 1 <= top and bottom <= cell_bbox[3] + 1
        box = active.bounding_box()
        want = _screen_box(page, cell_bbox, finding["page"], sizes[finding["page"]])
        got = [box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"]]
        assert all(abs(a - b) <= 2 for a, b in zip(got, want)), (got, want)
        assert 0 <= box["y"] <= 900 - box["height"], "scrolled into view"
        assert "active" in (button.get_attribute("class") or "")
    assert page.errors == []


def test_every_flagged_value_is_outlined_and_leads_back_to_its_finding(out: Path, page) -> None:  # type: ignore[no-untyped-def]
    findings = _findings_by_id(out, FLAGGED)
    page.goto(file_url(out, FLAGGED))
    with_box = {fid for fid, f in findings.items() if f.get("bbox")}
    for fid in with_box:
        cell_id = page.locator(f"#{fid}").get_attribute("data-cell")
        assert cell_id, f"finding {findings[fid]['message']} has a box but no cell"
        cell = page.locator(f"#{cell_id}")
        assert "flagged" in cell.get_attribute("class")
        style = cell.evaluate("e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineColor]")
        assert style == ["solid", RED]
        cell.click()
        assert "active" in page.locator(f"#{fid}").get_attribute("class")
    page.locator(f"#{next(iter(sorted(with_box)))}").click()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-file.png"))
    assert page.errors == []


def test_a_scan_shows_its_low_confidence_cells_and_images(out: Path, page) -> None:  # type: ignore[no-untyped-def]
    views = read_page_views(out, SCAN)
    doubtful = sum(1 for p in views for t in p["tables"] for c in t["cells"]
                   if c["source"] != "text" and c["raw_text"] and c["confidence"] < 0.5)  # fmt: skip
    assert doubtful > 0, "the scanned sample has cells read with low confidence"
    page.goto(file_url(out, SCAN))
    shaded = page.locator(".cell.doubtful")
    assert shaded.count() == doubtful
    assert shaded.first.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert "confidence" in shaded.first.get_attribute("title")
    sizes = page.locator("img").evaluate_all("images => images.map(i => i.complete && i.naturalWidth)")
    assert len(sizes) == len(views) and all(sizes)
    assert page.errors == []


def test_a_file_of_several_forms_and_a_failed_file_have_pages(out: Path, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(file_url(out, "project/proj_multi_2023.pdf"))
    assert page.locator("table.indicators").count() == 3
    page.goto(file_url(out, "bad/corrupt.pdf"))
    assert "corrupt" in page.locator(".error").inner_text()
    assert page.errors == []


def test_a_reviewers_correction_shows_in_the_report(out: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    shutil.copytree(out, folder)
    path = folder / "indicators.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    row = next(r for r in rows if r["file"] == FLAGGED and r["score"] and float(r["score"]) > float(r["max_score"]))
    row["score"] = row["max_score"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert main(["validate", str(folder)]) in (0, 1)
    assert main(["report", str(folder)]) == 0
    html = (folder / "report" / "files" / f"{slug_of(FLAGGED)}.html").read_text(encoding="utf-8")
    assert "corrected: score: read" in html and f"set {float(row['max_score'])}" in html
    kept = json.loads((folder / "corrections.json").read_text(encoding="utf-8"))
    assert len(kept) == 1


def test_report_refuses_a_folder_that_is_not_an_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path)]) == 2
    assert "not an output folder" in capsys.readouterr().err


def test_extract_with_report_writes_it_and_reports_a_rerun_without_reading_again(tmp_path: Path) -> None:
    sample = SAMPLES / "exported" / "dept_justice_2019.pdf"
    assert main(["extract", str(sample), "-o", str(tmp_path), "-q", "--report"]) == 0
    index = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "dept_justice_2019.pdf" in index
    (tmp_path / "report" / "index.html").unlink()
    assert main(["report", str(tmp_path)]) == 0 and (tmp_path / "report" / "index.html").exists()
    images = list((tmp_path / "report" / "pages").rglob("*.webp"))
    assert len(images) == len(read_page_views(tmp_path, str(sample))) > 0
