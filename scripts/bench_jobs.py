"""How long a small analysis waits while a large one runs, through a real server (issue
#20.7 / #21.2).

    .venv/bin/python scripts/bench_jobs.py [--mb 1] [--n 20] [--ner default|fast]

Starts ``rasd serve``'s app under uvicorn on a free loopback port (a fresh store in a temp
folder), sends one article of ``--mb`` MB (consecutive SaudiNewsNet articles,
``shared/data/news/saudinewsnet-2015.jsonl``) to ``/api/analyze`` from a second thread, and
meanwhile times ``--n`` analyses of the sample article; then the same small analyses with
nothing else running. Prints median and worst seconds of each and the large one's time.
Figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_length import build  # noqa: E402


def post(url: str, body: dict) -> tuple[int, float]:
    data = json.dumps(body, ensure_ascii=False).encode()
    req = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    t0 = time.monotonic()
    with urllib.request.urlopen(req, timeout=3600) as r:
        r.read()
        return r.status, time.monotonic() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--ner", default="default")
    ap.add_argument("--data", type=Path,
                    default=Path(__file__).resolve().parents[2] / "shared/data")
    args = ap.parse_args()

    from rasd.api.app import create_app
    from rasd.api.local_server import serving
    from rasd.pipeline import Pipeline

    sample = (Path(__file__).resolve().parents[2] / "shared/samples/libya-2019-rajma.txt"
              ).read_text(encoding="utf-8")
    big = build(args.mb, args.data)
    pipeline = Pipeline(ner=args.ner)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Path(tmp) / "bench.db", heavy_per_minute=0, job_pipeline=args.ner,
                         pipeline_factory=lambda: pipeline)
        with serving(app) as base:
            url = f"{base}/api/analyze"
            post(url, {"text": sample})  # the in-process pipeline is built
            alone = [post(url, {"text": sample})[1] for _ in range(args.n)]
            large: dict[str, float] = {}
            runner = threading.Thread(
                target=lambda: large.update(s=post(url, {"text": big})[1]))
            runner.start()
            while not (app.state.jobs.list() and app.state.jobs.list()[0].stage_index >= 3):
                time.sleep(0.1)
            during = []
            while len(during) < args.n and runner.is_alive():
                during.append(post(url, {"text": sample})[1])
            runner.join()
    print(f"large article: {len(big):,} characters ({args.mb:g} MB), {large['s']:.1f} s "
          f"in the worker ({args.ner})")
    for name, xs in (("small analysis alone", alone), ("small analysis during", during)):
        print(f"{name:24} n={len(xs):3}  median {statistics.median(xs):.3f} s  "
              f"worst {max(xs):.3f} s")


if __name__ == "__main__":
    main()
