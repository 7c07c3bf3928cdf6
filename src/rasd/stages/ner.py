"""The NER stage: reads ``doc.tokens`` (and ``doc.encoding`` with the encoder tagger);
writes the tagger's ``doc.mentions`` (rasd.ner: the CRF, the encoder tagger or a
transformers model; none with ``ner="none"``). Later additions are the mentions stage's."""

from __future__ import annotations

from rasd.stages.resources import Resources, Stage


def build(res: Resources) -> list[Stage]:
    tagger = res.tagger
    return [tagger] if tagger is not None else []
