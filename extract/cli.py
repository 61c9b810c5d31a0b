"""Command-line interface: ``selfeval extract INPUT... -o OUTDIR``.

Exit codes:
  0  every input converted (forms with findings count as converted)
  1  some inputs failed; every other input was converted and written
  2  usage error, no input found, or no input could be converted
  3  with --strict: everything converted but some forms have findings
  4  a layout file is invalid, or --layout names no layout
  130  stopped with Ctrl-C; the outputs hold every file finished so far
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import sys
from pathlib import Path

from .batch import Job, collect_inputs, run_archive
from .errors import LayoutError, SelfEvalError
from .forms.layouts import get_layout, load_layouts
from .model import DEFAULT_DPI, READ_MODES, Options
from .output.export import DEFAULT_FORMATS, FORMATS, SCHEMA_FILE
from .output.records import RESULTS_DIR
from .review import revalidate, revalidate_document

EXIT_OK, EXIT_SOME_FAILED, EXIT_NOTHING, EXIT_FINDINGS = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl-C: what was done is kept
# Libraries whose warnings are noise to a user (pdfminer warns once per glyph of a font
# without a bounding box: about 190 lines for three PDFs printed by Chromium). They are
# shown from -vv on.
QUIET_LIBRARIES = ("pdfminer", "pdfplumber", "PIL", "openvino", "onnxruntime", "RapidOCR")


def configure_logging(verbosity: int) -> None:
    """selfeval's own messages at WARNING (INFO with -v, DEBUG with -vv) on stderr;
    libraries' warnings only from -vv on."""
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    logging.basicConfig(format="%(levelname)s: %(name)s: %(message)s", level=logging.WARNING)
    logging.getLogger("extract").setLevel(level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING if verbosity >= 2 else logging.ERROR)


