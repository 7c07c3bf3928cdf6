"""The entities stage: mentions and adjectives → entities with names, KB ids, places, roles.

Reads ``doc.mentions``, ``doc.adjectives`` and ``doc.mention_links`` (the mentions stage's);
writes ``doc.entities`` and each mention's and adjective's ``entity``. In this order: cluster
(coref, with the mentions' KB ids and back-references), name each entity from its KB record,
geocode places with the whole document as context, merge clusters of one KB record,
transliterate the names the KB has no English for, attach roles from titles. Adjectives are
linked like names (السفير الألماني → Germany; المبعوث الأممي → a role of the UN) and stay in
their own layer.
"""

from __future__ import annotations

from rasd.document import Document
from rasd.link.augment import Augmented
from rasd.link.coref import build_entities, cluster
from rasd.link.entities import apply_kb_entry, merge_same_kb
from rasd.link.mentions import references
from rasd.link.roles import attach_roles
from rasd.memo import BoundedMemo
from rasd.stages.resources import Resources, Stage


class EntityStage:
    """``EntityStage(kb, geocoder, transliterate)`` with the shipped ones (:func:`build`);
    ``EntityStage()`` runs on the document alone (tests, or a build without the KB)."""

    def __init__(self, kb=None, geocoder=None, transliterate=None) -> None:
        self.kb = kb
        self.geocoder = geocoder
        # memoized: the same names come back in article after article
        self.transliterate = BoundedMemo(transliterate or (lambda s: None))

    def __call__(self, doc: Document) -> None:
        links = doc.mention_links or Augmented()
        names = doc.mentions
        # Geocoding context and roles read doc.mentions: for them, the adjectives are
        # mentions too, as they are for clustering.
        doc.mentions = references(doc)
        try:
            self._link(doc, links)
        finally:
            doc.mentions = names

    def _link(self, doc: Document, links: Augmented) -> None:
        groups = cluster(doc.mentions, links.kb_ids, links.antecedent)
        doc.entities = build_entities(doc, groups)
        if self.kb is not None:
            by_id = {e.id: e for e in doc.entities}
            for group in groups:
                kb_id = next((links.kb_ids[m.id] for m in group if m.id in links.kb_ids), None)
                entry = self.kb.get(kb_id) if kb_id else None
                if entry is not None:
                    apply_kb_entry(by_id[group[0].entity], entry)
        if self.geocoder is not None:
            self.geocoder(doc)
        merge_same_kb(doc)
        for ent in doc.entities:
            if not ent.name_en:
                ent.name_en = self.transliterate(ent.name)
        attach_roles(doc, doc.entities)


def build(res: Resources) -> list[Stage]:
    from rasd.geo.places import DocumentGeocoder
    from rasd.geo.translit import transliterate

    kb = res.kb
    return [EntityStage(kb, DocumentGeocoder(kb), transliterate)]
