"""The NER stage's inner loops, compiled with numba.

Why compiled: the tagger's per-token work is a few small loops over 17 labels (Viterbi,
forward-backward) and over a document's repeated words (the second pass's window counts).
In numpy each step is a call on a tiny block, and those calls' overhead was a third of the
NER stage's time; compiled, the same loops cost well under a millisecond per article.

Arrays are flat over a document: ``E`` is (tokens, labels) and ``starts`` (sentences + 1)
holds each sentence's first row, so one call covers every sentence. Compiled code is cached
on disk where possible, so a process pays the compilation (about 2 s) once per machine, not per run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numba import njit


def _compiled(fn: Callable[..., Any]) -> Any:
    """``fn`` compiled on first call, with the machine code cached on disk when numba finds a
    writable place (next to this file, else the user's cache folder), else per process."""
    try:
        return njit(cache=True, nogil=True)(fn)
    except RuntimeError:  # numba: "cannot cache function …: no locator available"
        return njit(nogil=True)(fn)


@_compiled
def viterbi(E: np.ndarray, starts: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """Best label index per token, sentence by sentence (rows ``starts[s]:starts[s+1]``).

    Ties go to the lowest label index, at every step and at the end, as CRFsuite's strict
    ``<`` comparison does; the scores are summed in CRFsuite's order (previous score plus
    transition, then the emission), so the paths are the same.
    """
    N, L = E.shape
    path = np.zeros(N, np.int64)
    back = np.zeros((N, L), np.int64)
    score = np.empty(L)
    new = np.empty(L)
    for s in range(len(starts) - 1):
        a, b = starts[s], starts[s + 1]
        if a >= b:
            continue
        for j in range(L):
            score[j] = E[a, j]
        for t in range(a + 1, b):
            for j in range(L):
                best = score[0] + trans[0, j]
                arg = 0
                for i in range(1, L):
                    c = score[i] + trans[i, j]
                    if c > best:
                        best = c
                        arg = i
                back[t, j] = arg
                new[j] = best + E[t, j]
            for j in range(L):
                score[j] = new[j]
        cur = 0
        for j in range(1, L):
            if score[j] > score[cur]:
                cur = j
        for t in range(b - 1, a - 1, -1):
            path[t] = cur
            if t > a:
                cur = back[t, cur]
    return path


@_compiled
def marginals(E: np.ndarray, starts: np.ndarray, exp_trans: np.ndarray,
              want: np.ndarray) -> np.ndarray:
    """P(label | sentence) per token by scaled forward-backward, for sentences with
    ``want[s]`` (the rows of the others stay zero)."""
    N, L = E.shape
    P = np.zeros((N, L))
    X = np.empty((N, L))
    alpha = np.empty((N, L))
    beta = np.empty((N, L))
    for s in range(len(starts) - 1):
        a, b = starts[s], starts[s + 1]
        if a >= b or not want[s]:
            continue
        for t in range(a, b):  # exp-space, scaled per position
            m = E[t, 0]
            for j in range(1, L):
                m = max(m, E[t, j])
            for j in range(L):
                X[t, j] = np.exp(E[t, j] - m)
        z = 0.0
        for j in range(L):
            alpha[a, j] = X[a, j]
            z += X[a, j]
        for j in range(L):
            alpha[a, j] /= z
        for t in range(a + 1, b):
            z = 0.0
            for j in range(L):
                v = 0.0
                for i in range(L):
                    v += alpha[t - 1, i] * exp_trans[i, j]
                v *= X[t, j]
                alpha[t, j] = v
                z += v
            for j in range(L):
                alpha[t, j] /= z
        for j in range(L):
            beta[b - 1, j] = 1.0
        for t in range(b - 2, a - 1, -1):
            z = 0.0
            for i in range(L):
                v = 0.0
                for j in range(L):
                    v += beta[t + 1, j] * X[t + 1, j] * exp_trans[i, j]
                beta[t, i] = v
                z += v
            for i in range(L):
                beta[t, i] /= z
        for t in range(a, b):
            z = 0.0
            for j in range(L):
                P[t, j] = alpha[t, j] * beta[t, j]
                z += P[t, j]
            for j in range(L):
                P[t, j] /= z
    return P


@_compiled
def window_counts(stem: np.ndarray, sent: np.ndarray, kind: np.ndarray, window: int,
                  kinds: int) -> np.ndarray:
    """For each token, how many *other* tokens with the same stem id, in sentences at most
    ``window`` away, got each kind (0 … kinds-1) of first-pass label. ``sent`` must not
    decrease along the tokens."""
    N = len(stem)
    out = np.zeros((N, kinds), np.int64)
    order = np.argsort(stem, kind="mergesort")  # stable: a stem's tokens stay in text order
    cnt = np.zeros(kinds, np.int64)
    g0 = 0
    while g0 < N:
        s = stem[order[g0]]
        g1 = g0
        while g1 < N and stem[order[g1]] == s:
            g1 += 1
        cnt[:] = 0
        lo = g0
        hi = g0
        for m in range(g0, g1):
            tok = order[m]
            here = sent[tok]
            while hi < g1 and sent[order[hi]] <= here + window:
                cnt[kind[order[hi]]] += 1
                hi += 1
            while sent[order[lo]] < here - window:
                cnt[kind[order[lo]]] -= 1
                lo += 1
            for k in range(kinds):
                out[tok, k] = cnt[k]
            out[tok, kind[tok]] -= 1
        g0 = g1
    return out


@_compiled
def segment_sums(W: np.ndarray, ids: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """``out[g] = W[ids[starts[g]]] + W[ids[starts[g] + 1]] + …`` up to the next start (or
    the end), summed in float64 in that order (as ``np.add.reduceat`` does), stored as float32.
    The NER's per-form feature sums: one pass, no gathered copy of the rows."""
    G = len(starts)
    C = W.shape[1]
    out = np.empty((G, C), np.float32)
    acc = np.empty(C)
    for g in range(G):
        a = starts[g]
        b = starts[g + 1] if g + 1 < G else len(ids)
        row = ids[a]
        for c in range(C):
            acc[c] = W[row, c]
        for t in range(a + 1, b):
            row = ids[t]
            for c in range(C):
                acc[c] += W[row, c]
        for c in range(C):
            out[g, c] = acc[c]
    return out
