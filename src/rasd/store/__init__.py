"""Keeping analysed documents: an embedded SQLite store with Arabic-aware full-text search."""

from rasd.store.sqlite import DEFAULT_DB, IngestResult, Store, StoreError

__all__ = ["DEFAULT_DB", "IngestResult", "Store", "StoreError"]
