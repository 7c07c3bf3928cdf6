"""How precisely a located entity is known: a country, a first-level region, a city, or
another place (a base, an airport, a sea), from its KB record. The map draws countries and
regions as areas and the rest as points, so an event placed only "in Libya" is not shown as
an event in Tripoli."""

from __future__ import annotations

from functools import lru_cache

PRECISIONS = ("country", "region", "city", "place")
_BY_FEATURE = {"country": "country", "region": "region", "district": "region",
               "city": "city", "capital": "city", "town": "city"}


@lru_cache(maxsize=65536)
def precision(kb_id: str | None) -> str:
    """``country``, ``region``, ``city`` or ``place`` (unknown to the KB: a point)."""
    if not kb_id:
        return "place"
    if kb_id.startswith("cc:"):
        return "country"
    from rasd.link.kb import KnowledgeBase

    entry = KnowledgeBase.load().get(kb_id)
    return _BY_FEATURE.get(getattr(entry, "feature", None) or "", "place")
