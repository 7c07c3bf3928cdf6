"""Words → pieces → encoder windows, the same way at training and at run time.

A unit (a sentence, or a run of tokens) becomes the pieces of its words, each word knowing
the first and last of its pieces; consecutive units are packed into windows of at most
``max_pieces`` pieces (a unit longer than that is cut between words), so short sentences
share a window and see their neighbours, and the encoder runs once per window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rasd.encoder.pieces import PieceTokenizer

MAX_PIECES = 128


@dataclass(slots=True)
class Unit:
    """The pieces of one run of words: ids, and each word's ``[first, last]`` piece (a word
    with no piece of its own, e.g. one the normalizer deletes, gets ``-1``)."""

    ids: np.ndarray
    first: np.ndarray
    last: np.ndarray


def unit_of_words(tok: PieceTokenizer, words: Sequence[str]) -> Unit:
    """Pieces of words written with one space between them (as the training corpora are)."""
    text = " ".join(words)
    starts = np.zeros(len(words), dtype=np.int64)
    pos = 0
    for i, w in enumerate(words):
        starts[i] = pos
        pos += len(w) + 1
    ends = starts + np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    return unit_of_spans(tok, text, starts, ends, 0, len(text))


def unit_of_spans(tok: PieceTokenizer, text: str, starts: np.ndarray, ends: np.ndarray,
                  a: int, b: int) -> Unit:
    """Pieces of ``text[a:b]`` aligned to the words ``[starts[i], ends[i])`` inside it."""
    p = tok(text[a:b])
    ps, pe = p.starts + a, p.ends + a
    k = np.searchsorted(starts, ps, side="right") - 1
    kk = np.maximum(k, 0)
    inside = (k >= 0) & (pe > ps) & (ps < ends[kk]) if len(starts) else np.zeros(len(ps), bool)
    word = np.where(inside, k, -1)
    n = len(starts)
    first = np.full(n, -1, dtype=np.int64)
    last = np.full(n, -1, dtype=np.int64)
    idx = np.flatnonzero(word >= 0)
    if len(idx):
        w = word[idx]
        # pieces come in text order: the first occurrence of each word is its first piece
        uniq, first_pos = np.unique(w, return_index=True)
        first[uniq] = idx[first_pos]
        rev_w = w[::-1]
        uniq2, last_pos = np.unique(rev_w, return_index=True)
        last[uniq2] = idx[::-1][last_pos]
    return Unit(p.ids, first, last)


@dataclass(slots=True)
class Window:
    ids: np.ndarray
    # (unit index, word offset within the unit, piece offset within the window, word count)
    parts: list[tuple[int, int, int, int]]


def pack(units: Sequence[Unit], max_pieces: int = MAX_PIECES) -> list[Window]:
    """Consecutive units packed into windows of at most ``max_pieces`` pieces."""
    windows: list[Window] = []
    cur_ids: list[np.ndarray] = []
    cur_parts: list[tuple[int, int, int, int]] = []
    size = 0

    def flush() -> None:
        nonlocal cur_ids, cur_parts, size
        if cur_parts:
            ids = np.concatenate(cur_ids) if cur_ids else np.zeros(0, np.int64)
            windows.append(Window(ids, cur_parts))
        cur_ids, cur_parts, size = [], [], 0

    for ui, u in enumerate(units):
        for w0, w1, p0, p1 in _cut(u, max_pieces):
            n = p1 - p0
            if size + n > max_pieces:
                flush()
            cur_ids.append(u.ids[p0:p1])
            cur_parts.append((ui, w0, size - p0, w1 - w0))
            size += n
    flush()
    return windows


def _cut(u: Unit, max_pieces: int) -> list[tuple[int, int, int, int]]:
    """A unit as ``(first word, end word, first piece, end piece)`` parts that fit."""
    n_words, n_pieces = len(u.first), len(u.ids)
    if n_pieces <= max_pieces:
        return [(0, n_words, 0, n_pieces)]
    out = []
    w0, p0 = 0, 0
    last_end = np.maximum.accumulate(np.where(u.last >= 0, u.last + 1, 0)) if n_words else []
    for w in range(n_words):
        end = int(last_end[w])
        if end - p0 > max_pieces and w > w0:
            cut = int(last_end[w - 1])
            out.append((w0, w, p0, cut))
            w0, p0 = w, cut
        while end - p0 > max_pieces:  # one word longer than a window: cut its pieces
            out.append((w0, w0, p0, p0 + max_pieces))
            p0 += max_pieces
    if n_pieces - p0 > max_pieces:  # pieces after the last word's (a trailing invisible mark)
        words_end = int(last_end[-1]) if n_words else p0
        if words_end > p0:
            out.append((w0, n_words, p0, words_end))
            w0, p0 = n_words, words_end
        while n_pieces - p0 > max_pieces:
            out.append((w0, w0, p0, p0 + max_pieces))
            p0 += max_pieces
    out.append((w0, n_words, p0, n_pieces))
    return out


def word_rows(window: Window, unit: Unit, part: tuple[int, int, int, int], rows: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
    """For the words of one part, their first-piece rows in ``rows`` (the window's piece
    states or scores) and a mask of the words that have a piece in this window."""
    _ui, w0, shift, n = part
    first = unit.first[w0:w0 + n]
    pos = first + shift
    ok = (first >= 0) & (pos >= 0) & (pos < len(window.ids))
    return rows[np.where(ok, pos, 0)], ok
