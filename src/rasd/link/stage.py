"""The entity stage: mentions → entities with names, KB ids, places and roles.

Order matters and is kept here in one place: add the mentions the tagger misses (augment),
give each mention the KB id its text resolves to unambiguously, cluster (coref), name each
entity (KB canonical Arabic and English, or a transliteration), geocode places using the whole
document as context, and attach roles from titles.
"""

from __future__ import annotations

import logging
from collections import Counter

from rasd.document import PREFIX_KINDS, Document, Entity
from rasd.link.augment import Augmenter
from rasd.link.coref import build_entities, cluster
from rasd.link.roles import attach_roles
from rasd.memo import BoundedMemo
from rasd.text.normalize import norm

log = logging.getLogger(__name__)
PLACES = ("GPE", "LOC", "FAC")
COMPATIBLE = {"PER": {"PER"}, "ORG": {"ORG"}, "GPE": {"GPE", "LOC"}, "LOC": {"LOC", "GPE", "FAC"},
              "FAC": {"FAC", "LOC"}}


_DEFAULT = object()


class EntityStage:
    """``EntityStage()`` uses the shipped KB and geocoder; ``EntityStage(kb=None)`` runs on
    the document alone (tests, or a build without the KB)."""

    def __init__(self, kb=_DEFAULT, geocoder=None, transliterate=None) -> None:
        if kb is _DEFAULT:
            kb, geocoder, transliterate = _load_defaults()
        self.kb = kb
        self.geocoder = geocoder
        # memoized: the same names come back in article after article
        self.transliterate = BoundedMemo(transliterate or (lambda s: None))
        self.augment = Augmenter(kb.lookup if kb else None, kb.nisba if kb else None,
                                 kb.is_common if kb else None,
                                 getattr(kb, "may_start_name", None) if kb else None,
                                 getattr(kb, "may_end_name", None) if kb else None,
                                 getattr(kb, "may_continue_name", None) if kb else None,
                                 getattr(kb, "may_be_name", None) if kb else None)

    def __call__(self, doc: Document) -> None:
        doc.mentions = [m for m in doc.mentions if m.type in COMPATIBLE]
        for m in doc.mentions:
            if m.type == "PER":
                _trim_name(doc, m)
        info = self.augment(doc)
        if self.kb is not None:
            for m in doc.mentions:
                if m.id not in info.kb_ids and m.type not in PLACES:
                    # the augmenter's memoized kb.lookup: mention texts recur across documents
                    ids = {e.kb_id for e in self.augment.lookup(m.text)
                           if e.type in COMPATIBLE[m.type]}
                    if len(ids) == 1:
                        info.kb_ids[m.id] = ids.pop()
                elif m.id not in info.kb_ids:
                    countries = [e for e in self.augment.lookup(m.text)
                                 if getattr(e, "feature", None) == "country"]
                    if countries:
                        info.kb_ids[m.id] = countries[0].kb_id
        _one_type_per_name(doc.mentions, info.kb_ids)
        groups = cluster(doc.mentions, info.kb_ids, info.antecedent)
        doc.entities = build_entities(doc, groups)
        by_id = {e.id: e for e in doc.entities}
        for group in groups:
            ent = by_id[group[0].entity]
            kb_id = next((info.kb_ids[m.id] for m in group if m.id in info.kb_ids), None)
            if kb_id and self.kb is not None:
                self._from_kb(ent, kb_id)
        if self.geocoder is not None:
            self.geocoder(doc)
        _merge_same_kb(doc)
        for ent in doc.entities:
            if not ent.name_en:
                ent.name_en = self.transliterate(ent.name)
        attach_roles(doc, doc.entities)
        _set_adjectives_apart(doc, info.adjectives)

    def _from_kb(self, ent: Entity, kb_id: str) -> None:
        entry = self.kb.get(kb_id)
        if entry is None:
            return
        ent.kb_id = entry.kb_id
        ent.name = entry.name or ent.name
        ent.name_en = entry.name_en
        ent.country = entry.country
        if entry.lat is not None:
            ent.lat, ent.lon = entry.lat, entry.lon
        if entry.type in COMPATIBLE.get(ent.type, ()):
            ent.type = entry.type


def _trim_name(doc: Document, m) -> None:
    """A name's later words carry no proclitic and no verb ending: the tagger's span
    "الزياني بشدة" or "حفتر كرروا" ends before such a word."""
    toks = doc.tokens_in(m.start, m.end)
    while len(toks) > 1:
        last = toks[-1]
        kinds = {g.kind for g in last.segments}
        if kinds & PREFIX_KINDS or last.norm.endswith("وا"):
            toks = toks[:-1]
        else:
            break
    if toks and toks[-1].end < m.end:
        m.end = toks[-1].end
        m.text = doc.text[m.start:m.end]


