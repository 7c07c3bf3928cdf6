"""Story clustering over all of shared/data/news (≈ 26,000 articles): time and peak memory.

    python scripts/bench_stories.py [--data ../shared/data] [--workers 2] [--limit N]

Features are computed in ``--workers`` processes (as ``rasd batch`` does in its workers), then
one sequential clustering pass runs in this process. Analysis (NER, claims, events) is not
part of it: the clusterer needs only text, title, outlet and date. Prints one line per phase
and the peak RSS of this process and of the feature workers.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from rasd.paths import DEFAULT_DATA

FILES = ("news/saudinewsnet-2015.jsonl", "news/saudinewsnet-conflict.jsonl",
         "news/saudinewsnet-rest.jsonl.gz")


def _records(data: Path, limit: int | None) -> list[dict]:
    out: list[dict] = []
    for f in FILES:
        opener = gzip.open if f.endswith(".gz") else open
        with opener(data / f, "rt", encoding="utf-8") as fh:
            out.extend({k: r.get(k) for k in ("id", "title", "text", "date", "outlet")}
                       for r in map(json.loads, fh))
    return out[:limit] if limit else out


def _featurize(chunk: list[dict]) -> tuple[list[dict], float]:
    from rasd.ingest.plain import with_title
    from rasd.stories.features import Featurizer, to_record

    feat = Featurizer()
    recs = [to_record(feat(r["id"], with_title(r["text"], r["title"]), title=r["title"],
                           outlet=r["outlet"], published=r["date"])) for r in chunk]
    return recs, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    t0 = time.perf_counter()
    recs = _records(args.data, args.limit)
    t1 = time.perf_counter()
    print(f"read {len(recs):,} articles in {t1 - t0:.1f} s")
    size = 500
    chunks = [recs[i:i + size] for i in range(0, len(recs), size)]
    feats, worker_rss = [], 0.0
    with ProcessPoolExecutor(args.workers) as pool:
        for part, rss in pool.map(_featurize, chunks):
            feats.extend(part)
            worker_rss = max(worker_rss, rss)
    t2 = time.perf_counter()
    print(f"features: {t2 - t1:.1f} s on {args.workers} processes "
          f"({(t2 - t1) / len(recs) * 1000 * args.workers:.2f} ms per article per core); "
          f"worker peak RSS {worker_rss:.0f} MB")
    del recs, chunks
    from rasd.stories.cluster import StoryClusterer
    from rasd.stories.features import from_record

    fs = sorted((from_record(r) for r in feats), key=lambda f: f.order_key())
    del feats
    c = StoryClusterer()
    for f in fs:
        c.add(f)
    t3 = time.perf_counter()
    sizes = Counter(len(s.members) for s in c.stories)
    multi = sum(n for k, n in sizes.items() if k > 1)
    print(f"clustering: {t3 - t2:.1f} s, {len(c.stories):,} stories ({multi:,} with more than "
          f"one article, largest {max(sizes)})")
    print(f"total {t3 - t0:.1f} s; driver peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
