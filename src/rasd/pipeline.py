"""The ordered analysis stages, built once (models load once), run per document.

CLI, HTTP API and batch runner all call :class:`Pipeline`; none re-implements a stage. A stage
is a callable ``stage(doc) -> None`` that reads the layers it needs and adds its own.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable

from rasd.document import Document
from rasd.text.sentences import split_sentences
from rasd.text.structure import paragraphs, sections
from rasd.text.tokenize import Tokenizer

Stage = Callable[[Document], None]
log = logging.getLogger(__name__)


def structure_stage(doc: Document) -> None:
    """Paragraphs, sections (headline + sub-headings) and sentences."""
    doc.paragraphs = paragraphs(doc.text)
    doc.sections = sections(doc.text, doc.paragraphs)
    doc.sentences = [s for p in doc.paragraphs for s in split_sentences(doc.text, p.start, p.end)]
    if not doc.title and doc.sections and doc.sections[0].heading:
        doc.title = doc.sections[0].heading.text


class TokenStage:
    def __init__(self) -> None:
        self.tokenizer = Tokenizer()

    def __call__(self, doc: Document) -> None:
        doc.tokens = self.tokenizer(doc.text)


NER_CHOICES = ("default", "fast", "crf", "e5", "none", "transformers:PATH")


def _ner_stages(name: str | None) -> list[Stage]:
    """The NER stage(s) for a spec: ``default``/``e5`` = the encoder stage and the
    fine-tuned encoder tagger; ``fast``/``crf`` = the CRF; ``none``; ``transformers:PATH``.
    """
    name = name or "default"
    if name == "none":
        return []
    if name.startswith("transformers:"):
        from rasd.ner.transformers_backend import TransformersTagger

        return [TransformersTagger.load(name.split(":", 1)[1])]
    if name in ("fast", "crf"):
        from rasd.ner.tagger import NerTagger

        return [NerTagger.load()]
    if name in ("default", "e5"):
        from rasd.ner.e5_tagger import E5NerTagger

        tagger = E5NerTagger.load()
        return [tagger.encoder, tagger]
    raise ValueError(f"unknown NER backend {name!r} (one of {', '.join(NER_CHOICES)})")


def _time_stage() -> Stage | None:
    try:
        from rasd.time.stage import TimeStage
    except ImportError:
        return None
    return TimeStage()


class Pipeline:
    """structure → tokens → (encoder →) NER → times → entities → claims → events → two-sided.

    With the encoder (the default NER), the learned claim and event stages follow the rule
    stages, whose output they read as candidates and features; ``learned=False`` keeps the
    rules' answer (the fast NER always does: it has no encoder vectors).
    """

    def __init__(self, stages: Iterable[Stage] | None = None, ner: str | None = None,
                 learned: bool | None = None) -> None:
        if stages is None:
            from rasd.claims.attribution import ClaimStage
            from rasd.events.arguments import EventStage
            from rasd.events.reciprocal import ReciprocalStage
            from rasd.link.stage import EntityStage

            ner_stages = _ner_stages(ner)
            has_encoder = any(type(s).__name__ == "EncoderStage" for s in ner_stages)
            if learned is None:
                learned = has_encoder
            elif learned and not has_encoder:
                raise ValueError("the learned claim and event stages need the encoder NER")
            claims: list[Stage] = [ClaimStage()]
            events: list[Stage] = [EventStage()]
            if learned:
                from rasd.learn.stages import LearnedClaimStage, LearnedEventStage, LearnedModels

                models = LearnedModels.load()
                claims.append(LearnedClaimStage(models))
                events.append(LearnedEventStage(models))
            built: list[Stage | None] = [structure_stage, TokenStage(), *ner_stages,
                                         _time_stage(), EntityStage(), *claims, *events,
                                         ReciprocalStage()]
            stages = [s for s in built if s is not None]
        self.stages = list(stages)

    #: Seconds one document may take before its analysis stops with :class:`BudgetExceeded`
    #: (checked between stages; ``RASD_MAX_SECONDS`` sets it, 0 = no limit). The default
    #: allows a few megabytes in the default mode (docs/benchmarks.md, "Long inputs").
    budget_s: float = float(os.environ.get("RASD_MAX_SECONDS", "900") or 0)

    def __call__(self, doc: Document,
                 progress: Callable[[int, int, str], None] | None = None) -> Document:
        """Run every stage on ``doc``; ``progress(i, n, name)`` is told as stage i of n
        starts (background jobs show it)."""
        budget = self.budget_s
        t0 = time.monotonic()
        n = len(self.stages)
        for i, stage in enumerate(self.stages, 1):
            name = stage_name(stage)
            if progress is not None:
                progress(i, n, name)
            stage(doc)
            if budget and time.monotonic() - t0 > budget:
                raise BudgetExceeded(
                    f"stopped after {time.monotonic() - t0:.0f} s (budget {budget:g} s, "
                    f"RASD_MAX_SECONDS) at the {name} stage; {len(doc.text):,} characters: "
                    "split the input")
        return doc


def stage_name(stage: Stage) -> str:
    return getattr(stage, "__name__", None) or type(stage).__name__


class BudgetExceeded(RuntimeError):
    """A document's analysis went past the pipeline's time budget."""


_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _default
    if _default is None:
        _default = Pipeline()
    return _default


def analyze_text(text: str, **meta) -> Document:
    """Analyse one text with the default pipeline, cleaned exactly as `rasd analyze` cleans
    its inputs (layout, scraper debris, the Arabic check); raises InputError on bad text."""
    from rasd.ingest import document_from_text

    return default_pipeline()(document_from_text(text, **meta))
