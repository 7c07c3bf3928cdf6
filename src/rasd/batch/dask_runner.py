"""``rasd batch``: many inputs → partitioned Parquet (or JSONL) on Dask, resumable and exact.

How nothing is lost or doubled:

1. The inputs are enumerated into raw records in a fixed order (:mod:`rasd.batch.records`) and
   cut into partitions of ``partition_size`` records; partition ``k`` is always records
   ``k*size …``. A first pass only hashes each partition's records.
2. A worker turns one partition into one result (documents + error rows); the driver writes
   each table file under a temporary name, fsyncs and renames it, then writes the partition's
   marker ``_done/part-NNNNNN.json`` (with the partition's hash and error rows) the same way.
   A partition counts as done only when its marker exists.
3. A restarted run with the same arguments redoes exactly the partitions without a marker;
   their files have fixed names, so a half-written partition is overwritten, never added.
   A marker whose hash no longer matches the inputs stops the run (the inputs changed).
4. When every partition is done, ``errors.jsonl`` is rebuilt from the markers and ``_DONE``
   is written.

Bad records (an :class:`~rasd.ingest.InputError`, an exception in analysis, or a record that
kills its worker) become error rows; the batch never stops for one.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import logging
import os
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from rasd import __version__
from rasd.atomic import atomic_write
from rasd.batch import worker as _worker
from rasd.batch.records import EnumStats, iter_records
from rasd.batch.worker import (
    Partition,
    PartResult,
    error_row,
    fingerprint,
    process_partition,
)
from rasd.ingest.inputs import default_max_bytes

FORMATS = ("parquet", "jsonl")
IN_PROCESS = ("sync", "threads")  # --scheduler values that are not addresses
MANIFEST, DONE, ERRORS, MARKERS, LOCK = "_manifest.json", "_DONE", "errors.jsonl", "_done", ".lock"
STORY_FEATURES = "story_features"
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


class BatchError(Exception):
    """The run cannot start or go on as asked (the output folder belongs to another run…)."""


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


# -- partitions ---------------------------------------------------------------------------------

def iter_partitions(inputs: Sequence[str], size: int, max_bytes: int,
                    stats: EnumStats | None = None) -> Iterator[Partition]:
    """The run's partitions in order; the same inputs always give the same partitions."""
    buf: list = []
    index = start = 0
    for rec in iter_records(inputs, max_bytes, stats):
        buf.append(rec)
        if len(buf) == size:
            yield Partition(index, start, tuple(buf))
            index, start, buf = index + 1, start + size, []
    if buf:
        yield Partition(index, start, tuple(buf))


def digest(part: Partition) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{part.index}:{part.start}\0".encode())
    for rec in part.records:
        rec.digest_into(h)
    return h.hexdigest()


def part_name(index: int) -> str:
    return f"part-{index:06d}"


# -- files --------------------------------------------------------------------------------------

def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_json(path: Path, data: Any) -> None:
    atomic_write(path, lambda fh: fh.write(json.dumps(data, ensure_ascii=False,
                                                      indent=1).encode("utf-8")))


def write_partition(out: Path, res: PartResult, fmt: str, part_digest: str, start: int) -> None:
    """All files of one partition, then its marker: the marker is the commit."""
    name = part_name(res.index)
    dirs = set()
    if fmt == "parquet":
        import pyarrow.parquet as pq

        for table, data in (res.tables or {}).items():
            path = out / table / f"{name}.parquet"
            atomic_write(path, lambda fh, data=data: pq.write_table(data, fh,
                                                                    compression="zstd"))
            dirs.add(path.parent)
    else:
        path = out / "documents" / f"{name}.jsonl"
        atomic_write(path, lambda fh: fh.write((res.jsonl or "").encode("utf-8")))
        dirs.add(path.parent)
    path = out / STORY_FEATURES / f"{name}.jsonl"
    atomic_write(path, lambda fh: fh.write(res.story_features.encode("utf-8")))
    dirs.add(path.parent)
    for d in dirs:  # the renames must be durable before the marker says "done"
        _fsync_dir(d)
    _write_json(out / MARKERS / f"{name}.json", {
        "partition": res.index, "digest": part_digest, "start": start, "records": res.records,
        "documents": res.documents, "errors": res.errors, "worker": res.worker,
        "peak_rss_mb": res.peak_rss_mb, "seconds": round(res.seconds, 3),
        "cpu_seconds": round(res.cpu_seconds, 3)})


