"""The store's exceptions, in a module of their own so that every store module (schema,
writer, searches) can raise them without importing the :class:`~rasd.store.sqlite.Store`."""

from __future__ import annotations


class StoreError(Exception):
    """The store file cannot be used (not a database, a newer schema)."""


class SearchError(ValueError):
    """A search request that cannot be run as given (bad date, unknown kind)."""
