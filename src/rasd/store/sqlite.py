"""The embedded store: analysed documents in one SQLite file, searchable, merged across articles.

Why SQLite: analysts keep a corpus on a laptop with no server; one file is the whole store,
and FTS5 gives ranked full-text search in the same transaction as the data.

Layout. ``documents`` holds each article (its text and its full ``to_dict()`` JSON, so a stored
document reads back exactly as analysed) and its layers as rows: ``mentions``, ``times``,
``claims``, ``events``. Entities are kept twice: ``doc_entities`` (an article's own ``e1``,
``e2``…) point to one row of ``entities``, shared by every article that names the same thing —
the same KB id, else the same normalized name and type — so a person's mentions, events and
claims can be gathered across the corpus. Layer rows refer to the global entity ids.

Ingest is idempotent and transactional per document: an article is found again by URL, else by
a hash of its normalized text; an unchanged one is skipped (before analysis, so re-ingesting a
corpus is cheap), a changed one with the same URL replaces its record, and a failure while
writing one document rolls back that document alone. The schema carries its version in
``PRAGMA user_version`` and is brought up to date by the ordered :data:`MIGRATIONS`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rasd.document import Document
from rasd.store import index
from rasd.store import stories as story_store
from rasd.text.normalize import norm

DEFAULT_DB = "rasd.db"

# -- schema ---------------------------------------------------------------------------------

_CORE = """
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  doc_id TEXT NOT NULL,
  url TEXT,
  text_hash TEXT NOT NULL,
  title TEXT,
  published TEXT,
  date TEXT,
  outlet TEXT,
  source TEXT,
  text TEXT NOT NULL,
  data TEXT NOT NULL,
  rasd_version TEXT,
  ingested_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX documents_url ON documents(url) WHERE url IS NOT NULL;
CREATE INDEX documents_hash ON documents(text_hash);
CREATE INDEX documents_date ON documents(date);
CREATE INDEX documents_doc_id ON documents(doc_id);

CREATE TABLE entities (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  kb_id TEXT,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  name_norm TEXT NOT NULL,
  name_en TEXT,
  country TEXT,
  lat REAL,
  lon REAL
);
CREATE INDEX entities_name ON entities(name_norm);
CREATE INDEX entities_kb ON entities(kb_id);

CREATE TABLE doc_entities (
  doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  local_id TEXT NOT NULL,
  entity INTEGER NOT NULL REFERENCES entities(id),
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  roles TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (doc, local_id)
);
CREATE INDEX doc_entities_entity ON doc_entities(entity);

CREATE TABLE mentions (
  id INTEGER PRIMARY KEY,
  doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  local_id TEXT NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  text TEXT NOT NULL,
  text_norm TEXT NOT NULL,
  type TEXT NOT NULL,
  entity INTEGER REFERENCES entities(id),
  score REAL
);
CREATE INDEX mentions_doc ON mentions(doc);
CREATE INDEX mentions_entity ON mentions(entity);
CREATE INDEX mentions_norm ON mentions(text_norm);

CREATE TABLE times (
  id INTEGER PRIMARY KEY,
  doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  local_id TEXT NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  text TEXT NOT NULL,
  value TEXT
);
CREATE INDEX times_doc ON times(doc);

