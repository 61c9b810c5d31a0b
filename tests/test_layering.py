"""The stages' layering, as the import-linter contracts in pyproject.toml state it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.unit


def test_import_contracts_are_kept() -> None:
    command = shutil.which("lint-imports")
    assert command, "import-linter is not installed (pip install -e '.[dev]')"
    run = subprocess.run([command, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
