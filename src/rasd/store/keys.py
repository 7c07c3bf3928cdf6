"""How the store identifies things: an article's text hash, an entity's merge key, the
normalized names people type, calendar days of ISO values.

Kept apart because the writer, the migrations and the searches all compute the same keys and
must agree byte for byte (a search by name finds what the writer stored under that name).
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

from rasd.text.normalize import norm

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


def now() -> str:
    """The time stamp of a write (UTC, to the second)."""
    return datetime.now(UTC).isoformat(timespec="seconds")
