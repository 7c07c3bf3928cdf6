"""Running partitions on Dask: the local cluster's settings, a remote scheduler's check, the
bounded submission window, and a failed partition retried record by record."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any

import rasd.batch.worker as worker_side
from rasd.batch.errors import BatchError
from rasd.batch.partitions import part_name
from rasd.batch.worker import (
    Partition,
    PartResult,
    error_row,
    fingerprint,
    process_partition,
)

WORKER_CONFIG = {"distributed.worker.memory.target": False,
                 "distributed.worker.memory.spill": False,
                 "distributed.worker.memory.pause": False,
                 # The dashboard's statistical profiler samples the task thread every 10 ms
                 # and takes the GIL to do it; rasd's tasks are long and all alike.
                 "distributed.worker.profile.enabled": False,
                 # Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536 so that freed memory
                 # goes back to the OS at once; setting it also turns off glibc's adaptive mmap
                 # threshold, so every array over 128 KiB the NER builds per document is a
                 # fresh mmap, page faults and all: 3.8x the page faults, about 5 % of a worker's
                 # time. rasd's workers hold steady caches, not spiky task data (peak RSS is the
                 # same without it); None unsets it.
                 "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                 # Every server (scheduler, each nanny, each worker) wakes 50 times a second to
                 # time its event loop, and the nanny reads the worker's RSS 10 times a second:
                 # on a laptop's few cores that is taken from the workers (driver CPU over 2,000
                 # articles: about 4 s → 2.5 s).
                 "distributed.admin.tick.interval": "1s",
                 "distributed.worker.memory.monitor-interval": "1s",
                 "distributed.admin.system-monitor.interval": "2s"}
_SCATTER_BYTES = 8 << 20  # bigger partitions travel by scatter, not inside the task graph


def _empty_result(index: int, fmt: str) -> PartResult:
    res = PartResult(index, 0)
    if fmt == "parquet":
        from rasd.batch.parquet import to_tables

        res.tables = to_tables([])
    else:
        res.jsonl = ""
    return res


def _merge(index: int, parts: list[PartResult], fmt: str) -> PartResult:
    out = _empty_result(index, fmt)
    for res in parts:
        out.records += res.records
        out.documents += res.documents
        out.errors.extend(res.errors)
        out.story_features += res.story_features
        out.seconds += res.seconds
        out.cpu_seconds += res.cpu_seconds
        if res.peak_rss_mb >= out.peak_rss_mb:
            out.worker, out.peak_rss_mb = res.worker, res.peak_rss_mb
            out.pipeline_loads, out.load_seconds = res.pipeline_loads, res.load_seconds
    if fmt == "parquet":
        import pyarrow as pa

        assert out.tables is not None
        out.tables = {name: pa.concat_tables([out.tables[name]] + [
            r.tables[name] for r in parts if r.tables]) for name in out.tables}
    else:
        out.jsonl = "".join(r.jsonl or "" for r in parts)
    return out


def _isolate(client: Any, part: Partition, fmt: str, max_bytes: int, exc: Exception,
             task: Any = process_partition) -> PartResult:
    """A partition whose task failed (its worker died): one task per record, to find the
    culprit(s) and keep the rest."""
    logging.getLogger(__name__).warning("%s failed (%s: %s); retrying record by record",
                                        part_name(part.index), type(exc).__name__, exc)
    subs = [Partition(part.index, part.start + i, (rec,)) for i, rec in enumerate(part.records)]
    futures = client.map(task, subs, fmt=fmt, max_bytes=max_bytes, pure=False)
    results = []
    for sub, fut in zip(subs, futures, strict=True):
        try:
            results.append(fut.result())
        except Exception as err:
            rec = sub.records[0]
            res = _empty_result(part.index, fmt)
            res.records = 1
            res.errors.append(error_row(rec.name, f"worker failed on this record "
                                        f"({type(err).__name__}: {err})"[:500], sub.start,
                                        part.index, rec.url))
            results.append(res)
    return _merge(part.index, results, fmt)


def run_on_dask(client: Any, parts: Iterator[Partition], fmt: str, max_bytes: int,
              task: Any = process_partition) -> Iterator[PartResult]:
    """Results as partitions finish; at most two partitions per worker thread in flight, so
    neither the driver nor the workers hold more than that in memory."""
    from distributed import as_completed

    window = max(2, 2 * sum(client.nthreads().values()))
    run = uuid.uuid4().hex[:8]
    pending: dict[Any, Partition] = {}
    done = as_completed(loop=client.loop)

    def submit() -> None:
        part = next(parts, None)
        if part is None:
            return
        arg: Any = part
        if sum(len(r.data) for r in part.records) > _SCATTER_BYTES:
            arg = client.scatter(part, hash=False)
        fut = client.submit(task, arg, fmt, max_bytes, pure=False,
                            key=f"rasd-batch-{run}-{part_name(part.index)}")
        pending[fut] = part
        done.add(fut)

    for _ in range(window):
        submit()
    for fut in done:
        part = pending.pop(fut)
        try:
            res = fut.result()
        except Exception as exc:
            res = _isolate(client, part, fmt, max_bytes, exc, task)
        fut.release()
        submit()
        yield res


def connect(scheduler: str | None, workers: int, memory_limit: str | None
            ) -> tuple[Any, Any]:
    from distributed import Client, LocalCluster

    if scheduler in (None, "", "local", "threads"):
        import dask

        processes = scheduler != "threads"
        # A worker's memory is the pipeline's models and word caches, which Dask can neither
        # spill nor free: pausing would stall the run for good. Only the hard limit stays
        # (the nanny restarts the worker; its partition is redone).
        with dask.config.set(WORKER_CONFIG):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                                   memory_limit=memory_limit if processes else None,
                                   dashboard_address="127.0.0.1:0",  # loopback only
                                   silence_logs=logging.ERROR)
        return Client(cluster, set_as_default=False), cluster
    try:
        client = Client(scheduler, set_as_default=False, timeout="30s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise BatchError(f"cannot reach a Dask scheduler at {scheduler!r} "
                         f"({type(exc).__name__}: {exc})") from None
    try:
        _check_workers(client)
    except BatchError:
        client.close()
        raise
    return client, None


def _check_workers(client: Any) -> None:
    """Refuse workers that run another rasd version or model than this driver."""
    mine = fingerprint()
    for address, theirs in client.run(worker_side.fingerprint).items():
        if theirs != mine:
            raise BatchError(f"worker {address} runs {theirs}, this driver {mine}: install "
                             "the same rasd on every worker (docs/cluster.md)")

