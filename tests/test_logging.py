"""The CLI's logging: selfeval's own warnings shown, libraries' noise kept out unless -vv."""

from __future__ import annotations

import subprocess
import sys

import pytest

SCRIPT = """
import logging, sys
from extract.cli import configure_logging
configure_logging(int(sys.argv[1]))
logging.getLogger("pdfminer.pdffont").warning("Could not get FontBBox from font descriptor")
logging.getLogger("extract.scan.cell_text").info("p1: number read under a seal")
logging.getLogger("extract.pipeline").warning("selfeval warning")
"""


def stderr_at(verbosity: int) -> str:
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(verbosity)],
                         capture_output=True, text=True, check=True)
    return run.stderr


@pytest.mark.parametrize("verbosity", [0, 1])
def test_library_warnings_stay_out_of_the_terminal(verbosity: int) -> None:
    err = stderr_at(verbosity)
    assert "FontBBox" not in err
    assert "selfeval warning" in err
    assert ("number read under a seal" in err) == (verbosity == 1)


def test_vv_shows_library_warnings_too() -> None:
    assert "FontBBox" in stderr_at(2)
