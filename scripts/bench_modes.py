"""End-to-end speed and memory of the operating points on one core, interleaved.

    .venv/bin/python scripts/bench_modes.py [--articles 200] [--rounds 2]
        [--modes default,default-rules,fast]

Each mode runs in its own process pinned to one core (``RASD_THREADS=1``): it loads the
pipeline, warms up on 20 articles, then analyses the first ``--articles`` articles of
``shared/data/news/saudinewsnet-2015.jsonl`` (ingest included) and reports articles per
CPU-second (contention-proof: the VM's speed drifts within minutes, so modes alternate
round by round), articles per wall second and peak RSS. ``default`` = encoder NER + learned
claims/events; ``default-rules`` = encoder NER + rule claims/events; ``fast`` = CRF + rules.
Figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from rasd.paths import DEFAULT_DATA

MODES = {"default": {}, "default-rules": {"learned": False}, "fast": {"ner": "fast"}}


def child(mode: str, n: int, data: Path) -> None:
    if hasattr(os, "sched_setaffinity"):
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[-1]})
    import resource

    from rasd.ingest import document_from_text
    from rasd.pipeline import Pipeline

    with open(data / "news" / "saudinewsnet-2015.jsonl", encoding="utf-8") as fh:
        recs = [json.loads(line) for _, line in zip(range(n + 20), fh, strict=False)]
    pipe = Pipeline(**MODES[mode])
    for r in recs[:20]:
        pipe(document_from_text(r["text"], title=r["title"]))
    docs = [document_from_text(r["text"], title=r["title"]) for r in recs[:n]]
    chars = sum(len(d.text) for d in docs)
    c0, w0 = time.process_time(), time.perf_counter()
    for d in docs:
        pipe(d)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"mode": mode, "articles": n, "chars": chars, "cpu_s": round(cpu, 2),
                      "per_cpu_s": round(n / cpu, 2), "per_wall_s": round(n / wall, 2),
                      "peak_rss_mb": round(rss)}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--modes", default="default,default-rules,fast")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.articles, args.data)
        return 0
    env = dict(os.environ, RASD_THREADS="1", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    for rnd in range(1, args.rounds + 1):
        for mode in args.modes.split(","):
            out = subprocess.run([sys.executable, __file__, "--child", mode, "--articles",
                                  str(args.articles), "--data", str(args.data)],
                                 capture_output=True, text=True, env=env, check=True)
            line = out.stdout.strip().splitlines()[-1]
            print(f"round {rnd}: {line}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
