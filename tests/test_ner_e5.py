"""The encoder NER: a tiny model trained and exported in seconds, then run as rasd's stages;
the shipped model's mentions obey the offset rule."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rasd.document import Document
from rasd.ner.e5_tagger import constraint_matrices, viterbi

SHIPPED = Path(__file__).resolve().parents[1] / "src" / "rasd" / "ner" / "model_e5"
SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "libya-2019-rajma.txt"

TINY = [
    (["قال", "خليفة", "حفتر", "في", "بنغازي", "إن", "الجيش", "سيتقدم", "."],
     ["O", "B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG", "O", "O"]),
    (["وصل", "بان", "كي", "مون", "إلى", "طرابلس", "أمس", "."],
     ["O", "B-PER", "I-PER", "I-PER", "O", "B-LOC", "O", "O"]),
] * 4


def test_viterbi_never_starts_or_continues_wrongly():
    labels = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC")
    trans, start = constraint_matrices(labels)
    rng = np.random.default_rng(0)
    for _ in range(50):
        lp = np.log(rng.dirichlet(np.ones(len(labels)), size=12))
        path = [labels[k] for k in viterbi(lp, trans, start)]
        assert not path[0].startswith("I-")
        for a, b in zip(path, path[1:], strict=False):
            if b.startswith("I-"):
                assert a != "O" and a[2:] == b[2:]


def test_tiny_training_and_export_run_as_stages(tmp_path):
    torch = pytest.importorskip("torch")
    pytest.importorskip("onnx")
    from rasd.encoder.stage import EncoderStage
    from rasd.ner.e5_tagger import E5NerTagger
    from rasd.stages.structure import structure_stage
    from rasd.stages.tokens import TokenStage
    from rasd.train.ner_e5 import aner_dataset, export, train

    torch.set_num_threads(1)
    model, hist = train([aner_dataset(TINY)], epochs=1, layers=1, lr=1e-3, batch=4, seed=1,
                        max_steps=2, log=lambda *_: None)
    assert len(hist) == 1 and hist[0]["loss"] > 0
    export(model, tmp_path, quantize=False)
    tagger = E5NerTagger(tmp_path)
    labels = tagger.tag_tokens([w for w, _ in TINY])
    assert [len(x) for x in labels] == [len(w) for w, _ in TINY]
    doc = Document(text="قال خليفة حفتر في بنغازي إن الجيش سيتقدم.\n\nووصل بان كي مون.")
    structure_stage(doc)
    TokenStage()(doc)
    EncoderStage(tmp_path)(doc)
    assert doc.encoding.vectors.shape == (len(doc.tokens), 384)
    tagger(doc)
    doc.check_offsets()


@pytest.mark.skipif(not (SHIPPED / "ner_e5.onnx").exists() or not SAMPLE.exists(),
                    reason="shipped encoder model or shared sample absent")
def test_shipped_model_mentions_follow_the_offset_rule():
    from rasd.ingest import document_from_text
    from rasd.pipeline import Pipeline

    doc = Pipeline()(document_from_text(SAMPLE.read_text(encoding="utf-8")))
    doc.check_offsets()
    assert doc.mentions, "the sample article names people and places"
    for m in doc.mentions:
        assert doc.text[m.start:m.end] == m.text
        assert m.type in ("PER", "ORG", "GPE", "LOC", "FAC")
        assert m.text == m.text.strip()