def read_markers(out: Path) -> dict[int, dict[str, Any]]:
    markers = {}
    for path in sorted((out / MARKERS).glob("part-*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            markers[int(data["partition"])] = data
        except (OSError, ValueError, KeyError, TypeError):
            path.unlink(missing_ok=True)  # unreadable: that partition is simply redone
    return markers


def _lock(out: Path) -> IO[bytes]:
    fh = (out / LOCK).open("wb")
    try:
        import fcntl

        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # no fcntl (Windows): no protection against two runs
        pass
    except OSError:
        fh.close()
        raise BatchError(f"{out}: another `rasd batch` run is writing here") from None
    return fh


def _clean_tmp(out: Path) -> None:
    for tmp in out.glob("**/.part-*.tmp"):
        tmp.unlink(missing_ok=True)
    for tmp in out.glob(".*.tmp"):
        tmp.unlink(missing_ok=True)


def _check_out(out: Path, manifest: dict[str, Any], digests: list[str]) -> dict[int, dict]:
    """The markers of an earlier run into ``out``, after checking it was this same run."""
    path = out / MANIFEST
    if path.exists():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise BatchError(f"{path}: damaged (not JSON); remove the folder's outputs or use "
                             "another --out") from None
        if not isinstance(old, dict):
            raise BatchError(f"{path}: damaged (not a manifest); use another --out")
        for key in ("rasd", "inputs", "format", "partition_size"):
            if old.get(key) != manifest[key]:
                raise BatchError(f"{out} holds a run with a different {key} "
                                 f"({old.get(key)!r}, now {manifest[key]!r}); use another "
                                 "--out or repeat the same arguments")
    elif any(p.name not in (LOCK,) for p in out.iterdir()):
        raise BatchError(f"{out}: not empty and not a `rasd batch` output folder")
    markers = read_markers(out)
    for index, marker in markers.items():
        if index >= len(digests) or marker.get("digest") != digests[index]:
            raise BatchError(f"{out}: the inputs changed since the earlier run "
                             f"({part_name(index)} no longer matches); use another --out")
    return markers


def finalize(out: Path, partitions: int) -> dict[str, Any]:
    """errors.jsonl and _DONE from the markers, once every partition is done."""
    markers = read_markers(out)
    missing = [i for i in range(partitions) if i not in markers]
    if missing:
        raise BatchError(f"{out}: {len(missing)} partitions not done (first: {missing[0]})")
    rows = [row for i in range(partitions) for row in markers[i]["errors"]]
    atomic_write(out / ERRORS, lambda fh: fh.write("".join(
        json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")))
    summary = {"rasd": __version__, "partitions": partitions,
               "records": sum(markers[i]["records"] for i in range(partitions)),
               "documents": sum(markers[i]["documents"] for i in range(partitions)),
               "errors": len(rows)}
    summary["stories"] = write_stories(out, partitions)
    _write_json(out / DONE, summary)
    return summary


def write_stories(out: Path, partitions: int) -> int | None:
    """``stories.jsonl`` (``{"id", "story"}`` per document, in output order) and
    ``stories.json`` (each story with its articles), clustered from every partition's story
    features in one sequential pass: the same stories whatever the number of workers. None when
    a partition predates story features (an output folder of an older rasd)."""
    from rasd.stories.cluster import StoryClusterer
    from rasd.stories.features import from_record

    feats = []
    for i in range(partitions):
        path = out / STORY_FEATURES / f"{part_name(i)}.jsonl"
        if not path.exists():
            return None
        with path.open(encoding="utf-8") as fh:
            feats.extend(from_record(json.loads(line)) for line in fh if line.strip())
    clusterer = StoryClusterer()
    for f in sorted({f.id: f for f in feats}.values(), key=lambda f: f.order_key()):
        clusterer.add(f)
    atomic_write(out / "stories.jsonl", lambda fh: fh.write("".join(
        json.dumps({"id": f.id, "story": clusterer.by_article[f.id].id}, ensure_ascii=False)
        + "\n" for f in feats).encode("utf-8")))
    _write_json(out / "stories.json", {"stories": [s.to_dict() for s in clusterer.stories]})
    return len(clusterer.stories)


# -- execution ----------------------------------------------------------------------------------

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


def _run_dask(client: Any, parts: Iterator[Partition], fmt: str, max_bytes: int,
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


def _client(scheduler: str | None, workers: int, memory_limit: str | None
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
    for address, theirs in client.run(_worker.fingerprint).items():
        if theirs != mine:
            raise BatchError(f"worker {address} runs {theirs}, this driver {mine}: install "
                             "the same rasd on every worker (docs/cluster.md)")


# -- progress -----------------------------------------------------------------------------------

class Progress:
    """A bar (articles/s, ETA) on a terminal, else one stderr line per finished partition."""

    def __init__(self, total: int, initial: int, partitions: int, enabled: bool | None,
                 stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total, self.done, self.partitions = total, initial, partitions
        self.initial, self.errors = initial, 0
        self.t0 = time.perf_counter()
        self.want_bar = bool(enabled or (enabled is None and self.stream.isatty()))
        self.bar: Any = None
        self.lines = not self.want_bar and enabled is None

    def start(self) -> None:
        """Once the workers are up: rates and ETA count from here, not from cluster start."""
        self.t0 = time.perf_counter()
        if self.want_bar:
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, initial=self.done, unit="art",
                            desc="rasd batch", file=self.stream, dynamic_ncols=True,
                            smoothing=0.1)

    def update(self, res: PartResult, parts_done: int) -> None:
        self.done += res.records
        self.errors += len(res.errors)
        if self.bar is not None:
            self.bar.update(res.records)
            self.bar.set_postfix(errors=self.errors, refresh=False)
        elif self.lines:
            elapsed = time.perf_counter() - self.t0
            rate = (self.done - self.initial) / elapsed if elapsed else 0.0
            eta = (self.total - self.done) / rate if rate else 0.0
            print(f"rasd batch: {part_name(res.index)} done ({parts_done}/{self.partitions}): "
                  f"{res.records} records, {res.documents} documents, {len(res.errors)} "
                  f"errors; {self.done:,}/{self.total:,} records, {rate:.1f} articles/s, "
                  f"ETA {time.strftime('%H:%M:%S', time.gmtime(eta))}",
                  file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# -- the run ------------------------------------------------------------------------------------

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
    lock = _lock(out)
    try:
        stats = EnumStats()
        plan = [(digest(p), len(p.records))
                for p in iter_partitions(inputs, partition_size, max_bytes, stats)]
        digests = [d for d, _ in plan]
        records = sum(n for _, n in plan)
        manifest = {"rasd": __version__, "inputs": list(inputs), "format": fmt,
                    "partition_size": partition_size, "partitions": len(plan),
                    "ner": ner or "default"}
        markers = _check_out(out, manifest, digests)
        _clean_tmp(out)
        _write_json(out / MANIFEST, manifest | {"records": records})
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
            client, cluster = _client(scheduler, workers, memory_limit)
            results = _run_dask(client, parts(), fmt, max_bytes, task)
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


# -- command line -------------------------------------------------------------------------------

def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``rasd batch`` (the main CLI delegates to :func:`run_from_args`)."""
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="folder of .txt/.html/.json/.jsonl files, JSONL file, WARC or "
                        "WARC.gz archive, or a glob")
    p.add_argument("--out", required=True, type=Path, metavar="DIR",
                   help="output folder; rerun with the same arguments to resume")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="local worker processes, one thread each (default 1)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="an existing Dask scheduler (tcp://host:8786) instead of a local "
                        "cluster; 'sync' runs in this process without Dask")
    p.add_argument("--format", choices=FORMATS, default="parquet",
                   help="parquet: one table per layer (docs/schema.md); jsonl: one "
                        "document JSON per line")
    p.add_argument("--partition-size", type=int, default=200, metavar="N",
                   help="records per partition, the unit of output files and of resuming")
    p.add_argument("--memory-limit", default="3GiB", metavar="SIZE", type=_memory_size,
                   help="per local worker; a worker above it is restarted (default 3GiB)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar (default: on a terminal; else a line per partition)")
    p.add_argument("--fast", action="store_true",
                   help="the fast NER (CRF, ~50 articles/s per core) instead of the encoder's")
    p.add_argument("--ner", default=None, metavar="SPEC",
                   help="NER backend: default (encoder), fast (CRF), none, transformers:PATH")


def _memory_size(value: str) -> str:
    """A Dask memory size (3GiB, 500MB, 0.5: a fraction of the machine), checked here so a
    typo is a usage error, not a traceback from inside the cluster."""
    from dask.utils import parse_bytes

    try:
        if float(value) > 0:
            return value
    except ValueError:
        pass
    try:
        parse_bytes(value)
    except (ValueError, TypeError):
        raise argparse.ArgumentTypeError(
            f"not a memory size: {value!r} (examples: 3GiB, 500MB)") from None
    return value


def run_from_args(args: argparse.Namespace) -> int:
    """Run ``rasd batch``; 0 all records analysed, 1 some went to errors.jsonl, 2 refused."""
    if args.out.exists() and not args.out.is_dir():
        print(f"rasd: {args.out}: exists and is not a folder (--out names the output "
              "folder)", file=sys.stderr)
        return 2
    try:
        res = run_batch(list(args.inputs), args.out, workers=args.workers,
                        scheduler=args.scheduler, fmt=args.format,
                        partition_size=args.partition_size, progress=args.progress,
                        memory_limit=args.memory_limit,
                        ner="fast" if args.fast else args.ner)
    except BatchError as exc:
        print(f"rasd: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a full disk, a size limit, a folder gone read-only
        where = exc.filename or args.out
        print(f"rasd: {where}: cannot write: {exc.strerror or type(exc).__name__}; the "
              "partitions written so far are complete: run the same command again to "
              "resume", file=sys.stderr)
        return 1
    print(summary_line(res), file=sys.stderr)
    return 1 if res.errors else 0


def summary_line(res: BatchResult) -> str:
    rss = ", ".join(f"{w.peak_rss_mb:.0f} MB" for w in res.workers.values()) or "-"
    resumed = f" ({res.skipped} done earlier)" if res.skipped else ""
    errors = f", {res.errors:,} errors (see {res.out / ERRORS})" if res.errors else ", no errors"
    return (f"rasd batch: {res.records:,} records in {res.partitions} partitions{resumed} → "
            f"{res.documents:,} documents{errors}; {res.records_processed:,} analysed in "
            f"{res.seconds:.1f} s ({res.articles_per_s:.1f} articles/s); peak RSS per worker: "
            f"{rss}")


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="rasd batch", description="Analyse many articles on "
                                "Dask into partitioned Parquet or JSONL, resumably.")
    add_arguments(p)
    return run_from_args(p.parse_args(argv))
