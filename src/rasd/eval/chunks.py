"""Entity-level scoring of IOB tag sequences, with seqeval's default (CoNLL) semantics.

A chunk starts at ``B-X``, or at ``I-X`` that does not continue a chunk of type X (after ``O``,
after another type, at the start of a sentence); it ends before the next tag that does not
continue it (``O``, ``B-*``, another type). A predicted chunk is correct only when its type and
both boundaries equal a gold chunk's. Written here so that scoring needs no extra package; the
cases in ``tests/test_ner.py`` pin the behaviour to seqeval's (``seqeval.metrics.f1_score``
with its default mode).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

Chunk = tuple[str, int, int]  # type, start, end (exclusive)


def chunks(tags: Sequence[str]) -> list[Chunk]:
    """Chunks of one sentence (an ``E-``/``S-`` prefix is read as ``I-``/``B-``)."""
    out: list[Chunk] = []
    typ: str | None = None
    start = 0
    for i, tag in enumerate(tags):
        if tag in ("O", "") or len(tag) < 2 or tag[1] != "-":
            prefix, t = "O", None
        else:
            prefix, t = tag[0].upper(), tag[2:]
            prefix = {"S": "B", "E": "I"}.get(prefix, prefix)
        if typ is not None and (prefix != "I" or t != typ):
            out.append((typ, start, i))
            typ = None
        if prefix in ("B", "I") and typ is None:
            typ, start = t, i
    if typ is not None:
        out.append((typ, start, len(tags)))
    return out


def score(gold: Iterable[Sequence[str]], pred: Iterable[Sequence[str]]) -> dict:
    """Micro precision/recall/F1 (in %) overall and per type, with supports.

    Returns ``{"overall": {...}, "types": {type: {...}}}``; each inner dict has ``p``, ``r``,
    ``f1``, ``support`` (gold chunks), ``predicted`` and ``correct``.
    """
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_ok: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        if len(g) != len(p):
            raise ValueError(f"sentence lengths differ: {len(g)} gold vs {len(p)} predicted")
        gc, pc = set(chunks(g)), set(chunks(p))
        n_gold.update(c[0] for c in gc)
        n_pred.update(c[0] for c in pc)
        n_ok.update(c[0] for c in gc & pc)
    types = sorted(set(n_gold) | set(n_pred))
    out = {"overall": _prf(sum(n_ok.values()), sum(n_pred.values()), sum(n_gold.values())),
           "types": {t: _prf(n_ok[t], n_pred[t], n_gold[t]) for t in types}}
    return out


def _prf(ok: int, pred: int, gold: int) -> dict:
    p = 100.0 * ok / pred if pred else 0.0
    r = 100.0 * ok / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 2), "r": round(r, 2), "f1": round(f, 2), "support": gold,
            "predicted": pred, "correct": ok}
