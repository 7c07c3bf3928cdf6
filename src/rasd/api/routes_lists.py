"""Searching and listing across the store: ``/api/search`` (documents, events, claims, with
facets), the events list, its map places and timeline, and the claims list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Query

from rasd.api.context import ApiContext
from rasd.api.params import MinConfidence, Offset, page
from rasd.store.lists import (
    count_claims,
    count_events,
    event_places,
    event_timeline,
    list_claims,
    list_events,
)
from rasd.store.search import count_search, search_facets
from rasd.store.search import search as store_search


def add_list_routes(app: FastAPI, ctx: ApiContext) -> None:
    """``/api/search``, ``/api/events`` (and its places and timeline), ``/api/claims``."""
    store = ctx.store

    @app.get("/api/search", tags=["search"], summary="Arabic-aware search")
    def search(q: Annotated[str, Query(max_length=500, description="words (all required)")] = "",
               kind: Annotated[str, Query(pattern="^(documents|events|claims)$")] = "documents",
               entity: str | None = None,
               type: Annotated[str | None, Query(description="PLOVER event type")] = None,
               since: str | None = None, until: str | None = None,
               source: Annotated[str | None, Query(
                   description="claims: who speaks; documents/events: outlet")] = None,
               limit: Annotated[int, Query(ge=1, le=200)] = 20,
               offset: Offset = 0,
               sort: Annotated[str, Query(pattern="^(relevance|newest|oldest)$")] = "relevance"
               ) -> dict[str, Any]:
        """Normalized matching (alef/hamza, ى/ي, ة/ه, diacritics, tatweel) and clitics:
        طرابلس finds بطرابلس and وطرابلس. Filters as in ``rasd search``; best match first,
        or ``sort=newest`` / ``oldest``."""
        filters = {"entity": entity, "type": type, "since": since, "until": until,
                   "source": source, "kind": kind}
        return {"query": q, "kind": kind, "sort": sort,
                "facets": search_facets(store, q, **filters),
                **page(store_search(store, q, **filters, limit=limit, offset=offset,
                                    sort=sort),
                       count_search(store, q, **filters), offset, limit)}

    @app.get("/api/events", tags=["events"], summary="Events across the store")
    def events(type: Annotated[str | None, Query(description="PLOVER type")] = None,
               entity: str | None = None, since: str | None = None, until: str | None = None,
               status: Annotated[str | None, Query(
                   description="asserted, reported, expected, hypothetical, denied")] = None,
               q: str = "", limit: Annotated[int, Query(ge=1, le=5000)] = 200,
               offset: Offset = 0,
               min_confidence: MinConfidence = None,
               sort: Annotated[str, Query(pattern="^(date|oldest|type|confidence)$",
                                          description="date (newest first), oldest, type, "
                                                      "confidence")] = "date"
               ) -> dict[str, Any]:
        """Newest first by default; ``entity`` as actor, target or place; ``date`` is the
        event's own day when its time resolves to one, else its article's."""
        filters = {"entity": entity, "type": type, "since": since, "until": until,
                   "status": status, "query": q, "min_confidence": min_confidence}
        return page(list_events(store, **filters, limit=limit, offset=offset, sort=sort),
                    count_events(store, **filters), offset, limit)

    @app.get("/api/events/places", tags=["events"],
             summary="Where the events took place: every located place, with counts")
    def places(type: Annotated[str | None, Query(description="PLOVER type")] = None,
               entity: str | None = None, since: str | None = None, until: str | None = None,
               status: str | None = None, q: str = "",
               min_confidence: MinConfidence = None) -> dict[str, Any]:
        """All the events of the filters (the events list's), not one page: per place its
        count by type and its ``precision`` (country, region, city, place); ``unlocated``
        counts the events with no place on the map."""
        return event_places(store, entity=entity, type=type, since=since, until=until,
                            status=status, query=q, min_confidence=min_confidence)

    @app.get("/api/events/timeline", tags=["events"],
             summary="Events per day and type, over all the events of the filters")
    def timeline(type: Annotated[str | None, Query(description="PLOVER type")] = None,
                 entity: str | None = None, since: str | None = None,
                 until: str | None = None, status: str | None = None, q: str = "",
                 min_confidence: MinConfidence = None) -> dict[str, Any]:
        """``days`` with events, ``types``: count per day for each type; events dated only to
        a month or year are counted in ``imprecise``, not put on a day."""
        return event_timeline(store, entity=entity, type=type, since=since, until=until,
                              status=status, query=q, min_confidence=min_confidence)

    @app.get("/api/claims", tags=["claims"], summary="Who says what, across the store")
    def claims(source: Annotated[str | None, Query(
                   description="who speaks: a name or part of one")] = None,
               entity: Annotated[str | None, Query(
                   description="the speaker, or the body it speaks for (فرنسا: also its "
                               "embassy, its ministers): an entity id, KB id or name")] = None,
               about: Annotated[str | None, Query(
                   description="an entity named in what was said")] = None,
               outlet: Annotated[str | None, Query(
                   description="the article's outlet, in Arabic or Latin (عكاظ, Okaz)")] = None,
               stance: Annotated[str | None, Query(
                   pattern="^(neutral|assert|doubt|deny)$")] = None,
               since: str | None = None, until: str | None = None, q: str = "",
               limit: Annotated[int, Query(ge=1, le=5000)] = 200,
               offset: Offset = 0,
               min_confidence: MinConfidence = None,
               sort: Annotated[str, Query(pattern="^(relevance|newest|oldest)$")] = "relevance"
               ) -> dict[str, Any]:
        """Newest first (the best match of ``q`` first unless ``sort`` is newest or oldest).
        ``speaks_for`` is the body the speaker speaks for when it is not the speaker itself;
        ``via`` the claim that reports this one (the sourcing chain)."""
        filters = {"source": source, "entity": entity, "stance": stance, "since": since,
                   "until": until, "query": q, "min_confidence": min_confidence,
                   "about": about, "outlet": outlet}
        return page(list_claims(store, **filters, limit=limit, offset=offset, sort=sort),
                    count_claims(store, **filters), offset, limit)
