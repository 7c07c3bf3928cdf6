"""Throughput of normalize + tokenize (+ clitic segmentation) + sentence split, and `analyze`.

    .venv/bin/python scripts/bench_text.py [--data ../shared/data] [--mb 10] [--articles 500]

Builds >= --mb MB (UTF-8) of varied Arabic text from the news files and NER corpora in the
shared data, then times each step on one core (the process is single-threaded). Prints MB/s
and, for the full pipeline, articles/s. Numbers go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rasd.document import Document
from rasd.pipeline import Pipeline
from rasd.text.normalize import normalize
from rasd.text.sentences import split_sentences
from rasd.text.tokenize import Tokenizer


def corpus(data: Path, mb: float) -> tuple[list[str], list[dict]]:
    texts: list[str] = []
    articles: list[dict] = []
    for f in sorted((data / "news").glob("*.jsonl")):
        with f.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                articles.append(rec)
                texts.append(rec["text"])
    for f in sorted((data / "ner").rglob("*.txt")):
        if f.name.startswith(("ANERCorp", "NewsFANE")) or f.parent.name == "aqmar":
            words = [ln.split()[0] for ln in f.read_text(encoding="utf-8-sig").splitlines()
                     if ln.split()]
            texts.append(" ".join(words))
    out, size = [], 0
    while size < mb * 1e6:
        for t in texts:
            out.append(t)
            size += len(t.encode("utf-8"))
            if size >= mb * 1e6:
                break
    return out, articles


def timed(fn, texts: list[str]) -> float:
    t0 = time.perf_counter()
    for t in texts:
        fn(t)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2]
                    / "shared" / "data")
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--articles", type=int, default=500)
    args = ap.parse_args()
    texts, articles = corpus(args.data, args.mb)
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    chars = sum(len(t) for t in texts)
    tok = Tokenizer()
    tok("تهيئة")  # load the lexicon outside the timing
    print(f"corpus: {size:.1f} MB UTF-8, {chars:,} characters, {len(texts):,} texts")
    t_norm = timed(normalize, texts)
    t_tok = timed(tok, texts)
    t_warm = timed(tok, texts)  # steady state: every word form already analysed once
    t_sent = timed(split_sentences, texts)
    for name, secs in (("normalize (view; map on demand)", t_norm),
                       ("tokenize + segmentation, cold", t_tok),
                       ("tokenize + segmentation, warm", t_warm),
                       ("sentence split", t_sent),
                       ("normalize + tokenize, cold", t_norm + t_tok),
                       ("normalize + tokenize, warm", t_norm + t_warm),
                       ("normalize + tokenize + sentences", t_norm + t_tok + t_sent)):
        print(f"{name:34s} {size / secs:7.2f} MB/s  ({secs:.2f} s)")
    pipe = Pipeline()
    sample = articles[: args.articles]
    pipe(Document(text=sample[0]["text"]))
    t0 = time.perf_counter()
    for rec in sample:
        pipe(Document(text=rec["text"], title=rec.get("title")))
    secs = time.perf_counter() - t0
    stages = ", ".join(pipe.stage_names)
    print(f"pipeline [{stages}]: {len(sample) / secs:.1f} articles/s over {len(sample)} "
          f"news articles ({secs:.2f} s)")


if __name__ == "__main__":
    main()
