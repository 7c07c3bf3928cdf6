"""Entity-level scoring of IOB tag sequences, with seqeval's default (CoNLL) semantics.

Chunks are read by :func:`rasd.ner.labels.chunks` (the label scheme's one home). A predicted
chunk is correct only when its type and both boundaries equal a gold chunk's. Written here so
that scoring needs no extra package; the cases in ``tests/test_ner.py`` pin the behaviour to
seqeval's (``seqeval.metrics.f1_score`` with its default mode).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from rasd.ner.labels import chunks


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
