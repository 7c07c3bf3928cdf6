"""The three filtered selects every search, list, count and facet runs: documents, events
and claims, through their FTS index when there is a query, ranked, one page or counted.

Each takes already checked and resolved filters (:func:`rasd.store.filters.prepare`).
"""

from __future__ import annotations

from typing import Any

from rasd.store.filters import (
    Readable,
    by_date,
    confidence_filter,
    date_filters,
    entity_ids,
    in_list,
    source_filter,
)
from rasd.store.keys import name_norm


def select(store: Readable, *, cols: str, table: str, fts: str, fts_join: str, rank: str,
           match: str | None, where: list[str], params: list[Any], order: str, limit: int,
           offset: int, count: bool = False, ranked: bool = True,
           facet: str | None = None) -> Any:
    """``cols`` of ``table`` (through its FTS index ``fts`` when there is a MATCH, ranked by
    ``rank`` first), filtered by ``where``/``params``, ordered, one page; with ``count``, the
    number of rows all pages hold (the true total a list shows), or with ``facet`` (a column)
    the rows of all pages counted by its value, most first."""
    if count:
        what = f"{facet} AS value, count(*) AS n" if facet else "count(*)"
        sql = (f"SELECT {what} FROM {fts} JOIN {fts_join}" if match else
               f"SELECT {what} FROM {table}")
        if match:
            where, params = [f"{fts} MATCH ?", *where], [match, *params]
        if where:
            sql += " WHERE " + " AND ".join(where)
        if facet:
            sql += " GROUP BY value ORDER BY n DESC, value LIMIT 12"
            return [(r[0], r[1]) for r in store.conn.execute(sql, params) if r[0]]
        return int(store.conn.execute(sql, params).fetchone()[0])
    if match:
        sql = f"SELECT {cols}, {rank} AS rank FROM {fts} JOIN {fts_join}"
        where = [f"{fts} MATCH ?", *where]
        params = [match, *params]
        if ranked:
            order = "rank, " + order
    else:
        sql = f"SELECT {cols}, 0 AS rank FROM {table}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order} LIMIT ? OFFSET ?"
    return store.conn.execute(sql, (*params, limit, offset)).fetchall()


def document_rows(store: Readable, match: str | None, ents: list[int] | None, type_: str | None,
                  since: str | None, until: str | None, source: str | None, limit: int,
                  offset: int, count: bool = False, sort: str = "relevance",
                  facet: str | None = None) -> Any:
    where: list[str] = []
    params: list[Any] = []
    if ents is not None:
        where.append(f"d.id IN (SELECT doc FROM doc_entities WHERE entity IN {in_list(ents)})")
    if type_:
        where.append("d.id IN (SELECT doc FROM events WHERE type = ?)")
        params.append(type_.upper())
    date_filters("d.date", since, until, where, params)
    source_filter(where, params, source)
    return select(store, cols="d.id, d.doc_id, d.url, d.title, d.published, d.date, d.outlet,"
                  " d.source", table="documents d", fts="documents_fts",
                  fts_join="documents d ON d.id = documents_fts.rowid",
                  rank="bm25(documents_fts, 5.0, 1.0)", match=match, where=where,
                  params=params, order=by_date("d", sort), limit=limit, offset=offset,
                  count=count, ranked=sort == "relevance", facet=facet)


EVENT_COLS = ("e.id, e.doc, e.local_id, e.type, e.mode, e.trigger_start, e.trigger_end,"
              " e.trigger_text, e.actor, e.target, e.location, e.time_value, e.date, e.status,"
              " e.negated, e.claim, e.sentence, e.sentence_start, e.sentence_end,"
              " e.confidence, d.title AS doc_title, d.url AS doc_url, d.outlet AS doc_outlet,"
              " substr(d.text, e.sentence_start + 1, e.sentence_end - e.sentence_start)"
              " AS sentence_text")


def event_rows(store: Readable, match: str | None, ents: list[int] | None, type_: str | None,
               since: str | None, until: str | None, source: str | None, limit: int, offset: int,
               status: str | None = None, min_confidence: float | None = None,
               count: bool = False, cols: str = EVENT_COLS, order: str = "e.date DESC, e.id",
               ranked: bool = True, facet: str | None = None) -> Any:
    where: list[str] = []
    params: list[Any] = []
    confidence_filter("e.confidence", min_confidence, where, params)
    if ents is not None:
        ids = in_list(ents)
        where.append(f"(e.actor IN {ids} OR e.target IN {ids} OR e.location IN {ids})")
    if type_:
        where.append("e.type = ?")
        params.append(type_.upper())
    if status:
        where.append("e.status = ?")
        params.append(status.lower())
    date_filters("e.date", since, until, where, params)
    source_filter(where, params, source)
    return select(store, cols=cols, table="events e JOIN documents d ON d.id = e.doc",
                  fts="events_fts",
                  fts_join="events e ON e.id = events_fts.rowid JOIN documents d ON d.id = e.doc",
                  rank="bm25(events_fts)", match=match, where=where, params=params,
                  order=order, limit=limit, offset=offset, count=count, ranked=ranked,
                  facet=facet)


CLAIM_COLS = ("c.id, c.doc, c.local_id, c.source, c.source_text, c.anonymous, c.cue_start,"
               " c.cue_end, c.cue_text, c.content_start, c.content_end, c.content_text,"
               " c.channel, c.time_value, c.stance, c.via_claim, c.date, c.confidence,"
               " c.speaker, d.title AS doc_title,"
               " d.url AS doc_url, d.outlet AS doc_outlet")


def claim_rows(store: Readable, match: str | None, ents: list[int] | None, type_: str | None,
               since: str | None, until: str | None, source: str | None, limit: int,
               offset: int, stance: str | None = None,
               min_confidence: float | None = None, count: bool = False,
               about: list[int] | None = None, outlet: str | None = None,
               sort: str = "relevance", facet: str | None = None) -> Any:
    where: list[str] = []
    params: list[Any] = []
    confidence_filter("c.confidence", min_confidence, where, params)
    if stance:
        where.append("c.stance = ?")
        params.append(stance)
    if ents is not None:
        # the speaker, or the body the speaker speaks for (France: its embassy, its minister)
        where.append(f"(c.source IN {in_list(ents)} OR c.speaker IN {in_list(ents)})")
    if about is not None:
        # an entity named inside what was said
        where.append("EXISTS (SELECT 1 FROM mentions m WHERE m.doc = c.doc AND m.entity IN"
                     f" {in_list(about)} AND m.start >= c.content_start AND m.\"end\" <="
                     " c.content_end)")
    source_filter(where, params, outlet)
    if type_:
        where.append("c.id IN (SELECT claim FROM events WHERE type = ? AND claim IS NOT NULL)")
        params.append(type_.upper())
    if source:
        key = name_norm(source)
        speakers = entity_ids(store, source)
        where.append(f"(instr(coalesce(c.source_norm, ''), ?) > 0"
                     f" OR c.source IN {in_list(speakers)} OR c.speaker IN {in_list(speakers)})")
        params.append(key)
    date_filters("c.date", since, until, where, params)
    return select(store, cols=CLAIM_COLS, table="claims c JOIN documents d ON d.id = c.doc",
                  fts="claims_fts",
                  fts_join="claims c ON c.id = claims_fts.rowid JOIN documents d ON d.id = c.doc",
                  rank="bm25(claims_fts)", match=match, where=where, params=params,
                  order=by_date("c", sort), limit=limit, offset=offset, count=count,
                  ranked=sort == "relevance", facet=facet)
