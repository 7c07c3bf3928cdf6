"""Search over stored documents, events and claims, with rasd's Arabic normalization.

The query goes through the same normalization and clitic handling as the index
(:mod:`rasd.store.index`), so أحمد finds احمد, مدينة finds مدينه, a diacritized query finds plain
text and طرابلس finds بطرابلس. All words are required; a final ``*`` makes a word a prefix.
Filters narrow each kind of result the way an analyst reads it:

- ``entity``: a stored entity id, a KB id, or a name (any spelling a mention used);
  documents that mention it, events where it is actor, target or place, claims it makes;
- ``type``: a PLOVER event type; documents with such an event, such events, claims that
  report one;
- ``since``/``until``: ISO dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``), inclusive; a
  document's publication day, an event's own resolved day (else its article's);
- ``source``: for claims, who speaks (a name or part of one); for documents and events, the
  outlet (or the input's source name).

An empty query lists what the filters select, newest first.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
from functools import cache
from typing import TYPE_CHECKING, Any

from rasd.geo.precision import precision
from rasd.resources import read_tsv
from rasd.store import index
from rasd.store.sqlite import DEFAULT_DB, StoreError, name_norm
from rasd.text.normalize import norm

if TYPE_CHECKING:
    from rasd.store.sqlite import Store

KINDS = ("documents", "events", "claims")
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SNIPPET_CHARS = 90


class SearchError(ValueError):
    """A search request that cannot be run as given (bad date, unknown kind)."""


def check_date(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not _ISO.match(value):
        raise SearchError(f"{name}: expected an ISO date YYYY[-MM[-DD]], got {value!r}")
    return value


def _until_bound(value: str) -> str:
    """``until`` is inclusive at its own precision: 2019-06 takes all of June."""
    return value + "~"  # '~' sorts after every digit and '-'


def entity_ids(store: Store, ref: str) -> list[int]:
    """Stored entities a person means by ``ref``: a row id, a KB id, or a name / alias."""
    conn = store.conn
    ref = ref.strip()
    if ref.isdigit():
        n = int(ref)
        if n > 2**63 - 1:  # no such row, and more than SQLite's integers hold
            return []
        return [r[0] for r in conn.execute("SELECT id FROM entities WHERE id = ?", (n,))]
    by_kb = [r[0] for r in conn.execute("SELECT id FROM entities WHERE kb_id = ?", (ref,))]
    if by_kb:
        return by_kb
    key = name_norm(ref)
    return [r[0] for r in conn.execute(
        "SELECT id FROM entities WHERE name_norm = ? UNION "
        "SELECT DISTINCT entity FROM mentions WHERE text_norm = ? AND entity IS NOT NULL",
        (key, key))]


def _in(ids: list[int]) -> str:
    return "(" + ",".join(str(int(i)) for i in ids) + ")" if ids else "(NULL)"


def _prepare(store: Store, entity: str | None, since: str | None, until: str | None,
             query: str, *, strict: bool = False
             ) -> tuple[str | None, str | None, list[int] | None, str | None] | None:
    """A list's filters, checked and resolved once for its page and for its total:
    (since, until, entity row ids or None, FTS MATCH expression or None), or None when
    nothing can match (an unknown entity; with ``strict``, a query of punctuation only)."""
    since, until = check_date(since, "since"), check_date(until, "until")
    match = index.match_expression(query or "") if (query or strict) else None
    if strict and query and query.strip() and match is None:
        return None  # only punctuation: nothing can match
    ents = entity_ids(store, entity) if entity else None
    if ents is not None and not ents:
        return None
    return since, until, ents, match


def search(store: Store, query: str = "", *, entity: str | None = None,
           type: str | None = None, since: str | None = None,
           until: str | None = None, source: str | None = None, kind: str = "documents",
           limit: int = 20, offset: int = 0, sort: str = "relevance") -> list[dict[str, Any]]:
    """Results of one kind (see module docstring), best match first, or by date (``sort``:
    relevance, newest, oldest); raises :class:`SearchError`."""
    if kind not in KINDS:
        raise SearchError(f"kind: one of {', '.join(KINDS)}, got {kind!r}")
    if sort not in SEARCH_SORTS:
        raise SearchError(f"sort: one of {', '.join(SEARCH_SORTS)}, got {sort!r}")
    limit = max(1, min(int(limit), 500))
    offset = max(0, int(offset))
    prepared = _prepare(store, entity, since, until, query, strict=True)
    if prepared is None:
        return []
    since, until, ents, match = prepared
    if kind == "documents":
        rows = _documents(store, match, ents, type, since, until, source, limit, offset,
                          sort=sort)
        return [_document_hit(store, r, query) for r in rows]
    if kind == "events":
        rows = _events(store, match, ents, type, since, until, source, limit, offset,
                       order=_by_date("e", sort), ranked=sort == "relevance")
        return [event_record(store, r) for r in rows]
    rows = _claims(store, match, ents, type, since, until, source, limit, offset, sort=sort)
    return [claim_record(store, r) for r in rows]


SEARCH_SORTS = ("relevance", "newest", "oldest")


def _by_date(alias: str, sort: str) -> str:
    """The order after the match rank: newest first, or oldest first (undated last)."""
    if sort == "oldest":
        return f"{alias}.date IS NULL, {alias}.date, {alias}.id"
    tie = f"{alias}.id DESC" if alias == "d" else f"{alias}.id"  # as the lists always were
    return f"{alias}.date DESC, {tie}"


def _date_filters(col: str, since: str | None, until: str | None,
                  where: list[str], params: list[Any]) -> None:
    if since:
        where.append(f"{col} >= ?")
        params.append(since)
    if until:
        where.append(f"{col} <= ?")
        params.append(_until_bound(until))


def _source_filter(where: list[str], params: list[Any], source: str | None) -> None:
    """Outlet or input source of the document ``d``, as a part of a name, in any of the
    outlet's names (عكاظ finds Okaz: ``resources/outlets.tsv``)."""
    if source:
        names = outlet_names(source)
        where.append("(" + " OR ".join(
            "instr(lower(coalesce(d.outlet, '')), ?) > 0"
            " OR instr(lower(coalesce(d.source, '')), ?) > 0" for _ in names) + ")")
        for n in names:
            params += [n, n]


