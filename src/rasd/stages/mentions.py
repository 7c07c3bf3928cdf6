"""The mentions stage: everything the mentions layer gets after the tagger.

Reads the tagger's ``doc.mentions``, ``doc.sentences`` and ``doc.tokens``; writes
``doc.mentions`` (names only), ``doc.adjectives`` (lone nisbas and demonyms) and
``doc.mention_links`` (the KB id each mention's text names, back-references' antecedents:
what the entity stage links with). In this order, which the output depends on:

1. keep the five linked types; end each person's name before a clitic or verb word;
2. add what the tagger misses (rasd.link.augment: KB names, institution chunks,
   facilities, nisbas, back-references);
3. give each mention the KB id its text names unambiguously (rasd.link.mentions);
4. one type per name, its mentions with a KB id keeping theirs (needs 3's ids; the
   adjectives, still among the mentions, count in the vote);
5. adjectives apart from the names.
"""

from __future__ import annotations

from rasd.document import Document
from rasd.link.augment import Augmenter
from rasd.link.mentions import (
    linkable,
    names_and_adjectives,
    one_type_per_name,
    resolve_kb_ids,
    trim_name,
)
from rasd.stages.resources import Resources, Stage


class MentionStage:
    """``MentionStage(kb)`` with the shipped KB (:func:`build`); ``MentionStage()`` runs on
    the document alone (tests, or a build without the KB)."""

    def __init__(self, kb=None) -> None:
        self.kb = kb
        self.augment = Augmenter.from_kb(kb)

    def __call__(self, doc: Document) -> None:
        doc.mentions = linkable(doc.mentions)
        for m in doc.mentions:
            if m.type == "PER":
                trim_name(doc, m)
        links = self.augment(doc)
        if self.kb is not None:
            # the augmenter's memoized kb.lookup: mention texts recur across documents
            resolve_kb_ids(doc.mentions, links.kb_ids, self.augment.lookup)
        one_type_per_name(doc.mentions, links.kb_ids)
        doc.mentions, doc.adjectives = names_and_adjectives(doc.mentions, links.adjectives)
        doc.mention_links = links


def build(res: Resources) -> list[Stage]:
    return [MentionStage(res.kb)]
