"""Word clusters, the NER model's distributional features: the reader of ``model/clusters.tsv``.

A CRF sees each word form as an unrelated symbol; names it never saw in training (most of
them) get help from words that occur in the same contexts. The file,
``stem<TAB>c64<TAB>c128…<TAB>c2048``, is built by ``rasd train clusters`` (and by
``rasd train ner``), see :mod:`rasd.train.clusters` for how.
"""

from __future__ import annotations

from pathlib import Path

SIZES = (64, 128, 256, 512, 1024, 2048)
NEAR = (2, 4)  # columns (c256, c1024) that neighbouring words contribute


def load(path: Path) -> dict[str, tuple[int, ...]]:
    """``stem → cluster ids, one per size in SIZES``; empty when the file is absent."""
    out: dict[str, tuple[int, ...]] = {}
    if not path.exists():
        return out
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            out[parts[0]] = tuple(int(x) for x in parts[1:])
    return out