def parse_pages(text: str) -> tuple[int, ...]:
    """``1-3,5`` → (1, 2, 3, 5)."""
    pages: list[int] = []
    try:
        for part in text.split(","):
            first, _, last = part.strip().partition("-")
            pages.extend(range(int(first), int(last or first) + 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid page list {text!r}") from None
    if not pages or min(pages) < 1:
        raise argparse.ArgumentTypeError(f"invalid page list {text!r}")
    return tuple(sorted(set(pages)))


# The library each optional output needs, and the extra that installs it.
# What an output or option needs: its modules (space-separated) and the extra giving them.
FORMAT_NEEDS = {"xlsx": ("openpyxl", "excel"), "parquet": ("pyarrow", "parquet"),
                "db": ("sqlalchemy", "db"), "dask": ("distributed", "dask"),
                "report": ("jinja2 matplotlib", "report")}


def parse_formats(text: str) -> tuple[str, ...]:
    """``csv,xlsx`` → ("csv", "xlsx"); an unknown name is a usage error."""
    names = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        shown = ", ".join(unknown) or repr(text)
        raise argparse.ArgumentTypeError(f"unknown format {shown}; known: {', '.join(FORMATS)}")
    return names


def revalidate_path(path: Path, layout_dirs: tuple[Path, ...]) -> int:
    """``selfeval validate``: an output folder's corrections recorded and applied, or one
    JSON document's findings recomputed in place."""
    try:
        if path.is_dir():
            kept, before, after = revalidate(path, layout_dirs)
            print(f"{path}: {kept} correction(s) kept in {path / 'corrections.json'}; "
                  f"findings {before} → {after}")
        else:
            before, after = revalidate_document(path, layout_dirs)
            print(f"{path}: findings {before} → {after}")
    except (OSError, ValueError, KeyError, LayoutError) as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        return EXIT_NOTHING
    return EXIT_OK


def database_url(args: argparse.Namespace) -> str | None:
    """The --db URL; --db alone is a SQLite file in the output folder."""
    if args.db is None:
        return None
    return args.db or f"sqlite:///{(args.output / 'selfeval.sqlite').resolve()}"


def missing_library(formats: tuple[str, ...]) -> str:
    """A one-line reason when an asked-for output's library is not installed, else ""."""
    for name in formats:
        modules, extra = FORMAT_NEEDS.get(name, ("", ""))
        for module in modules.split():
            if importlib.util.find_spec(module) is None:
                option = f"--{name}" if name in ("db", "dask", "report") else f"--format {name}"
                return f"{option} needs {module}: pip install 'selfeval[{extra}]'"
    return ""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="selfeval",
        description="Turn performance self-evaluation forms (绩效自评表) into validated CSV/JSON.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n", 2)[2] if __doc__ else None,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="convert PDFs/images (files or folders) into CSV and JSON")
    ex.add_argument("inputs", nargs="+", metavar="INPUT", help="PDF/PNG/JPG/TIFF files or folders")
    ex.add_argument("-o", "--output", required=True, type=Path, help="output folder")
    ex.add_argument("--layout", help="read every input with this layout (default: choose the best)")
    ex.add_argument("--layouts", type=Path, action="append", default=[], metavar="DIR",
                    help="a folder of your own layout files, added to the shipped ones (repeatable)")
    ex.add_argument("--ocr", dest="ocr_engine", help="OCR engine for scanned pages")
    ex.add_argument("--force-ocr", action="store_true", help="OCR pages even if they have text")
    ex.add_argument("--dpi", type=int, default=DEFAULT_DPI,
                    help=f"render resolution for OCR (default {DEFAULT_DPI})")
    ex.add_argument("--pages", type=parse_pages, help="pages to read, e.g. 1-3,5 (default: all)")
    ex.add_argument("--read", choices=READ_MODES, default="all",
                    help="scanned pages: read every cell (all, the default), or only names and numbers "
                         "(scores: prose cells are left empty, provenance 'not read'; findings are the same)")
    ex.add_argument("--debug", type=Path, metavar="DIR", help="write per-page debug images here (every file is read again)")
    ex.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: cores)")
    ex.add_argument("--timeout", type=float, metavar="SECONDS",
                    help="fail a file that takes longer than this (default: no limit; not with --dask)")
    ex.add_argument("--format", dest="formats", type=parse_formats, default=DEFAULT_FORMATS,
                    metavar="LIST", help=f"outputs, of {','.join(FORMATS)} (default: csv,json)")
    ex.add_argument("--excel-csv", action="store_true",
                    help="start the CSV files with a BOM, so that Excel reads their Chinese text")
    ex.add_argument("--db", nargs="?", const="", metavar="URL",
                    help="also write the tables into this database (SQLAlchemy URL); --db alone: "
                         "sqlite:///OUT/selfeval.sqlite")
    ex.add_argument("--dask", metavar="ADDRESS",
                    help="read the files on Dask distributed: 'local' (a local cluster of -j "
                         "workers) or a scheduler's address, tcp://HOST:PORT")
    ex.add_argument("--report", action="store_true",
                    help="also write the review report (OUTDIR/report/index.html)")
    ex.add_argument("--force", action="store_true",
                    help="read every file again, even those unchanged since the last run")
    ex.add_argument("--strict", action="store_true", help="exit 3 when any form has findings")
    ex.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    ex.add_argument("-v", "--verbose", action="count", default=0,
                    help="log progress (-v) and details, library warnings included (-vv)")
    sub.add_parser("schema", help="print the JSON Schema of the per-form JSON documents")
    va = sub.add_parser("validate", help="run the rules again after a review: on an output folder "
                                         "whose CSVs were corrected, or on an edited JSON document")
    va.add_argument("path", type=Path, metavar="PATH", help="an output folder or a form's JSON document")
    va.add_argument("--layouts", type=Path, action="append", default=[], metavar="DIR",
                    help="a folder of your own layout files (repeatable)")
    tb = sub.add_parser("tables", help="every ruled table of any document: JSON, CSV, XLSX and HTML")
    tb.add_argument("inputs", nargs="+", metavar="INPUT", help="PDF or image files, or folders of them")
    tb.add_argument("-o", "--output", required=True, type=Path, metavar="OUTDIR", help="output folder")
    tb.add_argument("--ocr", dest="ocr_engine", help="OCR engine for pages without a usable text layer")
    tb.add_argument("--force-ocr", action="store_true", help="OCR pages even if they have text")
    tb.add_argument("--dpi", type=int, default=DEFAULT_DPI, help=f"render resolution for OCR (default {DEFAULT_DPI})")
    tb.add_argument("--pages", type=parse_pages, help="pages to read, e.g. 1-3,5 (default: all)")
    tb.add_argument("--fill-spans", action="store_true",
                    help="in the CSVs, a spanning cell's text in every position it covers")
    tb.add_argument("--join-pages", action="store_true",
                    help="join a table continued on the next page (same columns) into one")
    tb.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    rp = sub.add_parser("report", help="write the review report of an output folder into OUTDIR/report/")
    rp.add_argument("path", type=Path, metavar="OUTDIR", help="an output folder of selfeval extract")
    rp.add_argument("--layouts", type=Path, action="append", default=[], metavar="DIR",
                    help="a folder of your own layout files (repeatable)")
    ls = sub.add_parser("layouts", help="list the installed layouts (form families)")
    ls.add_argument("--layouts", type=Path, action="append", default=[], metavar="DIR",
                    help="also a folder of your own layout files (repeatable)")
    return parser