CREATE TABLE claims (
  id INTEGER PRIMARY KEY,
  doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  local_id TEXT NOT NULL,
  source INTEGER REFERENCES entities(id),
  source_text TEXT,
  source_norm TEXT,
  anonymous INTEGER NOT NULL,
  cue_start INTEGER NOT NULL,
  cue_end INTEGER NOT NULL,
  cue_text TEXT NOT NULL,
  content_start INTEGER,
  content_end INTEGER,
  content_text TEXT,
  channel TEXT,
  time_value TEXT,
  stance TEXT NOT NULL,
  via INTEGER REFERENCES entities(id),
  date TEXT
);
CREATE INDEX claims_doc ON claims(doc);
CREATE INDEX claims_source ON claims(source);
CREATE INDEX claims_date ON claims(date);

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  local_id TEXT NOT NULL,
  type TEXT NOT NULL,
  mode TEXT,
  trigger_start INTEGER NOT NULL,
  trigger_end INTEGER NOT NULL,
  trigger_text TEXT NOT NULL,
  actor INTEGER REFERENCES entities(id),
  target INTEGER REFERENCES entities(id),
  location INTEGER REFERENCES entities(id),
  time_value TEXT,
  date TEXT,
  status TEXT NOT NULL,
  negated INTEGER NOT NULL,
  claim INTEGER REFERENCES claims(id),
  sentence INTEGER,
  sentence_start INTEGER,
  sentence_end INTEGER
);
CREATE INDEX events_doc ON events(doc);
CREATE INDEX events_type ON events(type);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_actor ON events(actor);
CREATE INDEX events_target ON events(target);
CREATE INDEX events_location ON events(location);
"""

# Normalized, clitic-expanded words (see rasd.store.index); rowid = the row they index.
_SEARCH = """
CREATE VIRTUAL TABLE documents_fts USING fts5(title, body, tokenize = 'unicode61');
CREATE VIRTUAL TABLE claims_fts USING fts5(body, tokenize = 'unicode61');
CREATE VIRTUAL TABLE events_fts USING fts5(body, tokenize = 'unicode61');
"""


def _script(sql: str) -> Callable[[sqlite3.Connection], None]:
    def run(conn: sqlite3.Connection) -> None:
        for stmt in sql.split(";"):
            if stmt.strip():
                conn.execute(stmt)
    return run


def _confidence_and_via(conn: sqlite3.Connection) -> None:
    """Version 3: the learned stages' calibrated ``confidence`` on claims and events, and
    ``via_claim`` (the claim that reports this one; the old ``via`` column, keyed to entities,
    never matched the claim ids the output gives). Existing rows are filled from each
    document's stored JSON."""
    conn.execute("ALTER TABLE claims ADD COLUMN confidence REAL")
    conn.execute("ALTER TABLE events ADD COLUMN confidence REAL")
    conn.execute("ALTER TABLE claims ADD COLUMN via_claim INTEGER REFERENCES claims(id)")
    conn.execute("CREATE INDEX claims_confidence ON claims(confidence)")
    conn.execute("CREATE INDEX events_confidence ON events(confidence)")
    for db_id, data in conn.execute("SELECT id, data FROM documents").fetchall():
        doc = json.loads(data)
        rows = dict(conn.execute("SELECT local_id, id FROM claims WHERE doc = ?",
                                 (db_id,)).fetchall())
        for c in doc.get("claims", []):
            conn.execute("UPDATE claims SET confidence = ?, via_claim = ? WHERE id = ?",
                         (c.get("confidence"), rows.get(c.get("via") or ""),
                          rows.get(c["id"])))
        conn.executemany("UPDATE events SET confidence = ? WHERE doc = ? AND local_id = ?",
                         [(v.get("confidence"), db_id, v["id"])
                          for v in doc.get("events", []) if v.get("confidence") is not None])


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


# Version 4: stories (rasd.store.stories). Articles stored before it get their stories at the
# next ingest (or ``Store.assign_stories()``), not inside the migration: clustering tokenizes.
_STORIES = story_store.SCHEMA

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


def _speakers(conn: sqlite3.Connection) -> None:
    """Version 5: ``claims.speaker``, the body the speaker speaks for (France for السفارة
    الفرنسية), so claims can be asked by country or organisation; filled for the stored
    articles from their JSON."""
    conn.execute("ALTER TABLE claims ADD COLUMN speaker INTEGER REFERENCES entities(id)")
    conn.execute("CREATE INDEX claims_speaker ON claims(speaker)")
    for db_id, data in conn.execute("SELECT id, data FROM documents").fetchall():
        doc = Document.from_dict(json.loads(data))
        if not doc.claims:
            continue
        ents = dict(conn.execute("SELECT local_id, entity FROM doc_entities WHERE doc = ?",
                                 (db_id,)).fetchall())
        rows = dict(conn.execute("SELECT local_id, id FROM claims WHERE doc = ?",
                                 (db_id,)).fetchall())
        conn.executemany("UPDATE claims SET speaker = ? WHERE id = ?",
                         [(speaker_id(conn, doc, c, ents), rows[c.id]) for c in doc.claims
                          if c.id in rows])


