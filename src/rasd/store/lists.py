"""The store's lists: events (a page, their places for the map, their timeline, their
count) and claims (a page, their count), with the filters of :mod:`rasd.store.filters`.
"""

from __future__ import annotations

from typing import Any

from rasd.geo.precision import precision
from rasd.store.errors import SearchError
from rasd.store.filters import SEARCH_SORTS, Readable, entity_ids, in_list, prepare
from rasd.store.records import claim_record, event_record
from rasd.store.selects import claim_rows, event_rows


def count_events(store: Readable, *, entity: str | None = None, type: str | None = None,
                 since: str | None = None, until: str | None = None,
                 status: str | None = None, source: str | None = None, query: str = "",
                 min_confidence: float | None = None) -> int:
    """How many events :func:`list_events` has for these filters over all its pages."""
    prepared = prepare(store, entity, since, until, query)
    if prepared is None:
        return 0
    since, until, ents, match = prepared
    return event_rows(store, match, ents, type, since, until, source, 0, 0, status=status,
                      min_confidence=min_confidence, count=True)


def count_claims(store: Readable, *, source: str | None = None, entity: str | None = None,
                 stance: str | None = None, since: str | None = None,
                 until: str | None = None, query: str = "",
                 min_confidence: float | None = None, about: str | None = None,
                 outlet: str | None = None) -> int:
    """How many claims :func:`list_claims` has for these filters over all its pages."""
    prepared = prepare(store, entity, since, until, query)
    about_ids = entity_ids(store, about) if about else None
    if prepared is None or about_ids == []:
        return 0
    since, until, ents, match = prepared
    return claim_rows(store, match, ents, None, since, until, source, 0, 0, stance=stance,
                      min_confidence=min_confidence, count=True, about=about_ids, outlet=outlet)


#: Orders of the events list: the newest first (default), the oldest, by type, the most
#: confident first (unscored last).
EVENT_ORDERS = {"date": "e.date DESC, e.id", "oldest": "e.date IS NULL, e.date, e.id",
                "type": "e.type, e.date DESC, e.id",
                "confidence": "e.confidence IS NULL, e.confidence DESC, e.id"}


def list_events(store: Readable, *, entity: str | None = None, type: str | None = None,
                since: str | None = None, until: str | None = None, status: str | None = None,
                source: str | None = None, query: str = "", limit: int = 100,
                offset: int = 0, min_confidence: float | None = None,
                sort: str = "date") -> list[dict[str, Any]]:
    """Events for the events page, the map, the timeline and the exports; with
    ``min_confidence`` only events scored at least that (unscored, rules-only ones drop);
    ``sort`` one of :data:`EVENT_ORDERS`."""
    if sort not in EVENT_ORDERS:
        raise SearchError(f"sort: one of {', '.join(EVENT_ORDERS)}, got {sort!r}")
    prepared = prepare(store, entity, since, until, query)
    if prepared is None:
        return []
    since, until, ents, match = prepared
    rows = event_rows(store, match, ents, type, since, until, source,
                      max(1, min(int(limit), 100_000)), max(0, int(offset)), status=status,
                      min_confidence=min_confidence, order=EVENT_ORDERS[sort])
    return [event_record(store, r) for r in rows]