@cache
def _outlets() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """Each outlet's names and their match keys (``resources/outlets.tsv``)."""
    return tuple((tuple(row), tuple(_outlet_key(n) for n in row))
                 for row in read_tsv("outlets.tsv"))


def _outlet_key(name: str) -> str:
    return re.sub(r"[\W_]+", "", norm(name.lower()))


def outlet_names(name: str) -> list[str]:
    """``name`` and, when it names a known outlet (fully or in part), all that outlet's
    names, lowercased: the spellings stored articles may carry."""
    key = _outlet_key(name)
    names = {name.strip().lower()}
    if len(key) >= 2:
        for row, keys in _outlets():
            if any(key == k or (len(key) >= 3 and key in k) for k in keys):
                names |= {n.lower() for n in row}
    return sorted(names)


def _select(store: Store, *, cols: str, table: str, fts: str, fts_join: str, rank: str,
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


def _documents(store: Store, match: str | None, ents: list[int] | None, type_: str | None,
               since: str | None, until: str | None, source: str | None, limit: int,
               offset: int, count: bool = False, sort: str = "relevance",
               facet: str | None = None) -> Any:
    where: list[str] = []
    params: list[Any] = []
    if ents is not None:
        where.append(f"d.id IN (SELECT doc FROM doc_entities WHERE entity IN {_in(ents)})")
    if type_:
        where.append("d.id IN (SELECT doc FROM events WHERE type = ?)")
        params.append(type_.upper())
    _date_filters("d.date", since, until, where, params)
    _source_filter(where, params, source)
    return _select(store, cols="d.id, d.doc_id, d.url, d.title, d.published, d.date, d.outlet,"
                   " d.source", table="documents d", fts="documents_fts",
                   fts_join="documents d ON d.id = documents_fts.rowid",
                   rank="bm25(documents_fts, 5.0, 1.0)", match=match, where=where,
                   params=params, order=_by_date("d", sort), limit=limit, offset=offset,
                   count=count, ranked=sort == "relevance", facet=facet)


def _document_hit(store: Store, row: sqlite3.Row, query: str) -> dict[str, Any]:
    text = store.conn.execute("SELECT text FROM documents WHERE id = ?",
                              (row["id"],)).fetchone()[0]
    snippet, marks = snippet_of(text, query)
    return {"kind": "document", "id": row["id"], "doc_id": row["doc_id"], "title": row["title"],
            "url": row["url"], "published": row["published"], "date": row["date"],
            "outlet": row["outlet"], "source": row["source"], "snippet": snippet,
            "highlights": marks}


def snippet_of(text: str, query: str, width: int = SNIPPET_CHARS) -> tuple[str, list[list[int]]]:
    """A window of the original text around the first match, with match spans inside it."""
    spans = index.matching_spans(text, query) if query and query.strip() else []
    if not spans:
        cut = text[: 2 * width]
        return (" ".join(cut.split()) + ("…" if len(text) > 2 * width else ""), [])
    first = spans[0][0]
    start = max(0, first - width)
    while start > 0 and not text[start - 1].isspace() and first - start < width + 15:
        start -= 1
    end = min(len(text), first + width)
    while end < len(text) and not text[end].isspace() and end - first < width + 15:
        end += 1
    piece = text[start:end].replace("\n", " ")
    marks = [[a - start, b - start] for a, b in spans if a >= start and b <= end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + piece + suffix, [[a + len(prefix), b + len(prefix)] for a, b in marks]


def _confidence_filter(col: str, value: float | None, where: list[str],
                       params: list[Any]) -> None:
    if value is None:
        return
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise SearchError(f"min_confidence must be between 0 and 1, not {value:g}")
    if value > 0:
        where.append(f"{col} >= ?")
        params.append(value)


def _via_brief(store: Store, claim_id: int | None) -> dict[str, Any] | None:
    """The claim that reports this one (its speaker and cue): the sourcing chain's next link."""
    if claim_id is None:
        return None
    row = store.conn.execute("SELECT id, local_id, source, source_text, cue_text FROM claims"
                             " WHERE id = ?", (claim_id,)).fetchone()
    if row is None:
        return None
    speaker = entity_brief(store, row["source"])
    return {"id": row["id"], "local_id": row["local_id"], "cue": row["cue_text"],
            "source": speaker, "source_text": row["source_text"] or (speaker or {}).get("name")}


def entity_brief(store: Store, eid: int | None) -> dict[str, Any] | None:
    """A stored entity as lists show it (id, type, name, KB id, coordinates, precision)."""
    if eid is None:
        return None
    row = store.conn.execute("SELECT id, type, name, kb_id, lat, lon FROM entities"
                             " WHERE id = ?", (eid,)).fetchone()
    if row is None:
        return None
    brief = dict(row)
    if brief["lat"] is not None:
        brief["precision"] = precision(brief["kb_id"])
    return brief


_EVENT_COLS = ("e.id, e.doc, e.local_id, e.type, e.mode, e.trigger_start, e.trigger_end,"
               " e.trigger_text, e.actor, e.target, e.location, e.time_value, e.date, e.status,"
               " e.negated, e.claim, e.sentence, e.sentence_start, e.sentence_end,"
               " e.confidence, d.title AS doc_title, d.url AS doc_url, d.outlet AS doc_outlet,"
               " substr(d.text, e.sentence_start + 1, e.sentence_end - e.sentence_start)"
               " AS sentence_text")


def _events(store: Store, match: str | None, ents: list[int] | None, type_: str | None,
            since: str | None, until: str | None, source: str | None, limit: int, offset: int,
            status: str | None = None, min_confidence: float | None = None,
            count: bool = False, cols: str = _EVENT_COLS, order: str = "e.date DESC, e.id",
            ranked: bool = True, facet: str | None = None) -> Any:
    where: list[str] = []
    params: list[Any] = []
    _confidence_filter("e.confidence", min_confidence, where, params)
    if ents is not None:
        ids = _in(ents)
        where.append(f"(e.actor IN {ids} OR e.target IN {ids} OR e.location IN {ids})")
    if type_:
        where.append("e.type = ?")
        params.append(type_.upper())
    if status:
        where.append("e.status = ?")
        params.append(status.lower())
    _date_filters("e.date", since, until, where, params)
    _source_filter(where, params, source)
    return _select(store, cols=cols, table="events e JOIN documents d ON d.id = e.doc",
                   fts="events_fts",
                   fts_join="events e ON e.id = events_fts.rowid JOIN documents d ON d.id = e.doc",
                   rank="bm25(events_fts)", match=match, where=where, params=params,
                   order=order, limit=limit, offset=offset, count=count, ranked=ranked,
                   facet=facet)


def count_events(store: Store, *, entity: str | None = None, type: str | None = None,
                 since: str | None = None, until: str | None = None,
                 status: str | None = None, source: str | None = None, query: str = "",
                 min_confidence: float | None = None) -> int:
    """How many events :func:`list_events` has for these filters over all its pages."""
    prepared = _prepare(store, entity, since, until, query)
    if prepared is None:
        return 0
    since, until, ents, match = prepared
    return _events(store, match, ents, type, since, until, source, 0, 0, status=status,
                   min_confidence=min_confidence, count=True)


def count_claims(store: Store, *, source: str | None = None, entity: str | None = None,
                 stance: str | None = None, since: str | None = None,
                 until: str | None = None, query: str = "",
                 min_confidence: float | None = None, about: str | None = None,
                 outlet: str | None = None) -> int:
    """How many claims :func:`list_claims` has for these filters over all its pages."""
    prepared = _prepare(store, entity, since, until, query)
    about_ids = entity_ids(store, about) if about else None
    if prepared is None or about_ids == []:
        return 0
    since, until, ents, match = prepared
    return _claims(store, match, ents, None, since, until, source, 0, 0, stance=stance,
                   min_confidence=min_confidence, count=True, about=about_ids, outlet=outlet)


#: What a search's results are counted by, per kind: (facet name, column).
FACETS = {"documents": (("outlet", "d.outlet"),),
          "events": (("type", "e.type"), ("outlet", "d.outlet")),
          "claims": (("stance", "c.stance"), ("outlet", "d.outlet"))}


def search_facets(store: Store, query: str = "", *, entity: str | None = None,
                  type: str | None = None, since: str | None = None,
                  until: str | None = None, source: str | None = None,
                  kind: str = "documents") -> dict[str, list[tuple[str, int]]]:
    """The results of all pages counted by outlet (and event type, claim stance): the
    search page's facets, so one sees where the 101 hits come from before paging."""
    if kind not in KINDS:
        raise SearchError(f"kind: one of {', '.join(KINDS)}, got {kind!r}")
    prepared = _prepare(store, entity, since, until, query, strict=True)
    if prepared is None:
        return {name: [] for name, _ in FACETS[kind]}
    since, until, ents, match = prepared
    fn = {"documents": _documents, "events": _events, "claims": _claims}[kind]
    out = {}
    for name, col in FACETS[kind]:
        rows = fn(store, match, ents, type, since, until, source, 0, 0, count=True, facet=col)
        if name == "outlet":  # one outlet under all its spellings (aawsat, Al-Sharq Al-Awsat)
            merged: dict[str, int] = {}
            for value, n in rows:
                label = outlet_label(value)
                merged[label] = merged.get(label, 0) + n
            rows = sorted(merged.items(), key=lambda x: (-x[1], x[0]))
        out[name] = rows
    return out


def outlet_label(name: str) -> str:
    """The Arabic name of a known outlet (الشرق الأوسط for aawsat), else ``name``."""
    key = _outlet_key(name)
    for row, keys in _outlets():
        if key in keys:
            return next((n for n in row if any("\u0600" <= c <= "\u06ff" for c in n)), name)
    return name


def count_search(store: Store, query: str = "", *, entity: str | None = None,
                 type: str | None = None, since: str | None = None,
                 until: str | None = None, source: str | None = None,
                 kind: str = "documents") -> int:
    """How many results :func:`search` has over all its pages."""
    if kind not in KINDS:
        raise SearchError(f"kind: one of {', '.join(KINDS)}, got {kind!r}")
    prepared = _prepare(store, entity, since, until, query, strict=True)
    if prepared is None:
        return 0
    since, until, ents, match = prepared
    fn = {"documents": _documents, "events": _events, "claims": _claims}[kind]
    return fn(store, match, ents, type, since, until, source, 0, 0, count=True)


#: Orders of the events list: the newest first (default), the oldest, by type, the most
#: confident first (unscored last).
EVENT_ORDERS = {"date": "e.date DESC, e.id", "oldest": "e.date IS NULL, e.date, e.id",
                "type": "e.type, e.date DESC, e.id",
                "confidence": "e.confidence IS NULL, e.confidence DESC, e.id"}


def list_events(store: Store, *, entity: str | None = None, type: str | None = None,
                since: str | None = None, until: str | None = None, status: str | None = None,
                source: str | None = None, query: str = "", limit: int = 100,
                offset: int = 0, min_confidence: float | None = None,
                sort: str = "date") -> list[dict[str, Any]]:
    """Events for the events page, the map, the timeline and the exports; with
    ``min_confidence`` only events scored at least that (unscored, rules-only ones drop);
    ``sort`` one of :data:`EVENT_ORDERS`."""
    if sort not in EVENT_ORDERS:
        raise SearchError(f"sort: one of {', '.join(EVENT_ORDERS)}, got {sort!r}")
    prepared = _prepare(store, entity, since, until, query)
    if prepared is None:
        return []
    since, until, ents, match = prepared
    rows = _events(store, match, ents, type, since, until, source,
                   max(1, min(int(limit), 100_000)), max(0, int(offset)), status=status,
                   min_confidence=min_confidence, order=EVENT_ORDERS[sort])
    return [event_record(store, r) for r in rows]


def event_places(store: Store, *, entity: str | None = None, type: str | None = None,
                 since: str | None = None, until: str | None = None, status: str | None = None,
                 source: str | None = None, query: str = "",
                 min_confidence: float | None = None) -> dict[str, Any]:
    """Where the events of these filters took place, over all of them (not a page): one row
    per located place with its event count by type and its precision (country, region, city
    or place), most events first, and how many events have no place with coordinates."""
    prepared = _prepare(store, entity, since, until, query)
    if prepared is None:
        return {"places": [], "total": 0, "located": 0, "unlocated": 0}
    since, until, ents, match = prepared
    rows = _events(store, match, ents, type, since, until, source, -1, 0, status=status,
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
                f" WHERE id IN {_in(chunk)} AND lat IS NOT NULL AND lon IS NOT NULL"):
            types = by_place[e["id"]]
            places.append({**dict(e), "precision": precision(e["kb_id"]),
                           "count": sum(types.values()), "types": types})
    places.sort(key=lambda p: (-p["count"], p["id"]))
    located = sum(p["count"] for p in places)
    return {"places": places, "total": len(rows), "located": located,
            "unlocated": len(rows) - located}


def event_timeline(store: Store, *, entity: str | None = None, type: str | None = None,
                   since: str | None = None, until: str | None = None,
                   status: str | None = None, source: str | None = None, query: str = "",
                   min_confidence: float | None = None) -> dict[str, Any]:
    """Events per day and type, over all the events of these filters: ``days`` (sorted, only
    days that have events), ``types`` (type → count per day), and how many events are dated
    only to a month or a year (``imprecise``) or not at all (``undated``): never drawn as if
    they had happened on the first of the month."""
    prepared = _prepare(store, entity, since, until, query)
    empty = {"days": [], "types": {}, "total": 0, "imprecise": 0, "undated": 0}
    if prepared is None:
        return empty
    since, until, ents, match = prepared
    rows = _events(store, match, ents, type, since, until, source, -1, 0, status=status,
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


def event_record(store: Store, r: sqlite3.Row) -> dict[str, Any]:
    """One event as the API gives it: arguments resolved to stored entities."""
    return {"kind": "event", "id": r["id"], "doc": r["doc"], "local_id": r["local_id"],
            "type": r["type"], "mode": r["mode"],
            "trigger": {"start": r["trigger_start"], "end": r["trigger_end"],
                        "text": r["trigger_text"]},
            "actor": entity_brief(store, r["actor"]),
            "target": entity_brief(store, r["target"]),
            "location": entity_brief(store, r["location"]),
            "time": r["time_value"], "date": r["date"], "status": r["status"],
            "negated": bool(r["negated"]), "claim": r["claim"],
            "confidence": r["confidence"], "sentence": r["sentence_text"],
            "doc_title": r["doc_title"], "doc_url": r["doc_url"], "outlet": r["doc_outlet"]}


CLAIM_COLS = ("c.id, c.doc, c.local_id, c.source, c.source_text, c.anonymous, c.cue_start,"
               " c.cue_end, c.cue_text, c.content_start, c.content_end, c.content_text,"
               " c.channel, c.time_value, c.stance, c.via_claim, c.date, c.confidence,"
               " c.speaker, d.title AS doc_title,"
               " d.url AS doc_url, d.outlet AS doc_outlet")


def _claims(store: Store, match: str | None, ents: list[int] | None, type_: str | None,
            since: str | None, until: str | None, source: str | None, limit: int,
            offset: int, stance: str | None = None,
            min_confidence: float | None = None, count: bool = False,
            about: list[int] | None = None, outlet: str | None = None,
            sort: str = "relevance", facet: str | None = None) -> Any:
    where: list[str] = []
    params: list[Any] = []
    _confidence_filter("c.confidence", min_confidence, where, params)
    if stance:
        where.append("c.stance = ?")
        params.append(stance)
    if ents is not None:
        # the speaker, or the body the speaker speaks for (France: its embassy, its minister)
        where.append(f"(c.source IN {_in(ents)} OR c.speaker IN {_in(ents)})")
    if about is not None:
        # an entity named inside what was said
        where.append("EXISTS (SELECT 1 FROM mentions m WHERE m.doc = c.doc AND m.entity IN"
                     f" {_in(about)} AND m.start >= c.content_start AND m.\"end\" <="
                     " c.content_end)")
    _source_filter(where, params, outlet)
    if type_:
        where.append("c.id IN (SELECT claim FROM events WHERE type = ? AND claim IS NOT NULL)")
        params.append(type_.upper())
    if source:
        key = name_norm(source)
        speakers = entity_ids(store, source)
        where.append(f"(instr(coalesce(c.source_norm, ''), ?) > 0 OR c.source IN {_in(speakers)}"
                     f" OR c.speaker IN {_in(speakers)})")
        params.append(key)
    _date_filters("c.date", since, until, where, params)
    return _select(store, cols=CLAIM_COLS, table="claims c JOIN documents d ON d.id = c.doc",
                   fts="claims_fts",
                   fts_join="claims c ON c.id = claims_fts.rowid JOIN documents d ON d.id = c.doc",
                   rank="bm25(claims_fts)", match=match, where=where, params=params,
                   order=_by_date("c", sort), limit=limit, offset=offset, count=count,
                   ranked=sort == "relevance", facet=facet)


def list_claims(store: Store, *, source: str | None = None, entity: str | None = None,
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
    prepared = _prepare(store, entity, since, until, query)
    about_ids = entity_ids(store, about) if about else None
    if prepared is None or about_ids == []:
        return []
    since, until, ents, match = prepared
    rows = _claims(store, match, ents, None, since, until, source,
                   max(1, min(int(limit), 100_000)), max(0, int(offset)), stance=stance,
                   min_confidence=min_confidence, about=about_ids, outlet=outlet,
                   sort=sort)
    return [claim_record(store, r) for r in rows]


def claim_record(store: Store, r: sqlite3.Row) -> dict[str, Any]:
    """One claim as the API gives it: speaker resolved, content as a span of its article."""
    content = None
    if r["content_start"] is not None:
        content = {"start": r["content_start"], "end": r["content_end"],
                   "text": r["content_text"]}
    speaker = entity_brief(store, r["source"])
    body = r["speaker"]
    return {"kind": "claim", "id": r["id"], "doc": r["doc"], "local_id": r["local_id"],
            "source": speaker, "source_text": r["source_text"] or (speaker or {}).get("name"),
            "speaks_for": entity_brief(store, body) if body is not None
            and body != r["source"] else None,
            "anonymous": bool(r["anonymous"]),
            "cue": {"start": r["cue_start"], "end": r["cue_end"], "text": r["cue_text"]},
            "content": content, "channel": r["channel"], "time": r["time_value"],
            "stance": r["stance"], "via": _via_brief(store, r["via_claim"]),
            "confidence": r["confidence"], "date": r["date"],
            "doc_title": r["doc_title"], "doc_url": r["doc_url"], "outlet": r["doc_outlet"]}


# -- `rasd search` --------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``rasd search QUERY [filters] [--format json|text] [--db PATH]``."""
    parser.add_argument("query", metavar="QUERY", nargs="?", default="",
                        help="words to find (all required; word* for a prefix); "
                             "may be empty with filters")
    parser.add_argument("--kind", choices=KINDS, default="documents",
                        help="what to return (default documents)")
    parser.add_argument("--entity", metavar="NAME", help="entity name, KB id or store id")
    parser.add_argument("--type", metavar="PLOVER", help="PLOVER event type, e.g. ASSAULT")
    parser.add_argument("--since", metavar="DATE", help="from this ISO date (inclusive)")
    parser.add_argument("--until", metavar="DATE", help="up to this ISO date (inclusive)")
    parser.add_argument("--source", metavar="NAME",
                        help="claims: who speaks; documents/events: the outlet")
    parser.add_argument("--limit", type=int, default=20, help="results (default 20)")
    parser.add_argument("--format", choices=("json", "text"), default="text")
    parser.add_argument("--db", default=DEFAULT_DB, metavar="PATH",
                        help=f"SQLite store (default {DEFAULT_DB})")


def format_hit(hit: dict[str, Any]) -> str:
    """One result as one or two terminal lines."""
    if hit["kind"] == "document":
        head = f"[{hit['id']}] {hit['date'] or '-'}  {hit['title'] or '(no title)'}"
        if hit["outlet"]:
            head += f"  — {hit['outlet']}"
        return f"{head}\n    {hit['snippet']}"
    if hit["kind"] == "event":
        def n(e: dict[str, Any] | None) -> str:
            return e["name"] if e else "-"
        return (f"[{hit['id']}] {hit['date'] or '-'}  {hit['type']:10} {n(hit['actor'])} → "
                f"{n(hit['target'])} @ {n(hit['location'])}  [{hit['status']}]  "
                f"«{hit['trigger']['text']}»\n    {' '.join((hit['sentence'] or '').split())}")
    who = hit["source_text"] or "?"
    content = " ".join((hit["content"] or {}).get("text", "").split())
    return (f"[{hit['id']}] {hit['date'] or '-'}  {who} — {hit['cue']['text']}"
            f" ({hit['stance']}): {content}")


def run_from_args(args: argparse.Namespace) -> int:
    """``rasd search``: exit 0 (also with no results), 1 for an unusable store, 2 bad filter."""
    from pathlib import Path

    from rasd.store.sqlite import Store

    if args.db != ":memory:" and not Path(args.db).exists():
        print(f"rasd: {args.db}: no such store (create it with `rasd ingest`)", file=sys.stderr)
        return 1
    try:
        store = Store(args.db, readonly=args.db != ":memory:")
    except (StoreError, sqlite3.Error) as exc:
        print(f"rasd: {exc}", file=sys.stderr)
        return 1
    with store:
        try:
            hits = search(store, args.query, entity=args.entity, type=args.type,
                          since=args.since, until=args.until, source=args.source,
                          kind=args.kind, limit=args.limit)
        except SearchError as exc:
            print(f"rasd: {exc}", file=sys.stderr)
            return 2
    if args.format == "json":
        sys.stdout.write(json.dumps(hits, ensure_ascii=False, indent=1) + "\n")
    else:
        for hit in hits:
            sys.stdout.write(format_hit(hit) + "\n")
        if not hits:
            print("no results", file=sys.stderr)
    return 0
