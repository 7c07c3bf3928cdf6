"""Stored rows shaped as the API and ``rasd search`` give them: a document hit with its
snippet, an event or claim with its arguments resolved to stored entities, an entity brief.

Shaping only: the queries that fetch the rows are in :mod:`rasd.store.selects` and
:mod:`rasd.store.queries`; this module runs only the small look-ups a record needs.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from rasd.geo.precision import precision
from rasd.store import index
from rasd.store.filters import Readable

SNIPPET_CHARS = 90


def document_hit(store: Readable, row: sqlite3.Row, query: str) -> dict[str, Any]:
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


def _via_brief(store: Readable, claim_id: int | None) -> dict[str, Any] | None:
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


def entity_brief(store: Readable, eid: int | None) -> dict[str, Any] | None:
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


def entity_row(r: Any) -> dict[str, Any]:
    """An ``entities`` row (with its ``mentions`` and ``documents`` counts when selected) as
    the entities list and page give it."""
    keys = r.keys()
    out = {k: r[k] for k in ("id", "type", "name", "name_en", "kb_id", "country", "lat", "lon")}
    if out["lat"] is not None:
        out["precision"] = precision(out["kb_id"])
    for k in ("mentions", "documents"):
        if k in keys:
            out[k] = r[k]
    return out


def event_record(store: Readable, r: sqlite3.Row) -> dict[str, Any]:
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


def claim_record(store: Readable, r: sqlite3.Row) -> dict[str, Any]:
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
