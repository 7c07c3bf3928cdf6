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
``PRAGMA user_version`` and is brought up to date by the ordered migrations.

This module opens a store and reads it; the tables and migrations are in
:mod:`rasd.store.schema`, the writing of a document in :mod:`rasd.store.writer`, the keys in
:mod:`rasd.store.keys`, the searches and lists in :mod:`rasd.store.search`,
:mod:`rasd.store.lists` and :mod:`rasd.store.queries`; ``rasd ingest`` is
:mod:`rasd.cli.ingest`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasd.document import Document
from rasd.store import stories as story_store
from rasd.store import writer
from rasd.store.errors import StoreError
from rasd.store.keys import now, text_hash
from rasd.store.schema import SCHEMA_VERSION, migrate, refuse_foreign
from rasd.store.search import search

DEFAULT_DB = "rasd.db"


def store_writable(path: str | Path) -> bool:
    """Can this process write the store file and its folder (its -wal and -shm files)?"""
    return os.access(path, os.W_OK) and os.access(Path(path).resolve().parent, os.W_OK)


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
                refuse_foreign(self.path)  # before the first connection turns on WAL
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
        return writer.find(self.conn, url, hash_)

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
                n = story_store.assign(conn, now(), params)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return n

    def put(self, doc: Document, hash_: str | None = None) -> tuple[int, str]:
        """Write one analysed document in one transaction: ``(row id, added|updated|unchanged)``."""
        with self._write_lock:
            return writer.put(self.conn, doc, hash_)

    def delete(self, db_id: int) -> bool:
        """Remove one document and the entities only it named."""
        with self._write_lock:
            return writer.delete(self.conn, db_id)

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
        return search(self, query, **filters)
