"""NER tagging speed on one CPU core: the shipped CRF, and a BERT-base tagger for scale.

    .venv/bin/python scripts/bench_ner.py [--data ../shared/data] [--repeat 3]
                                          [--bert-sentences 200] [--batch 16]

Input: the ANERcorp test sentences (25k words), tokenized by rasd. The CRF is timed on
``NerTagger.tag_tokens`` (feature extraction + Viterbi, per-word feature cache warm after the
first pass, as in a long-running process) and on the document path ``tagger(doc)``
(+ marginals, mentions, name propagation). If ``torch`` and ``transformers`` import, a
``BertForTokenClassification`` with random weights and the BERT-base shape of CAMeLBERT
(hidden 768, 12 layers, 12 heads, vocab 64,000) tags the first ``--bert-sentences`` sentences,
batched, after a word-piece-like split (≤ 4 letters a piece, hashed to ids), with
``torch.set_num_threads(1)``; otherwise that part is skipped. The process is pinned to one
core where the OS allows. Numbers go to docs/benchmarks.md ("## NER speed").
"""

from __future__ import annotations

import argparse
import os
import time
import zlib
from pathlib import Path

from rasd.document import Document
from rasd.ner.data import anercorp
from rasd.ner.tagger import NerTagger
from rasd.paths import DEFAULT_DATA
from rasd.text.tokenize import Tokenizer


def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        except OSError:
            pass
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def bench_crf(sentences: list[str], repeat: int) -> dict:
    tokenizer = Tokenizer()
    toks = [tokenizer(s) for s in sentences]
    n = sum(map(len, toks))
    t0 = time.perf_counter()
    tagger = NerTagger.load()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    tagger.tag_tokens(toks)
    cold = n / (time.perf_counter() - t0)
    best = 0.0
    for _ in range(repeat):
        t0 = time.perf_counter()
        tagger.tag_tokens(toks)
        best = max(best, n / (time.perf_counter() - t0))
    text = "\n".join(sentences)
    doc = Document(text=text)
    doc.tokens = tokenizer(text)
    t0 = time.perf_counter()
    tagger(doc)
    doc_rate = len(doc.tokens) / (time.perf_counter() - t0)
    return {"tokens": n, "load_s": load_s, "cold": cold, "warm": best, "doc": doc_rate,
            "mentions": len(doc.mentions)}


def bench_bert(sentences: list[str], batch: int) -> dict | None:
    try:
        import torch
        from transformers import BertConfig, BertForTokenClassification
    except ImportError:
        return None
    torch.set_num_threads(1)
    config = BertConfig(vocab_size=64000, hidden_size=768, num_hidden_layers=12,
                        num_attention_heads=12, intermediate_size=3072, num_labels=9)
    model = BertForTokenClassification(config).eval()

    def pieces(word: str) -> list[int]:
        parts = [word[i:i + 4] for i in range(0, len(word), 4)] or [word]
        return [1000 + zlib.crc32(p.encode()) % 63000 for p in parts]

    encoded = []
    n_words = 0
    for s in sentences:
        words = s.split()
        n_words += len(words)
        ids = [2] + [i for w in words for i in pieces(w)][:510] + [3]
        encoded.append(ids)
    t0 = time.perf_counter()
    with torch.inference_mode():
        for i in range(0, len(encoded), batch):
            chunk = encoded[i:i + batch]
            width = max(map(len, chunk))
            ids = torch.zeros((len(chunk), width), dtype=torch.long)
            mask = torch.zeros((len(chunk), width), dtype=torch.long)
            for j, seq in enumerate(chunk):
                ids[j, :len(seq)] = torch.tensor(seq)
                mask[j, :len(seq)] = 1
            model(input_ids=ids, attention_mask=mask).logits.argmax(-1)
    secs = time.perf_counter() - t0
    return {"words": n_words, "pieces": sum(map(len, encoded)), "rate": n_words / secs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--bert-sentences", type=int, default=200)
    ap.add_argument("--batch", type=int, default=16)
    args = ap.parse_args()
    pin_one_core()
    sentences = [" ".join(w) for w, _ in anercorp(args.data, "test")]
    crf = bench_crf(sentences, args.repeat)
    print(f"rasd CRF: {crf['tokens']:,} tokens; model load {crf['load_s']:.2f}s; "
          f"tag_tokens {crf['cold']:,.0f} tokens/s cold, {crf['warm']:,.0f} tokens/s warm; "
          f"document path {crf['doc']:,.0f} tokens/s ({crf['mentions']:,} mentions)")
    bert = bench_bert(sentences[:args.bert_sentences], args.batch) if args.bert_sentences > 0 \
        else None
    if bert is None:
        why = "--bert-sentences 0" if args.bert_sentences <= 0 else \
            "torch and transformers not importable"
        print(f"BERT-base: skipped ({why})")
        return
    print(f"BERT-base (random weights, 1 thread, batch {args.batch}): {bert['words']:,} words "
          f"({bert['pieces']:,} pieces), {bert['rate']:,.0f} words/s")
    print(f"ratio: CRF is {crf['warm'] / bert['rate']:,.0f}x faster")


if __name__ == "__main__":
    main()
