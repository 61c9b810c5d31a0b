"""Batches over an archive, end to end through the CLI: a re-run reads only what changed
and gives the same outputs, a file gone is dropped, a worker killed mid-file costs
nothing, a file past --timeout fails alone, a batch killed midway resumes to the same
outputs as one that was not."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import cv2
import pytest

from extract.cli import main
from extract.model import Options
from extract.pipeline import process_file_in_worker
from scripts.compare_outputs import differences

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
TEXT_FILES = ["exported/dept_justice_2019.pdf", "project/proj_mof_2023.pdf", "project/proj_multi_2023.pdf",
              "project/notform_target_2023.pdf", "bad/corrupt.pdf", "bad/empty.pdf"]  # fmt: skip
SCANS = ["scanned/proj_mof_2023-200dpi.pdf", "scanned/proj_word_2022-200dpi.pdf",
         "scanned/dept_justice_2019-200dpi.pdf"]  # fmt: skip


def archive(folder: Path, names: list[str]) -> Path:
    for name in names:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLES / name, target)
    return folder


def cli(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "SELFEVAL_OCR_THREADS": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "extract", "extract", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def summary_rows(out: Path) -> list[str]:
    return (out / "summary.csv").read_text(encoding="utf-8").splitlines()[1:]


def summary(out: Path) -> list[dict[str, str]]:
    with open(out / "summary.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.samples
def test_a_rerun_reads_only_what_changed_and_gives_the_same_outputs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inbox, out = archive(tmp_path / "in", TEXT_FILES), tmp_path / "out"
    assert main(["extract", str(inbox), "-o", str(out), "-j", "2"]) == 1  # bad files among them
    first = tmp_path / "first"
    shutil.copytree(out, first)
    capsys.readouterr()
    main(["extract", str(inbox), "-o", str(out), "-j", "2"])
    assert "(6 unchanged, not read again)" in capsys.readouterr().out
    assert differences(first, out) == []  # timings included: nothing was read again
    shutil.copy(SAMPLES / "project" / "proj_local_2024.pdf", inbox / "project" / "proj_mof_2023.pdf")
    (inbox / "bad" / "empty.pdf").unlink()
    main(["extract", str(inbox), "-o", str(out), "-j", "2"])
    said = capsys.readouterr().out
    assert "4 unchanged, not read again; 1 gone from the archive, dropped" in said
    rows = summary_rows(out)
    assert not any(row.startswith("bad/empty.pdf") for row in rows)
    assert any(row.startswith("project/proj_mof_2023.pdf") and ",flagged," in row for row in rows)
    assert main(["extract", str(inbox), "-o", str(out), "--force", "-q"]) == 1


@pytest.mark.ocr
def test_a_file_past_its_time_limit_fails_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a 4-page scan takes 8 s and more; a 2-page text PDF well under 3 s, on a busy machine too
    inbox = archive(tmp_path / "in", ["exported/dept_justice_2019.pdf", "scanned/dept_edu_2022-200dpi.pdf"])
    out = tmp_path / "out"
    assert main(["extract", str(inbox), "-o", str(out), "-j", "2", "--timeout", "3"]) == 1
    err = capsys.readouterr().err
    assert "dept_edu_2022-200dpi.pdf: timed out after 3 s" in err
    assert any(row.startswith("exported/dept_justice_2019.pdf,1,dept_overall") for row in summary_rows(out))


def workers_of(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in found]


@pytest.mark.ocr
def test_a_worker_killed_mid_file_costs_nothing(tmp_path: Path) -> None:
    inbox, out = archive(tmp_path / "in", SCANS), tmp_path / "out"
    run = cli(str(inbox), "-o", str(out), "-j", "2")
    deadline = time.monotonic() + 60
    while len(workers_of(run.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(2.0)  # both workers are reading a scan now
    victim = max(workers_of(run.pid))
    os.kill(victim, signal.SIGKILL)
    _, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    rows = summary(out)
    assert len(rows) == 3 and all(row["status"] in ("ok", "flagged") and row["form_type"] for row in rows)


def assert_same_outputs(a: Path, b: Path) -> None:
    """Every output the same but for timings (the records keep each file's seconds)."""
    assert [d for d in differences(a, b) if not d.startswith("results/")] == []
    assert sorted(p.name for p in (a / "results").iterdir()) == sorted(p.name for p in (b / "results").iterdir())


def whole_run_and_a_second(tmp_path: Path) -> tuple[Path, Path, Path, subprocess.Popen[str]]:
    """An archive converted once to the end, and a second conversion of it under way: one
    file done and kept, the others not yet."""
    inbox = archive(tmp_path / "in", SCANS + TEXT_FILES[:3])
    whole, second = tmp_path / "whole", tmp_path / "second"
    assert cli(str(inbox), "-o", str(whole), "-j", "2").wait(timeout=300) == 0
    run = cli(str(inbox), "-o", str(second), "-j", "2")
    deadline = time.monotonic() + 120
    while not list((second / "results").glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.1)
    return inbox, whole, second, run


@pytest.mark.ocr
def test_a_batch_killed_midway_resumes_to_the_same_outputs(tmp_path: Path) -> None:
    inbox, whole, broken, run = whole_run_and_a_second(tmp_path)
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    for pid in workers_of(run.pid):  # orphans of the killed parent, if any
        os.kill(pid, signal.SIGKILL)
    assert cli(str(inbox), "-o", str(broken), "-j", "2").wait(timeout=300) == 0
    assert_same_outputs(whole, broken)


@pytest.mark.samples
def test_dask_and_a_local_pool_give_the_same_outputs(tmp_path: Path) -> None:
    inbox = archive(tmp_path / "in", TEXT_FILES)
    local, dask = tmp_path / "local", tmp_path / "dask"
    main(["extract", str(inbox), "-o", str(local), "-j", "2", "-q"])
    main(["extract", str(inbox), "-o", str(dask), "-j", "2", "-q", "--dask", "local"])
    assert_same_outputs(local, dask)


@pytest.mark.ocr
def test_ctrl_c_keeps_what_is_done_and_the_rerun_completes_it(tmp_path: Path) -> None:
    inbox, whole, stopped, run = whole_run_and_a_second(tmp_path)
    run.send_signal(signal.SIGINT)
    out, _ = run.communicate(timeout=60)
    assert run.returncode == 130 and "stopped: the outputs hold the files finished so far" in out
    done = summary(stopped)
    assert 0 < len(done) < 8  # 6 files; the three-form file gives three rows
    assert cli(str(inbox), "-o", str(stopped), "-j", "2").wait(timeout=300) == 0
    assert_same_outputs(whole, stopped)


@pytest.mark.unit
def test_a_worker_holds_opencv_to_its_thread_budget(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Left at every core, each worker's OpenCV competes with the other workers (measured
    with scripts/bench_batch.py); a worker's thread budget is SELFEVAL_OCR_THREADS."""
    monkeypatch.setenv("SELFEVAL_OCR_THREADS", "1")
    cv2.setNumThreads(2)
    try:
        result = process_file_in_worker(tmp_path / "missing.pdf", Options(), "missing.pdf")
        assert cv2.getNumThreads() == 1 and result.status == "failed"
    finally:
        cv2.setNumThreads(-1)


@pytest.mark.ocr
def test_a_batch_after_a_scan_read_in_the_same_process_does_not_hang(tmp_path: Path) -> None:
    """This process holds the OCR engine and its native threads after reading a scan; the
    batch's workers must not inherit them (a forked copy hung on its first page)."""
    from extract.pipeline import process_file

    assert process_file(SAMPLES / SCANS[0], Options()).status != "failed"
    inbox = archive(tmp_path / "in", SCANS[:2])
    assert main(["extract", str(inbox), "-o", str(tmp_path / "out"), "-q", "-j", "2", "--timeout", "120"]) == 0
    assert all(row["status"] != "failed" for row in summary(tmp_path / "out"))
