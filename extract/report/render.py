"""The review report written into ``OUT/report/``: ``index.html`` (the batch overview),
``files/<file>.html`` (one page per file), the page images linked (or copied) from
``OUT/pages/`` and the style and script in ``assets/``. Everything it needs is in that
folder; it opens from the file system or any static web server."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from importlib import resources
from pathlib import Path

from ..output.export import write_atomic
from ..output.pages import PAGES_DIR
from .charts import findings_chart, totals_chart
from .views import FileView, file_views

REPORT_DIR = "report"
ASSETS = ("report.css", "report.js")


def number(value: float | None) -> str:
    """A score or total as printed: up to the 3 decimals the rules compare, no trailing
    zeros, empty for None."""
    if value is None:
        return ""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _environment():  # type: ignore[no-untyped-def]
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("extract.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)  # fmt: skip
    env.globals["number"] = number
    return env


def _link_or_copy(source: Path, target: Path) -> None:
    if target.exists() and target.stat().st_size == source.stat().st_size and target.stat().st_mtime >= source.stat().st_mtime:
        return
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or no hard links
        shutil.copy2(source, target)


def _images(outdir: Path, report: Path, files: list[FileView]) -> None:
    """The page images of ``files`` in ``report/pages/<file>/``; folders of files no longer
    in the outputs removed."""
    wanted = {file.slug for file in files}
    root = report / PAGES_DIR
    for file in files:
        source = outdir / PAGES_DIR / file.slug
        target = root / file.slug
        target.mkdir(parents=True, exist_ok=True)
        for image in source.glob("*.webp"):
            _link_or_copy(image, target / image.name)
    if root.is_dir():
        for folder in root.iterdir():
            if folder.name not in wanted:
                shutil.rmtree(folder, ignore_errors=True)


def _rules(files: list[FileView]) -> list[dict[str, object]]:
    findings = [(file.name, f) for file in files for f in file.findings]
    counts = Counter(f.rule for _, f in findings)
    return [{"rule": rule, "count": n, "severity": next(f.severity for _, f in findings if f.rule == rule),
             "files": len({name for name, f in findings if f.rule == rule})}
            for rule, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]  # fmt: skip


def _mark_flagged(file: FileView) -> None:
    """Each finding's id on the cell its box lies in (the cell is outlined)."""
    cells = {cell.id: cell for page in file.pages for cell in page.cells}
    for finding in file.findings:
        if finding.cell in cells:
            cells[finding.cell].flagged.append(finding.id)


def build_report(outdir: Path, layout_dirs: tuple[Path, ...] = ()) -> Path:
    """Write the report of an output folder (its kept results, page views and a reviewer's
    corrections) into ``OUT/report/``; returns the index's path."""
    outdir = Path(outdir)
    report = outdir / REPORT_DIR
    (report / "files").mkdir(parents=True, exist_ok=True)
    (report / "assets").mkdir(exist_ok=True)
    files = file_views(outdir, layout_dirs, image_root=f"../{PAGES_DIR}")
    for file in files:
        _mark_flagged(file)
    assets = resources.files("extract.report") / "assets"
    for name in ASSETS:
        write_atomic(report / "assets" / name, (assets / name).read_text(encoding="utf-8"))
    _images(outdir, report, files)
    env = _environment()
    page = env.get_template("file.html.j2")
    for file in files:
        write_atomic(report / "files" / f"{file.slug}.html", page.render(file=file, root="../"))
    kept = {f"{file.slug}.html" for file in files}
    for stale in (report / "files").glob("*.html"):
        if stale.name not in kept:
            stale.unlink()
    statuses = Counter(file.status for file in files)
    index = env.get_template("index.html.j2").render(
        files=files, root="", rules=_rules(files), families=sorted({f for file in files for f in file.families}),
        counts={s: statuses.get(s, 0) for s in ("ok", "flagged", "failed")},
        n_findings=sum(len(file.findings) for file in files),
        totals_svg=totals_chart(files), findings_svg=findings_chart(files),
    )
    write_atomic(report / "index.html", index)
    return report / "index.html"
