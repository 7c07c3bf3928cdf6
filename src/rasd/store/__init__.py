"""Keeping analysed documents: an embedded SQLite store with Arabic-aware full-text search."""

from rasd.store.errors import SearchError, StoreError
from rasd.store.sqlite import DEFAULT_DB, IngestResult, Store

__all__ = ["DEFAULT_DB", "IngestResult", "SearchError", "Store", "StoreError"]
