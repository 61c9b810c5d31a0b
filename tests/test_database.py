"""The SQL sink against SQLite and a real PostgreSQL server (Debian's `postgresql`: the
fixture runs initdb and pg_ctl in a temporary folder as an unprivileged user, on a free
local port): after two runs, and after a file changes or goes, the tables hold exactly
the CSVs' rows."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy

from extract.cli import main

pytestmark = pytest.mark.samples

ROOT = Path(__file__).resolve().parents[1]
FILES = ["project/proj_mof_2023.pdf", "project/proj_multi_2023.pdf", "project/notform_target_2023.pdf",
         "exported/dept_justice_2019.pdf"]  # fmt: skip
TABLES = {"documents": "summary", "indicators": "indicators", "budget": "budget", "findings": "findings"}


def _archive(folder: Path) -> Path:
    for name in FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "samples" / name, folder / name)
    return folder


def _value(value: object) -> str:
    """A cell compared as text, numbers as numbers (a database's 2019 may come back 2019.0)."""
    try:
        return repr(round(float(value), 6)) if value != "" else ""  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)


def _rows(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    return [tuple(_value(v) for v in row) for row in frame.values.tolist()]


def _same_rows(url: str, out: Path) -> None:
    engine = sqlalchemy.create_engine(url)
    try:
        for table, csv_name in TABLES.items():
            csv = pd.read_csv(out / f"{csv_name}.csv", keep_default_na=False, dtype=str)
            db = pd.read_sql_table(table, engine).drop(columns="id")
            db = db.astype(object).where(db.notna(), "")[csv.columns]
            assert len(db) == len(csv), table
            assert sorted(_rows(db)) == sorted(_rows(csv)), table
    finally:
        engine.dispose()


def _run_twice_and_change(url: str, tmp_path: Path) -> None:
    inbox, out = _archive(tmp_path / "in"), tmp_path / "out"
    for _ in range(2):
        main(["extract", str(inbox), "-o", str(out), "--db", url, "-q"])
        _same_rows(url, out)
    (inbox / FILES[0]).unlink()
    shutil.copy(ROOT / "samples" / "project" / "proj_local_2024.pdf", inbox / FILES[1])
    main(["extract", str(inbox), "-o", str(out), "--db", url, "-q"])
    _same_rows(url, out)


def test_sqlite_in_the_output_folder(tmp_path: Path) -> None:
    inbox, out = _archive(tmp_path / "in"), tmp_path / "out"
    main(["extract", str(inbox), "-o", str(out), "--db", "-q"])
    _same_rows(f"sqlite:///{out / 'selfeval.sqlite'}", out)
    _run_twice_and_change(f"sqlite:///{tmp_path / 'other.sqlite'}", tmp_path / "again")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not binaries:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql; scripts/install.sh does)")
    bin_dir = Path(binaries[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="selfeval-pg-"))  # under /tmp: the server's user can reach it
    data, port = folder / "data", _free_port()
    user = [] if os.getuid() != 0 else ["runuser", "-u", "nobody", "--"]  # initdb refuses root
    if user:
        shutil.chown(folder, "nobody")
        os.chmod(folder, 0o700)
    subprocess.run([*user, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "selfeval"],
                   check=True, capture_output=True)
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    subprocess.run([*user, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"),
                    "-w", "start"], check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://selfeval@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def test_postgresql_server(postgres: str, tmp_path: Path) -> None:
    _run_twice_and_change(postgres, tmp_path)
