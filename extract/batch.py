"""A batch over an archive that survives it: workers that die or hang cost only their own
file, a re-run reads only what is new or changed, Ctrl-C keeps what is done.

Each file is read in a worker process of a ``pebble`` pool. A worker that dies (killed
for memory, say) is replaced and its file tried once more in a fresh worker; a file that
kills its worker twice, or runs past ``--timeout``, is failed with that reason and the
batch goes on. Each file's result is kept as a record in the output folder as soon as it
is in (``output.records``); the combined outputs are rebuilt from the records at the
end, also after Ctrl-C, so they always hold every file finished so far."""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, TimeoutError, wait
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from pebble import ProcessExpired, ProcessPool
from tqdm import tqdm

from .forms.layouts import layout_folders
from .model import FileResult, Options
from .ocr.registry import engines_loaded
from .output import corrections
from .output.export import DEFAULT_FORMATS, write_outputs
from .output.pages import drop_page_views, write_page_views
from .output.records import drop_record, file_digest, options_key, read_records, write_record
from .pipeline import process_file, process_file_in_worker

try:
    VERSION = metadata.version("selfeval")
except metadata.PackageNotFoundError:  # run from a source tree that is not installed
    VERSION = "unknown"
INPUT_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
# How often a file may take its worker down before it is failed (the first time may be
# another file's memory pressure, the second is its own).
ATTEMPTS = 2


@dataclass(frozen=True)
class Job:
    """One input file and its name in the outputs."""

    path: Path
    name: str


@dataclass
class BatchReport:
    """What a batch did: every file's result (read now or kept from before), how many were
    read, how many were unchanged, the files gone from the archive, and whether it was
    stopped."""

    results: list[FileResult]
    read: int = 0
    unchanged: int = 0
    dropped: list[str] = field(default_factory=list)
    interrupted: bool = False
    paths: dict[str, Path] = field(default_factory=dict)


def layout_files(options: Options) -> list[Path]:
    """Every layout file a run may read (the folders ``load_layouts`` reads)."""
    folders = layout_folders(options.layout_dirs)
    return sorted(path for folder in folders if folder.is_dir() for path in folder.glob("*.toml"))


def collect_inputs(inputs: list[str | Path]) -> list[tuple[Path, str]]:
    """(path, name in the output) for each input file; folders are searched recursively and
    their files named relative to the folder. Missing paths are kept (they fail later)."""
    found: list[tuple[Path, str]] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in INPUT_SUFFIXES:
                    found.append((child, child.relative_to(path).as_posix()))
        else:
            found.append((path, str(item)))
    return found


