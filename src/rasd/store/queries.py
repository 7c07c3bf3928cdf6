"""The read queries of the API's entity and story pages, as plain functions over a store:
finding entities, an entity's mentions, names, counterparts and co-occurring entities, the
claims about it, and a story's stored documents.

Here so that every SQL string of rasd lives under :mod:`rasd.store`; the API only calls these.
"""

from __future__ import annotations

import json
from typing import Any

from rasd.store.filters import Readable
from rasd.store.keys import name_norm
from rasd.store.records import claim_record, entity_brief, entity_row
from rasd.store.selects import CLAIM_COLS

CONTEXT_CHARS = 60

_WITH_COUNTS = ("SELECT e.*, (SELECT count(*) FROM mentions m WHERE m.entity = e.id) AS mentions,"
                " (SELECT count(*) FROM doc_entities d WHERE d.entity = e.id) AS documents"
                " FROM entities e")


def find_entities(store: Readable, q: str | None = None, type_: str | None = None,
                  kb_id: str | None = None, located: bool = False, limit: int = 50,
                  offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """``(total, one page)`` of the entities named ``q`` (any spelling a mention used,
    normalized; names that begin with ``q`` before those that contain it), of a type, a KB
    id, with coordinates; the most mentioned first."""
    where, params = [], []
    if kb_id:
        where.append("e.kb_id = ?")
        params.append(kb_id)
    if q:
        key = name_norm(q)
        where.append("(e.name_norm = ? OR e.id IN (SELECT entity FROM mentions WHERE"
                     " text_norm = ?) OR instr(e.name_norm, ?) > 0)")
        params += [key, key, key]
    if type_:
        where.append("e.type = ?")
        params.append(type_.upper())
    if located:
        where.append("e.lat IS NOT NULL AND e.lon IS NOT NULL")
    sql = _WITH_COUNTS
    cond = (" WHERE " + " AND ".join(where)) if where else ""
    total = store.conn.execute(f"SELECT count(*) FROM entities e{cond}", params).fetchone()[0]
    sql += cond
    if q:  # an exact name first, then names that begin so, then the most mentioned
        sql += (" ORDER BY (e.name_norm = ?) DESC, (instr(e.name_norm, ?) = 1) DESC,"
                " mentions DESC, e.id LIMIT ? OFFSET ?")
        params += [name_norm(q), name_norm(q), limit, offset]
    else:
        sql += " ORDER BY mentions DESC, e.id LIMIT ? OFFSET ?"
        params += [limit, offset]
    return total, [entity_row(r) for r in store.conn.execute(sql, params)]


def entity_with_counts(store: Readable, entity_id: int) -> dict[str, Any] | None:
    """One entity with its ``mentions`` and ``documents`` counts, or None."""
    row = store.conn.execute(_WITH_COUNTS + " WHERE e.id = ?", (entity_id,)).fetchone()
    return None if row is None else entity_row(row)


def mention_count(store: Readable, entity_id: int) -> int:
    return store.conn.execute("SELECT count(*) FROM mentions WHERE entity = ?",
                              (entity_id,)).fetchone()[0]


def mentions_of(store: Readable, entity_id: int, offset: int, limit: int
                ) -> list[dict[str, Any]]:
    """A page of an entity's mentions, newest article first, each with its context."""
    out = []
    for m in store.conn.execute(
            'SELECT m.doc, m.local_id, m.start, m."end", m.text, m.type, d.title, d.date,'
            " d.outlet, substr(d.text, max(1, m.start + 1 - ?), min(m.start, ?)) AS before,"
            ' substr(d.text, m."end" + 1, ?) AS after FROM mentions m JOIN documents d'
            " ON d.id = m.doc WHERE m.entity = ? ORDER BY d.date DESC, m.doc, m.start"
            " LIMIT ? OFFSET ?",
            (CONTEXT_CHARS, CONTEXT_CHARS, CONTEXT_CHARS, entity_id, limit, offset)):
        out.append({"doc": m["doc"], "id": m["local_id"], "start": m["start"],
                    "end": m["end"], "text": m["text"], "type": m["type"],
                    "doc_title": m["title"], "date": m["date"], "outlet": m["outlet"],
                    "before": " ".join(m["before"].split()),
                    "after": " ".join(m["after"].split())})
    return out


def aliases_of(store: Readable, entity_id: int
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """How the articles wrote the entity, with counts: names, and apart from them the
    common nouns that stood for it (a head noun alone, a KB common word)."""
    from rasd.link.augment import is_generic_name

    names, generic = [], []
    for text, n in store.conn.execute(
            "SELECT min(text), count(*) AS n FROM mentions WHERE entity = ? GROUP BY"
            " text_norm ORDER BY n DESC LIMIT 60", (entity_id,)):
        (generic if is_generic_name(text) else names).append({"text": text, "count": n})
    return names, generic


def counterparts(store: Readable, entity_id: int, limit: int = 12) -> list[dict[str, Any]]:
    """The entities on the other side of its events, most events first."""
    rows = store.conn.execute(
        "SELECT other, count(*) AS n FROM (SELECT target AS other FROM events WHERE"
        " actor = ? AND target IS NOT NULL AND target != ? UNION ALL SELECT actor FROM"
        " events WHERE target = ? AND actor IS NOT NULL AND actor != ?) GROUP BY other"
        " ORDER BY n DESC, other LIMIT ?",
        (entity_id, entity_id, entity_id, entity_id, limit)).fetchall()
    return _with_briefs(store, rows)


def co_occurring(store: Readable, entity_id: int, limit: int = 15) -> list[dict[str, Any]]:
    """The people and organisations named in the same articles, most articles first."""
    rows = store.conn.execute(
        "SELECT d2.entity AS other, count(DISTINCT d2.doc) AS n FROM doc_entities d1"
        " JOIN doc_entities d2 ON d2.doc = d1.doc AND d2.entity != d1.entity"
        " WHERE d1.entity = ? AND d2.type IN ('PER', 'ORG') GROUP BY d2.entity"
        " ORDER BY n DESC, other LIMIT ?", (entity_id, limit)).fetchall()
    return _with_briefs(store, rows)


def _with_briefs(store: Readable, rows: list[Any]) -> list[dict[str, Any]]:
    briefs = ((entity_brief(store, other), n) for other, n in rows)
    return [{**brief, "count": n} for brief, n in briefs if brief is not None]


def claims_about(store: Readable, entity_id: int, limit: int) -> list[dict[str, Any]]:
    """Claims whose content names the entity, by others than itself, newest first."""
    return [claim_record(store, r) for r in store.conn.execute(
        f"SELECT DISTINCT {CLAIM_COLS} FROM mentions m JOIN claims c ON c.doc = m.doc"
        ' AND m.start >= c.content_start AND m."end" <= c.content_end'
        " JOIN documents d ON d.id = c.doc"
        " WHERE m.entity = ? AND (c.source IS NULL OR c.source != ?)"
        " ORDER BY c.date DESC, c.id LIMIT ?", (entity_id, entity_id, limit))]


def story_documents(store: Readable, story_id: str) -> list[dict[str, Any]]:
    """The stored JSON of a story's articles, in store order."""
    return [json.loads(r[0]) for r in store.conn.execute(
        "SELECT d.data FROM story_articles s JOIN documents d ON d.id = s.doc"
        " WHERE s.story = ? ORDER BY d.id", (story_id,))]


def events_as_documents(store: Readable, events: list[dict[str, Any]]
                        ) -> list[dict[str, Any]]:
    """For each listed event (:func:`rasd.store.lists.list_events` records), its stored
    article's JSON holding that one event, in the list's order: what
    :mod:`rasd.export.formats` reads, so the API exports exactly what ``rasd export`` writes."""
    data: dict[int, dict[str, Any]] = {}
    ids = sorted({e["doc"] for e in events})
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for db_id, text in store.conn.execute(
                f"SELECT id, data FROM documents WHERE id IN ({marks})", chunk):
            data[db_id] = json.loads(text)
    by_key = {(db_id, v["id"]): v for db_id, doc in data.items() for v in doc.get("events", [])}
    out = []
    for e in events:
        ev = by_key.get((e["doc"], e["local_id"]))
        if ev is not None:
            out.append({**data[e["doc"]], "events": [ev]})
    return out
