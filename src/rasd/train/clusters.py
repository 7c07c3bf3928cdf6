"""Build the NER model's word clusters from unlabeled Arabic news (``model/clusters.tsv``).

Brown clustering in pure Python is too slow for ~25 MB, so the clusters come from PPMI
co-occurrence vectors (±2 words, left and right contexts kept apart), a randomized truncated
SVD, and spherical k-means at six sizes (64 … 2048 clusters): coarse and fine word classes side
by side, as prefixes of a Brown path would give (six sizes scored 0.9 F1 better than three on
held-out train). Units are normalized stems (clitics and the article removed), so وبطرابلس and
طرابلس share one vector.

Built by ``rasd train ner`` (or ``rasd train clusters``) from ``shared/data/news/*.jsonl``
plus the training corpora's own text (never test text); read at run time by
:mod:`rasd.ner.clusters`.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from rasd.document import Token
from rasd.ner.clusters import SIZES

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "ner" / "model" / "clusters.tsv"


def stem_key(tok: Token) -> str:
    """The unit clusters are keyed by: the normalized stem (lower-cased if Latin)."""
    from rasd.text.normalize import norm

    return norm(tok.stem.text).lower()


def iter_texts(data: Path) -> Iterator[str]:
    """Unlabeled text: the news files, ANERcorp train and the AQMAR dev articles."""
    from rasd.ner.data import anercorp, aqmar

    for f in sorted((data / "news").glob("*.jsonl")):
        with f.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                yield (rec.get("title") or "") + "\n" + rec.get("text", "")
    for words, _ in anercorp(data, "train"):
        yield " ".join(words)
    for words, _ in aqmar(data, "dev"):
        yield " ".join(words)


def build(data: Path, out: Path, vocab_size: int = 60000, n_context: int = 5000,
          dim: int = 200, seed: int = 0, log=print) -> dict[str, int]:
    """Compute the clusters and write them to ``out``; returns counts for the provenance."""
    import numpy as np

    t0 = time.time()
    vocab, vec, freq, stats = vectors(data, vocab_size, n_context, dim, seed, log)
    V = len(vocab)
    weights = np.ones(V)
    assign = {k: _kmeans(vec, k, seed, weights) for k in SIZES}
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        fh.write(f"# word clusters: {V} stems, PPMI+SVD({dim})+k-means; columns: stem "
                 + " ".join(f"c{k}" for k in SIZES) + "\n")
        for i, w in enumerate(vocab):
            if "\t" in w or "\n" in w:
                continue
            fh.write(w + "\t" + "\t".join(str(int(assign[k][i])) for k in SIZES) + "\n")
    log(f"clusters: wrote {out} ({time.time() - t0:.0f}s)")
    return stats


def vectors(data: Path, vocab_size: int = 60000, n_context: int = 5000, dim: int = 200,
            seed: int = 0, log=print):
    """Unit-length PPMI-SVD vectors of the most frequent stems: ``(vocab, vec, freq, stats)``."""
    import numpy as np

    from rasd.text.tokenize import Tokenizer

    t0 = time.time()
    tokenizer = Tokenizer()
    docs: list[list[str]] = []
    freq: Counter[str] = Counter()
    cache: dict[str, str] = {}
    for text in iter_texts(data):
        keys = []
        for tok in tokenizer(text):
            k = cache.get(tok.text)
            if k is None:
                k = cache[tok.text] = stem_key(tok)
            keys.append(k)
        freq.update(keys)
        docs.append(keys)
    n_tokens = sum(freq.values())
    log(f"clusters: {len(docs):,} texts, {n_tokens:,} tokens, {len(freq):,} stems "
        f"({time.time() - t0:.0f}s)")
    vocab = [w for w, c in freq.most_common(vocab_size) if c >= 3]
    contexts = [w for w, _ in freq.most_common(n_context)]
    row = {w: i for i, w in enumerate(vocab)}
    col = {w: i for i, w in enumerate(contexts)}
    rows_l: list[int] = []
    cols_l: list[int] = []
    for keys in docs:
        r = [row.get(k, -1) for k in keys]
        c = [col.get(k, -1) for k in keys]
        rows_l.extend(r + [-1, -1])
        cols_l.extend(c + [-1, -1])
    rows = np.asarray(rows_l, dtype=np.int64)
    cols = np.asarray(cols_l, dtype=np.int64)
    V, C = len(vocab), len(contexts)
    codes = []
    for d in (-2, -1, 1, 2):
        side = 0 if d < 0 else C
        r = rows[max(0, -d):len(rows) - max(0, d)]
        c = cols[max(0, d):len(cols) - max(0, -d)]
        ok = (r >= 0) & (c >= 0)
        codes.append(r[ok] * (2 * C) + c[ok] + side)
    uniq, counts = np.unique(np.concatenate(codes), return_counts=True)
    M = np.zeros((V, 2 * C), dtype=np.float32)
    M.ravel()[uniq] = counts
    # PPMI with context-distribution smoothing (alpha 0.75).
    total = M.sum()
    rs = M.sum(axis=1, keepdims=True)
    cs = M.sum(axis=0, keepdims=True) ** 0.75
    cs /= cs.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        np.log(M * (1.0 / total) / (rs / total) / cs, out=M, where=M > 0)
    M[M < 0] = 0
    np.nan_to_num(M, copy=False)
    log(f"clusters: PPMI {V:,} x {2 * C:,} ({time.time() - t0:.0f}s)")
    vec = _randomized_svd(M, dim, seed)
    del M
    vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9
    stats = {"texts": len(docs), "tokens": n_tokens, "stems": V, "contexts": C, "dim": dim}
    return vocab, vec, freq, stats


def _randomized_svd(M, k: int, seed: int, oversample: int = 20, iters: int = 3):
    """Left singular vectors × sqrt(singular values): Halko et al.'s randomized range finder."""
    import numpy as np

    rng = np.random.default_rng(seed)
    Q = M @ rng.standard_normal((M.shape[1], k + oversample)).astype(np.float32)
    for _ in range(iters):
        Q, _ = np.linalg.qr(Q)
        Q, _ = np.linalg.qr(M @ (M.T @ Q))
    B = Q.T @ M
    Ub, s, _ = np.linalg.svd(B, full_matrices=False)
    U = Q @ Ub[:, :k]
    return (U * np.sqrt(s[:k])).astype(np.float32)


def _kmeans(X, k: int, seed: int, weights, iters: int = 25):
    """Spherical k-means (cosine), k-means++-style seeding on a sample; returns assignments."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = len(X)
    p = weights / weights.sum()
    centers = X[rng.choice(n, size=k, replace=False, p=p)].copy()
    assign = np.zeros(n, dtype=np.int64)
    for _ in range(iters):
        sims = X @ centers.T
        new = sims.argmax(axis=1)
        if (new == assign).all():
            break
        assign = new
        for j in range(k):
            members = assign == j
            if members.any():
                c = (X[members] * weights[members, None]).sum(axis=0)
                centers[j] = c / (np.linalg.norm(c) + 1e-9)
            else:  # empty cluster: reseed at the worst-fitting point
                centers[j] = X[sims.max(axis=1).argmin()]
    return assign


def _centroids(X, assign, k: int):
    import numpy as np

    cent = np.zeros((k, X.shape[1]), dtype=np.float32)
    np.add.at(cent, assign, X)
    cent /= np.linalg.norm(cent, axis=1, keepdims=True) + 1e-9
    return cent