def _merge_same_kb(doc: Document) -> None:
    """Two clusters that resolve to one KB record (العاصمة طرابلس، طرابلس) are one entity."""
    first: dict[str, Entity] = {}
    drop: dict[str, str] = {}
    for e in doc.entities:
        if e.kb_id and e.kb_id in first:
            drop[e.id] = first[e.kb_id].id
        elif e.kb_id:
            first[e.kb_id] = e
    if not drop:
        return
    for m in doc.mentions:
        if m.entity in drop:
            m.entity = drop[m.entity]
    doc.entities = [e for e in doc.entities if e.id not in drop]


def _one_type_per_name(mentions: list, kb_ids: dict[str, str]) -> None:
    """A name written the same way several times in one article names one thing: when at
    least two thirds of its mentions (two or more) agree on a type, the others that no KB
    entry types take it (خسارة حفتر للمطار: Haftar, a PER eleven times, not a place)."""
    by_text: dict[str, list] = {}
    for m in mentions:
        by_text.setdefault(norm(m.text), []).append(m)
    for same in by_text.values():
        if len(same) < 3:
            continue
        counts = Counter(m.type for m in same)
        top, n = counts.most_common(1)[0]
        if n < 2 or n * 3 < 2 * len(same):
            continue
        for m in same:
            if m.type != top and m.id not in kb_ids:
                m.type = top


def _set_adjectives_apart(doc: Document, ids: set[str]) -> None:
    """A lone nisba or demonym (السفير الألماني، الليبيين) refers to an entity without naming
    it. It is linked, clustered and used for roles (المبعوث الأممي → of: the UN) like a
    mention, then kept in ``doc.adjectives``: the mentions layer holds names only, so the
    page, the store's mention lists, claims and events see no adjective as a name (measured:
    mention precision and event actors gain, claims unchanged; docs/evaluation.md)."""
    if not ids:
        return
    doc.adjectives = [m for m in doc.mentions if m.id in ids]
    doc.mentions = [m for m in doc.mentions if m.id not in ids]


MAX_CONTEXT_NAMES = 200  # distinct place names that make a document's geographic context


class DocumentGeocoder:
    """Places of a document resolved together: each place's candidates are scored against
    the countries and the other places the same document names (rasd.geo.geocode)."""

    def __init__(self, kb) -> None:
        self.kb = kb

    def __call__(self, doc: Document) -> None:
        from rasd.geo.geocode import GeoContext, resolve_place

        places = [e for e in doc.entities if e.type in PLACES]
        if not places:
            return
        texts: dict[str, list[str]] = {}
        for m in doc.mentions:
            if m.entity and m.type in PLACES:
                texts.setdefault(m.entity, []).append(m.text)
        names = [t for e in places for t in dict.fromkeys([e.name, *texts.get(e.id, [])])]
        distinct = Counter(names)
        if len(distinct) > MAX_CONTEXT_NAMES:
            # A very long input (a book, a merged feed): the context is its most named
            # places, so each place costs the same however long the text (an article names
            # far fewer and keeps every name).
            keep = {n for n, _ in distinct.most_common(MAX_CONTEXT_NAMES)}
            names = [n for n in names if n in keep]
        in_context = set(names)
        contexts: dict[frozenset[str], GeoContext] = {}
        for ent in places:
            if ent.lat is not None and ent.kb_id:
                continue
            own = list(dict.fromkeys([ent.name, *texts.get(ent.id, [])]))
            key = frozenset(n for n in own if n in in_context)  # what from_names leaves out
            ctx = contexts.get(key)
            if ctx is None:
                ctx = GeoContext.from_names([n for n in names if n not in own], self.kb)
                if len(contexts) < 256:
                    contexts[key] = ctx
            best = None
            for name in own:
                best = resolve_place(name, ctx, self.kb)
                if best is not None:
                    break
            if best is None:
                continue
            ent.kb_id, ent.name_en, ent.country = best.kb_id, best.name_en, best.country
            ent.name = best.name or ent.name
            ent.lat, ent.lon = best.lat, best.lon
            if best.type in PLACES:
                ent.type = best.type


def _load_defaults():
    try:
        from rasd.link.kb import KnowledgeBase
    except ImportError:
        log.warning("knowledge base not available; entities get no KB ids")
        return None, None, None
    kb = KnowledgeBase.load()
    try:
        from rasd.geo.translit import transliterate
    except ImportError:
        transliterate = None
    return kb, DocumentGeocoder(kb), transliterate
