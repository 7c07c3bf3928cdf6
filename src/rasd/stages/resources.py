"""What the stage builders share: the stage type, the NER choices, and the resources that
several stages read, each loaded once per pipeline (and once per process where its loader
caches: the KB, the NER models, the learned models)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from rasd.document import Document

#: A stage reads the layers it needs from the document and adds its own.
Stage = Callable[[Document], None]

NER_CHOICES = ("default", "fast", "crf", "e5", "none", "transformers:PATH")
ENCODER_NER = ("default", "e5")  # the NER specs whose tagger reads the encoder stage


class Resources:
    """The NER spec and the ``learned`` choice of one pipeline, and the models its stages
    share, loaded on first use: the NER tagger (whose encoder is the encoder stage), the KB
    (mentions and entities stages) and the learned models (claims and events stages).

    ``ner``: ``default``/``e5`` = the encoder stage and the fine-tuned encoder tagger;
    ``fast``/``crf`` = the CRF; ``none``; ``transformers:PATH`` (an optional extra).
    ``learned`` (default: when the encoder runs) adds the learned claim and event stages.
    """

    def __init__(self, ner: str | None = None, learned: bool | None = None) -> None:
        self.ner = ner or "default"
        if self.ner not in NER_CHOICES[:-1] and not self.ner.startswith("transformers:"):
            raise ValueError(f"unknown NER backend {self.ner!r} "
                             f"(one of {', '.join(NER_CHOICES)})")
        self.has_encoder = self.ner in ENCODER_NER
        if learned is None:
            learned = self.has_encoder
        elif learned and not self.has_encoder:
            raise ValueError("the learned claim and event stages need the encoder NER")
        self.learned = learned

    @cached_property
    def tagger(self) -> Any:
        """The NER stage for the spec (None for ``none``)."""
        if self.ner == "none":
            return None
        if self.ner.startswith("transformers:"):
            from rasd.ner.transformers_backend import TransformersTagger

            return TransformersTagger.load(self.ner.split(":", 1)[1])
        if self.ner in ("fast", "crf"):
            from rasd.ner.tagger import NerTagger

            return NerTagger.load()
        from rasd.ner.e5_tagger import E5NerTagger

        return E5NerTagger.load()

    @cached_property
    def kb(self) -> Any:
        """The shipped knowledge base (rasd.link.kb.KnowledgeBase)."""
        from rasd.link.kb import KnowledgeBase

        return KnowledgeBase.load()

    @cached_property
    def learned_models(self) -> Any:
        """The learned claim and event classifiers (rasd.learn.stages.LearnedModels)."""
        from rasd.learn.stages import LearnedModels

        return LearnedModels.load()
