"""Linear-chain CRF inference in numpy, from weights trained by CRFsuite.

Why not ``pycrfsuite.Tagger``: it looks every feature string up in the model for every token
of every sentence (about 30 strings a token, twice for the two passes), which was most of the
NER stage's time. Here the weights are a matrix, so the part of a token's score that depends
only on its word form (its own features, and what it contributes to its neighbours) is summed
once per word form and cached as a vector by the caller; per sentence only a handful of strings
are looked up, and Viterbi / forward-backward run over all sentences of a document at once.

The scores are CRFsuite's (same state and transition weights, first-order chain, no start/end
weights); the labels agree with ``pycrfsuite.Tagger.tag`` and the marginals with
``Tagger.marginal`` (tests/test_ner_crf.py checks both against CRFsuite).

A model file is an ``.npz`` written by :func:`export` from a ``.crfsuite`` file: ``labels``
and ``attributes`` (UTF-8, one per line), the state weights as (attribute, label, weight)
triplets and the transition matrix. No pickles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np


class CrfModel:
    """State weights ``W[attribute, label]`` (last row: unknown attributes, all zero)."""

    def __init__(self, labels: list[str], attributes: list[str], W: np.ndarray,
                 trans: np.ndarray) -> None:
        self.labels = labels
        self.index = {a: i for i, a in enumerate(attributes)}
        self.unknown = len(attributes)
        self.W = W
        self.trans = trans
        self.exp_trans = np.exp(trans)

    # -- files -----------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> CrfModel:
        with np.load(path, allow_pickle=False) as z:
            labels = bytes(z["labels"]).decode("utf-8").split("\n")
            attributes = bytes(z["attributes"]).decode("utf-8").split("\n")
            W = np.zeros((len(attributes) + 1, len(labels)))
            W[z["attr"], z["label"]] = z["weight"]
            return cls(labels, attributes, W, z["trans"].astype(np.float64))

    # -- scores ----------------------------------------------------------------------------
    def ids(self, feats: Iterable[str]) -> list[int]:
        get, unk = self.index.get, self.unknown
        return [get(f, unk) for f in feats]

    def vector(self, feats: Sequence[str]) -> np.ndarray:
        """The summed state weights of ``feats`` (a feature listed twice counts twice)."""
        return self.W[self.ids(feats)].sum(axis=0)

    def sums(self, groups: Iterable[Sequence[str]]) -> np.ndarray:
        """:meth:`vector` of each group of features, (groups, labels), in one gather-and-sum."""
        flat: list[str] = []
        starts: list[int] = []
        for group in groups:
            starts.append(len(flat))
            flat += group or ("",)  # an empty group sums to zero: "" is no feature
        return np.add.reduceat(self.W[self.ids(flat)], starts, axis=0)

    # -- decoding --------------------------------------------------------------------------
    def viterbi(self, emissions: Sequence[np.ndarray]) -> list[list[str]]:
        """Best label sequence of each sentence; ``emissions[b]`` is (length, labels).

        All sentences advance together, longest first, so a step is a few numpy calls on a
        ``(sentences still running, labels, labels)`` block rather than one per sentence.
        """
        out: list[list[str]] = [[] for _ in emissions]
        todo = sorted((b for b, e in enumerate(emissions) if len(e)),
                      key=lambda b: -len(emissions[b]))
        if not todo:
            return out
        E, lens = _pad([emissions[b] for b in todo])
        B, T, L = E.shape
        running = np.searchsorted(-lens, -np.arange(T), side="left")  # sentences longer than t
        trans = self.trans
        score = E[:, 0].copy()
        back = np.zeros((T, B, L), dtype=np.intp)
        for t in range(1, T):
            k = running[t]
            cand = score[:k, :, None] + trans  # (k, from, to)
            back[t, :k] = cand.argmax(axis=1)  # first maximum, as CRFsuite's strict '<' keeps
            score[:k] = cand.max(axis=1) + E[:k, t]
        cur = score.argmax(axis=1)
        path = np.zeros((B, T), dtype=np.intp)
        rows = np.arange(B)
        for t in range(T - 1, -1, -1):
            k = running[t]
            path[:k, t] = cur[:k]
            if t:
                cur[:k] = back[t, rows[:k], cur[:k]]
        labels = self.labels
        for i, b in enumerate(todo):
            out[b] = [labels[k] for k in path[i, :lens[i]]]
        return out

    def marginals(self, emissions: Sequence[np.ndarray]) -> list[np.ndarray]:
        """P(label at t | sentence) for each sentence, (length, labels), by forward-backward."""
        out: list[np.ndarray] = [np.zeros((0, len(self.labels))) for _ in emissions]
        todo = [b for b, e in enumerate(emissions) if len(e)]
        if not todo:
            return out
        E, lens = _pad([emissions[b] for b in todo])
        B, T, L = E.shape
        # Exp-space with per-position scaling; padded positions are skipped via the masks.
        X = np.exp(E - E.max(axis=2, keepdims=True))
        M = self.exp_trans
        alpha = np.zeros((B, T, L))
        a = X[:, 0]
        alpha[:, 0] = a / a.sum(axis=1, keepdims=True)
        for t in range(1, T):
            a = (alpha[:, t - 1] @ M) * X[:, t]
            alpha[:, t] = a / a.sum(axis=1, keepdims=True)
        beta = np.ones((B, T, L))
        for t in range(T - 2, -1, -1):
            b = (beta[:, t + 1] * X[:, t + 1]) @ M.T
            b = b / b.sum(axis=1, keepdims=True)
            active = (t + 1 < lens)[:, None]
            beta[:, t] = np.where(active, b, 1.0)
        p = alpha * beta
        p /= p.sum(axis=2, keepdims=True)
        for i, b in enumerate(todo):
            out[b] = p[i, :lens[i]]
        return out


def _pad(emissions: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    lens = np.array([len(e) for e in emissions])
    E = np.zeros((len(emissions), int(lens.max()), emissions[0].shape[1]))
    for i, e in enumerate(emissions):
        E[i, :len(e)] = e
    return E, lens


def export(crfsuite_model: Path, out: Path) -> dict[str, int]:
    """Write a ``.crfsuite`` model's weights as the ``.npz`` :class:`CrfModel` reads."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(crfsuite_model))
    info = tagger.info()
    tagger.close()
    labels = sorted(info.labels, key=info.labels.get)
    lid = {lab: i for i, lab in enumerate(labels)}
    attributes = sorted({a for a, _ in info.state_features})
    aid = {a: i for i, a in enumerate(attributes)}
    items = sorted(info.state_features.items())
    trans = np.zeros((len(labels), len(labels)))
    for (a, b), w in info.transitions.items():
        trans[lid[a], lid[b]] = w
    if any("\n" in x for x in attributes + labels):
        raise ValueError("a feature or label contains a newline")
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        np.savez_compressed(
            fh,
            labels=np.frombuffer("\n".join(labels).encode("utf-8"), dtype=np.uint8),
            attributes=np.frombuffer("\n".join(attributes).encode("utf-8"), dtype=np.uint8),
            attr=np.array([aid[a] for (a, _), _ in items], dtype=np.int32),
            label=np.array([lid[b] for (_, b), _ in items], dtype=np.int8),
            weight=np.array([w for _, w in items], dtype=np.float64),
            trans=trans,
        )
    return {"labels": len(labels), "attributes": len(attributes), "state_features": len(items)}