def read_files(jobs: list[Job], options: Options, *, workers: int = 1,
               timeout: float | None = None) -> list[FileResult]:
    """Every file's result, in the order of ``jobs``, read by ``workers`` processes (in
    this process for one): no output folder, nothing kept."""
    if workers <= 1 and timeout is None:
        return [process_file(job.path, options, job.name) for job in jobs]
    todo = [(job, "") for job in jobs]
    by_name = {result.file: result for _, result in _read_all(todo, options, workers, timeout, views=False)}
    return [by_name[job.name] for job in jobs]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _failed(job: Job, reason: str, seconds: float = 0.0) -> FileResult:
    return FileResult(job.name, [], seconds, f"{job.path}: {reason}")


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers forked from this process, unless it has read a scan: then it holds the OCR
    engine and its native threads, and a worker forked from it inherits the engine without
    its threads and hangs on its first page (seen in a test session; a notebook would do
    the same). Its workers then fork from a fresh server that has imported the pipeline
    (a script calling the API must then guard its entry point with ``__main__``)."""
    if not engines_loaded():
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["extract.pipeline"])
    return context


def _read_all(todo: list[tuple[Job, str]], options: Options, workers: int, timeout: float | None,
              views: bool = True) -> Iterator[tuple[str, FileResult]]:
    """Each file's result (with its content digest and, with ``views``, its page views) as
    it comes in, from a pool of ``workers`` processes."""
    with ProcessPool(max_workers=max(1, workers), context=_worker_context()) as pool:
        pending: dict[Future[FileResult], tuple[Job, str, int]] = {}

        def schedule(job: Job, digest: str, attempt: int) -> None:
            future = pool.schedule(process_file_in_worker, args=(job.path, options, job.name, views), timeout=timeout)
            pending[future] = (job, digest, attempt)

        try:
            for job, digest in todo:
                schedule(job, digest, 1)
            while pending:
                done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                for finished in done:
                    job, digest, attempt = pending.pop(finished)
                    try:
                        result = finished.result()
                    except TimeoutError:
                        result = _failed(job, f"timed out after {timeout:g} s", timeout or 0.0)
                    except ProcessExpired:
                        if attempt < ATTEMPTS:
                            schedule(job, digest, attempt + 1)
                            continue
                        result = _failed(job, f"worker crashed ({ATTEMPTS} times)")
                    except Exception as exc:  # a bug in a worker must not stop the batch
                        result = _failed(job, f"internal error ({type(exc).__name__}: {exc})")
                    yield digest, result
        except BaseException:
            pool.stop()  # Ctrl-C or an error of the batch itself: no worker outlives it
            raise


# Two Dask defaults that cost a local cluster's workers 10 % each on this work (measured
# with bench_batch): the nanny's MALLOC_TRIM_THRESHOLD_=65536, meant for tasks that hold
# memory, makes every page's large images fault in again (None keeps glibc's adaptive
# threshold); and the worker's profiler samples the task's stack every 10 ms. The memory
# and system monitors poll less often: a task here runs for seconds, not milliseconds. The
# scheduler hands a worker its next file only when it is free (saturation 1.0, not 1.1,
# which queues a second file on a worker while the other may be idle at the end).
DASK_WORKER_CONFIG = {
    "distributed.scheduler.worker-saturation": 1.0,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
}


def _read_on_dask(todo: list[tuple[Job, str]], options: Options, address: str,
                  workers: int) -> Iterator[tuple[str, FileResult]]:
    """The same per-file tasks on Dask distributed: a local cluster of ``workers``
    single-threaded worker processes (``address`` "local") or an existing scheduler
    (``tcp://host:port``) whose workers see the archive at the same paths. A task whose
    worker dies is run once more by Dask; a second death fails the file."""
    import dask
    from distributed import Client, LocalCluster, as_completed
    from distributed.scheduler import KilledWorker

    cluster = None
    if address == "local":
        with dask.config.set(DASK_WORKER_CONFIG):
            cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                   dashboard_address=None)
    client = Client(cluster if cluster is not None else address)
    try:
        # the local pool's order (largest first) as Dask priorities: with tasks submitted
        # at once, Dask would otherwise break ties by key
        run = uuid.uuid4().hex[:12]  # keys of this run only: another client's run may share the scheduler
        futures = {client.submit(process_file_in_worker, job.path, options, job.name, key=f"selfeval-{run}-{i:06d}",
                                 priority=len(todo) - i, retries=ATTEMPTS - 1, pure=False): (job, digest)
                   for i, (job, digest) in enumerate(todo)}  # fmt: skip
        for future in as_completed(futures):
            job, digest = futures[future]
            try:
                result = future.result()
            except KilledWorker:
                result = _failed(job, f"worker crashed ({ATTEMPTS} times)")
            except Exception as exc:
                result = _failed(job, f"internal error ({type(exc).__name__}: {exc})")
            yield digest, result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_archive(jobs: list[Job], options: Options, outdir: Path, *, workers: int = 1,
                timeout: float | None = None, force: bool = False, quiet: bool = False,
                formats: tuple[str, ...] = DEFAULT_FORMATS, excel_csv: bool = False,
                database: str | None = None, dask: str | None = None) -> BatchReport:
    """Convert ``jobs`` into ``outdir``, resuming: a file whose content, options, layouts
    and selfeval version match its record is not read again (``force`` reads all). Records
    of files no longer among ``jobs`` are dropped. The combined outputs are rebuilt from
    the records at the end, whatever happened, and into ``database`` (a SQLAlchemy URL)
    when one is given. With ``dask`` ("local" or a scheduler's address) the files are read
    on Dask distributed instead of a local pool."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    key = options_key(options, layout_files(options), VERSION)
    records = read_records(outdir)
    names = {job.name for job in jobs}
    report = BatchReport(results=[], dropped=sorted(set(records) - names))
    for name in report.dropped:
        drop_record(outdir, name)
        drop_page_views(outdir, name)
    todo: list[tuple[Job, str]] = []
    for job in jobs:
        digest = file_digest(job.path)
        record = records.get(job.name)
        if not force and digest and record is not None and (record.digest, record.key) == (digest, key):
            report.unchanged += 1
        else:
            todo.append((job, digest))
    todo.sort(key=lambda item: -_size(item[0].path))  # largest first: no long file left for last
    bar = tqdm(total=len(todo), unit="file", disable=quiet or not sys.stderr.isatty() or not todo,
               dynamic_ncols=True)
    pages = failures = 0
    try:
        results = (_read_on_dask(todo, options, dask, workers) if dask
                   else _read_all(todo, options, workers, timeout))
        for digest, result in results:
            write_page_views(outdir, result.file, result.pages)
            records[result.file] = write_record(outdir, result, digest, key)
            report.read += 1
            pages += sum(form.pages for form in result.forms)
            failures += result.status == "failed"
            bar.set_postfix(pages=pages, failed=failures, refresh=False)
            bar.update()
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        bar.close()
        read = [records[job.name].result() for job in jobs if job.name in records]
        report.results = corrections.apply(read, corrections.load(outdir), options.layout_dirs)
        report.paths = write_outputs(report.results, outdir, formats, excel_csv=excel_csv)
        if database:
            from .output.database import write_database

            write_database(database, report.results, report.dropped)
    return report
