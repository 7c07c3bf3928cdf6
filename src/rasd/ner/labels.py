"""The label scheme in one place: IOB2 everywhere, BILOU inside the CRF, and chunks.

A chunk starts at ``B-X``, or at ``I-X`` that does not continue a chunk of type X (after ``O``,
after another type, at the start of a sentence); it ends before the next tag that does not
continue it (``O``, ``B-*``, another type): seqeval's default (CoNLL) semantics, which
``tests/test_ner.py`` pins. The taggers turn labels into mentions with :func:`chunks`, the
CRF trainer converts with :func:`to_bilou` / :func:`to_bio`, and the scorer
(:mod:`rasd.eval.chunks`) compares chunks.
"""

from __future__ import annotations

from collections.abc import Sequence

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


def iob2_allows(prev: str | None, label: str) -> bool:
    """May ``label`` follow ``prev`` (None: the sentence start) in IOB2? ``I-X`` only after
    ``B-X`` or ``I-X``."""
    if not label.startswith("I-"):
        return True
    return prev is not None and prev != "O" and prev[2:] == label[2:]


def to_bio(labels: Sequence[str]) -> list[str]:
    """BILOU → IOB2 (U- → B-, L- → I-); IOB2 labels pass through unchanged."""
    out = []
    for lab in labels:
        if lab[:2] == "U-":
            lab = "B-" + lab[2:]
        elif lab[:2] == "L-":
            lab = "I-" + lab[2:]
        out.append(lab)
    return out


def to_bilou(tags: Sequence[str]) -> list[str]:
    """IOB2 → BILOU (U- single-token, L- last token): +0.5 F1 in 3-fold CV on train, every fold."""
    out = ["O"] * len(tags)
    for typ, a, b in chunks(tags):
        if b - a == 1:
            out[a] = "U-" + typ
        else:
            out[a] = "B-" + typ
            out[a + 1:b - 1] = ["I-" + typ] * (b - a - 2)
            out[b - 1] = "L-" + typ
    return out
