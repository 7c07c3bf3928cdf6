"""Reading the store: its counts, a document, entities (a list, one entity's page, its
mentions) and stories. The SQL is in :mod:`rasd.store.queries`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Query
from fastapi import Path as ApiPath

from rasd import __version__
from rasd.api.context import ApiContext
from rasd.api.errors import ApiError
from rasd.api.params import Offset, RowId, page
from rasd.store.lists import list_claims, list_events
from rasd.store.queries import (
    aliases_of,
    claims_about,
    co_occurring,
    counterparts,
    entity_with_counts,
    find_entities,
    mention_count,
    mentions_of,
    story_documents,
)
from rasd.store.stories import story as story_detail_row
from rasd.store.stories import story_rows
from rasd.stories.view import story_view


def add_store_routes(app: FastAPI, ctx: ApiContext) -> None:
    """``/api/stats``, ``/api/documents``, ``/api/entities`` and ``/api/stories``."""
    store = ctx.store

    @app.get("/api/stats", tags=["store"], summary="What the store holds")
    def stats() -> dict[str, Any]:
        return {"rasd": __version__, "schema": store.version, **store.stats(),
                "write_token": ctx.token is not None, "read_only": store.readonly}

    @app.get("/api/documents/{doc_id}", tags=["store"], summary="A stored document")
    def document(doc_id: RowId) -> dict[str, Any]:
        """The document as analysed (docs/schema.md) plus ``store``: its row id and the map
        from its entity ids (``e1``) to stored entity ids."""
        data = store.document(doc_id)
        if data is None:
            raise ApiError(404, "not_found", f"no document {doc_id}")
        return data

    @app.get("/api/entities", tags=["entities"], summary="Find stored entities")
    def entities(q: str | None = None, type: str | None = None, kb_id: str | None = None,
                 located: bool = False,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 50,
                 offset: Offset = 0) -> dict[str, Any]:
        """By name (any spelling a mention used, normalized; names that begin with ``q``
        before those that contain it, for type-ahead), type, KB id; ``located`` for the map.
        Most mentioned first; ``total`` counts every match."""
        total, rows = find_entities(store, q, type, kb_id, located, limit, offset)
        return page(rows, total, offset, limit)

    @app.get("/api/entities/{entity_id}", tags=["entities"],
             summary="An entity across the store: mentions, events, claims")
    def entity(entity_id: RowId, limit: Annotated[int, Query(ge=1, le=5000)] = 500,
               mentions_limit: Annotated[int, Query(ge=1, le=1000)] = 50
               ) -> dict[str, Any]:
        """The entity, its names (``aliases``: how articles wrote it, most used first;
        ``generic``: the anaphors and common nouns among them, الحكومة، التنظيم), the first
        page of its mentions (``mentions_total``; more at ``/api/entities/{id}/mentions``),
        its events, its claims and the claims about it, and the entities it meets most:
        ``counterparts`` (the other side of its events) and ``co_occurring`` (named in the
        same articles)."""
        row = entity_with_counts(store, entity_id)
        if row is None:
            raise ApiError(404, "not_found", f"no entity {entity_id}")
        mentions = mentions_of(store, entity_id, 0, mentions_limit)
        aliases, generic = aliases_of(store, entity_id)
        events = list_events(store, entity=str(entity_id), limit=limit)
        claims = list_claims(store, entity=str(entity_id), limit=limit)
        about = claims_about(store, entity_id, limit)
        return {"entity": row, "aliases": aliases, "generic": generic,
                "mentions": mentions, "mentions_total": row["mentions"],
                "events": events, "claims": claims, "claims_about": about,
                "counterparts": counterparts(store, entity_id),
                "co_occurring": co_occurring(store, entity_id)}

    @app.get("/api/entities/{entity_id}/mentions", tags=["entities"],
             summary="An entity's mentions, newest article first, one page")
    def entity_mentions(entity_id: RowId, offset: Offset = 0,
                        limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> dict[str, Any]:
        return page(mentions_of(store, entity_id, offset, limit),
                    mention_count(store, entity_id), offset, limit)

    @app.get("/api/stories", tags=["stories"], summary="Stories across outlets and days")
    def stories(since: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
                until: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
                min_articles: Annotated[int, Query(ge=1, description=(
                    "only stories told by at least this many articles"))] = 1,
                limit: Annotated[int, Query(ge=1, le=5000)] = 200,
                offset: Offset = 0) -> dict[str, Any]:
        """Largest first, then newest; a story is open on the days ``first_day``–``last_day``
        (``since``/``until`` keep the stories open on some day of the range)."""
        total, rows = story_rows(store.conn, limit, offset, since, until, min_articles)
        return page(rows, total, offset, limit)

    @app.get("/api/stories/{story_id}", tags=["stories"],
             summary="One story: its articles by outlet and time")
    def story_detail(story_id: Annotated[str, ApiPath(pattern=r"^st-[0-9a-f]{12}(-[0-9]+)?$")]
                     ) -> dict[str, Any]:
        """The story and its articles in time order (store ``id``, title, outlet, published,
        url, ``similarity`` when it joined, ``duplicate_of``: the article it republishes);
        ``event_clusters``: its events merged across reports; ``contradictions``: where its
        articles disagree, both spans given; ``framing``: the words outlets use for its
        actors (docs/stories.md)."""
        data = story_detail_row(store.conn, story_id)
        if data is None:
            raise ApiError(404, "not_found", f"no story {story_id}")
        docs = story_documents(store, story_id)
        store_ids = {a["doc_id"]: a["id"] for a in data["articles"]}
        view = story_view(docs, story_id)
        for c in view["event_clusters"]:
            for m in c["mentions"]:
                m["store_doc"] = store_ids.get(m["doc"])
        for x in view["contradictions"]:
            for side in ("a", "b"):
                x[side]["store_doc"] = store_ids.get(x[side]["doc"])
        return {**data, **view}
