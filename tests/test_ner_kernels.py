"""rasd.ner.kernels against plain-Python references on random inputs."""

from __future__ import annotations

import numpy as np

from rasd.ner import kernels


def _window_counts_reference(stem, sent, kind, window, kinds):
    out = np.zeros((len(stem), kinds), dtype=np.int64)
    for i in range(len(stem)):
        for j in range(len(stem)):
            if j != i and stem[j] == stem[i] and abs(sent[j] - sent[i]) <= window:
                out[i, kind[j]] += 1
    return out


def test_window_counts_match_a_direct_count():
    rng = np.random.default_rng(3)
    for _ in range(40):
        n = int(rng.integers(0, 120))
        stem = rng.integers(0, 12, n).astype(np.int64)
        sent = np.sort(rng.integers(0, 40, n)).astype(np.int64)
        kind = rng.integers(0, 5, n).astype(np.int64)
        window = int(rng.integers(0, 20))
        got = kernels.window_counts(stem, sent, kind, window, 5)
        np.testing.assert_array_equal(got, _window_counts_reference(stem, sent, kind, window, 5))


def test_viterbi_matches_exhaustive_search():
    rng = np.random.default_rng(5)
    L = 3
    trans = rng.normal(size=(L, L))
    for _ in range(30):
        lens = rng.integers(1, 6, int(rng.integers(1, 4)))
        starts = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
        E = rng.normal(size=(int(starts[-1]), L))
        path = kernels.viterbi(E, starts, trans)
        for a, b in zip(starts[:-1], starts[1:], strict=True):
            best, arg = -np.inf, None
            for seq in np.ndindex(*([L] * (b - a))):
                s = E[a, seq[0]] + sum(trans[seq[t - 1], seq[t]] + E[a + t, seq[t]]
                                       for t in range(1, b - a))
                if s > best:
                    best, arg = s, seq
            assert tuple(path[a:b]) == arg


def test_marginals_sum_to_one_and_skip_unwanted_sentences():
    rng = np.random.default_rng(9)
    E = rng.normal(size=(7, 4))
    starts = np.array([0, 3, 7], dtype=np.int64)
    P = kernels.marginals(E, starts, np.exp(rng.normal(size=(4, 4))), np.array([True, False]))
    np.testing.assert_allclose(P[:3].sum(axis=1), 1.0)
    assert not P[3:].any()


def test_segment_sums_are_reduceat_to_the_bit():
    rng = np.random.default_rng(11)
    W = rng.normal(size=(50, 7)) * 10.0 ** rng.integers(-3, 4, size=(50, 1))
    for _ in range(30):
        n = int(rng.integers(1, 80))
        ids = rng.integers(0, 50, n).astype(np.int64)
        cuts = np.sort(rng.choice(np.arange(1, n), size=min(n - 1, int(rng.integers(0, 12))),
                                  replace=False)) if n > 1 else np.zeros(0, np.int64)
        starts = np.concatenate([[0], cuts]).astype(np.int64)
        got = kernels.segment_sums(W, ids, starts)
        want = np.add.reduceat(W[ids], starts, axis=0).astype(np.float32)
        assert got.dtype == np.float32
        np.testing.assert_array_equal(got, want)
