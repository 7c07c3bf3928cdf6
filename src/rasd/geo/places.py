"""Places of a document resolved together: each place's candidates are scored against the
countries and the other places the same document names (rasd.geo.geocode)."""

from __future__ import annotations

from collections import Counter

from rasd.document import Document
from rasd.geo.geocode import GeoContext, resolve_place
from rasd.link.mentions import PLACES

MAX_CONTEXT_NAMES = 200  # distinct place names that make a document's geographic context


class DocumentGeocoder:
    """Places of a document resolved together: each place's candidates are scored against
    the countries and the other places the same document names (rasd.geo.geocode)."""

    def __init__(self, kb) -> None:
        self.kb = kb

    def __call__(self, doc: Document) -> None:
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
