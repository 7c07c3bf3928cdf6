"""Old and new code in ONE process, alternating per partition: CPU ms per article for each.

    .venv/bin/python scripts/bench_ab_inprocess.py OLD_COMMIT [--articles 2000]
        [--partition-size 50] [--data ../shared/data]

This VM's speed drifts by up to 1.8x within minutes, so two runs one after the other (even
interleaved, as scripts/bench_ab.sh does) cannot show a change of 10 %. Here the old commit's
``src/rasd`` is exported (``git archive``) into a temporary folder as a package named
``rasd_old`` (its imports rewritten), both pipelines are loaded into this process, and each
partition of articles is run by the old and then the new code (the order alternates), every
stage from the JSON record to the Parquet tables (ingest, analysis, ``to_dict``,
``to_tables``), timed with ``time.thread_time``. Both see the same minutes of the machine, so
the ratio is steady even when the absolute figures are not.

Both sides run with the GC freeze a batch worker applies before each partition (so the
gain from that freeze is not part of the ratio), and Dask's own costs are not measured;
``scripts/bench_batch.py`` measures those end to end. The old code's numba kernels compile
once in the warm-up (a fresh export has no cache).
"""

from __future__ import annotations

import argparse
import gc
import io
import itertools
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

_IMPORT = re.compile(r"\brasd\.|(?<=from )rasd(?= import)|(?<=^import )rasd\b|\"rasd\"",
                     re.MULTILINE)


def export_old(commit: str, dest: Path) -> None:
    """``src/rasd`` of ``commit`` as the package ``dest/rasd_old``."""
    root = Path(__file__).resolve().parents[1]
    tar = subprocess.run(["git", "-C", str(root), "archive", commit, "src/rasd"],
                         capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as tf:
        tf.extractall(dest, filter="data")
    pkg = dest / "rasd_old"
    (dest / "src" / "rasd").rename(pkg)
    for py in pkg.rglob("*.py"):
        text = py.read_text(encoding="utf-8")
        py.write_text(_IMPORT.sub(lambda m: m[0].replace("rasd", "rasd_old"), text),
                      encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--partition-size", type=int, default=50)
    ap.add_argument("--data", type=Path,
                    default=Path(__file__).resolve().parents[2] / "shared" / "data")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="rasd-ab-"))
    export_old(args.old, tmp)
    sys.path.insert(0, str(tmp))

    import rasd_old.batch.parquet as old_parquet  # type: ignore[import-not-found]
    import rasd_old.batch.records as old_records  # type: ignore[import-not-found]
    import rasd_old.document as old_document  # type: ignore[import-not-found]
    import rasd_old.pipeline as old_pipeline  # type: ignore[import-not-found]

    import rasd.batch.parquet as new_parquet
    import rasd.batch.records as new_records
    import rasd.document as new_document
    import rasd.pipeline as new_pipeline

    files = [str(f) for f in sorted((args.data / "news").glob("*.jsonl"))]
    sides = {}
    for name, records, pipeline, parquet, document in (
            ("old", old_records, old_pipeline, old_parquet, old_document),
            ("new", new_records, new_pipeline, new_parquet, new_document)):
        t0 = time.perf_counter()
        pipe = pipeline.Pipeline()
        pipe(document.Document(text="قال الرئيس في طرابلس أمس إن القوات وصلت."))  # compile
        load = time.perf_counter() - t0
        recs = list(itertools.islice(records.iter_records(files, 50_000_000), args.articles))
        sides[name] = (records, pipe, parquet, recs)
        print(f"{name}: loaded in {load:.1f} s (numba compile included for a fresh export)")

    def partition(name: str, lo: int, hi: int) -> float:
        records, pipe, parquet, recs = sides[name]
        # Both sides share this heap: without a freeze, a full GC pass over both pipelines'
        # caches lands on whichever side happens to be running (the noise this script is
        # here to avoid). Frozen before every partition, as a batch worker does.
        gc.freeze()
        c0 = time.thread_time()
        done = [(i, pipe(doc).to_dict()) for i in range(lo, hi)
                for doc in records.to_documents(recs[i])]
        parquet.to_tables(done)
        return time.thread_time() - c0

    total = {"old": 0.0, "new": 0.0}
    for k, lo in enumerate(range(0, args.articles, args.partition_size)):
        hi = min(lo + args.partition_size, args.articles)
        for name in ("old", "new") if k % 2 == 0 else ("new", "old"):
            total[name] += partition(name, lo, hi)
    n = args.articles
    print(f"old {1000 * total['old'] / n:.2f} ms/article, new {1000 * total['new'] / n:.2f} "
          f"ms/article: new is {total['old'] / total['new']:.3f}x the old speed "
          f"({n} articles, partitions of {args.partition_size}, CPU time, one process)")


if __name__ == "__main__":
    main()
