"""The numpy CRF (rasd.ner.crf) must decode exactly as CRFsuite does, from the same weights."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pycrfsuite
import pytest

from rasd.ner.crf import CrfModel
from rasd.train.crf import export

LABELS = ["O", "B-X", "I-X", "B-Y", "I-Y"]


def _sequence(rng: random.Random) -> tuple[list[list[str]], list[str]]:
    """A random sentence whose labels follow its features loosely (so the model learns)."""
    n = rng.randint(1, 14)
    feats, labels = [], []
    for i in range(n):
        lab = rng.choice(LABELS)
        if lab.startswith("I-") and (not labels or labels[-1] == "O"):
            lab = "B-" + lab[2:]
        f = [f"w={rng.randint(0, 40)}", f"hint={lab if rng.random() < 0.6 else 'none'}"]
        if i == 0:
            f.append("BOS")
        f += [f"n{rng.randint(0, 5)}"] * rng.randint(0, 2)  # repeated features count twice
        feats.append(f)
        labels.append(lab)
    return feats, labels


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> tuple[pycrfsuite.Tagger, CrfModel]:
    rng = random.Random(7)
    trainer = pycrfsuite.Trainer(verbose=False)
    for _ in range(300):
        trainer.append(*_sequence(rng))
    trainer.set_params({"c1": 0.05, "c2": 0.1, "max_iterations": 60})
    d: Path = tmp_path_factory.mktemp("crf")
    trainer.train(str(d / "m.crfsuite"))
    stats = export(d / "m.crfsuite", d / "m.npz")
    assert stats["labels"] == len(LABELS)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(d / "m.crfsuite"))
    return tagger, CrfModel.load(d / "m.npz")


def _emissions(model: CrfModel, feats: list[list[str]]) -> np.ndarray:
    return np.array([model.vector(f) for f in feats]).reshape(len(feats), len(model.labels))


def test_viterbi_and_marginals_match_crfsuite(models) -> None:
    tagger, model = models
    rng = random.Random(11)
    sents = [_sequence(rng)[0] for _ in range(200)] + [[]]
    ems = [_emissions(model, s) for s in sents]
    paths = model.viterbi(ems)  # all sentences in one batch, of mixed lengths
    margs = model.marginals(ems)
    for s, path, marg in zip(sents, paths, margs, strict=True):
        assert path == (tagger.tag(s) if s else [])
        for t, lab in enumerate(path):
            for k, y in enumerate(model.labels):
                assert marg[t, k] == pytest.approx(tagger.marginal(y, t), abs=1e-4)
                assert lab in model.labels


def test_unknown_features_score_zero(models) -> None:
    _, model = models
    assert not model.vector(["never-seen-feature"]).any()
    assert model.vector(["BOS", "BOS"]) == pytest.approx(2 * model.vector(["BOS"]))
