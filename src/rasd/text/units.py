"""The units a document is tagged in: its sentences, cut at line breaks and at a length.

Shared by the NER taggers and the encoder stage (which runs the network on the same units
the encoder tagger decodes), so it sits below both packages.
"""

from __future__ import annotations

import re
from itertools import pairwise

import numpy as np

from rasd.document import Document

MAX_TOKENS = 120  # longer sentences are tagged in chunks (split at punctuation if possible)
_BREAK = re.compile(r"[.!?؟;؛،,:]")
_NEWLINE = re.compile("\n")


def tagging_units(doc: Document, starts: list[int], forms: list[str]) -> list[list[int]]:
    """Token index runs to tag: sentences (whole text if none), cut at line breaks and
    length. ``starts`` and ``forms`` are the tokens' offsets and texts."""
    if not starts:
        return []
    sents = sorted((s.start, s.end) for s in doc.sentences) or [(0, len(doc.text))]
    n = len(starts)
    st = np.asarray(starts, dtype=np.int64)
    en = st + np.fromiter(map(len, forms), dtype=np.int64, count=n)
    s_starts = np.array([a for a, _ in sents], dtype=np.int64)
    s_ends = np.array([b for _, b in sents], dtype=np.int64)
    k = np.searchsorted(s_starts, st, side="right") - 1  # the sentence a token starts in
    sid = np.where((k >= 0) & (en <= s_ends[np.maximum(k, 0)]), k, -1 - k)  # gaps: own id
    # a line break between two tokens: more newlines before this start than before the
    # previous token's end
    nl = np.array([m.start() for m in _NEWLINE.finditer(doc.text)], dtype=np.int64)
    cut = np.flatnonzero((sid[1:] != sid[:-1]) | (np.searchsorted(nl, st[1:])
                                                  > np.searchsorted(nl, en[:-1]))) + 1
    out: list[list[int]] = []
    for a, b in pairwise([0, *cut.tolist(), n]):
        out.extend(split_long(list(range(a, b)), forms))
    return out


def split_long(unit: list[int], forms: list[str], limit: int = MAX_TOKENS) -> list[list[int]]:
    """Cut a long token run into pieces of at most ``limit``, after punctuation when possible."""
    out = []
    while len(unit) > limit:
        cut = 0
        for i in range(limit - 1, limit // 2, -1):
            if _BREAK.fullmatch(forms[unit[i]]):
                cut = i + 1
                break
        cut = cut or limit
        out.append(unit[:cut])
        unit = unit[cut:]
    if unit:
        out.append(unit)
    return out