def extract_tables(args: argparse.Namespace) -> int:
    """``selfeval tables``: each input's ruled tables into the output folder; a bad file
    gets one line and the others go on."""
    from .output.tables import found_tables, output_stem, write_tables
    from .pipeline import read_tables

    configure_logging(0)  # pdfminer's font warnings kept off the terminal, as for extract
    options = Options(ocr_engine=args.ocr_engine, force_ocr=args.force_ocr, dpi=args.dpi, pages=args.pages)
    inputs = collect_inputs(args.inputs)
    if not inputs:
        print("error: no input files found", file=sys.stderr)
        return EXIT_NOTHING
    failed = tables = 0
    stems = [output_stem(name) for _, name in inputs]
    for (path, name), stem in zip(inputs, stems):
        if stems.count(stem) > 1:  # a.pdf and a.png: both keep their suffix
            stem = output_stem(name + ".x")
        try:
            found = found_tables(read_tables(path, options), args.join_pages)
            write_tables(found, name, args.output, fill_spans=args.fill_spans, stem=stem,
                         xlsx=importlib.util.find_spec("openpyxl") is not None)  # fmt: skip
        except SelfEvalError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed += 1
            continue
        except Exception as exc:  # one file's problem never stops the others
            print(f"error: {path}: internal error ({type(exc).__name__}: {exc})", file=sys.stderr)
            failed += 1
            continue
        tables += len(found)
    if not args.quiet:
        print(f"{len(inputs)} file(s), {tables} table(s), {failed} failed → {args.output}")
    return EXIT_NOTHING if failed == len(inputs) else EXIT_SOME_FAILED if failed else EXIT_OK


def write_report(outdir: Path, layout_dirs: tuple[Path, ...], quiet: bool = False) -> int:
    """``selfeval report``: the review report of an output folder."""
    missing = missing_library(("report",))
    if missing:
        print(f"error: {missing}", file=sys.stderr)
        return EXIT_NOTHING
    if not (outdir / RESULTS_DIR).is_dir():
        print(f"error: {outdir}: not an output folder of selfeval extract (no {RESULTS_DIR}/ in it)", file=sys.stderr)
        return EXIT_NOTHING
    from .report import build_report

    index = build_report(outdir, layout_dirs)
    if not quiet:
        print(f"report: {index}")
    return EXIT_OK


