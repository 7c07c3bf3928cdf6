"""Export a model trained by CRFsuite (python-crfsuite) as the ``.npz`` rasd's tagger reads.

The run-time side, :class:`rasd.ner.crf.CrfModel`, never imports pycrfsuite: the weights
are read from this file. Layout: ``labels`` and ``attributes`` (UTF-8, one per line), the
state weights as (attribute, label, weight) triplets and the transition matrix. No pickles.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


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
