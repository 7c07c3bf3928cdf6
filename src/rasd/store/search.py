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

The filters are in :mod:`rasd.store.filters`, the selects in :mod:`rasd.store.selects`, the
records in :mod:`rasd.store.records`; ``rasd search`` is :mod:`rasd.cli.search`.
"""

from __future__ import annotations

from typing import Any

from rasd.store.errors import SearchError
from rasd.store.filters import KINDS, SEARCH_SORTS, Readable, by_date, outlet_label, prepare
from rasd.store.records import claim_record, document_hit, event_record
from rasd.store.selects import claim_rows, document_rows, event_rows


def search(store: Readable, query: str = "", *, entity: str | None = None,
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
    prepared = prepare(store, entity, since, until, query, strict=True)
    if prepared is None:
        return []
    since, until, ents, match = prepared
    if kind == "documents":
        rows = document_rows(store, match, ents, type, since, until, source, limit, offset,
                             sort=sort)
        return [document_hit(store, r, query) for r in rows]
    if kind == "events":
        rows = event_rows(store, match, ents, type, since, until, source, limit, offset,
                          order=by_date("e", sort), ranked=sort == "relevance")
        return [event_record(store, r) for r in rows]
    rows = claim_rows(store, match, ents, type, since, until, source, limit, offset, sort=sort)
    return [claim_record(store, r) for r in rows]


#: What a search's results are counted by, per kind: (facet name, column).
FACETS = {"documents": (("outlet", "d.outlet"),),
          "events": (("type", "e.type"), ("outlet", "d.outlet")),
          "claims": (("stance", "c.stance"), ("outlet", "d.outlet"))}


def search_facets(store: Readable, query: str = "", *, entity: str | None = None,
                  type: str | None = None, since: str | None = None,
                  until: str | None = None, source: str | None = None,
                  kind: str = "documents") -> dict[str, list[tuple[str, int]]]:
    """The results of all pages counted by outlet (and event type, claim stance): the
    search page's facets, so one sees where the 101 hits come from before paging."""
    if kind not in KINDS:
        raise SearchError(f"kind: one of {', '.join(KINDS)}, got {kind!r}")
    prepared = prepare(store, entity, since, until, query, strict=True)
    if prepared is None:
        return {name: [] for name, _ in FACETS[kind]}
    since, until, ents, match = prepared
    fn = {"documents": document_rows, "events": event_rows, "claims": claim_rows}[kind]
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


def count_search(store: Readable, query: str = "", *, entity: str | None = None,
                 type: str | None = None, since: str | None = None,
                 until: str | None = None, source: str | None = None,
                 kind: str = "documents") -> int:
    """How many results :func:`search` has over all its pages."""
    if kind not in KINDS:
        raise SearchError(f"kind: one of {', '.join(KINDS)}, got {kind!r}")
    prepared = prepare(store, entity, since, until, query, strict=True)
    if prepared is None:
        return 0
    since, until, ents, match = prepared
    fn = {"documents": document_rows, "events": event_rows, "claims": claim_rows}[kind]
    return fn(store, match, ents, type, since, until, source, 0, 0, count=True)
