"""Writing one analysed :class:`~rasd.document.Document` into the store: its row, its layers,
its search rows, its entities merged with the corpus's; and taking them out again.

Every function takes the connection and leaves transactions to its caller
(:class:`~rasd.store.sqlite.Store` wraps each document in one), so a failure anywhere rolls
the whole document back.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from rasd.document import Document
from rasd.store import index
from rasd.store import stories as story_store
from rasd.store.keys import day, entity_key, name_norm, now, text_hash


def global_entity(conn: sqlite3.Connection, e: Any) -> int:
    """The global entity for a document's entity: found by key, else created; blanks
    (English name, country, coordinates) are filled from the newer article."""
    key = entity_key(e.kb_id, e.type, e.name)
    row = conn.execute("SELECT id FROM entities WHERE key = ?", (key,)).fetchone()
    if row is None:
        cur = conn.execute(
            "INSERT INTO entities (key, kb_id, type, name, name_norm, name_en, country, lat,"
            " lon) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key, e.kb_id, e.type, e.name, name_norm(e.name), e.name_en, e.country, e.lat,
             e.lon))
        return int(cur.lastrowid or 0)
    conn.execute(
        "UPDATE entities SET name_en = COALESCE(name_en, ?), country = COALESCE(country, ?),"
        " lat = COALESCE(lat, ?), lon = COALESCE(lon, ?) WHERE id = ?",
        (e.name_en, e.country, e.lat, e.lon, row[0]))
    return int(row[0])


def speaker_id(conn: sqlite3.Connection, doc: Document, claim: Any,
               ents: dict[str, int]) -> int | None:
    """The stored entity of the body a claim's speaker speaks for (rasd.link.affiliation):
    a country or organisation, created from the KB when the article names it only by an
    adjective."""
    from rasd.link.affiliation import speaker_body

    body = speaker_body(doc, claim, _kb().nisba)
    if body is None:
        return None
    if not body.startswith("kb:"):
        return ents.get(body)
    entry = _kb().get(body[3:])
    if entry is None:
        return None
    from rasd.document import Entity

    return global_entity(conn, Entity(id="", **entry.entity_fields()))


def _kb() -> Any:
    from rasd.link.kb import KnowledgeBase

    return KnowledgeBase.load()


def find(conn: sqlite3.Connection, url: str | None, hash_: str) -> sqlite3.Row | None:
    """The stored record of an article: by URL first, else by its text hash."""
    if url:
        row = conn.execute("SELECT id, text_hash, url FROM documents WHERE url = ?",
                           (url,)).fetchone()
        if row is not None:
            return row
    return conn.execute("SELECT id, text_hash, url FROM documents WHERE text_hash = ? "
                        "ORDER BY id LIMIT 1", (hash_,)).fetchone()


def put(conn: sqlite3.Connection, doc: Document, hash_: str | None = None) -> tuple[int, str]:
    """Write one analysed document in one transaction: ``(row id, added|updated|unchanged)``."""
    hash_ = hash_ or text_hash(doc.text)
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = find(conn, doc.url, hash_)
        if found is not None and found["text_hash"] == hash_:
            conn.execute("COMMIT")
            return found["id"], "unchanged"
        if found is not None:
            db_id = found["id"]
            old = clear(conn, db_id)
            write_document(conn, doc, hash_, db_id)
            write_layers(conn, db_id, doc)
            drop_orphans(conn, old)
            status = "updated"
        else:
            db_id = write_document(conn, doc, hash_, None)
            write_layers(conn, db_id, doc)
            status = "added"
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return db_id, status


def delete(conn: sqlite3.Connection, db_id: int) -> bool:
    """Remove one document and the entities only it named, in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        old = clear(conn, db_id)
        gone = conn.execute("DELETE FROM documents WHERE id = ?", (db_id,)).rowcount
        conn.execute("DELETE FROM documents_fts WHERE rowid = ?", (db_id,))
        drop_orphans(conn, old)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return bool(gone)


def clear(conn: sqlite3.Connection, db_id: int) -> set[int]:
    """Delete a document's layer rows and search rows; returns the entities it named."""
    old = {r[0] for r in conn.execute("SELECT entity FROM doc_entities WHERE doc = ?",
                                      (db_id,))}
    conn.execute("DELETE FROM claims_fts WHERE rowid IN (SELECT id FROM claims WHERE doc = ?)",
                 (db_id,))
    conn.execute("DELETE FROM events_fts WHERE rowid IN (SELECT id FROM events WHERE doc = ?)",
                 (db_id,))
    for table in ("events", "claims", "times", "mentions", "doc_entities"):
        conn.execute(f"DELETE FROM {table} WHERE doc = ?", (db_id,))
    story_store.forget(conn, db_id, now())
    return old


def drop_orphans(conn: sqlite3.Connection, entities: set[int]) -> None:
    """Delete the global entities that no stored document names any more."""
    for eid in entities:
        conn.execute("DELETE FROM entities WHERE id = ? AND NOT EXISTS "
                     "(SELECT 1 FROM doc_entities WHERE entity = ?)", (eid, eid))