# Ordered: migration i brings a store from user_version i to i + 1. Append, never edit.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_script(_CORE), _script(_SEARCH),
                                                          _confidence_and_via,
                                                          _script(_STORIES), _speakers]
SCHEMA_VERSION = len(MIGRATIONS)


def store_writable(path: str | Path) -> bool:
    """Can this process write the store file and its folder (its -wal and -shm files)?"""
    return os.access(path, os.W_OK) and os.access(Path(path).resolve().parent, os.W_OK)


def _refuse_foreign(path: str) -> None:
    """Raise for an SQLite file of another application, read without writing a byte (the
    writable connection would switch it to WAL, which rewrites its header)."""
    if Path(path).stat().st_size == 0:
        return
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
            _refuse_other_tables(conn)
    finally:
        conn.close()


def _refuse_other_tables(conn: sqlite3.Connection) -> None:
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    if tables and "documents" not in tables:
        raise StoreError(f"an SQLite database of something else (tables: "
                         f"{', '.join(sorted(tables)[:5])}), not a rasd store; "
                         "give a new file or a rasd store")


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the migrations a store lacks, each in its own transaction; returns the version."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(f"store schema version {version} is newer than this rasd "
                         f"({SCHEMA_VERSION}); upgrade rasd")
    if version == 0:
        _refuse_other_tables(conn)
    while True:
        conn.execute("BEGIN IMMEDIATE")  # one process migrates; the others wait, then see it
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version >= SCHEMA_VERSION:
                conn.execute("COMMIT")
                return SCHEMA_VERSION
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


# -- helpers --------------------------------------------------------------------------------

class StoreError(Exception):
    """The store file cannot be used (not a database, a newer schema)."""


_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_SPACE = re.compile(r"\s+")


def day(value: str | None) -> str | None:
    """The calendar part of an ISO value (``2019-06-24``, ``2019-06``, ``2019``), else None."""
    if not value:
        return None
    m = _DATE.match(value.strip())
    return m.group() if m else None


def text_hash(text: str) -> str:
    """Identity of an article's wording: the same words under any spelling variant or spacing."""
    return hashlib.sha1(_SPACE.sub(" ", norm(text)).strip().encode("utf-8")).hexdigest()


def entity_key(kb_id: str | None, type_: str, name: str) -> str:
    """Merge key: the KB id when the entity is linked, else its normalized name and type."""
    return f"kb:{kb_id}" if kb_id else f"name:{type_}:{name_norm(name)}"


