"""The learned claim and event decisions: the classifier arithmetic, the shipped models'
output contract (spans, ids, references, calibrated confidences), and a tiny training run
that writes a model folder the stages load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rasd.learn.mlp import Mlp

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "src" / "rasd" / "learn" / "model"
TEXT = ("قال خليفة حفتر إن قواته تتقدم بطرابلس، بينما قال فائز السراج إن الهجوم على مطار "
        "طرابلس فشل.\n\nوأكد المتحدث باسم حكومة الوفاق أن القوات صدت الهجوم، واتهمت "
        "الحكومة قوات حفتر بقصف مطار معيتيقة أمس.")


def _write_mlp(path: Path, n_in: int, n_out: int, T: float = 1.0, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    np.savez(path, w1=rng.normal(size=(n_in, 8)), b1=rng.normal(size=8),
             w2=rng.normal(size=(8, n_out)), b2=rng.normal(size=n_out),
             mean=np.zeros(n_in), scale=np.ones(n_in), T=np.array(T),
             classes=np.array([f"k{i}" for i in range(n_out)]))


def test_mlp_probabilities_and_temperature(tmp_path):
    _write_mlp(tmp_path / "a.npz", 5, 3)
    _write_mlp(tmp_path / "b.npz", 5, 3, T=4.0)
    X = np.random.default_rng(1).normal(size=(7, 5))
    a, b = Mlp(tmp_path / "a.npz"), Mlp(tmp_path / "b.npz")
    pa, pb = a.probs(X), b.probs(X)
    assert pa.shape == (7, 3) and np.allclose(pa.sum(1), 1.0)
    # Same argmax; a higher temperature only flattens the distribution.
    assert (pa.argmax(1) == pb.argmax(1)).all()
    assert (pb.max(1) <= pa.max(1) + 1e-6).all()
    # The hidden layer is a ReLU: reproduce one row by hand.
    z = np.load(tmp_path / "a.npz")
    h = np.maximum(X[0] @ z["w1"] + z["b1"], 0)
    logits = h @ z["w2"] + z["b2"]
    e = np.exp(logits - logits.max())
    assert np.allclose(pa[0], e / e.sum(), atol=1e-5)


@pytest.mark.skipif(not (SHIPPED / "learned.json").exists(), reason="shipped model absent")
def test_shipped_learned_output_keeps_the_contract():
    from rasd.ingest import document_from_text
    from rasd.pipeline import Pipeline

    doc = Pipeline()(document_from_text(TEXT))
    doc.check_offsets()
    assert doc.claims and doc.events
    ids = [x.id for layer in (doc.mentions, doc.entities, doc.times, doc.claims, doc.events)
           for x in layer]
    assert len(ids) == len(set(ids)), "ids are unique across layers"
    ents = {e.id for e in doc.entities}
    claims = {c.id for c in doc.claims}
    for c in doc.claims:
        assert doc.text[c.cue.start:c.cue.end] == c.cue.text
        assert c.confidence is not None and 0.0 <= c.confidence <= 1.0
    for ev in doc.events:
        assert doc.text[ev.trigger.start:ev.trigger.end] == ev.trigger.text, "trigger span"
        assert ev.confidence is not None and 0.0 <= ev.confidence <= 1.0
        for ref in (ev.actor, ev.target, ev.location):
            assert ref is None or ref in ents
        assert ev.claim is None or ev.claim in claims
    # The same text without the learned stages has no confidences: fast mode keeps the rules.
    fast = Pipeline(ner="fast")(document_from_text(TEXT))
    assert all(c.confidence is None for c in fast.claims)


def test_tiny_training_writes_a_model_the_stages_load(tmp_path, shared):
    pytest.importorskip("torch")
    data = shared("data/news")
    from rasd.cli import main
    from rasd.ingest import document_from_text
    from rasd.learn.stages import LearnedClaimStage, LearnedEventStage, LearnedModels
    from rasd.pipeline import Pipeline

    out = tmp_path / "model"
    assert main(["train", "claims", "--corpus", str(ROOT / "eval" / "corpus"), "--data",
                 str(data.parent), "--out", str(out), "--limit", "4", "--epochs", "2"]) == 0
    for name in ("cue", "source", "trigger", "role", "status"):
        assert (out / f"{name}.npz").exists()
    models = LearnedModels(out)
    assert models.calibration or "calibration" in models.meta  # fitted (or judged too few)
    doc = Pipeline(learned=False)(document_from_text(TEXT))
    LearnedClaimStage(models)(doc)
    LearnedEventStage(models)(doc)
    doc.check_offsets()
    for ev in doc.events:
        assert doc.text[ev.trigger.start:ev.trigger.end] == ev.trigger.text


def test_logistic_calibration_recovers_a_known_map_and_is_monotonic(tmp_path):
    from rasd.train.calibrate import fit_logistic

    rng = np.random.default_rng(3)
    X = np.stack([rng.normal(size=40000), rng.integers(0, 2, 40000)], axis=1).astype(float)
    true = np.array([0.7, 1.5, -0.4])
    p = 1 / (1 + np.exp(-(X @ true[:2] + true[2])))
    y = (rng.random(40000) < p).astype(float)
    w = fit_logistic(X, y, l2=1e-6)
    assert np.allclose(w, true, atol=0.1)

    from rasd.learn.stages import LearnedModels

    if not (SHIPPED / "learned.json").exists():
        pytest.skip("shipped model absent")
    m = LearnedModels(SHIPPED)
    assert set(m.calibration) == {"claims", "events"}
    raw = np.linspace(0.01, 0.99, 30)
    for layer in ("claims", "events"):
        for rule in (False, True):
            cal = [m.calibrate(layer, float(r), rule) for r in raw]
            assert all(0 < c < 1 for c in cal)
            assert all(a <= b + 1e-12 for a, b in zip(cal, cal[1:], strict=False))
    m.calibration = {}
    assert m.calibrate("claims", 0.42, True) == 0.42
