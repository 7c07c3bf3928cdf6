"""End-to-end throughput of `rasd batch` on Dask with 1 and 2 workers, and where time goes.

    .venv/bin/python scripts/bench_batch.py [--data ../shared/data] [--articles 2000]
        [--workers 1,2] [--partition-size 50] [--profile 200] [--warm 0] [--json FILE]

Takes the first --articles real articles of the news JSONL files in the shared data (copied
to a temporary folder, never into the repository: the corpus is CC BY-NC-SA), runs
``run_batch`` on a LocalCluster of N single-threaded worker processes for each N, and prints
articles/s end to end (cluster start and model loading included), articles/s per worker,
the scaling ratio, and each worker's peak RSS. ``--profile`` times each pipeline stage on
that many articles in this process (one core). Figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from rasd.batch import run_batch
from rasd.batch.records import iter_records, to_documents
from rasd.batch.worker import peak_rss_mb
from rasd.pipeline import Pipeline


def sample(data: Path, n: int, dest: Path) -> tuple[Path, int]:
    """The first ``n`` articles of the news files, as one JSONL file in ``dest``, and the
    characters of their text (articles differ in length between the news files, so
    characters/s compares runs on different samples where articles/s cannot)."""
    out = dest / "articles.jsonl"
    count = chars = 0
    with out.open("w", encoding="utf-8") as fh:
        for f in sorted((data / "news").glob("*.jsonl")):
            for line in f.open(encoding="utf-8"):
                if line.strip() and count < n:
                    fh.write(line.rstrip("\n") + "\n")
                    chars += len(json.loads(line).get("text") or "")
                    count += 1
    if count < n:
        raise SystemExit(f"only {count} articles in {data / 'news'}")
    return out, chars


def profile(path: Path, n: int, warm: int = 0) -> dict[str, float]:
    """CPU seconds per stage (ingest and ``to_dict`` included) over ``n`` articles, in this
    thread, after ``warm`` articles run untimed (the per-word caches of a long run).

    CPU time, not wall time, so that other processes on a shared machine do not inflate it.
    """
    pipeline = Pipeline()
    times: dict[str, float] = {"ingest": 0.0, "to_dict": 0.0}
    for i, rec in enumerate(iter_records([str(path)], 50_000_000)):
        if i >= warm + n:
            break
        t0 = time.thread_time()
        [doc] = to_documents(rec)
        timed = i >= warm
        if timed:
            times["ingest"] += time.thread_time() - t0
        for name, stage in zip(pipeline.names, pipeline.stages, strict=True):
            t0 = time.thread_time()
            stage(doc)
            if timed:
                times[name] = times.get(name, 0.0) + time.thread_time() - t0
        t0 = time.thread_time()
        doc.to_dict()
        if timed:
            times["to_dict"] += time.thread_time() - t0
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2]
                    / "shared" / "data")
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--partition-size", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs per worker count, interleaved; the best counts (a shared "
                         "machine disturbs some runs)")
    ap.add_argument("--profile", type=int, default=200, help="articles; 0 to skip")
    ap.add_argument("--warm", type=int, default=0,
                    help="articles run untimed before the profiled ones (steady state)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()

    report: dict = {"articles": args.articles, "partition_size": args.partition_size,
                    "cpus": os.cpu_count(), "runs": []}
    with tempfile.TemporaryDirectory(prefix="rasd-bench-") as tmp:
        path, chars = sample(args.data, args.articles, Path(tmp))
        report["text_chars"] = chars
        counts = [int(w) for w in args.workers.split(",")]
        for i, n in enumerate(counts * args.repeat):
            load_before = os.getloadavg()[0]
            cpu0 = time.process_time()  # this process: the driver and the Dask scheduler
            t0 = time.perf_counter()
            res = run_batch([str(path)], Path(tmp) / f"out-{i}", workers=n,
                            partition_size=args.partition_size, progress=False)
            wall = time.perf_counter() - t0
            driver_cpu = time.process_time() - cpu0
            run = {"workers": n, "seconds": round(wall, 1),
                   "startup_s": round(res.startup_seconds, 1),
                   "articles_per_s": round(res.records_processed / wall, 2),
                   "chars_per_s": round(chars / wall),
                   "per_worker": round(res.records_processed / wall / n, 2),
                   "documents": res.documents, "errors": res.errors,
                   "cpu_s_per_article": round(sum(w.cpu_seconds for w in res.workers.values())
                                              / res.records_processed, 4),
                   "cpu_share": round(sum(w.cpu_seconds for w in res.workers.values())
                                      / (wall - res.startup_seconds) / n, 2),
                   "driver_cpu_s": round(driver_cpu, 1),
                   "driver_share": round(driver_cpu / (wall * (os.cpu_count() or 1)), 3),
                   "worker_cpu_s": sorted(round(w.cpu_seconds, 1)
                                          for w in res.workers.values()),
                   "peak_rss_mb": sorted(round(w.peak_rss_mb) for w in res.workers.values()),
                   "model_loads": sorted(w.pipeline_loads for w in res.workers.values()),
                   "load_s": sorted(round(w.load_seconds, 1) for w in res.workers.values()),
                   "loadavg_before": round(load_before, 2),
                   "loadavg_after": round(os.getloadavg()[0], 2)}
            report["runs"].append(run)
            print(json.dumps(run), flush=True)
        best = {n: max((r for r in report["runs"] if r["workers"] == n),
                       key=lambda r: r["articles_per_s"]) for n in counts}
        report["best"] = best
        if len(counts) > 1:
            lo, hi = best[counts[0]], best[counts[-1]]
            report["scaling"] = round(hi["articles_per_s"] / lo["articles_per_s"], 2)
            # what the ratio would be if every worker had a core to itself
            report["scaling_cpu"] = round(hi["workers"] / lo["workers"] * lo["cpu_s_per_article"]
                                          / hi["cpu_s_per_article"], 2)
            print(f"scaling {lo['workers']} → {hi['workers']} workers (best runs): "
                  f"{report['scaling']}× wall clock, {report['scaling_cpu']}× from CPU time "
                  "per article")
        if args.profile:
            if args.warm + args.profile > args.articles:
                raise SystemExit("--warm + --profile must not exceed --articles")
            times = profile(path, args.profile, args.warm)
            total = sum(times.values())
            report["profile"] = {"articles": args.profile, "warm": args.warm, "articles_per_s":
                                 round(args.profile / total, 2),
                                 "seconds": {k: round(v, 2) for k, v in times.items()},
                                 "driver_peak_rss_mb": round(peak_rss_mb())}
            print(f"profile on {args.profile} articles after {args.warm} untimed "
                  "(CPU time, one core): "
                  f"{args.profile / total:.1f} articles/s")
            for name, sec in sorted(times.items(), key=lambda kv: -kv[1]):
                print(f"  {name:<16} {sec:7.2f} s  {100 * sec / total:5.1f} %  "
                      f"{1000 * sec / args.profile:6.1f} ms/article")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
