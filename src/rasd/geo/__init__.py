"""Geocoding: resolve place names to coordinates with document context; romanize names."""

from rasd.geo.geocode import GeoContext, haversine_km, resolve_by_population, resolve_place
from rasd.geo.translit import transliterate

__all__ = ["GeoContext", "haversine_km", "resolve_by_population", "resolve_place",
           "transliterate"]
