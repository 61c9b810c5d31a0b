"""Test lanes and shared readings.

Markers: ``unit`` (pure functions and small fixtures, no OCR: ``pytest -m unit`` runs in
seconds), ``samples`` (whole sample forms end to end through the text layer), ``ocr``
(anything that runs an OCR engine or the scanned-page image pipeline), ``browser`` (the
review report in Debian's chromium through Playwright). A test without a
marker is a unit test. Each sample form is read once per session (``read_sample``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from extract.model import FileResult, Options
from extract.pipeline import process_file

ROOT = Path(__file__).resolve().parent.parent
LANES = ("unit", "samples", "ocr", "browser")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if not any(item.get_closest_marker(lane) for lane in LANES):
            item.add_marker(pytest.mark.unit)


@cache
def _read_sample(relative: str, pages: tuple[int, ...] | None = None, read: str = "all") -> FileResult:
    return process_file(ROOT / "samples" / relative, Options(pages=pages, read=read))


@pytest.fixture(scope="session")
def read_sample() -> Callable[..., FileResult]:
    """``read_sample("scanned/x.pdf", pages=None, read="all")``: the sample converted once per test
    session, whichever tests ask for it (never raises: a FileResult)."""
    return _read_sample