def name_norm(name: str) -> str:
    """Normalized name for matching names and sources typed by a person."""
    return _SPACE.sub(" ", norm(name)).strip().lower()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class IngestResult:
    """What one :meth:`Store.ingest` call did, document by document."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    items: list[dict[str, Any]] = field(default_factory=list)
    stories: int = 0  # articles given a story after the ingest
    warnings: list[str] = field(default_factory=list)

    def note(self, status: str, **info: Any) -> None:
        setattr(self, status, getattr(self, status) + 1)
        self.items.append({"status": status, **info})

    def summary(self) -> str:
        return (f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.failed} failed")


# -- the store ------------------------------------------------------------------------------

class Store:
    """One SQLite store. Safe to share between threads: each thread gets its own connection."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, readonly: bool = False) -> None:
        """``readonly``: for reading only (``rasd search``), so a store on read-only media or
        owned by another user can be searched; it is never migrated or written."""
        self.path = str(path)
        self.readonly = readonly
        self._local = threading.local()
        self._write_lock = threading.Lock()
        # ":memory:" is one database shared by this store's threads, alive while it is open.
        self._uri = (f"file:rasd-{id(self)}?mode=memory&cache=shared"
                     if self.path == ":memory:" else None)
        if readonly and self._uri is None:
            if not Path(self.path).is_file():
                raise StoreError(f"{self.path}: no such store")
            # immutable: no -wal/-shm files needed (read-only media); the store must not be
            # written by another process meanwhile, as for any read of a snapshot.
            writable = store_writable(self.path)
            self._uri = (f"{Path(self.path).resolve().as_uri()}?mode=ro"
                         + ("" if writable else "&immutable=1"))
        if self._uri is None:
            folder = Path(self.path).resolve().parent
            if not folder.is_dir():
                raise StoreError(f"{self.path}: its folder {folder} does not exist")
        try:
            if self._uri is None and not readonly and Path(self.path).is_file():
                _refuse_foreign(self.path)  # before the first connection turns on WAL
            if (self._uri is None or readonly) and Path(self.path).exists():
                bad = self.conn.execute("PRAGMA quick_check").fetchone()[0]
                if bad != "ok":
                    raise StoreError(f"{self.path}: the store is damaged (SQLite quick_check: "
                                     f"{bad}); restore it from a copy")
            if readonly:
                version = self.conn.execute("PRAGMA user_version").fetchone()[0]
                if version != SCHEMA_VERSION:
                    raise StoreError(f"schema version {version}, this rasd reads "
                                     f"{SCHEMA_VERSION}: open it once with `rasd ingest` "
                                     "(writable) to upgrade it" if version < SCHEMA_VERSION
                                     else f"store schema version {version} is newer than "
                                     f"this rasd ({SCHEMA_VERSION}); upgrade rasd")
            else:
                migrate(self.conn)
        except StoreError as exc:
            self.close()
            if str(exc).startswith(self.path):
                raise
            raise StoreError(f"{self.path}: {exc}") from None
        except sqlite3.OperationalError as exc:
            self.close()
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from exc
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreError(f"{self.path}: not a rasd store ({exc})") from exc

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (autocommit; transactions are explicit)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self._uri or self.path, isolation_level=None,
                                   check_same_thread=False, timeout=30, uri=bool(self._uri))
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            if self._uri is None and not self.readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    # -- ingest -----------------------------------------------------------------------------
    def find(self, url: str | None, hash_: str) -> sqlite3.Row | None:
        """The stored record of an article: by URL first, else by its text hash."""
        if url:
            row = self.conn.execute("SELECT id, text_hash, url FROM documents WHERE url = ?",
                                    (url,)).fetchone()
            if row is not None:
                return row
        return self.conn.execute("SELECT id, text_hash, url FROM documents WHERE text_hash = ? "
                                 "ORDER BY id LIMIT 1", (hash_,)).fetchone()

    def ingest(self, docs: Iterable[Document],
               analyze: Callable[[Document], Document | None] | None = None,
               on_error: Callable[[Document, Exception], None] | None = None) -> IngestResult:
        """Store documents; ``analyze`` (a :class:`~rasd.pipeline.Pipeline`) runs only on new or
        changed ones. A document that fails (analysis or writing) is rolled back and counted;
        the rest go on."""
        result = IngestResult()
        for doc in docs:
            name = doc.source or doc.id
            try:
                hash_ = text_hash(doc.text)
                found = self.find(doc.url, hash_)
                if found is not None and found["text_hash"] == hash_:
                    result.note("unchanged", id=found["id"], doc_id=doc.id, name=name)
                    continue
                if analyze is not None:
                    doc = analyze(doc) or doc
                db_id, status = self.put(doc, hash_)
            except Exception as exc:  # one bad document must not stop the batch
                result.note("failed", doc_id=doc.id, name=name,
                            error=f"{type(exc).__name__}: {exc}")
                if on_error is not None:
                    on_error(doc, exc)
                continue
            result.note(status, id=db_id, doc_id=doc.id, name=name)
        if result.added or result.updated or self._unassigned():
            try:
                result.stories = self.assign_stories()
            except Exception as exc:  # the documents are stored; their stories can follow
                result.warnings.append(f"stories not updated: {type(exc).__name__}: {exc}")
        return result

    def _unassigned(self) -> bool:
        return self.conn.execute("SELECT 1 FROM documents d WHERE NOT EXISTS (SELECT 1 FROM"
                                 " story_articles s WHERE s.doc = d.id) LIMIT 1").fetchone() \
            is not None

    def assign_stories(self, params: Any = None) -> int:
        """Cluster the stored articles that have no story yet (in one transaction)."""
        with self._write_lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                n = story_store.assign(conn, _now(), params)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return n

    def put(self, doc: Document, hash_: str | None = None) -> tuple[int, str]:
        """Write one analysed document in one transaction: ``(row id, added|updated|unchanged)``."""
        hash_ = hash_ or text_hash(doc.text)
        with self._write_lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                found = self.find(doc.url, hash_)
                if found is not None and found["text_hash"] == hash_:
                    conn.execute("COMMIT")
                    return found["id"], "unchanged"
                if found is not None:
                    db_id = found["id"]
                    old = self._clear(db_id)
                    self._write_document(doc, hash_, db_id)
                    self._write_layers(db_id, doc)
                    self._drop_orphans(old)
                    status = "updated"
                else:
                    db_id = self._write_document(doc, hash_, None)
                    self._write_layers(db_id, doc)
                    status = "added"
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return db_id, status

    def delete(self, db_id: int) -> bool:
        """Remove one document and the entities only it named."""
        with self._write_lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                old = self._clear(db_id)
                gone = conn.execute("DELETE FROM documents WHERE id = ?", (db_id,)).rowcount
                conn.execute("DELETE FROM documents_fts WHERE rowid = ?", (db_id,))
                self._drop_orphans(old)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return bool(gone)

    def _clear(self, db_id: int) -> set[int]:
        """Delete a document's layer rows and search rows; returns the entities it named."""
        conn = self.conn
        old = {r[0] for r in conn.execute("SELECT entity FROM doc_entities WHERE doc = ?",
                                          (db_id,))}
        conn.execute("DELETE FROM claims_fts WHERE rowid IN (SELECT id FROM claims WHERE doc = ?)",
                     (db_id,))
        conn.execute("DELETE FROM events_fts WHERE rowid IN (SELECT id FROM events WHERE doc = ?)",
                     (db_id,))
        for table in ("events", "claims", "times", "mentions", "doc_entities"):
            conn.execute(f"DELETE FROM {table} WHERE doc = ?", (db_id,))
        story_store.forget(conn, db_id, _now())
        return old

    def _drop_orphans(self, entities: set[int]) -> None:
        for eid in entities:
            self.conn.execute("DELETE FROM entities WHERE id = ? AND NOT EXISTS "
                              "(SELECT 1 FROM doc_entities WHERE entity = ?)", (eid, eid))

    def _write_document(self, doc: Document, hash_: str, db_id: int | None) -> int:
        conn = self.conn
        data = doc.to_dict()
        now = _now()
        values = (doc.id, doc.url, hash_, doc.title, doc.published, day(doc.published),
                  doc.outlet, doc.source, doc.text, json.dumps(data, ensure_ascii=False),
                  data.get("rasd"))
        if db_id is None:
            cur = conn.execute(
                "INSERT INTO documents (doc_id, url, text_hash, title, published, date, outlet,"
                " source, text, data, rasd_version, ingested_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (*values, now, now))
            db_id = int(cur.lastrowid or 0)
        else:
            conn.execute(
                "UPDATE documents SET doc_id = ?, url = ?, text_hash = ?, title = ?,"
                " published = ?, date = ?, outlet = ?, source = ?, text = ?, data = ?,"
                " rasd_version = ?, updated_at = ? WHERE id = ?", (*values, now, db_id))
            conn.execute("DELETE FROM documents_fts WHERE rowid = ?", (db_id,))
        conn.execute("INSERT INTO documents_fts (rowid, title, body) VALUES (?, ?, ?)",
                     (db_id, index.index_text(doc.title or ""),
                      index.index_text(doc.text, doc.tokens or None)))
        return db_id

    def _entity_id(self, e: Any) -> int:
        return global_entity(self.conn, e)

    def _write_layers(self, db_id: int, doc: Document) -> None:
        conn = self.conn
        tokens = doc.tokens or None  # the analysed document's tokens, reused for the index
        ents: dict[str, int] = {}
        names: dict[str, str] = {}
        for e in doc.entities:
            gid = self._entity_id(e)
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

    # -- reading ----------------------------------------------------------------------------
    def count(self, table: str = "documents") -> int:
        if table not in ("documents", "entities", "mentions", "times", "claims", "events",
                         "stories"):
            raise ValueError(table)
        return self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def stats(self) -> dict[str, int]:
        """Row counts per table (for the API's front page and the CLI)."""
        return {t: self.count(t) for t in ("documents", "entities", "mentions", "claims",
                                           "events", "stories")}

    def document(self, db_id: int) -> dict[str, Any] | None:
        """A stored document as its ``to_dict()`` JSON, plus ``store`` (row id, entity map)."""
        row = self.conn.execute("SELECT id, data, ingested_at, updated_at FROM documents"
                                " WHERE id = ?", (db_id,)).fetchone()
        if row is None:
            return None
        data = json.loads(row["data"])
        ents = {r["local_id"]: r["entity"] for r in self.conn.execute(
            "SELECT local_id, entity FROM doc_entities WHERE doc = ?", (db_id,))}
        data["store"] = {"id": row["id"], "ingested_at": row["ingested_at"],
                         "updated_at": row["updated_at"], "entities": ents,
                         "story": story_store.story_of(self.conn, db_id)}
        return data

    def documents(self) -> Iterator[sqlite3.Row]:
        yield from self.conn.execute("SELECT id, doc_id, url, title, published, outlet"
                                     " FROM documents ORDER BY id")

    def search(self, query: str = "", **filters: Any) -> list[dict[str, Any]]:
        """Arabic-aware search; see :func:`rasd.store.search.search`."""
        from rasd.store.search import search

        return search(self, query, **filters)


# -- `rasd ingest` --------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``rasd ingest INPUT... [--db PATH]``."""
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="file, directory, glob, JSONL file, or - for stdin")
    parser.add_argument("--db", default=DEFAULT_DB, metavar="PATH",
                        help=f"SQLite store to create or update (default {DEFAULT_DB})")
    parser.add_argument("--ner", default=None, metavar="SPEC",
                        help="NER backend: default (fine-tuned encoder), fast (CRF), none, "
                             "or transformers:PATH")
    parser.add_argument("--fast", action="store_true",
                        help="the fast operating point: CRF NER (~50 articles/s per core)")
    parser.add_argument("--no-analyze", action="store_true",
                        help="store text and search index only, without analysis layers")


