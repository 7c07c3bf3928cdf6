"""``rasd batch``: its options, its one-line errors and summary, and its exit codes.

0: every record analysed; 1: some records went to ``errors.jsonl``, or a write failed (the
partitions written so far are complete: the same command resumes); 2: refused (usage, an
output folder of another run, changed inputs).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rasd.batch.errors import BatchError
from rasd.batch.output import ERRORS, FORMATS
from rasd.batch.run import BatchResult, run_batch

HELP = "analyse many articles on Dask into Parquet/JSONL"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``rasd batch`` (the main CLI parses them and calls :func:`run`)."""
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


def run(args: argparse.Namespace) -> int:
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
    """The one stderr line a finished run ends with."""
    rss = ", ".join(f"{w.peak_rss_mb:.0f} MB" for w in res.workers.values()) or "-"
    resumed = f" ({res.skipped} done earlier)" if res.skipped else ""
    errors = f", {res.errors:,} errors (see {res.out / ERRORS})" if res.errors else ", no errors"
    return (f"rasd batch: {res.records:,} records in {res.partitions} partitions{resumed} → "
            f"{res.documents:,} documents{errors}; {res.records_processed:,} analysed in "
            f"{res.seconds:.1f} s ({res.articles_per_s:.1f} articles/s); peak RSS per worker: "
            f"{rss}")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m rasd.batch``: parse ``argv`` and run, as ``rasd batch`` does."""
    p = argparse.ArgumentParser(prog="rasd batch", description="Analyse many articles on "
                                "Dask into partitioned Parquet or JSONL, resumably.")
    add_arguments(p)
    return run(p.parse_args(argv))