def event_places(store: Readable, *, entity: str | None = None, type: str | None = None,
                 since: str | None = None, until: str | None = None, status: str | None = None,
                 source: str | None = None, query: str = "",
                 min_confidence: float | None = None) -> dict[str, Any]:
    """Where the events of these filters took place, over all of them (not a page): one row
    per located place with its event count by type and its precision (country, region, city
    or place), most events first, and how many events have no place with coordinates."""
    prepared = prepare(store, entity, since, until, query)
    if prepared is None:
        return {"places": [], "total": 0, "located": 0, "unlocated": 0}
    since, until, ents, match = prepared
    rows = event_rows(store, match, ents, type, since, until, source, -1, 0, status=status,
                      min_confidence=min_confidence, cols="e.location AS location, e.type AS type")
    by_place: dict[int, dict[str, int]] = {}
    for r in rows:
        if r["location"] is not None:
            types = by_place.setdefault(r["location"], {})
            types[r["type"]] = types.get(r["type"], 0) + 1
    places = []
    ids = list(by_place)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for e in store.conn.execute(
                "SELECT id, type, name, name_en, kb_id, country, lat, lon FROM entities"
                f" WHERE id IN {in_list(chunk)} AND lat IS NOT NULL AND lon IS NOT NULL"):
            types = by_place[e["id"]]
            places.append({**dict(e), "precision": precision(e["kb_id"]),
                           "count": sum(types.values()), "types": types})
    places.sort(key=lambda p: (-p["count"], p["id"]))
    located = sum(p["count"] for p in places)
    return {"places": places, "total": len(rows), "located": located,
            "unlocated": len(rows) - located}


def event_timeline(store: Readable, *, entity: str | None = None, type: str | None = None,
                   since: str | None = None, until: str | None = None,
                   status: str | None = None, source: str | None = None, query: str = "",
                   min_confidence: float | None = None) -> dict[str, Any]:
    """Events per day and type, over all the events of these filters: ``days`` (sorted, only
    days that have events), ``types`` (type → count per day), and how many events are dated
    only to a month or a year (``imprecise``) or not at all (``undated``): never drawn as if
    they had happened on the first of the month."""
    prepared = prepare(store, entity, since, until, query)
    empty = {"days": [], "types": {}, "total": 0, "imprecise": 0, "undated": 0}
    if prepared is None:
        return empty
    since, until, ents, match = prepared
    rows = event_rows(store, match, ents, type, since, until, source, -1, 0, status=status,
                      min_confidence=min_confidence, cols="e.date AS date, e.type AS type")
    counts: dict[str, dict[str, int]] = {}
    imprecise = undated = 0
    for r in rows:
        d = r["date"] or ""
        if len(d) >= 10 and d[4] == "-" and d[7] == "-":
            per = counts.setdefault(d[:10], {})
            per[r["type"]] = per.get(r["type"], 0) + 1
        elif d:
            imprecise += 1
        else:
            undated += 1
    days = sorted(counts)
    types = sorted({t for per in counts.values() for t in per})
    return {"days": days, "types": {t: [counts[d].get(t, 0) for d in days] for t in types},
            "total": len(rows), "imprecise": imprecise, "undated": undated}


def list_claims(store: Readable, *, source: str | None = None, entity: str | None = None,
                stance: str | None = None, since: str | None = None, until: str | None = None,
                query: str = "", limit: int = 100, offset: int = 0,
                min_confidence: float | None = None, about: str | None = None,
                outlet: str | None = None, sort: str = "relevance") -> list[dict[str, Any]]:
    """Claims for the claims page: who says what, filtered by speaker (``entity``: the
    speaker or the body it speaks for; ``source``: a part of the speaker's name), by what
    they are ``about`` (an entity named in the content), text, period, outlet, stance and
    (for the learned stages' claims) confidence; the best text match first when there is a
    ``query``, else newest first (``sort``: newest, oldest to order by date only)."""
    if sort not in SEARCH_SORTS:
        raise SearchError(f"sort: one of {', '.join(SEARCH_SORTS)}, got {sort!r}")
    prepared = prepare(store, entity, since, until, query)
    about_ids = entity_ids(store, about) if about else None
    if prepared is None or about_ids == []:
        return []
    since, until, ents, match = prepared
    rows = claim_rows(store, match, ents, None, since, until, source,
                      max(1, min(int(limit), 100_000)), max(0, int(offset)), stance=stance,
                      min_confidence=min_confidence, about=about_ids, outlet=outlet,
                      sort=sort)
    return [claim_record(store, r) for r in rows]