def run_from_args(args: argparse.Namespace) -> int:
    """``rasd ingest``: analyse new and changed articles and store them. Exit 1 if any input
    or document failed (each reported on one stderr line), else 0."""
    from rasd.ingest import InputError, iter_documents

    try:
        store = Store(args.db)
    except (StoreError, sqlite3.Error) as exc:
        print(f"rasd: {exc}", file=sys.stderr)
        return 1
    analyze = None
    if not args.no_analyze:
        from rasd.pipeline import Pipeline

        try:
            analyze = Pipeline(ner="fast" if args.fast else args.ner)
        except (RuntimeError, ValueError, OSError) as exc:
            print(f"rasd: {exc}", file=sys.stderr)
            return 1
    bad = 0

    def docs() -> Iterator[Document]:
        nonlocal bad
        for item in iter_documents(args.inputs, stdin=None):
            if isinstance(item, InputError):
                print(f"rasd: {item}", file=sys.stderr)
                bad += 1
                continue
            yield item

    def report(doc: Document, exc: Exception) -> None:
        print(f"rasd: {doc.source or doc.id}: not stored: {type(exc).__name__}: {exc}",
              file=sys.stderr)

    with store:
        result = store.ingest(docs(), analyze=analyze, on_error=report)
        total = store.count()
    for w in result.warnings:
        print(f"rasd: {args.db}: {w}", file=sys.stderr)
    print(f"{args.db}: {result.summary()}; {total} documents in store")
    return 1 if bad or result.failed else 0
