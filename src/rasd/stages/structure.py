"""The structure stage: reads ``doc.text``; writes ``doc.paragraphs``, ``doc.sections``
(headline and sub-headings), ``doc.sentences``, and ``doc.title`` when the input had none."""

from __future__ import annotations

from rasd.document import Document
from rasd.stages.resources import Resources, Stage
from rasd.text.sentences import split_sentences
from rasd.text.structure import paragraphs, sections


def structure_stage(doc: Document) -> None:
    """Paragraphs, sections (headline + sub-headings) and sentences."""
    doc.paragraphs = paragraphs(doc.text)
    doc.sections = sections(doc.text, doc.paragraphs)
    doc.sentences = [s for p in doc.paragraphs for s in split_sentences(doc.text, p.start, p.end)]
    if not doc.title and doc.sections and doc.sections[0].heading:
        doc.title = doc.sections[0].heading.text


def build(res: Resources) -> list[Stage]:
    return [structure_stage]
