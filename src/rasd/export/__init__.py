"""Exports of analysed documents: ACLED-like CSV, PLOVER-shaped JSON, GeoJSON points."""

from rasd.export.formats import acled_rows, geojson, plover_records, write_export

__all__ = ["acled_rows", "geojson", "plover_records", "write_export"]
