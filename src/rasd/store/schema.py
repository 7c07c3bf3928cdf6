"""The store's tables and how a store of any earlier version is brought up to date.

The schema carries its version in ``PRAGMA user_version``; :data:`MIGRATIONS` is the ordered
list that takes a store from version i to i + 1 (append, never edit), each applied in its own
transaction by :func:`migrate`, so several processes opening one old store migrate it once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from rasd.document import Document
from rasd.store import stories as story_store
from rasd.store.errors import StoreError
from rasd.store.writer import speaker_id

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


# Version 4: stories (rasd.store.stories). Articles stored before it get their stories at the
# next ingest (or ``Store.assign_stories()``), not inside the migration: clustering tokenizes.
_STORIES = story_store.SCHEMA


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


def refuse_foreign(path: str) -> None:
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
