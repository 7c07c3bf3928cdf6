"""The encoder stage (default NER only): reads ``doc.tokens`` and ``doc.sentences``; writes
``doc.encoding``, the network's vectors and head scores for the NER and the learned claim
and event stages (rasd.encoder.stage). It is the encoder tagger's own, loaded once."""

from __future__ import annotations

from rasd.stages.resources import Resources, Stage


def build(res: Resources) -> list[Stage]:
    return [res.tagger.encoder] if res.has_encoder else []
