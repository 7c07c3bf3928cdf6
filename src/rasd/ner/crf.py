"""Linear-chain CRF inference from weights trained by CRFsuite.

Why not ``pycrfsuite.Tagger``: it looks every feature string up in the model for every token
of every sentence (about 30 strings a token, twice for the two passes), which was most of the
NER stage's time. Here the weights are a matrix, so the caller can sum the parts of a token's
score from arrays (rasd.ner.emissions), and Viterbi / forward-backward run over all sentences
of a document in one compiled call (rasd.ner.kernels).

The scores are CRFsuite's (same state and transition weights, first-order chain, no start/end
weights); the labels agree with ``pycrfsuite.Tagger.tag`` and the marginals with
``Tagger.marginal`` (tests/test_ner_crf.py checks both against CRFsuite).

A model file is an ``.npz`` written by :func:`rasd.train.crf.export` from a ``.crfsuite``
file: ``labels`` and ``attributes`` (UTF-8, one per line), the state weights as (attribute,
label, weight) triplets and the transition matrix. No pickles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path

import numpy as np

from rasd.ner import kernels


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

    # -- decoding --------------------------------------------------------------------------
    def decode(self, E: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """Best label index per token; ``E`` is (tokens, labels) over sentences that begin at
        the rows ``starts[:-1]`` (``starts[-1]`` = tokens), see :mod:`rasd.ner.kernels`."""
        return kernels.viterbi(np.ascontiguousarray(E, dtype=np.float64),
                               np.asarray(starts, dtype=np.int64), self.trans)

    def posteriors(self, E: np.ndarray, starts: np.ndarray,
                   want: np.ndarray | None = None) -> np.ndarray:
        """P(label at t | sentence), (tokens, labels), for the sentences with ``want`` (all by
        default; rows of the others are zero)."""
        starts = np.asarray(starts, dtype=np.int64)
        if want is None:
            want = np.ones(len(starts) - 1, dtype=np.bool_)
        return kernels.marginals(np.ascontiguousarray(E, dtype=np.float64), starts,
                                 self.exp_trans, np.asarray(want, dtype=np.bool_))

    def viterbi(self, emissions: Sequence[np.ndarray]) -> list[list[str]]:
        """Best label sequence of each sentence; ``emissions[b]`` is (length, labels)."""
        E, starts = flatten(emissions, len(self.labels))
        path = self.decode(E, starts)
        labels = self.labels
        return [[labels[k] for k in path[a:b]] for a, b in pairwise(starts)]

    def marginals(self, emissions: Sequence[np.ndarray]) -> list[np.ndarray]:
        """P(label at t | sentence) for each sentence, (length, labels), by forward-backward."""
        E, starts = flatten(emissions, len(self.labels))
        P = self.posteriors(E, starts)
        return [P[a:b] for a, b in pairwise(starts)]


def flatten(emissions: Sequence[np.ndarray], labels: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-sentence (length, labels) blocks → one (tokens, labels) array and sentence starts."""
    starts = np.zeros(len(emissions) + 1, dtype=np.int64)
    starts[1:] = np.cumsum([len(e) for e in emissions])
    if not starts[-1]:
        return np.zeros((0, labels)), starts
    return np.concatenate([np.reshape(e, (-1, labels)) for e in emissions]), starts