def write_document(conn: sqlite3.Connection, doc: Document, hash_: str,
                   db_id: int | None) -> int:
    """The ``documents`` row (inserted, or replaced at ``db_id``) and its search row."""
    data = doc.to_dict()
    stamp = now()
    values = (doc.id, doc.url, hash_, doc.title, doc.published, day(doc.published),
              doc.outlet, doc.source, doc.text, json.dumps(data, ensure_ascii=False),
              data.get("rasd"))
    if db_id is None:
        cur = conn.execute(
            "INSERT INTO documents (doc_id, url, text_hash, title, published, date, outlet,"
            " source, text, data, rasd_version, ingested_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (*values, stamp, stamp))
        db_id = int(cur.lastrowid or 0)
    else:
        conn.execute(
            "UPDATE documents SET doc_id = ?, url = ?, text_hash = ?, title = ?,"
            " published = ?, date = ?, outlet = ?, source = ?, text = ?, data = ?,"
            " rasd_version = ?, updated_at = ? WHERE id = ?", (*values, stamp, db_id))
        conn.execute("DELETE FROM documents_fts WHERE rowid = ?", (db_id,))
    conn.execute("INSERT INTO documents_fts (rowid, title, body) VALUES (?, ?, ?)",
                 (db_id, index.index_text(doc.title or ""),
                  index.index_text(doc.text, doc.tokens or None)))
    return db_id


def write_layers(conn: sqlite3.Connection, db_id: int, doc: Document) -> None:
    """A document's entities, mentions, times, claims and events, and their search rows."""
    tokens = doc.tokens or None  # the analysed document's tokens, reused for the index
    ents: dict[str, int] = {}
    names: dict[str, str] = {}
    for e in doc.entities:
        gid = global_entity(conn, e)
        ents[e.id] = gid
        names[e.id] = e.name
        conn.execute("INSERT INTO doc_entities (doc, local_id, entity, name, type, roles)"
                     " VALUES (?, ?, ?, ?, ?, ?)",
                     (db_id, e.id, gid, e.name, e.type,
                      json.dumps([{"title": r.title, "of": r.of, "mention": r.mention}
                                  for r in e.roles], ensure_ascii=False)))
    conn.executemany(
        'INSERT INTO mentions (doc, local_id, start, "end", text, text_norm, type, entity,'
        " score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(db_id, m.id, m.start, m.end, m.text, name_norm(m.text), m.type,
          ents.get(m.entity or ""), m.score) for m in doc.mentions])
    times = {t.id: t.value for t in doc.times}
    conn.executemany(
        'INSERT INTO times (doc, local_id, start, "end", text, value)'
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(db_id, t.id, t.start, t.end, t.text, t.value) for t in doc.times])
    doc_day = day(doc.published)
    claim_ids: dict[str, int] = {}
    for c in doc.claims:
        source_name = names.get(c.source or "") or c.source_text
        content = c.content
        cur = conn.execute(
            "INSERT INTO claims (doc, local_id, source, source_text, source_norm, anonymous,"
            " cue_start, cue_end, cue_text, content_start, content_end, content_text,"
            " channel, time_value, stance, via, date, confidence, speaker)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (db_id, c.id, ents.get(c.source or ""), c.source_text,
             name_norm(source_name) if source_name else None, int(c.anonymous),
             c.cue.start, c.cue.end, c.cue.text, content.start if content else None,
             content.end if content else None, content.text if content else None,
             c.channel, times.get(c.time or ""), c.stance, None,
             day(times.get(c.time or "")) or doc_day, c.confidence,
             speaker_id(conn, doc, c, ents)))
        cid = int(cur.lastrowid or 0)
        claim_ids[c.id] = cid
        body = index.index_span(tokens, c.cue.start, c.cue.end, doc.text)
        if content:
            body += " " + index.index_span(tokens, content.start, content.end, doc.text)
        conn.execute("INSERT INTO claims_fts (rowid, body) VALUES (?, ?)",
                     (cid, index.index_texts([source_name]) + " " + body))
    conn.executemany("UPDATE claims SET via_claim = ? WHERE id = ?",
                     [(claim_ids[c.via], claim_ids[c.id]) for c in doc.claims
                      if c.via in claim_ids])
    for v in doc.events:
        sent = (doc.sentences[v.sentence] if v.sentence is not None
                and 0 <= v.sentence < len(doc.sentences) else None)
        value = times.get(v.time or "")
        cur = conn.execute(
            "INSERT INTO events (doc, local_id, type, mode, trigger_start, trigger_end,"
            " trigger_text, actor, target, location, time_value, date, status, negated,"
            " claim, sentence, sentence_start, sentence_end, confidence)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (db_id, v.id, v.type, v.mode, v.trigger.start, v.trigger.end, v.trigger.text,
             ents.get(v.actor or ""), ents.get(v.target or ""), ents.get(v.location or ""),
             value, day(value) or doc_day, v.status, int(v.negated),
             claim_ids.get(v.claim or ""), v.sentence, sent.start if sent else None,
             sent.end if sent else None, v.confidence))
        span = (sent.start, sent.end) if sent else (v.trigger.start, v.trigger.end)
        args = [names.get(x or "") for x in (v.actor, v.target, v.location)]
        conn.execute("INSERT INTO events_fts (rowid, body) VALUES (?, ?)",
                     (int(cur.lastrowid or 0),
                      index.index_span(tokens, *span, doc.text) + " "
                      + index.index_texts(args)))
