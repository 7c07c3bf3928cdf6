"""``rasd batch`` as a function: many inputs → partitioned Parquet (or JSONL), resumable, exact.

How nothing is lost or doubled:

1. The inputs are enumerated into raw records in a fixed order (:mod:`rasd.batch.records`) and
   cut into partitions of ``partition_size`` records (:mod:`rasd.batch.partitions`); partition
   ``k`` is always records ``k*size …``. A first pass only hashes each partition's records.
2. A worker turns one partition into one result (documents + error rows,
   :mod:`rasd.batch.worker`); the driver writes each table file under a temporary name,
   fsyncs and renames it, then writes the partition's marker ``_done/part-NNNNNN.json`` (with
   the partition's hash and error rows) the same way (:mod:`rasd.batch.output`). A partition
   counts as done only when its marker exists.
3. A restarted run with the same arguments redoes exactly the partitions without a marker;
   their files have fixed names, so a half-written partition is overwritten, never added.
   A marker whose hash no longer matches the inputs stops the run (the inputs changed).
4. When every partition is done, ``errors.jsonl`` is rebuilt from the markers and ``_DONE``
   is written.

Bad records (an :class:`~rasd.ingest.InputError`, an exception in analysis, or a record that
kills its worker) become error rows; the batch never stops for one. Dask itself is driven by
:mod:`rasd.batch.cluster`, progress shown by :mod:`rasd.batch.progress`.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rasd import __version__
from rasd.batch.cluster import connect, run_on_dask
from rasd.batch.errors import BatchError
from rasd.batch.output import (
    DONE,
    FORMATS,
    MANIFEST,
    check_out,
    clean_tmp,
    finalize,
    lock_out,
    write_json,
    write_partition,
)
from rasd.batch.partitions import digest, iter_partitions, part_name
from rasd.batch.progress import Progress
from rasd.batch.raw import EnumStats
from rasd.batch.worker import Partition, PartResult, process_partition
from rasd.ingest.inputs import default_max_bytes


@dataclass
class WorkerStats:
    peak_rss_mb: float = 0.0
    pipeline_loads: int = 0
    load_seconds: float = 0.0
    partitions: int = 0
    records: int = 0
    cpu_seconds: float = 0.0  # CPU time spent on this worker's partitions


@dataclass
class BatchResult:
    """What a run did. Totals cover all partitions; ``processed`` only this call's."""

    out: Path
    records: int
    partitions: int
    processed: int
    skipped: int
    documents: int
    errors: int
    records_processed: int
    seconds: float
    startup_seconds: float = 0.0
    warc_skipped: int = 0
    workers: dict[str, WorkerStats] = field(default_factory=dict)

    @property
    def articles_per_s(self) -> float:
        """Records processed by this call per second of its wall time (startup included)."""
        return self.records_processed / self.seconds if self.seconds else 0.0


def run_batch(inputs: list[str], out: Path, workers: int = 1, scheduler: str | None = None,
              fmt: str = "parquet", partition_size: int = 200, progress: bool | None = None,
              *, memory_limit: str | None = "3GiB", ner: str | None = None) -> BatchResult:
    """Analyse every record of ``inputs`` into ``out``, resuming an interrupted run there.

    ``scheduler``: None (a LocalCluster of ``workers`` single-threaded processes, each limited
    to ``memory_limit``), a Dask scheduler address (``tcp://host:8786``; ``workers`` is then
    the cluster's business), ``"threads"`` (``workers`` in-process threads) or ``"sync"`` (no
    Dask: this process, one partition after another). ``progress``: None shows a bar on a
    terminal and one line per partition otherwise, True always a bar, False nothing.
    Raises :class:`BatchError` when ``out`` belongs to another run or the inputs changed.
    """
    t0 = time.perf_counter()
    if fmt not in FORMATS:
        raise BatchError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if partition_size < 1 or workers < 1:
        raise BatchError("--partition-size and --workers must be at least 1")
    if not inputs:
        raise BatchError("no inputs")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    max_bytes = default_max_bytes()
    lock = lock_out(out)
    try:
        stats = EnumStats()
        plan = [(digest(p), len(p.records))
                for p in iter_partitions(inputs, partition_size, max_bytes, stats)]
        digests = [d for d, _ in plan]
        records = sum(n for _, n in plan)
        manifest = {"rasd": __version__, "inputs": list(inputs), "format": fmt,
                    "partition_size": partition_size, "partitions": len(plan),
                    "ner": ner or "default"}
        markers = check_out(out, manifest, digests)
        clean_tmp(out)
        write_json(out / MANIFEST, manifest | {"records": records})
        todo = [i for i in range(len(digests)) if i not in markers]
        result = BatchResult(out, records, len(digests), 0, len(digests) - len(todo), 0, 0, 0,
                             0.0, warc_skipped=stats.warc_skipped)
        if todo:
            (out / DONE).unlink(missing_ok=True)
            done_records = sum(m["records"] for m in markers.values())
            _process(result, inputs, out, fmt, partition_size, max_bytes, digests, todo,
                     workers, scheduler, memory_limit,
                     Progress(records, done_records, len(digests), progress), t0, ner)
        summary = finalize(out, len(digests))
        result.documents, result.errors = summary["documents"], summary["errors"]
        result.seconds = time.perf_counter() - t0
        return result
    finally:
        lock.close()


def _process(result: BatchResult, inputs: Sequence[str], out: Path, fmt: str, size: int,
             max_bytes: int, digests: list[str], todo: list[int], workers: int,
             scheduler: str | None, memory_limit: str | None, progress: Progress,
             t0: float, ner: str | None = None) -> None:
    wanted = set(todo)
    task = functools.partial(process_partition, ner=ner)

    def parts() -> Iterator[Partition]:
        for part in iter_partitions(inputs, size, max_bytes):
            if part.index in wanted:
                if digest(part) != digests[part.index]:
                    raise BatchError(f"the inputs changed during the run ({part_name(part.index)})")
                yield part

    client = cluster = None
    try:
        if scheduler == "sync":
            results: Iterator[PartResult] = (task(p, fmt, max_bytes) for p in parts())
        else:
            client, cluster = connect(scheduler, workers, memory_limit)
            results = run_on_dask(client, parts(), fmt, max_bytes, task)
        result.startup_seconds = time.perf_counter() - t0
        progress.start()
        for res in results:
            write_partition(out, res, fmt, digests[res.index], res.index * size)
            result.processed += 1
            result.records_processed += res.records
            stats = result.workers.setdefault(res.worker, WorkerStats())
            stats.peak_rss_mb = max(stats.peak_rss_mb, res.peak_rss_mb)
            stats.pipeline_loads = max(stats.pipeline_loads, res.pipeline_loads)
            stats.load_seconds = max(stats.load_seconds, res.load_seconds)
            stats.partitions += 1
            stats.records += res.records
            stats.cpu_seconds += res.cpu_seconds
            progress.update(res, result.skipped + result.processed)
    finally:
        progress.close()
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

