"""Time of one long article against its length, per stage, on one core (issue #21.2).

    .venv/bin/python scripts/bench_length.py [--sizes 0.25,0.5,1,2,4] [--ner fast|default]

Builds one article of each size (MB of UTF-8) from consecutive SaudiNewsNet articles
(``shared/data/news/saudinewsnet-2015.jsonl``, paragraphs kept) and runs the whole pipeline on
it once, pinned to one core (``RASD_THREADS=1``), after a warm-up on a short article. Prints
seconds per stage and in all, and seconds per MB: near-linear growth keeps the last column
flat. Figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from rasd.paths import DEFAULT_DATA


def build(size_mb: float, data: Path) -> str:
    parts, total = [], 0
    target = int(size_mb * 1_000_000)
    with open(data / "news" / "saudinewsnet-2015.jsonl", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"].strip()
            parts.append(text)
            total += len(text.encode("utf-8")) + 2
            if total >= target:
                break
    if total < target:  # the corpus is shorter than asked: repeat it
        reps = target // max(1, total) + 1
        parts = parts * reps
    out, n = [], 0
    for p in parts:
        out.append(p)
        n += len(p.encode("utf-8")) + 2
        if n >= target:
            break
    return "\n\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="0.25,0.5,1,2,4")
    ap.add_argument("--ner", default="fast")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args()
    os.environ.setdefault("RASD_THREADS", "1")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from rasd.ingest import document_from_text
    from rasd.pipeline import Pipeline

    pipe = Pipeline(ner=args.ner)
    pipe(document_from_text(build(0.01, args.data)))  # warm-up: models, lexicons, numba
    print(f"ner={args.ner}")
    for size in (float(x) for x in args.sizes.split(",")):
        text = build(size, args.data)
        t0 = time.process_time()
        doc = document_from_text(text)
        times = {"ingest": time.process_time() - t0}
        for name, stage in zip(pipe.names, pipe.stages, strict=True):
            t = time.process_time()
            stage(doc)
            times[name] = times.get(name, 0.0) + time.process_time() - t
        total = sum(times.values())
        mb = len(text.encode("utf-8")) / 1e6
        stages = ", ".join(f"{k} {v:.1f}" for k, v in times.items())
        print(json.dumps({"mb": round(mb, 2), "chars": len(text), "cpu_s": round(total, 1),
                          "s_per_mb": round(total / mb, 1), "mentions": len(doc.mentions),
                          "events": len(doc.events)}), f"| {stages}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