def list_layouts(dirs: list[Path]) -> int:
    """Print each layout: name, family and description."""
    try:
        layouts = load_layouts(dirs)
    except LayoutError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    width = max(len(layout.name) for layout in layouts)
    for layout in layouts:
        print(f"{layout.name:<{width}}  {layout.family:<14} {layout.description}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "layouts":
        return list_layouts(args.layouts)
    if args.command == "validate":
        return revalidate_path(args.path, tuple(args.layouts))
    if args.command == "tables":
        return extract_tables(args)
    if args.command == "report":
        return write_report(args.path, tuple(args.layouts))
    if args.command == "schema":
        print(SCHEMA_FILE.read_text(encoding="utf-8"), end="")
        return EXIT_OK
    configure_logging(args.verbose)
    try:  # a broken layout file or an unknown --layout is a configuration error: said once
        load_layouts(args.layouts)
        if args.layout:
            get_layout(args.layout, args.layouts)
    except LayoutError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    if args.dask and args.timeout is not None:
        print("error: --timeout works with the local pool only; Dask distributed has no limit "
              "per task (leave out --timeout, or --dask)", file=sys.stderr)
        return EXIT_NOTHING
    missing = missing_library(args.formats + (("db",) if args.db is not None else ())
                              + (("dask",) if args.dask else ()) + (("report",) if args.report else ()))
    if missing:
        print(f"error: {missing}", file=sys.stderr)
        return EXIT_NOTHING
    jobs = collect_inputs(args.inputs)
    if not jobs:
        print("error: no input files found", file=sys.stderr)
        return EXIT_NOTHING
    options = Options(
        layout=args.layout,
        layout_dirs=tuple(args.layouts),
        ocr_engine=args.ocr_engine,
        force_ocr=args.force_ocr,
        dpi=args.dpi,
        debug_dir=args.debug,
        pages=args.pages,
        read=args.read,
    )
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    workers = args.jobs or min(cores, len(jobs))
    # Threads per worker for OCR and image operations: the cores this process may use,
    # shared among the workers (one file alone gets them all)
    os.environ.setdefault("SELFEVAL_OCR_THREADS", str(max(1, cores // workers)))
    try:
        report = run_archive([Job(path, name) for path, name in jobs], options, args.output,
                             workers=workers, timeout=args.timeout,
                             force=args.force or args.debug is not None,  # debug images come from reading
                             quiet=args.quiet,
                             formats=args.formats, excel_csv=args.excel_csv, database=database_url(args), dask=args.dask)
    except OSError as exc:
        print(f"error: {args.output}: cannot write output ({exc.strerror or exc})", file=sys.stderr)
        return EXIT_NOTHING
    results = report.results
    failed = [r for r in results if r.status == "failed"]
    flagged = [r for r in results if r.status == "flagged"]
    for result in failed:
        print(f"error: {result.error}", file=sys.stderr)
    if not args.quiet:
        ok = len(results) - len(failed) - len(flagged)
        notes = [f"{report.unchanged} unchanged, not read again"] if report.unchanged else []
        notes += [f"{len(report.dropped)} gone from the archive, dropped"] if report.dropped else []
        notes += ["stopped: the outputs hold the files finished so far"] if report.interrupted else []
        print(
            f"{len(results)} file(s): {ok} ok, {len(flagged)} flagged, {len(failed)} failed"
            + (f" ({'; '.join(notes)})" if notes else "")
            + f" → {report.paths.get('summary', args.output)}"
        )
    if args.report and not report.interrupted:
        try:
            write_report(Path(args.output), tuple(args.layouts), quiet=args.quiet)
        except Exception as exc:  # the converted outputs stand; only the report is missing
            print(f"error: {args.output}: cannot write the report ({type(exc).__name__}: {exc})", file=sys.stderr)
    if report.interrupted:
        return EXIT_INTERRUPTED
    if len(failed) == len(results):
        return EXIT_NOTHING
    if failed:
        return EXIT_SOME_FAILED
    if args.strict and flagged:
        return EXIT_FINDINGS
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
